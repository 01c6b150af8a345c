"""The command line: ``commands`` parses, calls the library and hands results to ``render``.

Heavy modules (Whoosh, NLTK) are imported inside the commands, so that
``searchkit --help`` stays instant.
"""

from __future__ import annotations

from searchkit.cli.commands import cli, main

__all__ = ["cli", "main"]

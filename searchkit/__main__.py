"""Run ``python -m searchkit``."""

from searchkit.cli.commands import main

main()

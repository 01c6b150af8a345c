"""Text -> :class:`Quote`: quotation marks, kinds, cues and speakers.

The pipeline, one module per stage: ``marks`` pairs quotation marks into
spans, ``narrative`` finds sentences and reporting verbs, ``attribution`` and
``continuation`` apply the cue rules, ``mentions`` and ``speakers`` find and
resolve the people named, ``names`` folds their names, ``confidence`` holds the
measured trust in each rule and ``lexicon`` the word lists; ``extract`` runs them.
Pure functions of text: nothing here knows about Whoosh or the index.
Names are imported on first use, so that ``KINDS`` costs nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from searchkit.quotes.extract import Quote, extract_quotes
    from searchkit.quotes.names import fold_name

__all__ = ["KINDS", "Quote", "extract_quotes", "fold_name"]

#: What a quote is: quoted speech, a quoted fragment inside reported speech,
#: or a term (scare quotes, titles).
KINDS = ("speech", "partial", "term")


def __getattr__(name: str) -> Any:
    if name in ("Quote", "extract_quotes"):
        return getattr(importlib.import_module("searchkit.quotes.extract"), name)
    if name == "fold_name":
        return getattr(importlib.import_module("searchkit.quotes.names"), name)
    raise AttributeError(f"module 'searchkit.quotes' has no attribute {name!r}")

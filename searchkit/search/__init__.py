"""Searching: query parsing, article search, quote search, facets, snippets, suggestions.

``query`` parses query text and filters; ``articles`` ranks articles;
``quotes`` searches quotes and speakers; ``facets`` counts over all matches
and builds timelines; ``snippets`` cuts and highlights; ``suggest`` offers
did-you-mean.  The Whoosh internals these rely on live in
:mod:`searchkit.engine`.  Names are imported on first use, so that the
command line can read constants (``facets.PERIODS``) without loading Whoosh.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from searchkit.search.articles import Hit, Results, search
    from searchkit.search.facets import Timeline
    from searchkit.search.quotes import QuoteHit, QuoteResults, Speaker
    from searchkit.search.snippets import Snippet

_EXPORTS = {
    "Hit": "searchkit.search.articles",
    "QuoteHit": "searchkit.search.quotes",
    "QuoteResults": "searchkit.search.quotes",
    "Results": "searchkit.search.articles",
    "Snippet": "searchkit.search.snippets",
    "Speaker": "searchkit.search.quotes",
    "Timeline": "searchkit.search.facets",
    "search": "searchkit.search.articles",
}

__all__ = [
    "Hit",
    "QuoteHit",
    "QuoteResults",
    "Results",
    "Snippet",
    "Speaker",
    "Timeline",
    "search",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'searchkit.search' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)

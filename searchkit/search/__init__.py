"""Searching: query parsing, article search, quote search, facets, snippets, suggestions.

``articles`` parses queries and ranks articles; ``quotes`` searches quotes
and speakers; ``facets`` counts over all matches and builds timelines;
``snippets`` cuts and highlights; ``suggest`` offers did-you-mean.  The
Whoosh internals these rely on live in :mod:`searchkit.engine`.
"""

from __future__ import annotations

from searchkit.search.articles import Hit, Results, search
from searchkit.search.facets import Timeline
from searchkit.search.quotes import QuoteHit, QuoteResults, Speaker
from searchkit.search.snippets import Snippet

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

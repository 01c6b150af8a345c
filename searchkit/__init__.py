"""searchkit: full-text search over collected news coverage.

    >>> import searchkit
    >>> index = searchkit.Index.build("index/", "seeds/")        # doctest: +SKIP
    >>> for hit in index.search("repatriation", limit=5):       # doctest: +SKIP
    ...     print(hit.date, hit.source, hit.title)

Names are imported on first use (PEP 562), so ``import searchkit`` and the
CLI's ``--help`` do not pay for Whoosh and NLTK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from searchkit.articles.files import read_articles
    from searchkit.articles.model import Article
    from searchkit.articles.parse import parse_article
    from searchkit.articles.records import parse_record
    from searchkit.errors import (
        ArticleError,
        IndexError_,
        IndexLockedError,
        NoIndexError,
        QueryError,
        SearchkitError,
        UntrustedIndexError,
    )
    from searchkit.index.shards import ShardedIndex
    from searchkit.index.store import BuildReport, Index
    from searchkit.index.watches import Watch
    from searchkit.quotes.extract import Quote, extract_quotes
    from searchkit.search.articles import Hit, Results
    from searchkit.search.batch import BatchResult, BatchRow
    from searchkit.search.copies import Copy
    from searchkit.search.facets import Timeline
    from searchkit.search.filters import Filters
    from searchkit.search.quotes import QuoteHit, QuoteResults, Speaker
    from searchkit.search.snippets import Snippet
    from searchkit.search.stats import IndexStats
    from searchkit.search.trace import Printing, Trace

__version__ = "0.1.0"

_EXPORTS = {
    "Article": "searchkit.articles.model",
    "ArticleError": "searchkit.errors",
    "BatchResult": "searchkit.search.batch",
    "BatchRow": "searchkit.search.batch",
    "BuildReport": "searchkit.index.store",
    "Copy": "searchkit.search.copies",
    "Filters": "searchkit.search.filters",
    "Hit": "searchkit.search.articles",
    "Index": "searchkit.index.store",
    "IndexError_": "searchkit.errors",
    "IndexLockedError": "searchkit.errors",
    "IndexStats": "searchkit.search.stats",
    "NoIndexError": "searchkit.errors",
    "Printing": "searchkit.search.trace",
    "QueryError": "searchkit.errors",
    "Quote": "searchkit.quotes.extract",
    "QuoteHit": "searchkit.search.quotes",
    "QuoteResults": "searchkit.search.quotes",
    "Results": "searchkit.search.articles",
    "SearchkitError": "searchkit.errors",
    "ShardedIndex": "searchkit.index.shards",
    "UntrustedIndexError": "searchkit.errors",
    "Watch": "searchkit.index.watches",
    "Timeline": "searchkit.search.facets",
    "Trace": "searchkit.search.trace",
    "Snippet": "searchkit.search.snippets",
    "Speaker": "searchkit.search.quotes",
    "extract_quotes": "searchkit.quotes.extract",
    "parse_article": "searchkit.articles.parse",
    "parse_record": "searchkit.articles.records",
    "read_articles": "searchkit.articles.files",
}

__all__ = [
    "Article",
    "ArticleError",
    "BatchResult",
    "BatchRow",
    "BuildReport",
    "Copy",
    "Filters",
    "Hit",
    "Index",
    "IndexError_",
    "IndexLockedError",
    "IndexStats",
    "NoIndexError",
    "Printing",
    "QueryError",
    "Quote",
    "QuoteHit",
    "QuoteResults",
    "Results",
    "SearchkitError",
    "ShardedIndex",
    "Snippet",
    "Speaker",
    "Timeline",
    "Trace",
    "UntrustedIndexError",
    "Watch",
    "__version__",
    "extract_quotes",
    "parse_article",
    "parse_record",
    "read_articles",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'searchkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

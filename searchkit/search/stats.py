"""Size and coverage of an index: articles, quotes, outlets and the date span."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from searchkit.search.facets import count_facets

__all__ = ["IndexStats", "index_stats"]


@dataclass(frozen=True, slots=True)
class IndexStats:
    """Size and coverage of an index."""

    articles: int
    quotes: int
    outlets: dict[str, int]
    first_date: dt.date | None
    last_date: dt.date | None
    size_bytes: int
    roots: tuple[str, ...]
    path: str

    def to_dict(self) -> dict[str, object]:
        """Return the statistics as JSON-ready data."""
        return {
            "articles": self.articles,
            "quotes": self.quotes,
            "outlets": self.outlets,
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "size_bytes": self.size_bytes,
            "roots": list(self.roots),
            "path": self.path,
        }


def index_stats(
    searcher: Any,
    quote_searcher: Any,
    size: int,
    roots: Iterable[str],
    path: str | os.PathLike[str],
) -> IndexStats:
    """Count an index's articles, quotes and outlets, and find its date span."""
    reader = searcher.reader()
    docs = list(reader.all_doc_ids())
    # Whoosh's EmptyReader (an index without articles) has no columns to read.
    outlets = count_facets(searcher, docs, ["source"])["source"] if docs else {}
    days = reader.column_reader("day") if docs else {}
    dated = [days[doc] for doc in docs if days[doc]]
    return IndexStats(
        articles=len(docs),
        quotes=int(quote_searcher.doc_count()),
        outlets=outlets,
        first_date=_day_to_date(min(dated)) if dated else None,
        last_date=_day_to_date(max(dated)) if dated else None,
        size_bytes=size,
        roots=tuple(roots),
        path=str(path),
    )


def _day_to_date(day: int) -> dt.date:
    return dt.date(day // 10000, day // 100 % 100, day % 100)

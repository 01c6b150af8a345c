"""What a search may return: outlets and a date span (:class:`Filters`), as Whoosh filters."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from searchkit.engine.days import DayRange, day_number
from searchkit.engine.listing import Unscored
from searchkit.errors import QueryError
from searchkit.search.query import check_phrase

__all__ = [
    "OUTLETS_LISTED",
    "Filters",
    "Outlets",
    "date_filter",
    "parse_date_bound",
    "source_filter",
]

_PARTIAL_DATE = re.compile(r"\A(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\Z")

#: One outlet's name, or several (an article from any of them matches).
Outlets = str | Sequence[str] | None


@dataclass(frozen=True, slots=True)
class Filters:
    """Which articles or quotes a search may return: outlets and a date span.

    ``source`` names one outlet or several (by the words of each name);
    ``since`` and ``until`` take ``2024``, ``2024-03``, ``2024-03-05`` or a
    date, inclusive.  Shared by article search, quote search, speakers,
    timelines and the command line.
    """

    source: Outlets = None
    since: str | dt.date | None = None
    until: str | dt.date | None = None

    def __bool__(self) -> bool:
        return bool(self.source or self.since or self.until)

    def queries(self, searcher: Any) -> list[Any]:
        """Return the Whoosh filter queries (outlets, then dates) for ``searcher``'s index."""
        return source_filter(searcher, self.source) + date_filter(self.since, self.until)


def source_filter(searcher: Any, source: Outlets) -> list[Any]:
    """Return a filter keeping the documents of the outlets named (by the words of each name).

    An outlet no document has is an error naming the outlets there are, not
    a silent empty result.
    """
    from whoosh.query import Or, Phrase, Term

    if not source:
        return []
    names = [source] if isinstance(source, str) else list(dict.fromkeys(source))
    clauses = []
    for name in names:
        words = [t.text for t in searcher.schema["source"].analyzer(name)]
        if not words:
            raise QueryError(f"source {name!r} has no words to match")
        check_phrase(words, "the source name")
        clause = Phrase("source", words) if len(words) > 1 else Term("source", words[0])
        if next(iter(searcher.docs_for_query(clause)), None) is None:
            raise QueryError(f"no outlet named {name!r}; {_outlets_there_are(searcher)}")
        clauses.append(clause)
    return [Unscored(clauses[0] if len(clauses) == 1 else Or(clauses))]


#: Outlets an unknown-outlet error lists, most frequent first.
OUTLETS_LISTED = 10


def _outlets_there_are(searcher: Any) -> str:
    from collections import Counter

    reader = searcher.reader()
    if not reader.doc_count_all() or "outlet" not in reader.schema:
        return "give part of an outlet's name as `searchkit stats` lists it"
    counts = Counter(name for name in reader.column_reader("outlet") if name)
    if not counts:
        return "no article in this index has an outlet"
    names = sorted(counts, key=lambda name: (-counts[name], name))
    shown = ", ".join(names[:OUTLETS_LISTED])
    more = f" and {len(names) - OUTLETS_LISTED:,} more" if len(names) > OUTLETS_LISTED else ""
    return f"outlets are {shown}{more} (`searchkit stats` lists them)"


def date_filter(since: str | dt.date | None, until: str | dt.date | None) -> list[Any]:
    """Return a filter keeping documents dated within ``since``..``until`` (inclusive)."""
    if not since and not until:
        return []
    first = day_number(parse_date_bound(since, end=False)) if since else None
    last = day_number(parse_date_bound(until, end=True)) if until else None
    return [DayRange(first, last)]


def parse_date_bound(value: str | dt.date, *, end: bool) -> dt.datetime:
    """Turn ``2024``, ``2024-03`` or ``2024-03-05`` into the first (or last) moment it covers."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        day = value
    else:
        match = _PARTIAL_DATE.match(value.strip())
        if not match:
            raise QueryError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024-03-01)")
        year, month, dayno = (int(g) if g else None for g in match.groups())
        assert year is not None
        try:
            if month is None:
                day = dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
            elif dayno is None:
                first = dt.date(year, month, 1)
                following = dt.date(year + month // 12, month % 12 + 1, 1)
                day = following - dt.timedelta(days=1) if end else first
            else:
                day = dt.date(year, month, dayno)
        except ValueError as exc:
            raise QueryError(f"date {value!r} does not exist ({exc})") from exc
    if end:
        return dt.datetime.combine(day, dt.time.max)
    return dt.datetime.combine(day, dt.time.min)

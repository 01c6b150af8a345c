"""Date ranges answered from the per-article ``day`` column.

Whoosh indexes a DATETIME as eight tiers of numeric terms (7% of a news
index's postings), and a range such as ``date:[1987-03 TO 1987-04]`` becomes
a union of hundreds of posting lists: on a 21k-article news index that one
clause cost more than the rest of a query.  Every article keeps its date as
a ``YYYYMMDD`` number in a column instead, so a range is a scan of one
compact array per segment (kept, see :func:`searchkit.engine.codec.cached`), and
the ``date`` field is left empty: it is there to parse ``date:`` queries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from whoosh.matching import NullMatcher
from whoosh.query import NumericRange, Query

from searchkit.engine.codec import cached
from searchkit.engine.listing import SortedIds

__all__ = ["DayRange", "day_number", "use_day_column"]

DAY_COLUMN = "day"


def day_number(moment: dt.date | dt.datetime) -> int:
    """Return a date as the ``YYYYMMDD`` number the ``day`` column stores."""
    return moment.year * 10000 + moment.month * 100 + moment.day


class DayRange(Query):  # type: ignore[misc]
    """Match documents whose ``day`` lies in ``first..last`` (inclusive); undated never match."""

    def __init__(self, first: int | None, last: int | None, boost: float = 1.0) -> None:
        self.first = first or 1
        self.last = last or 99991231
        self.boost = boost

    def __repr__(self) -> str:
        return f"DayRange({self.first}, {self.last})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DayRange) and (self.first, self.last, self.boost) == (
            other.first,
            other.last,
            other.boost,
        )

    def __hash__(self) -> int:
        return hash((DayRange, self.first, self.last, self.boost))

    def is_leaf(self) -> bool:
        return True

    def estimate_size(self, ixreader: Any) -> int:
        return int(ixreader.doc_count())

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        """Scan the segment's ``day`` column; every match scores ``boost``."""
        reader = searcher.reader()
        if not reader.doc_count_all() or not reader.has_column(DAY_COLUMN):
            return NullMatcher()
        first, last = self.first, self.last

        def documents() -> list[int]:
            days = cached(reader, DAY_COLUMN, lambda: reader.column_reader(DAY_COLUMN).load())
            ids = [doc for doc, day in enumerate(days) if first <= day <= last]
            if reader.has_deletions():
                ids = [doc for doc in ids if not reader.is_deleted(doc)]
            return ids

        ids = cached(reader, (DAY_COLUMN, first, last), documents)
        return SortedIds(ids, all_weights=self.boost) if ids else NullMatcher()


def use_day_column(query: Any) -> Any:
    """Replace ranges over the ``date`` field with :class:`DayRange` (for ``Query.accept``).

    The ``date`` field only parses queries; articles are found by the day
    column.  An article's date is midnight of its day, so a bound keeps the
    days whose midnight lies inside it (``{2024-01-01 TO`` starts on the 2nd).
    """
    from whoosh.util.times import long_to_datetime

    if not isinstance(query, NumericRange) or query.fieldname != "date":
        return query
    first = last = None
    if query.start is not None:
        start = long_to_datetime(query.start)
        day = start.date()
        after = _midnight(day) < start or (_midnight(day) == start and query.startexcl)
        first = day_number(day + dt.timedelta(days=1) if after else day)
    if query.end is not None:
        end = long_to_datetime(query.end)
        day = end.date()
        before = _midnight(day) == end and query.endexcl
        last = day_number(day - dt.timedelta(days=1) if before else day)
    return DayRange(first, last, boost=query.boost)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())

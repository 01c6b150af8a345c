"""Counts over every matching article: facets and coverage over time.

Both read per-article values from Whoosh columns for the full set of matches,
never just the page of hits shown, so the numbers add up to the total.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from searchkit.errors import QueryError

__all__ = [
    "FACETS",
    "MAX_BUCKETS",
    "PERIODS",
    "QUOTE_FACETS",
    "Timeline",
    "count_facets",
    "matching_docs",
    "timeline",
]

#: Facet name -> the column it is counted from.
FACETS = {
    "source": "outlet",
    "year": "day",
    "month": "day",
    "dateline": "place",
    "speaker": "speakers",
    "cue": "cues",
}
#: Columns holding a list per article (its speakers, its cues): it counts once under each.
LIST_COLUMNS = frozenset({"speakers", "cues"})
#: The facets of a quote search: each quote counts once.
QUOTE_FACETS = {"cue": "cue_lemma", "year": "day", "month": "day"}
PERIODS = ("day", "week", "month", "year")
Period = Literal["day", "week", "month", "year"]
#: Most periods a timeline shows: a longer span is counted by the next longer period.
MAX_BUCKETS = 1_000
UNKNOWN = "(unknown)"
UNDATED = "(undated)"
#: A quote with no reporting verb: a term, speech with no speaker named nearby, or
#: speech after a colon (``Kang: “…”``).
NO_CUE = "(no verb)"


def matching_docs(searcher: Any, query: Any) -> list[int]:
    """Return the document numbers of every article matching ``query``."""
    return sorted(searcher.docs_for_query(query))


def check_facets(names: Iterable[str], facets: Mapping[str, str] = FACETS) -> list[str]:
    """Return the facet names, or raise for one that is not among ``facets``."""
    names = [n.strip() for n in names if n.strip()]
    for name in names:
        if name not in facets:
            raise QueryError(f"unknown facet {name!r}; choose from {', '.join(facets)}")
    return names


def count_facets(
    searcher: Any,
    docs: Sequence[int],
    names: Iterable[str],
    facets: Mapping[str, str] = FACETS,
) -> dict[str, dict[str, int]]:
    """Count the matching documents per value of each facet, most frequent first.

    ``facets`` maps each facet to its column: :data:`FACETS` for articles,
    :data:`QUOTE_FACETS` for quotes.
    """
    reader = searcher.reader()
    counts: dict[str, dict[str, int]] = {}
    for name in check_facets(names, facets):
        column = reader.column_reader(facets[name])
        counter: Counter[str] = Counter()
        for value in _values(name, facets[name], (column[doc] for doc in docs)):
            counter[value] += 1
        ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        if name in ("year", "month"):
            ordered = sorted(counter.items(), key=lambda kv: (kv[0] == UNDATED, kv[0]))
        counts[name] = dict(ordered)
    return counts


def _values(name: str, column: str, raw: Iterable[Any]) -> Iterator[str]:
    for value in raw:
        if column in LIST_COLUMNS:
            yield from value or ()
        elif column == "cue_lemma":
            yield value.decode("utf-8") if value else NO_CUE
        elif name in ("year", "month"):
            if not value:
                yield UNDATED
            else:
                text = str(value)
                yield text[:4] if name == "year" else f"{text[:4]}-{text[4:6]}"
        else:
            yield value or UNKNOWN


@dataclass(frozen=True, slots=True)
class Timeline:
    """Matching articles per period, gaps filled with zeros, and the undated count.

    ``by`` is the period counted by; ``coarsened_from`` is the period asked
    for when the dates spanned more than :data:`MAX_BUCKETS` of it (else None).
    """

    by: str
    buckets: tuple[tuple[str, int], ...]
    undated: int = 0
    coarsened_from: str | None = None

    @property
    def total(self) -> int:
        return sum(count for _, count in self.buckets) + self.undated

    def to_dict(self) -> dict[str, object]:
        """Return the timeline as JSON-ready data."""
        return {
            "by": self.by,
            "buckets": [{"period": p, "count": c} for p, c in self.buckets],
            "undated": self.undated,
            "coarsened_from": self.coarsened_from,
        }

    def rows(self) -> list[dict[str, object]]:
        """Return one ``{"period", "count"}`` row per bucket, for tabular export."""
        return [{"period": p, "count": c} for p, c in self.buckets]


def timeline(searcher: Any, docs: Sequence[int], by: str = "month") -> Timeline:
    """Bucket the matching articles' dates by day, week (from Monday), month or year.

    When the dates span more than :data:`MAX_BUCKETS` periods, they are
    counted by the next longer period that fits; raises :class:`QueryError`
    when not even years do.
    """
    if by not in PERIODS:
        raise QueryError(f"unknown period {by!r}; use one of {', '.join(PERIODS)}")
    column = searcher.reader().column_reader("day")
    days: Counter[dt.date] = Counter()
    undated = 0
    for doc in docs:
        day = _date(column[doc])
        if day is None:
            undated += 1
        else:
            days[day] += 1
    if not days:
        return Timeline(by, (), undated)
    first, last = min(days), max(days)
    period = _fitting_period(first, last, by)
    counts: Counter[dt.date] = Counter()
    for day, count in days.items():
        counts[_period_start(day, period)] += count
    buckets = []
    current, end = min(counts), max(counts)
    while True:
        buckets.append((_label(current, period), counts.get(current, 0)))
        if current == end:
            break
        current = _next(current, period)
    return Timeline(period, tuple(buckets), undated, None if period == by else by)


def _date(value: int) -> dt.date | None:
    """Return the date of a day column value (YYYYMMDD), None when undated or impossible."""
    try:
        return dt.date(value // 10000, value // 100 % 100, value % 100) if value else None
    except ValueError:
        return None


def _fitting_period(first: dt.date, last: dt.date, by: str) -> str:
    """Return ``by``, or the first longer period that spans ``first``..``last`` in few buckets."""
    for period in PERIODS[PERIODS.index(by) :]:
        if _buckets(first, last, period) <= MAX_BUCKETS:
            return period
    raise QueryError(
        f"the matching articles are dated {first.isoformat()} to {last.isoformat()}, "
        f"more than {MAX_BUCKETS:,} years apart; narrow the dates with since/until "
        "(--since/--until)"
    )


def _buckets(first: dt.date, last: dt.date, by: str) -> int:
    """Return how many periods ``first``..``last`` touches."""
    if by == "year":
        return last.year - first.year + 1
    if by == "month":
        return (last.year - first.year) * 12 + last.month - first.month + 1
    length = 7 if by == "week" else 1
    return (_period_start(last, by) - _period_start(first, by)).days // length + 1


def _period_start(day: dt.date, by: str) -> dt.date:
    if by == "week":
        return day - dt.timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    if by == "year":
        return day.replace(month=1, day=1)
    return day


def _next(start: dt.date, by: str) -> dt.date:
    if by == "day":
        return start + dt.timedelta(days=1)
    if by == "week":
        return start + dt.timedelta(days=7)
    if by == "month":
        return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return dt.date(start.year + 1, 1, 1)


def _label(start: dt.date, by: str) -> str:
    if by == "month":
        return start.strftime("%Y-%m")
    if by == "year":
        return str(start.year)
    return start.isoformat()

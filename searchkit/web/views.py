"""What the templates draw, worked out in Python: timeline bars, marked article text, pages.

Pure functions of library results; the templates escape every string they are given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from searchkit import QuoteResults, Results
    from searchkit.web.params import _Query

__all__ = [
    "CHART_HEIGHT",
    "CHART_WIDTH",
    "MAX_BARS",
    "Bar",
    "Piece",
    "bars",
    "facet_links",
    "merge_years",
    "month_buckets",
    "page_count",
    "paragraphs",
]

#: The timeline's drawing size in SVG user units; CSS scales it to the page width.
CHART_WIDTH = 640
CHART_HEIGHT = 120
#: More bars than this are too thin to click: months are then counted by year.
MAX_BARS = 60
#: Bars are never wider than a twelfth of the chart: one period is a bar, not a wall.
MIN_SLOTS = 12
#: Values of each facet shown; the rest are counted in one line.
FACET_VALUES = 10
#: Fewer bars than this say little: a span of one or two months is counted by day.
FEW_BARS = 3


@dataclass(frozen=True, slots=True)
class Bar:
    """One period of a timeline as an SVG rectangle, linking to that period."""

    label: str
    count: int
    x: float
    y: float
    width: float
    height: float
    href: str


_MONTH = re.compile(r"(\d{4})-(\d{2})")


def month_buckets(months: Mapping[str, int]) -> tuple[list[tuple[str, int]], int]:
    """Turn a ``month`` facet into timeline buckets, gaps filled with zeros, and the undated.

    The search page has the facet already: this spares it a second query.
    """
    dated: dict[tuple[int, int], int] = {}
    undated = 0
    for label, count in months.items():
        match = _MONTH.fullmatch(label)
        if match and 1 <= int(match.group(2)) <= 12:
            dated[int(match.group(1)), int(match.group(2))] = count
        else:
            undated += count
    if not dated:
        return [], undated
    (year, month), last = min(dated), max(dated)
    buckets = []
    while (year, month) <= last:
        buckets.append((f"{year:04d}-{month:02d}", dated.get((year, month), 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return buckets, undated


def merge_years(buckets: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Sum month buckets (``2024-03``) into year buckets (``2024``)."""
    years: dict[str, int] = {}
    for label, count in buckets:
        years[label[:4]] = years.get(label[:4], 0) + count
    return list(years.items())


def period_span(label: str, by: str) -> tuple[str, str]:
    """Return the ``since`` and ``until`` filter values covering one timeline period.

    Year, month and day labels are filters as they are; a week is labelled by
    its first day and runs six days more.
    """
    if by == "week":
        first = dt.date.fromisoformat(label)
        return label, (first + dt.timedelta(days=6)).isoformat()
    return label, label


def bars(buckets: Sequence[tuple[str, int]], by: str, link: Callable[[str, str], str]) -> list[Bar]:
    """Lay out one bar per bucket, each linking (``link(since, until)``) to its period."""
    if not buckets:
        return []
    peak = max(count for _, count in buckets) or 1
    slot = CHART_WIDTH / max(len(buckets), MIN_SLOTS)
    left = (CHART_WIDTH - slot * len(buckets)) / 2
    gap = min(2.0, slot * 0.2)
    out = []
    for position, (label, count) in enumerate(buckets):
        height = CHART_HEIGHT * count / peak
        if count and height < 2:
            height = 2.0  # a period with articles is never invisible
        since, until = period_span(label, by)
        out.append(
            Bar(
                label=label,
                count=count,
                x=round(left + position * slot + gap / 2, 2),
                y=round(CHART_HEIGHT - height, 2),
                width=round(slot - gap, 2),
                height=round(height, 2),
                href=link(since, until),
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of article text: plain, or one quote (with its record from ``Index.article``)."""

    text: str
    quote: Mapping[str, Any] | None = None


def _quote_spans(body: str, quotes: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Return the quotes whose offsets point at their text, in order, overlaps left out."""
    placed = [
        q
        for q in quotes
        if isinstance(q.get("start"), int)
        and isinstance(q.get("end"), int)
        and 0 <= q["start"] < q["end"] <= len(body)
    ]
    spans: list[Mapping[str, Any]] = []
    end = 0
    for quote in sorted(placed, key=lambda q: (q["start"], -q["end"])):
        if quote["start"] >= end:
            spans.append(quote)
            end = quote["end"]
    return spans


def paragraphs(body: str, quotes: Iterable[Mapping[str, Any]]) -> list[list[Piece]]:
    """Split an article body into paragraphs of pieces, each quote its own piece.

    A quote that runs over a paragraph break is split into one piece per paragraph.
    """
    pieces: list[Piece] = []
    position = 0
    for quote in _quote_spans(body, quotes):
        if quote["start"] > position:
            pieces.append(Piece(body[position : quote["start"]]))
        pieces.append(Piece(body[quote["start"] : quote["end"]], quote))
        position = quote["end"]
    if position < len(body):
        pieces.append(Piece(body[position:]))
    out: list[list[Piece]] = [[]]
    for piece in pieces:
        parts = piece.text.replace("\r\n", "\n").split("\n\n")
        for number, part in enumerate(parts):
            if number:
                out.append([])
            if part.strip():
                out[-1].append(Piece(part, piece.quote))
    return [paragraph for paragraph in out if paragraph]


def page_count(total: int, per_page: int) -> int:
    """Return how many pages ``total`` results fill (at least one)."""
    return max(1, -(-total // per_page))


def facet_links(results: Results | QuoteResults, query: _Query) -> list[dict[str, Any]]:
    """Return each facet's top values with a link that filters on the value (or removes it).

    Reporting verbs (the cue facet) are counted, not filtered on: no query field holds them.
    """
    out = []
    for name, counts in results.facets.items():
        values = []
        for value, count in list(counts.items())[:FACET_VALUES]:
            active = False
            href: str | None = None
            if value.startswith("(") or name == "cue":  # "(undated)", "(unknown)": no filter
                pass
            elif name == "source":
                active = value in query.source
                href = query.without_source(value) if active else query.with_source(value)
            elif name in ("year", "month"):
                active = query.since == value and query.until == value
                href = (
                    query.link(since="", until="")
                    if active
                    else query.link(since=value, until=value)
                )
            elif not query.plain and '"' not in value:
                clause = f'{name}:"{value}"'
                active = clause in query.q
                href = None if active else query.link(q=f"{query.q} {clause}")
            values.append({"value": value, "count": count, "href": href, "active": active})
        more = sum(list(counts.values())[FACET_VALUES:])
        out.append({"name": name, "values": values, "more": more})
    return out

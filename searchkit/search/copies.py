"""Collapsing wire copies: one result per group of near-duplicate articles.

The groups are made when the index is written (:mod:`searchkit.index.copies`).
A query collapses the matching members of a group to the earliest of them
(undated last, then by id), listing the others as its :class:`Copy` records;
the group takes the place of its best-ranked member.  Facets and timelines
count each group once, as its earliest matching article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from searchkit.engine.collector import ExactTop, by_article_id
from searchkit.errors import QueryError

__all__ = ["Copy", "CopyGroups", "Unit", "collapsed_page"]


@dataclass(frozen=True, slots=True)
class Copy:
    """Another printing of a hit's article: a wire copy in another outlet or on another day."""

    id: str
    source: str | None
    date: dt.date | None

    def to_dict(self) -> dict[str, object]:
        """Return the copy as JSON-ready data."""
        return {
            "id": self.id,
            "source": self.source,
            "date": self.date.isoformat() if self.date else None,
        }


@dataclass(frozen=True, slots=True)
class Unit:
    """One collapsed result: the article shown, its rank score, and its other copies."""

    docnum: int
    score: float
    copies: tuple[int, ...]


class CopyGroups:
    """An index's groups of copies, by document number."""

    def __init__(self, searcher: Any, groups: Iterable[Sequence[str]]) -> None:
        self._searcher = searcher
        self._group: dict[int, int] = {}
        for number, members in enumerate(groups):
            for article_id in members:
                docnum = searcher.document_number(id=article_id)
                if docnum is not None:
                    self._group[docnum] = number
        reader = searcher.reader()
        has_columns = bool(self._group) and reader.doc_count_all()
        self._days = reader.column_reader("day") if has_columns else None
        self._ids = reader.column_reader("id") if has_columns else None

    def __bool__(self) -> bool:
        return bool(self._group)

    def key(self, docnum: int) -> int:
        """Return the unit a document belongs to: its group, or itself alone."""
        return self._group.get(docnum, -1 - docnum)

    def _earliest(self, docnum: int) -> tuple[bool, int, str]:
        assert self._days is not None and self._ids is not None
        day = self._days[docnum]
        return (not day, day, self._ids[docnum])

    def units(self, docs: Iterable[int]) -> dict[int, list[int]]:
        """Return the matching members of each unit, earliest first."""
        units: dict[int, list[int]] = {}
        for docnum in docs:
            units.setdefault(self.key(docnum), []).append(docnum)
        for members in units.values():
            if len(members) > 1:
                members.sort(key=self._earliest)
        return units

    def collapse(self, docs: Iterable[int]) -> list[int]:
        """Return the earliest matching article of each unit, in document order."""
        if not self:
            return list(docs)
        return sorted(members[0] for members in self.units(docs).values())

    def copy_records(self, docnums: Sequence[int]) -> tuple[Copy, ...]:
        """Return the :class:`Copy` records of ``docnums``, from the index's columns."""
        if not docnums:
            return ()
        reader = self._searcher.reader()
        outlets = reader.column_reader("outlet")
        assert self._ids is not None and self._days is not None
        return tuple(Copy(self._ids[d], outlets[d] or None, _date(self._days[d])) for d in docnums)


def collapsed_page(
    searcher: Any,
    query: Any,
    groups: CopyGroups,
    docs: Sequence[int],
    page: int,
    limit: int,
    *,
    by_date: bool = False,
) -> list[Unit]:
    """Return one page of collapsed results for the matches ``docs`` of ``query``.

    Ranking keeps ``page * limit`` documents plus one for every match that a
    group swallows, which is enough for ``page * limit`` units: only the
    matches are ranked, never the whole collection.
    """
    units = groups.units(docs)
    if page > 1 and (page - 1) * limit >= len(units):
        raise QueryError(f"page {page} is past the last page of {len(units)} hits")
    swallowed = len(docs) - len(units)
    collector = ExactTop(page * limit + swallowed, by_article_id, by_day=by_date)
    searcher.search_with_collector(query, collector)
    seen: set[int] = set()
    ranked: list[Unit] = []
    for score, docnum in collector.results().top_n:
        key = groups.key(docnum)
        if key in seen:
            continue
        seen.add(key)
        members = units[key]
        ranked.append(Unit(members[0], float(score or 0.0), tuple(members[1:])))
    return ranked[(page - 1) * limit : page * limit]


def _date(day: int) -> dt.date | None:
    try:
        return dt.date(day // 10000, day // 100 % 100, day % 100) if day else None
    except ValueError:
        return None

"""Collapsing wire copies: one result per group of near-duplicate articles.

The groups are made when the index is written (:mod:`searchkit.index.copies`).
A query collapses the matching members of a group to the earliest of them
(undated last, then by id), listing the others as its :class:`Copy` records;
the group takes the place of its best-ranked member.  Facets and timelines
count each group once, as its earliest matching article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from searchkit.engine.collector import ExactTop, by_article_id
from searchkit.errors import QueryError

__all__ = ["Copy", "CopyGroups", "Rerank", "Unit", "collapsed_page"]

#: Reorders ``(score, docnum)`` pairs, best first (proximity rescoring).
Rerank = Callable[[list[tuple[float, int]]], list[tuple[float, int]]]


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
        sizes: dict[int, int] = {}
        wanted = {
            article_id: number for number, members in enumerate(groups) for article_id in members
        }
        reader = searcher.reader()
        if wanted and reader.doc_count_all():
            # One pass over the id column finds every member: a lookup per member
            # costs a term seek each, seconds for the 50,000 grouped articles of 100k.
            # A replaced article keeps its old, deleted document beside the new one.
            deletions = reader.has_deletions()
            for docnum, article_id in enumerate(reader.column_reader("id")):
                number = wanted.get(article_id)
                if number is not None and not (deletions and reader.is_deleted(docnum)):
                    self._group[docnum] = number
                    sizes[number] = sizes.get(number, 0) + 1
        #: The most matches collapsing can take away: every member of a group but one.
        self.swallowable = sum(size - 1 for size in sizes.values())
        has_columns = bool(self._group) and reader.doc_count_all()
        self._days = reader.column_reader("day") if has_columns else None
        self._ids = reader.column_reader("id") if has_columns else None
        self._outlets = reader.column_reader("outlet") if has_columns else None

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
        assert self._ids is not None and self._days is not None and self._outlets is not None
        ids, days, outlets = self._ids, self._days, self._outlets
        return tuple(Copy(ids[d], outlets[d] or None, _date(days[d])) for d in docnums)


def collapsed_page(
    searcher: Any,
    query: Any,
    groups: CopyGroups,
    page: int,
    limit: int,
    *,
    by_date: bool = False,
    rerank: Rerank | None = None,
    depth: int = 0,
) -> tuple[list[Unit], list[int], list[int]]:
    """Return one page of collapsed results, every match of ``query``, and one per unit.

    One pass ranks and lists the matches, keeping twice the documents a page
    needs; only when copies took so many of those that the page is short is
    there a second pass, keeping one more document for every match a group
    swallowed.  The whole collection is never scanned.  ``rerank`` reorders
    the best ``depth`` (at least) ranked documents before they are collapsed.
    """
    wanted = page * limit
    collector = ExactTop(
        max(wanted + min(wanted, groups.swallowable), depth),
        by_article_id,
        by_day=by_date,
        record=True,
    )
    searcher.search_with_collector(query, collector)
    docs = sorted(collector.matched or ())
    units = groups.units(docs)
    if page > 1 and (page - 1) * limit >= len(units):
        raise QueryError(f"page {page} is past the last page of {len(units)} hits")
    kept = sorted(members[0] for members in units.values())
    ranked = _ranked_units(_top(collector, rerank), groups, units)
    if len(ranked) < min(wanted, len(units)):
        keep = max(wanted + len(docs) - len(units), depth)
        collector = ExactTop(keep, by_article_id, by_day=by_date)
        searcher.search_with_collector(query, collector)
        ranked = _ranked_units(_top(collector, rerank), groups, units)
    return ranked[(page - 1) * limit : wanted], docs, kept


def _top(collector: ExactTop, rerank: Rerank | None) -> Sequence[tuple[Any, int]]:
    top = collector.results().top_n
    return rerank([(float(score), docnum) for score, docnum in top]) if rerank else top


def _ranked_units(
    top: Sequence[tuple[Any, int]], groups: CopyGroups, units: dict[int, list[int]]
) -> list[Unit]:
    """Return the units in the order their best-ranked matches come in ``top``."""
    seen: set[int] = set()
    ranked: list[Unit] = []
    for score, docnum in top:
        key = groups.key(docnum)
        if key in seen:
            continue
        seen.add(key)
        members = units[key]
        ranked.append(Unit(members[0], float(score or 0.0), tuple(members[1:])))
    return ranked


def _date(day: int) -> dt.date | None:
    try:
        return dt.date(day // 10000, day // 100 % 100, day % 100) if day else None
    except ValueError:
        return None

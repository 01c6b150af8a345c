"""Matchers that list their documents up front, and the queries built on them.

Whoosh's matchers step through postings one document at a time, which in
Python costs more than the arithmetic of scoring.  searchkit's bare words and
phrases (:mod:`searchkit.engine.ranking`), outlet filters and date ranges
(:mod:`searchkit.engine.days`) list their matching documents at once instead; an
:class:`AllOf` intersects such lists as sets, and a collector can take all
their scores in one call (:meth:`SortedIds.remaining`).  Each behaves as the
Whoosh matcher it replaces: ``tests/test_ranking.py`` compares them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

from whoosh import matching
from whoosh.query import And, ConstantScoreQuery, Or

from searchkit.engine.codec import cached

__all__ = ["AllOf", "AnyOf", "SortedIds", "Unscored"]


class SortedIds(matching.ListMatcher):  # type: ignore[misc]
    """Whoosh's ``ListMatcher``, skipping by bisection rather than one id at a time."""

    _i: int
    _ids: Sequence[int]

    @property
    def ids(self) -> Sequence[int]:
        """All the documents, in order."""
        return self._ids

    def skip_to(self, id: int) -> None:
        if not self.is_active():
            raise matching.ReadTooFar
        self._i = bisect_left(self._ids, id, self._i)

    def scores_for(self, ids: Sequence[int]) -> list[float]:
        """Return the scores of some of this matcher's documents, as ``score()`` would."""
        if self._all_weights:
            return [float(self._all_weights)] * len(ids)
        if self._weights:
            weights = dict(zip(self._ids, self._weights, strict=True))
            return [float(weights[docnum]) for docnum in ids]
        return [1.0] * len(ids)

    def remaining(self) -> tuple[Sequence[int], list[float]]:
        """Return the documents from the current one on, and their scores, all at once."""
        ids = self._ids[self._i :]
        return ids, self.scores_for(ids)


class AllOf(And):  # type: ignore[misc]
    """Whoosh's ``And``, intersecting listed clauses as sets.

    Bare words and phrases (``FieldsTerm``, ``FieldsPhrase``: their
    ``listed(searcher, within)`` reads only the postings blocks that can hold
    the rarest clause's documents), outlet filters and date ranges list
    their documents up front, so their intersection is one set operation
    instead of a Python-level leapfrog through every candidate; each shared
    document is then scored as Whoosh's intersection scores it, by the sum
    of its clauses' scores.  Any other clause (a field phrase, a ``NOT``)
    is intersected the usual way.
    """

    def _matcher(self, subs: list[Any], searcher: Any, context: Any) -> Any:
        # Words and phrases go rarest first; each after the first reads only the
        # postings blocks that can hold the rarest one's documents.
        reader = searcher.reader()
        found: dict[int, Any] = {}
        within: Sequence[int] | None = None
        for place in sorted(range(len(subs)), key=lambda n: subs[n].estimate_size(reader)):
            query = subs[place]
            list_within = getattr(query, "listed", None)  # FieldsTerm, FieldsPhrase
            if list_within is not None:
                matcher = list_within(searcher, within)
                if within is None and isinstance(matcher, SortedIds):
                    within = matcher.ids
            else:
                matcher = query.matcher(searcher, context)
            if not matcher.is_active():
                return matching.NullMatcher()
            found[place] = matcher
        # Scores add up in the query's order, not the segment's rarest-first
        # order, so a sum is the same to the last bit however the index is split.
        matchers = [found[place] for place in range(len(subs))]
        listed = [m for m in matchers if isinstance(m, SortedIds)]
        if len(listed) > 1:
            smallest = min(listed, key=lambda m: len(m.ids))
            common = set(smallest.ids).intersection(*(m.ids for m in listed if m is not smallest))
            if not common:
                return matching.NullMatcher()
            both = _Shared(sorted(common), listed)
            matchers = [both] + [m for m in matchers if not isinstance(m, SortedIds)]
        combined = matchers[0]
        for other in matchers[1:]:
            combined = matching.IntersectionMatcher(combined, other)
        return combined if self.boost == 1.0 else matching.WrappingMatcher(combined, self.boost)


class AnyOf(Or):  # type: ignore[misc]
    """Whoosh's ``Or``, adding up listed clauses' scores in bulk.

    Whoosh's union steps every clause one posting at a time and asks each for
    its score; a long question of common words (a pasted sentence) spends
    most of its time there.  When every clause lists its documents (bare
    words: ``FieldsTerm``), each clause's scores are taken in one call and
    added up per document, in clause order, as Whoosh's ``ArrayUnionMatcher``
    adds them; the union is then one listed matcher, which the collector
    ranks in one pass with an exact total.  Any other clause falls back to
    Whoosh's union.

    ``coordination`` (0 by default: none) multiplies a document's score by
    the share of the clauses it matches to that power, as Lucene's classic
    ``coord``: for pasted text, where the article it comes from has every word.
    """

    def __init__(self, subqueries: list[Any], boost: float = 1.0, coordination: float = 0.0):
        super().__init__(subqueries, boost=boost)
        self.coordination = coordination

    def apply(self, fn: Any) -> Any:
        """Rebuild with ``fn`` applied to each clause (``accept``), keeping ``coordination``."""
        return AnyOf([fn(q) for q in self.subqueries], self.boost, self.coordination)

    def normalize(self) -> Any:
        """Normalise as Whoosh's ``Or`` does, keeping ``coordination``."""
        query = super().normalize()
        if isinstance(query, AnyOf):
            query.coordination = self.coordination
        return query

    def _matcher(self, subs: list[Any], searcher: Any, context: Any) -> Any:
        matchers = [query.matcher(searcher, context) for query in subs]
        if not all(isinstance(m, SortedIds | matching.NullMatcherClass) for m in matchers):
            return super()._matcher(subs, searcher, context)
        totals: dict[int, float] = {}
        counts: dict[int, int] = {}
        boost = self.boost
        for matcher in matchers:
            if not matcher.is_active():
                continue
            ids = matcher.ids
            get = totals.get
            for docnum, score in zip(ids, matcher.scores_for(ids), strict=True):
                totals[docnum] = get(docnum, 0.0) + score * boost
            if self.coordination:
                for docnum in ids:
                    counts[docnum] = counts.get(docnum, 0) + 1
        ids = sorted(docnum for docnum, total in totals.items() if total > 0)
        if not ids:
            return matching.NullMatcher()
        if self.coordination:
            power, clauses = self.coordination, len(matchers)
            return SortedIds(ids, weights=[totals[d] * (counts[d] / clauses) ** power for d in ids])
        return SortedIds(ids, weights=[totals[docnum] for docnum in ids])


class _Shared(SortedIds):
    """The documents several listed matchers share, scored by the sum of their scores."""

    def __init__(self, ids: Sequence[int], parts: list[SortedIds]) -> None:
        super().__init__(ids)
        self._parts = parts

    def copy(self) -> _Shared:
        other = _Shared(self._ids, [part.copy() for part in self._parts])
        other._i = self._i
        return other

    def supports(self, astype: str) -> bool:
        return False

    def score(self) -> float:
        docnum = self._ids[self._i]
        total = 0.0
        for part in self._parts:
            part.skip_to(docnum)
            total += part.score()
        return total

    def weight(self) -> float:
        return self.score()

    def scores_for(self, ids: Sequence[int]) -> list[float]:
        totals = [0.0] * len(ids)
        for part in self._parts:
            totals = [total + s for total, s in zip(totals, part.scores_for(ids), strict=True)]
        return totals

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return float(sum(part.max_quality() for part in self._parts))

    def block_quality(self) -> float:
        return self.max_quality()


class Unscored(ConstantScoreQuery):  # type: ignore[misc]
    """A clause that selects without ranking: every match scores the same.

    Whoosh's ``ConstantScoreQuery`` lists every document the clause matches
    on every query, which for ``source:reuters`` is 90% of the news corpus.
    This one lists them once per segment and keeps the list (see
    :func:`~searchkit.engine.codec.cached`): outlet and dateline filters repeat.
    """

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        """Return the clause's documents, each scoring ``self.score``."""

        def documents() -> list[int]:
            return list(self.child.matcher(searcher, context).all_ids())

        ids = cached(searcher.reader(), ("documents", self.child), documents)
        return SortedIds(ids, all_weights=self.score) if ids else matching.NullMatcher()

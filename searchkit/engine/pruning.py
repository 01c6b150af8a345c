"""Top-k without scoring every match: MaxScore over the words of a passage.

A pasted sentence is a union of a dozen words, several of them common; an
exact ranking reads and scores every posting of every word.  When the caller
does not need an exact total, :func:`top_candidates` ranks the words by the
most any document can score with each (from the segment's term statistics:
the word's largest frequency and the shortest field it occurs in, as Lucene's
MaxScore does) and reads them best first.  Once the words left to read
cannot lift a document it has not seen above the ``k``-th best score it has
(Turtle and Flood's MaxScore, with coordination: a document seen nowhere yet
can match at most the words left), the rest are read only in the postings
blocks that hold a candidate, and a candidate is dropped as soon as even the
best case of the words left cannot lift it that high.

What is left are the documents that can reach the top ``k`` (or tie with
its last), scored exactly as :class:`~searchkit.engine.listing.AnyOf` scores
them, to the last bit: ``tests/test_pruning.py`` compares the pages.  How
many documents match is then estimated (:class:`Candidates`).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from operator import mul
from typing import Any

from searchkit.engine.listing import AnyOf, SortedIds
from searchkit.engine.ranking import FieldsTerm

__all__ = ["Candidates", "TopOf", "top_candidates"]

#: A bound must beat the threshold by this share before a document is dropped,
#: so that rounding (sums added in another order) never drops a tie.
SLACK = 1e-9


class Candidates(SortedIds):
    """The documents that can reach the top ``k``, and an estimate of how many match."""

    def __init__(self, ids: Sequence[int], weights: Sequence[float], estimated_total: int):
        super().__init__(ids, weights=weights)
        #: Every document seen, plus an estimate of those matching only words read in part.
        self.estimated_total = estimated_total


class TopOf(AnyOf):
    """An :class:`~searchkit.engine.listing.AnyOf` that scores only what can reach its top ``k``.

    Its matcher lists fewer documents than ``AnyOf``'s, with the same scores;
    any clause other than a bare word falls back to ``AnyOf``.
    """

    def __init__(
        self, subqueries: list[Any], boost: float = 1.0, coordination: float = 0.0, k: int = 10
    ) -> None:
        super().__init__(subqueries, boost=boost, coordination=coordination)
        self.k = k

    @classmethod
    def of(cls, query: AnyOf, k: int) -> TopOf:
        """Return ``query`` keeping its top ``k`` only."""
        return cls(list(query.subqueries), query.boost, query.coordination, k=k)

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and getattr(other, "k", None) == self.k

    def __hash__(self) -> int:
        return hash((super().__hash__(), self.k))

    def apply(self, fn: Any) -> Any:
        """Rebuild with ``fn`` applied to each clause, keeping ``k`` and ``coordination``."""
        return TopOf([fn(q) for q in self.subqueries], self.boost, self.coordination, k=self.k)

    def normalize(self) -> Any:
        """Normalise as ``AnyOf`` does, keeping ``k``."""
        query = super().normalize()
        if isinstance(query, AnyOf):
            return TopOf.of(query, self.k)
        return query

    def _matcher(self, subs: list[Any], searcher: Any, context: Any) -> Any:
        if not subs or not all(type(query) is FieldsTerm for query in subs):
            return super()._matcher(subs, searcher, context)
        return top_candidates(
            searcher, subs, self.k, boost=self.boost, coordination=self.coordination
        )


def top_candidates(
    searcher: Any,
    clauses: Sequence[Any],
    k: int,
    *,
    boost: float = 1.0,
    coordination: float = 0.0,
) -> Any:
    """Return the documents of a union of ``FieldsTerm`` clauses that can reach the top ``k``.

    Scores are ``AnyOf``'s: the clauses' scores times ``boost``, added in
    clause order, times (share of clauses matched) ** ``coordination``.
    Returns a :class:`Candidates`, or the exact union's matcher (a
    ``SortedIds``) when nothing could be skipped.
    """
    count = len(clauses)
    bounds = [clause.upper_bound(searcher) * boost for clause in clauses]
    order = sorted(range(count), key=lambda n: -bounds[n])

    def coord(matched: int) -> float:
        return (min(matched, count) / count) ** coordination if coordination else 1.0

    scores: list[dict[int, float]] = [{} for _ in clauses]
    partial: dict[int, float] = {}
    matched: dict[int, int] = {}
    left = sum(bounds)
    position = 0
    # Read whole words, best first, until no document unseen can reach the top k.
    while position < count:
        place = order[position]
        position += 1
        left -= bounds[place]
        matcher = clauses[place].listed(searcher)
        if not matcher.is_active():
            continue
        ids = matcher.ids
        found = scores[place] = dict(zip(ids, matcher.scores_for(ids), strict=True))
        for docnum, score in found.items():
            partial[docnum] = partial.get(docnum, 0.0) + score * boost
            matched[docnum] = matched.get(docnum, 0) + 1
        threshold = _kth(partial, matched, coord, k)
        if _below(max(left, 0.0) * coord(count - position), threshold):
            break
    else:
        return _exact(scores, boost, coord)
    seen = len(partial)
    candidates = set(partial)
    for step, place in enumerate(order[position:]):
        unread = count - position - step
        candidates = _drop(candidates, partial, matched, left, unread, coord, threshold)
        if not candidates:
            break
        matcher = clauses[place].listed(searcher, sorted(candidates))
        left -= bounds[place]
        if not matcher.is_active():
            continue
        wanted = [docnum for docnum in matcher.ids if docnum in candidates]
        found = scores[place] = dict(zip(wanted, matcher.scores_for(wanted), strict=True))
        for docnum, score in found.items():
            partial[docnum] += score * boost
            matched[docnum] += 1
        threshold = max(threshold, _kth(partial, matched, coord, k))
    kept = sorted(candidates)
    weights = _scores(kept, scores, boost, coord)
    estimate = _estimate(searcher, [clauses[place] for place in order[position:]], seen)
    return Candidates(kept, weights, estimate)


def _kth(
    partial: dict[int, float], matched: dict[int, int], coord: Callable[[int], float], k: int
) -> float:
    """Return the ``k``-th best score the documents seen are sure to reach (0 with fewer)."""
    if len(partial) < k:
        return 0.0
    # Both maps took their keys in the same order, so their values pair up.
    shares = [coord(n) for n in range(max(matched.values()) + 1)]
    products = map(mul, partial.values(), map(shares.__getitem__, matched.values()))
    least: float = heapq.nlargest(k, products)[-1]
    return least


def _below(bound: float, threshold: float) -> bool:
    """Tell whether a best case stays under the threshold, with room for rounding."""
    return threshold > 0 and bound * (1 + SLACK) < threshold


def _drop(
    candidates: set[int],
    partial: dict[int, float],
    matched: dict[int, int],
    left: float,
    unread: int,
    coord: Callable[[int], float],
    threshold: float,
) -> set[int]:
    """Keep the candidates whose best case (every word left, at its best) reaches the threshold.

    This is :func:`_below` inlined, with the coordination factors looked up
    (the same products, so the same documents are kept).
    """
    if threshold <= 0:
        return candidates
    shares = [coord(n) for n in range(max(matched.values()) + unread + 1)]
    factor = 1 + SLACK
    return {
        d
        for d in candidates
        if not (partial[d] + left) * shares[matched[d] + unread] * factor < threshold
    }


def _scores(
    ids: Sequence[int], scores: list[dict[int, float]], boost: float, coord: Callable[[int], float]
) -> list[float]:
    """Score documents as ``AnyOf`` does: clause by clause in the query's order."""
    weights = []
    for docnum in ids:
        total = 0.0
        matched = 0
        for found in scores:
            score = found.get(docnum)
            if score is not None:
                total = total + score * boost
                matched += 1
        weights.append(total * coord(matched))
    return weights


def _exact(scores: list[dict[int, float]], boost: float, coord: Callable[[int], float]) -> Any:
    """Return every document of the union, each scored (nothing was skipped)."""
    from whoosh import matching

    ids = sorted(set().union(*scores))
    weights = _scores(ids, scores, boost, coord)
    kept = [(d, w) for d, w in zip(ids, weights, strict=True) if w > 0]
    if not kept:
        return matching.NullMatcher()
    return SortedIds([d for d, _ in kept], weights=[w for _, w in kept])


def _estimate(searcher: Any, unread: Sequence[Any], seen: int) -> int:
    """Estimate how many documents match: those seen, and a share of the rest.

    The words read in part are taken as independent of the ones read whole:
    a document unseen has none of them with the chance that each leaves it out.
    """
    documents: int = searcher.reader().doc_count()
    if not documents:
        return seen
    missing = 1.0
    for clause in unread:
        missing *= 1 - min(clause.estimate_size(searcher.reader()), documents) / documents
    return seen + round((documents - seen) * (1 - missing))

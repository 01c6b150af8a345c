"""Proximity: rescoring the best matches of pasted text by how close its words stand.

BM25F does not see word order: an article with every word of a pasted
sentence scattered over twenty paragraphs scores as the one that printed the
sentence.  As Lucene and Elasticsearch rescore a query's top hits with a
sloppy ``match_phrase``, the top :data:`RESCORE_DEPTH` matches are rescored
from the body positions searchkit stores: for each pair of neighbouring
words of the passage, does the article have them in the same order, at
most :data:`SLOP` words further apart (the ordered window of Metzler and
Croft's sequential dependence model)?  The share of pairs found raises the
score by up to :data:`PROXIMITY_WEIGHT` of itself.  An unordered window was
tried too: it lifted articles that happen to use remembered words together
and cost more than it gained.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

from searchkit.engine.codec import postings_blocks
from searchkit.engine.formats import position_decoder

__all__ = ["PROXIMITY_WEIGHT", "RESCORE_DEPTH", "SLOP", "rescore", "word_sequence"]

#: How many of the best matches are rescored (Elasticsearch's ``window_size``): three pages of
#: ten keep their order from page to page.  On ``passages.py --docs 2000 --seed 17``, nDCG@10
#: 0.930 rescoring 10, 0.928 rescoring 30 or 100; deeper costs time.
RESCORE_DEPTH = 30
#: How much a score can grow when every neighbouring pair of words is found close together.
#: Chosen with ``benchmarks/passages.py --docs 2000 --seed 17``: nDCG@10 0.923 without,
#: 0.928 at 0.25 (slop 3), 0.925 at 0.5, 0.921 at 1, 0.919 at 2; exact order only (slop 0):
#: 0.926 at 0.25.
PROXIMITY_WEIGHT = 0.25
#: A pair of words counts as found this many words further apart than in the passage, at most
#: (Lucene's phrase slop, counted in one direction): a word inserted, a name spelt out.
SLOP = 3
#: The field whose positions are read.
FIELD = "body"

Positions = dict[str, list[int]]


def word_sequence(schema: Any, text: str) -> list[tuple[str, int]]:
    """Return the passage's searched words (stems) with their positions, as the body has them."""
    analyzer = schema[FIELD].analyzer
    return [(token.text, token.pos) for token in analyzer(text, positions=True, mode="query")]


def rescore(
    searcher: Any, sequence: Sequence[tuple[str, int]], ranked: Sequence[tuple[float, int]]
) -> list[tuple[float, int]]:
    """Return ``(score, docnum)`` pairs with each score raised by its proximity, best first.

    Ties keep the order of ``ranked`` (the collector's: by article id).
    """
    pairs = [
        (first, second, after - before)
        for (first, before), (second, after) in pairwise(sequence)
        if first != second
    ]
    if not pairs or not ranked:
        return list(ranked)
    found = _body_positions(searcher, {word for word, _ in sequence}, [d for _, d in ranked])
    rescored = [
        (score * (1 + PROXIMITY_WEIGHT * nearness(found.get(docnum, {}), pairs)), docnum)
        for score, docnum in ranked
    ]
    return sorted(rescored, key=lambda pair: -pair[0])


def nearness(positions: Positions, pairs: Sequence[tuple[str, str, int]]) -> float:
    """Return the share of word pairs found in order, at most :data:`SLOP` words further apart."""
    found = 0
    for first, second, gap in pairs:
        before, after = positions.get(first), positions.get(second)
        if before and after:
            found += _follows(before, after, gap, gap + SLOP)
    return found / len(pairs)


def _follows(left: list[int], right: list[int], least: int, most: int) -> bool:
    """Tell whether a position in sorted ``right`` is least to most after one in ``left``."""
    for position in left:
        place = bisect_left(right, position + least)
        if place < len(right) and right[place] <= position + most:
            return True
    return False


def _body_positions(
    searcher: Any, words: Iterable[str], docnums: Sequence[int]
) -> dict[int, Positions]:
    """Read the body positions of ``words`` in the documents ``docnums`` only."""
    found: dict[int, Positions] = {}
    field = searcher.schema[FIELD]
    decode = position_decoder(field.format)
    texts = [(word, field.to_bytes(word)) for word in words]
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        end = offset + reader.doc_count_all()
        local = sorted(d - offset for d in docnums if offset <= d < end)
        if not local:
            continue
        for word, text in texts:
            if (FIELD, text) not in reader:
                continue
            postings = reader.postings(FIELD, text)
            for ids, values in postings_blocks(postings, values=True, within=local):
                # A block holds up to 128 postings, a few of them wanted: find those.
                first = bisect_left(local, ids[0])
                for docnum in local[first : bisect_right(local, ids[-1], first)]:
                    place = bisect_left(ids, docnum)
                    if ids[place] == docnum:
                        found.setdefault(docnum + offset, {})[word] = list(decode(values[place]))
    return found

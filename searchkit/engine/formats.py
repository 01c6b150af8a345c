"""Whoosh postings formats searchkit writes its text fields with."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import accumulate
from operator import sub
from pickle import dumps
from typing import Any

from whoosh.formats import Positions
from whoosh.system import _INT_SIZE, pack_uint

from searchkit.analysis.analyzers import stop_word_places, word_places
from searchkit.engine.unpickling import loads

__all__ = ["OnePassPositions", "decode_positions", "position_decoder"]


class OnePassPositions(Positions):  # type: ignore[misc]
    """Whoosh's ``Positions`` postings format, gathering a field's words in one pass.

    Whoosh's ``word_values`` runs the analyzer through two more generators
    and keeps a separate weight per word; a word's weight is its count when
    tokens carry no boost (searchkit's analyzers give none).  The postings it
    yields, in the same order, are identical.
    """

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Any:
        if not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        gathered = None if kwargs.keys() - {"mode"} else word_places(analyzer, value)
        if gathered is None:
            gathered = stop_word_places(analyzer, value)
        if gathered is not None:
            for word, where in gathered.items():
                yield word, len(where), len(where) * self.field_boost, self.encode(where)
            return
        kwargs["positions"] = True
        kwargs["boosts"] = True
        positions: dict[str, list[int]] = {}
        boosts: dict[str, float] = {}
        for token in analyzer(value, **kwargs):
            if token.stopped:
                continue
            found = positions.get(token.text)
            if found is None:
                positions[token.text] = [token.pos]
            else:
                found.append(token.pos)
            if token.boost != 1.0:
                boosts[token.text] = boosts.get(token.text, 0.0) + token.boost - 1.0
        boost = self.field_boost
        for word, places in positions.items():
            weight = (len(places) + boosts.get(word, 0.0)) * boost
            yield word, len(places), weight, self.encode(places)

    def encode(self, poslist: list[int]) -> bytes:
        """Encode positions as ``Positions.encode`` does (the same bytes), without its loop."""
        deltas = [poslist[0], *map(sub, poslist[1:], poslist)] if len(poslist) > 1 else poslist
        return bytes(pack_uint(len(deltas)) + dumps(deltas, 2))


def decode_positions(encoded: bytes) -> Iterable[int]:
    """Decode a posting's positions as Whoosh's ``Positions.decode_positions`` does, in C.

    The value is a count, then the pickled gaps between positions; Whoosh may
    drop the pickle's final stop byte, and adds the positions up in a Python loop.
    """
    gaps = encoded[_INT_SIZE:]
    return accumulate(loads(gaps if gaps.endswith(b".") else gaps + b"."))


def position_decoder(postings_format: Any) -> Callable[[bytes], Iterable[int]]:
    """Return how to read a field's positions: :func:`decode_positions` for ours."""
    if type(postings_format) is OnePassPositions:
        return decode_positions
    return postings_format.decode_positions  # type: ignore[no-any-return]

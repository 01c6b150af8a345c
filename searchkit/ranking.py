"""How hits are scored: the BM25F weighting model and the field boosts.

Kept apart from query parsing so that ranking can be tuned (and measured with
``benchmarks/relevance.py``) in one place.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ANY_MATCH_BONUS", "FIELD_BOOSTS", "weighting"]

#: Fields a bare query word searches, with their boosts: a word in the
#: headline or in quoted speech says more about an article than one in passing.
FIELD_BOOSTS = {"title": 2.0, "quotes": 1.5, "body": 1.0}
#: How much an "any"-match query rewards matching more of its terms (Whoosh OrGroup factor).
ANY_MATCH_BONUS = 0.9
#: BM25 saturation and length normalisation (Robertson's defaults).
K1 = 1.2
B = 0.75


def weighting() -> Any:
    """Return the Whoosh weighting model searchers use."""
    from whoosh.scoring import BM25F

    return BM25F(B=B, K1=K1)

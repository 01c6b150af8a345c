"""Plain-word queries (``syntax=False``): BM25F words, and pseudo-relevance feedback for questions.

Feedback
--------
A natural-language question (plain words, ``match="any"``, at least
:data:`FEEDBACK_MIN_WORDS` different words) is expanded
once: the top :data:`FEEDBACK_DOCS` articles of the first ranking lend their
:data:`FEEDBACK_TERMS` most informative words (Amati's Bo1 model, as
Terrier's default query expansion), added with their normalised Bo1 weight
times :data:`FEEDBACK_WEIGHT` to the question's own weights.  The cost is one
extra ranking and re-analysing the stored text of those few articles.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from whoosh.classify import Bo1Model
from whoosh.query import NullQuery, Or, WrappingQuery

from searchkit.engine.listing import AllOf, AnyOf
from searchkit.engine.ranking import FieldsTerm

__all__ = [
    "FEEDBACK_DOCS",
    "FEEDBACK_MIN_WORDS",
    "FEEDBACK_TERMS",
    "FEEDBACK_WEIGHT",
    "PASSAGE_COORDINATION",
    "Feedback",
    "words_query",
]

#: Pseudo-relevance feedback: articles read, words added, and their weight
#: against the question's own (Bo1 weights are normalised to at most 1).
FEEDBACK_DOCS = 10
FEEDBACK_TERMS = 10
FEEDBACK_WEIGHT = 1.0
#: Only questions get feedback: keyword searches (news searches are mostly two
#: to four words) say what they want already, and stay as fast as without it.
FEEDBACK_MIN_WORDS = 5
#: Pasted text (``passage=True``): a score is multiplied by the share of the
#: passage's words an article has, to this power.  The article a passage was
#: copied from has every word; one that repeats a few of them has not.
#: Measured with ``benchmarks/passages.py`` (first 2,000 news articles, seed 17:
#: nDCG@10 0.852 without, 0.916 at 2, 0.922 at 3); feedback is never added to
#: a passage, where it costs three times the query and gives nothing.
PASSAGE_COORDINATION = 3.0
#: The field whose stored text feedback reads (titles are in it too, for most collections).
FEEDBACK_FIELD = "body"


def words_query(schema: Any, words: list[str], *, match: str = "any", passage: bool = False) -> Any:
    """Return the BM25F query for plain words; ``match="any"`` adds feedback.

    ``words`` are raw words; each is analysed as the body is, and a stem that
    occurs n times weighs n times as much.  ``passage`` ranks text pasted
    from an article: any word matches, articles with more of the words first
    (:data:`PASSAGE_COORDINATION`), no feedback.
    """
    analyzer = schema["body"].analyzer
    stems = Counter(t.text for t in analyzer(" ".join(words), mode="query"))
    if not stems:
        return NullQuery
    terms = [FieldsTerm(stem, boost=float(n)) for stem, n in stems.items()]
    if passage:
        return AnyOf(terms, coordination=PASSAGE_COORDINATION)
    if match == "all":
        return AllOf(terms)
    # Questions keep Whoosh's union for now: AnyOf gives the same scores
    # (tests/test_passages.py) and the same Cranfield figures, but the
    # CISI and full-suite runs with it are still to be made.
    if len(terms) < FEEDBACK_MIN_WORDS:
        return Or(terms)
    return Feedback(Or(terms))


class Feedback(WrappingQuery):  # type: ignore[misc]
    """A query expanded, when first run, by pseudo-relevance feedback (module docstring)."""

    def __init__(self, child: Any) -> None:
        super().__init__(child)
        self._expanded: tuple[Any, Any] | None = None

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        """Expand the query on the whole index once, then match the expansion."""
        # Whoosh asks each segment's searcher for a matcher; feedback must use
        # the whole index, and the same expansion everywhere.
        top = searcher.get_parent()
        if self._expanded is None or self._expanded[0] is not top:
            self._expanded = (top, expand(top, self.child))
        return self._expanded[1].matcher(searcher, context)


def expand(searcher: Any, query: Any) -> Any:
    """Return ``query`` (an Or of :class:`FieldsTerm`) with feedback words added."""
    weights: dict[str, float] = {}
    # Normalising a one-word Or leaves the bare term.
    for term in [query] if isinstance(query, FieldsTerm) else query.children():
        weights[term.text] = weights.get(term.text, 0.0) + term.boost
    top = max(weights.values(), default=1.0)
    weights = {text: weight / top for text, weight in weights.items()}
    first = searcher.search(query, limit=FEEDBACK_DOCS)
    docnums = [hit.docnum for hit in first]
    if not docnums:
        return query
    for text, weight in searcher.key_terms(
        docnums, FEEDBACK_FIELD, numterms=FEEDBACK_TERMS, model=Bo1Model, normalize=True
    ):
        weights[text] = weights.get(text, 0.0) + FEEDBACK_WEIGHT * weight
    return Or([FieldsTerm(text, boost=weight) for text, weight in weights.items()])

"""How hits are scored: BM25F over the text fields, and pseudo-relevance feedback.

Kept apart from query parsing so that ranking can be tuned (and measured with
``benchmarks/relevance.py``) in one place.

Why not Whoosh's own BM25F
--------------------------
Whoosh's ``BM25F`` scores each field as a separate BM25 and adds the scores,
so a word in the headline *and* the body is counted, and saturated, twice:
boosting the title then mostly rewards repetition (and Cranfield's abstracts
start with their title).  Real BM25F (Robertson, Zaragoza & Taylor 2004)
first adds up a word's length-normalised frequencies across fields, each times
its field weight, and saturates that sum once, with one idf per word.  A
:class:`FieldsTerm` does that; plain-word queries (``syntax=False``) are built
from them, with repeated words counting more (BM25's query term frequency).

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
from math import log
from typing import Any

from whoosh import matching
from whoosh.classify import Bo1Model
from whoosh.query import And, NullQuery, Or, Term, WrappingQuery
from whoosh.scoring import BM25F, WeightingModel, WeightLengthScorer

__all__ = [
    "ANY_MATCH_BONUS",
    "FEEDBACK_DOCS",
    "FEEDBACK_MIN_WORDS",
    "FEEDBACK_TERMS",
    "FEEDBACK_WEIGHT",
    "FIELDS_K1",
    "FIELD_BOOSTS",
    "K1",
    "B",
    "FieldsTerm",
    "weighting",
    "words_query",
]

#: Fields a bare query word searches, with their weights: a word in the
#: headline or in quoted speech says more about an article than one in passing.
FIELD_BOOSTS = {"title": 2.0, "quotes": 1.5, "body": 1.0}
#: How much an "any"-match query rewards matching more of its terms (Whoosh OrGroup factor).
ANY_MATCH_BONUS = 0.9
#: BM25 saturation and length normalisation (Robertson's defaults).
K1 = 1.2
B = 0.75
#: BM25F saturation: the top of the usual 1.2-2.0 range, because the weighted
#: fields add up their frequencies before saturating (title 2 + body 1 = 3 for
#: a headline word), so the same word saturates sooner than in one field.
FIELDS_K1 = 2.0
#: Pseudo-relevance feedback: articles read, words added, and their weight
#: against the question's own (Bo1 weights are normalised to at most 1).
FEEDBACK_DOCS = 10
FEEDBACK_TERMS = 10
FEEDBACK_WEIGHT = 1.0
#: Only questions get feedback: keyword searches (news searches are mostly two
#: to four words) say what they want already, and stay as fast as without it.
FEEDBACK_MIN_WORDS = 5
#: The field whose stored text feedback reads (titles are in it too, for most collections).
FEEDBACK_FIELD = "body"


def weighting() -> Any:
    """Return the Whoosh weighting model searchers use for query-syntax terms and phrases."""
    return BM25F(B=B, K1=K1)


def idf(doc_count: int, doc_frequency: int) -> float:
    """Return Robertson-Sparck Jones idf, kept positive as Lucene does."""
    return log(1 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))


def words_query(schema: Any, words: list[str], *, match: str = "any") -> Any:
    """Return the BM25F query for plain words; ``match="any"`` adds feedback.

    ``words`` are raw words; each is analysed as the body is, and a stem that
    occurs n times weighs n times as much.
    """
    analyzer = schema["body"].analyzer
    stems = Counter(t.text for t in analyzer(" ".join(words), mode="query"))
    if not stems:
        return NullQuery
    terms = [FieldsTerm(stem, boost=float(n)) for stem, n in stems.items()]
    if match == "all":
        return And(terms)
    if len(terms) < FEEDBACK_MIN_WORDS:
        return Or(terms)
    return Feedback(Or(terms))


class FieldsTerm(Term):  # type: ignore[misc]
    """One word searched across :data:`FIELD_BOOSTS` and scored once by BM25F."""

    def __init__(self, text: str, boost: float = 1.0) -> None:
        # "body" stands for the fields where code asks a term for its one field
        # (searchkit's highlighting, Whoosh's query printing).
        super().__init__("body", text, boost=boost)

    def __repr__(self) -> str:
        return f"FieldsTerm({self.text!r}, boost={self.boost})"

    def __str__(self) -> str:
        return f"{self.text}^{self.boost:g}"

    def __hash__(self) -> int:
        return hash((type(self), self.text, self.boost))

    def terms(self, phrases: bool = False) -> Any:
        """Yield the (field, word) pairs this query looks for."""
        for fieldname in FIELD_BOOSTS:
            yield fieldname, self.text

    def estimate_size(self, ixreader: Any) -> int:
        """Estimate matching documents as the word's largest field document frequency."""
        return max(_frequencies(ixreader, self.text).values(), default=0)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        """Return a matcher whose score is the word's BM25F score."""
        parent = searcher.get_parent()
        reader = searcher.reader()
        schema = searcher.schema
        children = []
        for fieldname, weight in FIELD_BOOSTS.items():
            if fieldname not in schema:
                continue
            text = schema[fieldname].to_bytes(self.text)
            if (fieldname, text) in reader:
                model = _FieldFrequency(weight)
                children.append(searcher.postings(fieldname, text, weighting=model))
        if not children:
            return matching.NullMatcher()
        union = children[0]
        for child in children[1:]:
            union = matching.UnionMatcher(union, child)
        # A document has the word if any field has it: the union's document
        # frequency is at least the largest field's, the usual estimate.
        frequency = max(_frequencies(parent.reader(), self.text).values())
        weight = self.boost * idf(parent.doc_count_all(), frequency)
        return _Saturated(union, weight)


def _frequencies(reader: Any, text: str) -> dict[str, int]:
    schema = reader.schema
    return {
        name: reader.doc_frequency(name, schema[name].to_bytes(text))
        for name in FIELD_BOOSTS
        if name in schema
    }


class _FieldFrequency(WeightingModel):  # type: ignore[misc]
    """Score a field's postings with its weighted, length-normalised frequency."""

    def __init__(self, weight: float) -> None:
        self.weight = weight

    def scorer(self, searcher: Any, fieldname: str, text: bytes, qf: int = 1) -> Any:
        return _FieldFrequencyScorer(searcher, fieldname, text, self.weight)


class _FieldFrequencyScorer(WeightLengthScorer):  # type: ignore[misc]
    def __init__(self, searcher: Any, fieldname: str, text: bytes, weight: float) -> None:
        self.average = searcher.get_parent().avg_field_length(fieldname) or 1
        self.weight = weight
        self.setup(searcher, fieldname, text)

    def _score(self, frequency: float, length: float) -> float:
        return float(self.weight * frequency / (1 - B + B * length / self.average))


class _Saturated(matching.WrappingMatcher):  # type: ignore[misc]
    """Turn a summed field frequency into BM25's saturated, idf-weighted score."""

    def __init__(self, child: Any, weight: float) -> None:
        super().__init__(child)
        self.weight = weight

    def _replacement(self, newchild: Any) -> Any:
        return _Saturated(newchild, self.weight)

    def _saturate(self, frequency: float) -> float:
        return self.weight * frequency * (FIELDS_K1 + 1) / (FIELDS_K1 + frequency)

    def score(self) -> float:
        return self._saturate(self.child.score())

    # Saturation is monotonic, so the bounds Whoosh uses to skip blocks carry over.
    def max_quality(self) -> float:
        return self._saturate(self.child.max_quality())

    def block_quality(self) -> float:
        return self._saturate(self.child.block_quality())

    # Whoosh hands a matcher thresholds in score units; the child works in summed
    # field frequencies, so thresholds go down through the inverse of saturation.
    def _unsaturate(self, score: float) -> float:
        ceiling = self.weight * (FIELDS_K1 + 1)
        if score >= ceiling:
            return float("inf")  # no frequency reaches it
        return FIELDS_K1 * score / (ceiling - score) if score > 0 else 0.0

    def replace(self, minquality: float = 0) -> Any:
        """Drop what cannot reach ``minquality``, as Whoosh's own matchers do."""
        if not self.is_active() or self.max_quality() < minquality:
            return matching.NullMatcher()
        child = self.child.replace(self._unsaturate(minquality))
        return child if not child.is_active() else _Saturated(child, self.weight)

    def skip_to_quality(self, minquality: float) -> int:
        """Skip the blocks that cannot reach ``minquality``."""
        return int(self.child.skip_to_quality(self._unsaturate(minquality)))

    def next(self) -> bool:
        # Whoosh's WrappingMatcher drops the child's "entered a new block" flag,
        # which is what tells the collector to try skipping blocks again.
        return bool(self.child.next())


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

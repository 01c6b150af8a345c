"""How hits are scored: BM25F over the text fields (feedback: :mod:`searchkit.engine.questions`).

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

"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from math import log
from typing import Any

from whoosh import matching
from whoosh.query import NullQuery, Phrase, Term
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length, length_to_byte

from searchkit.engine.codec import cached, length_bytes, postings_blocks
from searchkit.engine.formats import position_decoder
from searchkit.engine.listing import SortedIds

__all__ = [
    "ANY_MATCH_BONUS",
    "FIELDS_K1",
    "FIELD_BOOSTS",
    "K1",
    "B",
    "FieldsPhrase",
    "FieldsTerm",
    "weighting",
]

#: Fields a bare query word searches, with their weights: a word in the
#: headline or in quoted speech says more about an article than one in passing.
FIELD_BOOSTS = {"title": 2.0, "quotes": 1.5, "body": 1.0}
#: The field of quoted passages, and the field they are quoted from.
QUOTED_IN, QUOTED_FROM = "quotes", "body"
#: How much an "any"-match query rewards matching more of its terms (Whoosh OrGroup factor).
ANY_MATCH_BONUS = 0.9
#: BM25 saturation and length normalisation (Robertson's defaults).
K1 = 1.2
B = 0.75
#: BM25F saturation: the top of the usual 1.2-2.0 range, because the weighted
#: fields add up their frequencies before saturating (title 2 + body 1 = 3 for
#: a headline word), so the same word saturates sooner than in one field.
FIELDS_K1 = 2.0


def weighting() -> Any:
    """Return the Whoosh weighting model searchers use for query-syntax terms and phrases."""
    return BM25F(B=B, K1=K1)


def idf(doc_count: int, doc_frequency: int) -> float:
    """Return Robertson-Sparck Jones idf, kept positive as Lucene does."""
    return log(1 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))


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
        return _frequency(ixreader, self.text)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        """Return the documents with the word, each scored by BM25F when asked."""
        return self.listed(searcher)

    def listed(self, searcher: Any, within: Sequence[int] | None = None) -> Any:
        """Return the documents with the word, each scored by BM25F when asked.

        The word's postings in each field are read block by block into
        ``{docnum: frequency}`` maps; a document's score is worked out only
        when a collector asks for it, so the words of an ``AND`` score only
        the documents they share.  That is several times cheaper than a union
        of three Whoosh term matchers stepping and scoring one posting at a
        time.  Matches are listed in full: the exact totals searchkit
        reports need every one anyway.  With ``within`` (sorted documents), only
        those of them with the word are sure to be listed.
        """
        parent = searcher.get_parent()
        reader = searcher.reader()
        schema = searcher.schema
        counted: dict[str, dict[int, float]] = {}
        for fieldname in FIELD_BOOSTS:
            if fieldname not in schema:
                continue
            text = schema[fieldname].to_bytes(self.text)
            if (fieldname, text) not in reader:
                continue
            frequencies = counted[fieldname] = {}
            postings = reader.postings(fieldname, text)
            for ids, weights in postings_blocks(postings, within=within):
                frequencies.update(zip(ids, weights, strict=True))
        # A document has the word if any field has it: the union's document
        # frequency is at least the largest field's, the usual estimate.
        frequency = _frequency(parent.reader(), self.text)
        weight = self.boost * idf(parent.doc_count_all(), frequency)
        term = ("body", schema["body"].to_bytes(self.text))
        return _fields_matcher(searcher, counted, weight, term=term)

    def upper_bound(self, searcher: Any) -> float:
        """Return the most any document of the segment can score, from the word's statistics.

        Each field contributes its largest frequency of the word at the
        shortest length it occurs in (Lucene's bound for MaxScore); one
        length code shorter, since Whoosh rounds stored lengths.
        """
        parent = searcher.get_parent()
        reader = searcher.reader()
        schema = searcher.schema
        averages = tuple(parent.avg_field_length(name) or 1 for name in FIELD_BOOSTS)

        def summed() -> float:
            total = 0.0
            for (fieldname, boost), average in zip(FIELD_BOOSTS.items(), averages, strict=True):
                if fieldname not in schema:
                    continue
                text = schema[fieldname].to_bytes(self.text)
                if (fieldname, text) in reader:
                    info = reader.term_info(fieldname, text)
                    code = max(length_to_byte(info.min_length() or 0) - 1, 0)
                    total += info.max_weight() * _norms(boost, average)[code]
            return total

        frequency = _frequency(parent.reader(), self.text)
        best = cached(reader, ("bound", self.text, averages), summed)
        return _saturate(self.boost * idf(parent.doc_count_all(), frequency), best)


class FieldsPhrase(Phrase):  # type: ignore[misc]
    """Words in sequence, searched across :data:`FIELD_BOOSTS` and scored once by BM25F.

    The phrase counts as one pseudo-word: its occurrences in each field are
    weighted and length-normalised as a word's frequency is, summed, and
    saturated once; its idf is the sum of its words' (as Lucene's phrase
    query).  Candidates are the documents all the words share, found as a
    set intersection; positions are decoded for those documents only.
    """

    def __init__(self, words: Sequence[str], boost: float = 1.0) -> None:
        # "body" stands for the fields, as for FieldsTerm.
        super().__init__("body", list(words), boost=boost)

    def __repr__(self) -> str:
        return f"FieldsPhrase({self.words!r}, boost={self.boost})"

    def __hash__(self) -> int:
        return hash((type(self), tuple(self.words), self.boost))

    def normalize(self) -> Any:
        """Drop removed words; a phrase of one word is that word."""
        words = [word for word in self.words if word is not None]
        if not words:
            return NullQuery
        if len(words) == 1:
            return FieldsTerm(words[0], boost=self.boost)
        return FieldsPhrase(words, boost=self.boost)

    def terms(self, phrases: bool = False) -> Any:
        """Yield the (field, word) pairs this query looks for."""
        for fieldname in FIELD_BOOSTS:
            for word in self.words:
                yield fieldname, word

    def estimate_size(self, ixreader: Any) -> int:
        """Estimate matching documents as its rarest word's."""
        return min(_frequency(ixreader, word) for word in self.words)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        """Return the documents with the phrase, each scored by BM25F when asked."""
        return self.listed(searcher)

    def listed(self, searcher: Any, within: Sequence[int] | None = None) -> Any:
        """Return the documents with the phrase; with ``within``, those of them for sure."""
        parent = searcher.get_parent()
        reader = searcher.reader()
        schema = searcher.schema
        counted: dict[str, dict[int, float]] = {}
        for fieldname in sorted(FIELD_BOOSTS, key=lambda name: name == QUOTED_IN):
            if fieldname not in schema:
                continue
            inside = within
            if fieldname == QUOTED_IN and QUOTED_FROM in counted:
                # Quotes are passages of the body: a phrase quoted is a phrase in the body.
                inside = sorted(counted[QUOTED_FROM])
            counted[fieldname] = _phrase_counts(
                reader, schema[fieldname], fieldname, self.words, inside
            )
        top = parent.reader()
        weight = self.boost * sum(
            idf(parent.doc_count_all(), _frequency(top, word)) for word in self.words
        )
        return _fields_matcher(searcher, counted, weight)


def _fields_matcher(
    searcher: Any, counted: dict[str, dict[int, float]], weight: float, term: Any = None
) -> Any:
    """Return the matcher of a word or phrase from its frequencies per field and document."""
    parent = searcher.get_parent()
    reader = searcher.reader()
    fields = [
        _FieldPostings(reader, name, counted[name], boost, parent.avg_field_length(name) or 1)
        for name, boost in FIELD_BOOSTS.items()
        if counted.get(name)
    ]
    if not fields:
        return matching.NullMatcher()
    ids = sorted(set().union(*(f.frequencies for f in fields)))
    return _FieldsMatcher(ids, fields, weight, term=term)


def _phrase_counts(
    reader: Any, field: Any, fieldname: str, words: Sequence[str], within: Sequence[int] | None
) -> dict[int, float]:
    """Count the phrase's occurrences in one field of a segment, per document.

    The rarest word is read first; the others only in the postings blocks
    that can hold its documents.
    """
    texts = [field.to_bytes(word) for word in words]
    if (within is not None and not within) or any((fieldname, t) not in reader for t in texts):
        return {}
    encoded: dict[bytes, dict[int, bytes]] = {}
    for text in sorted(set(texts), key=lambda t: reader.doc_frequency(fieldname, t)):
        values: dict[int, bytes] = {}
        postings = reader.postings(fieldname, text)
        for ids, runs in postings_blocks(postings, values=True, within=within):
            values.update(zip(ids, runs, strict=True))
        encoded[text] = values
        if within is None:
            within = sorted(values)
    shared = set(encoded[texts[0]]).intersection(*(encoded[t] for t in texts[1:]))
    decode = position_decoder(field.format)
    counts: dict[int, float] = {}
    for docnum in shared:
        starts = set(decode(encoded[texts[0]][docnum]))
        for offset, text in enumerate(texts[1:], start=1):
            following = set(decode(encoded[text][docnum]))
            starts = {p for p in starts if p + offset in following}
            if not starts:
                break
        if starts:
            counts[docnum] = float(len(starts))
    return counts


def _frequency(reader: Any, text: str) -> int:
    """Return a word's largest document frequency over the fields, kept per reader."""

    def largest() -> int:
        schema = reader.schema
        return max(
            (
                reader.doc_frequency(f, schema[f].to_bytes(text))
                for f in FIELD_BOOSTS
                if f in schema
            ),
            default=0,
        )

    return cached(reader, ("frequency", text), largest)


class _FieldPostings:
    """A word's frequencies in one field of a segment, and BM25F's length normalisation."""

    def __init__(
        self,
        reader: Any,
        fieldname: str,
        frequencies: dict[int, float],
        weight: float,
        average: float,
    ) -> None:
        self.frequencies = frequencies
        self.lengths = length_bytes(reader, fieldname)
        if self.lengths is None:
            self.reader, self.fieldname = reader, fieldname
        self.weight = weight
        self.average = average
        self.norms = _norms(weight, average)

    def score(self, docnum: int) -> float:
        """Return the document's weighted, length-normalised frequency (0 without the word)."""
        frequency = self.frequencies.get(docnum)
        if frequency is None:
            return 0.0
        if self.lengths is not None:
            return frequency * self.norms[self.lengths[docnum]]
        length = self.reader.doc_field_length(docnum, self.fieldname, 1)
        return float(frequency * self.weight / (1 - B + B * length / self.average))

    def scores(self, ids: Sequence[int]) -> list[float]:
        """Return :meth:`score` for each of ``ids``."""
        if self.lengths is None:
            return [self.score(docnum) for docnum in ids]
        get, lengths, norms = self.frequencies.get, self.lengths, self.norms
        return [
            0.0 if (frequency := get(docnum)) is None else frequency * norms[lengths[docnum]]
            for docnum in ids
        ]


@lru_cache(maxsize=256)
def _norms(weight: float, average: float) -> list[float]:
    """BM25's length normaliser for each of the 256 lengths Whoosh stores, times ``weight``."""
    return [weight / (1 - B + B * byte_to_length(n) / average) for n in range(256)]


def _saturate(weight: float, frequency: float) -> float:
    """Turn a summed field frequency into BM25's saturated, idf-weighted score."""
    return weight * frequency * (FIELDS_K1 + 1) / (FIELDS_K1 + frequency)


class _FieldsMatcher(SortedIds):
    """The documents with a word in any field, in docnum order, scored by BM25F on demand."""

    def __init__(
        self, ids: Sequence[int], fields: list[_FieldPostings], weight: float, term: Any = None
    ) -> None:
        super().__init__(ids, term=term)
        self._fields = fields
        self._weight = weight

    def copy(self) -> _FieldsMatcher:
        other = _FieldsMatcher(self._ids, self._fields, self._weight, term=self._term)
        other._i = self._i
        return other

    def supports(self, astype: str) -> bool:
        return False  # no positions: a word across fields is not a phrase

    def weight(self) -> float:
        docnum = self._ids[self._i]
        total = 0.0
        for field in self._fields:
            total += field.score(docnum)
        return total

    def score(self) -> float:
        """Saturate the summed field frequencies once (BM25F) and weigh by idf."""
        return _saturate(self._weight, self.weight())

    def scores_for(self, ids: Sequence[int]) -> list[float]:
        """Return :meth:`score` for each of ``ids``, computed field by field."""
        totals = [0.0] * len(ids)
        for field in self._fields:
            totals = [total + part for total, part in zip(totals, field.scores(ids), strict=True)]
        return [_saturate(self._weight, total) for total in totals]

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return self._weight * (FIELDS_K1 + 1)  # the limit of saturation

    def block_quality(self) -> float:
        return self.max_quality()

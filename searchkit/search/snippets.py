"""Snippets: the sentences around a hit's matches, with the matches highlighted."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from searchkit.analysis.analyzers import STOP_WORDS, find_words
from searchkit.engine.ranking import FIELD_BOOSTS

__all__ = ["Snippet", "Terms", "highlight_terms", "make_snippet", "walk"]

MAX_FRAGMENTS = 3
MAX_FRAGMENT_CHARS = 240
FRAGMENT_SEPARATOR = " … "
ELLIPSIS = "…"
MAX_SCAN_CHARS = 200_000

_NOT_SPACE = re.compile(r"\S")


@dataclass(frozen=True, slots=True)
class Snippet:
    """Text around the matches, and the (start, end) spans to highlight in it."""

    text: str
    highlights: tuple[tuple[int, int], ...] = ()
    #: The highlights that fall inside quoted speech.
    quoted: tuple[tuple[int, int], ...] = ()

    def __str__(self) -> str:
        return self.text

    def marked(self, before: str = "[", after: str = "]") -> str:
        """Return the text with each highlight wrapped in ``before``/``after``."""
        out, last = [], 0
        for start, end in self.highlights:
            out += [self.text[last:start], before, self.text[start:end], after]
            last = end
        out.append(self.text[last:])
        return "".join(out)


def walk(query: Any) -> Iterator[Any]:
    """Yield a Whoosh query and all its sub-queries."""
    yield query
    for child in query.children():
        yield from walk(child)


@dataclass(frozen=True, slots=True)
class Terms:
    """What to highlight: words searched alone, and phrases (as word tuples), all stemmed."""

    words: frozenset[str] = frozenset()
    phrases: tuple[frozenset[str], ...] = ()

    @property
    def all(self) -> frozenset[str]:
        return self.words.union(*self.phrases)

    def wanted(self, span_words: set[str]) -> bool:
        """Tell whether a run of matched words deserves a highlight."""
        return bool(span_words & self.words) or any(p <= span_words for p in self.phrases)


def highlight_terms(query: Any, searcher: Any, fields: Iterable[str] = FIELD_BOOSTS) -> Terms:
    """Return the indexed words (stems) and phrases the query looks for in text fields."""
    words: set[str] = set()
    phrases: list[frozenset[str]] = []
    reader = searcher.reader()
    fields = frozenset(fields)
    for leaf in walk(query):
        if not leaf.is_leaf() or getattr(leaf, "fieldname", None) not in fields:
            continue
        if type(leaf).__name__ in ("Phrase", "FieldsPhrase"):
            phrases.append(frozenset(leaf.words))
            continue
        try:
            pairs = leaf.existing_terms(reader, expand=True)
        except Exception:  # a query type that cannot list its terms: highlight nothing for it
            continue
        for _, value in pairs:
            words.add(value.decode("utf-8") if isinstance(value, bytes) else str(value))
    return Terms(frozenset(words), tuple(phrases))


def make_snippet(
    body: str,
    terms: Terms,
    analyzer: Any,
    *,
    whole: bool = False,
    quotes: Sequence[Mapping[str, Any]] = (),
    sentence_ends: Sequence[int] = (),
) -> Snippet:
    """Pick up to three sentences with the most distinct matches and highlight them.

    Adjacent matches (a phrase such as "border guards", even with a stop word
    between its words) are highlighted as one span; a word searched only as
    part of a phrase is not highlighted on its own.  Highlights inside one of
    ``quotes`` (dicts with body ``start``/``end`` offsets) are listed again in
    :attr:`Snippet.quoted`.  ``sentence_ends`` are the body offsets where its
    sentences end, as :func:`searchkit.analysis.sentences.sentence_spans` found
    them when the article was indexed.  ``whole`` highlights all of a short
    text instead.
    """
    # A pathological article (megabytes of text) is searched for snippets only
    # in its opening part: analysing it all would cost seconds per hit.
    body = body[:MAX_SCAN_CHARS]
    spans = _matched_spans(body, terms, analyzer) if terms.all else []
    if whole:
        return Snippet(body, tuple(spans))
    sentences = _sentences(body, sentence_ends)
    if not spans:
        lead = sentences[0] if sentences else (0, min(len(body), MAX_FRAGMENT_CHARS))
        return _assemble(body, [lead], [], quotes)
    scored: list[tuple[int, int, int]] = []
    starts = [a for a, _ in spans]  # in order: found left to right
    for index, (start, end) in enumerate(sentences):
        first, last = bisect_left(starts, start), bisect_left(starts, end)
        inside = [_words(body[a:b]) for a, b in spans[first:last]]
        if inside:
            distinct = set().union(*inside)
            scored.append((-len(distinct), -max(len(w) for w in inside), index))
    best = sorted(scored)[:MAX_FRAGMENTS]
    chosen = sorted(sentences[i] for _, _, i in best)
    return _assemble(body, chosen, spans, quotes)


def _sentences(body: str, ends: Sequence[int]) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of each sentence: from the first non-space after the last end."""
    sentences = []
    last = 0
    for end in ends:
        if end > len(body):
            break
        found = _NOT_SPACE.search(body, last, end)
        if found:
            sentences.append((found.start(), end))
        last = end
    return sentences


def _matched_spans(body: str, terms: Terms, analyzer: Any) -> list[tuple[int, int]]:
    wanted = terms.all
    runs: list[tuple[int, int, set[str]]] = []
    last_pos = -10
    for pos, startchar, endchar, text in find_words(analyzer, body, wanted):
        gap = body[runs[-1][1] : startchar] if runs else ""
        if runs and pos - last_pos <= 2 and _only_stop_words(gap):
            start, _, words = runs[-1]
            words.add(text)
            runs[-1] = (start, endchar, words)
        else:
            runs.append((startchar, endchar, {text}))
        last_pos = pos
    return [(a, b) for a, b, words in runs if terms.wanted(words)]


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in re.findall(r"\w+", text) if w.lower() not in STOP_WORDS)


def _only_stop_words(gap: str) -> bool:
    return all(word.lower() in STOP_WORDS for word in re.findall(r"\w+", gap))


def _assemble(
    body: str,
    chosen: Sequence[tuple[int, int]],
    spans: Sequence[tuple[int, int]],
    quotes: Sequence[Mapping[str, Any]],
) -> Snippet:
    pieces: list[str] = []
    highlights: list[tuple[int, int]] = []
    quoted: list[tuple[int, int]] = []
    # Quotes by start, with the furthest end reached so far: a highlight is quoted
    # when a quote starting at or before it reaches its end (a bisection, not a
    # pass over every quote of the article for every highlight).
    quote_spans = sorted((q.get("start", 0), q.get("end", 0)) for q in quotes)
    quote_starts = [qs for qs, _ in quote_spans]
    quote_reach = list(accumulate((qe for _, qe in quote_spans), max))
    cursor = 0
    for sentence_start, sentence_end in chosen:
        start, end = _trim(body, sentence_start, sentence_end, spans)
        raw = body[start:end]
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        # Between fragments the separator already shows the cut.
        before = ELLIPSIS if start > sentence_start and not pieces else ""
        last = (sentence_start, sentence_end) == chosen[-1]
        after = ELLIPSIS if end < sentence_end and last else ""
        if pieces:
            cursor += len(FRAGMENT_SEPARATOR)
        cursor += len(before)
        origin = start + lead
        for a, b in spans:
            if origin <= a and b <= origin + len(text):
                span = (cursor + a - origin, cursor + b - origin)
                highlights.append(span)
                reaching = bisect_right(quote_starts, a)
                if reaching and quote_reach[reaching - 1] >= b:
                    quoted.append(span)
        pieces.append(before + text + after)
        cursor += len(text) + len(after)
    return Snippet(FRAGMENT_SEPARATOR.join(pieces), tuple(highlights), tuple(quoted))


def _trim(body: str, start: int, end: int, spans: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """Cut an over-long sentence to a window around its first match, at word breaks."""
    if end - start <= MAX_FRAGMENT_CHARS:
        return start, end
    first = next((a for a, _ in spans if start <= a < end), start)
    lo = max(start, first - MAX_FRAGMENT_CHARS // 3)
    hi = min(end, lo + MAX_FRAGMENT_CHARS)
    if lo > start:
        space = body.find(" ", lo, first)
        lo = space + 1 if space >= 0 else lo
    if hi < end:
        space = body.rfind(" ", max(first, lo), hi)
        hi = space if space > first else hi
    return lo, hi

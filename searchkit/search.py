"""Query parsing, filters, ranking, and :class:`Hit` objects with snippets."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from searchkit.analysis import STOP_WORDS
from searchkit.errors import QueryError
from searchkit.ranking import ANY_MATCH_BONUS, FIELD_BOOSTS

__all__ = ["Hit", "Results", "Snippet", "parse_date_bound", "search"]

Match = Literal["all", "any"]
Sort = Literal["relevance", "date"]

MAX_FRAGMENTS = 3
MAX_FRAGMENT_CHARS = 240
FRAGMENT_SEPARATOR = " … "
MAX_QUERY_CHARS = 10_000

_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]+[”\"’']*|\n|\Z)")
DATE_EXAMPLES = "date:2024, date:2024-03-05 or date:[2023-10 TO 2024-01]"
_FIELD_PREFIX = re.compile(r"(?:^|[\s(+-])([A-Za-z_]\w*):(?=[^\s:])")
_QUOTED = re.compile(r'"[^"]*"')
SEARCHABLE_FIELDS = (
    "title",
    "body",
    "quotes",
    "speaker",
    "source",
    "dateline",
    "date",
    "year",
    "id",
)
_PARTIAL_DATE = re.compile(r"\A(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\Z")


@dataclass(frozen=True, slots=True)
class Snippet:
    """Text around the matches, and the (start, end) spans to highlight in it."""

    text: str
    highlights: tuple[tuple[int, int], ...] = ()

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


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked article in a result list."""

    id: str
    title: str
    score: float
    snippet: Snippet
    path: str = ""
    source: str | None = None
    date: dt.date | None = None
    dateline: str | None = None
    rank: int = 0
    quotes: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, object]:
        """Return the hit as JSON-ready data."""
        return {
            "rank": self.rank,
            "id": self.id,
            "score": round(self.score, 4),
            "title": self.title,
            "source": self.source,
            "date": self.date.isoformat() if self.date else None,
            "dateline": self.dateline,
            "path": self.path,
            "snippet": self.snippet.text,
            "highlights": [list(span) for span in self.snippet.highlights],
            "quotes": list(self.quotes),
        }


@dataclass(frozen=True, slots=True)
class Results:
    """A page of hits; ``len()`` is the total number of matching articles."""

    query: str
    hits: tuple[Hit, ...]
    total: int
    page: int = 1
    suggestion: str | None = None
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __getitem__(self, position: int) -> Hit:
        return self.hits[position]

    def to_dict(self) -> dict[str, object]:
        """Return the results as JSON-ready data."""
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "suggestion": self.suggestion,
            "facets": self.facets,
            "hits": [hit.to_dict() for hit in self.hits],
        }


def search(
    searcher: Any,
    text: str,
    *,
    limit: int = 10,
    page: int = 1,
    match: Match = "all",
    source: str | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    sort: Sort = "relevance",
) -> Results:
    """Run a query string against a Whoosh searcher and build the hits."""
    if limit < 1 or page < 1:
        raise QueryError("limit and page must be positive whole numbers")
    if sort not in ("relevance", "date"):
        raise QueryError(f"unknown sort {sort!r}; use 'relevance' or 'date'")
    query = parse_query(searcher.schema, text, match=match)
    filters = _filters(searcher.schema, source, since, until)
    if filters:
        from whoosh.query import And

        query = And([query, *filters])
    options: dict[str, Any] = {}
    if sort == "date":
        from whoosh.sorting import FieldFacet, MultiFacet, ScoreFacet

        options = {"sortedby": MultiFacet([FieldFacet("day", reverse=True), ScoreFacet()])}
    try:
        page_results = searcher.search_page(query, page, pagelen=limit, terms=True, **options)
    except ValueError as exc:  # Whoosh's complaint about a page past the end
        raise QueryError(str(exc)) from exc
    terms = _highlight_terms(query, searcher)
    hits = []
    analyzer = searcher.schema["body"].analyzer
    for offset, hit in enumerate(page_results):
        stored = hit.fields()
        date = stored.get("date")
        meta = stored.get("meta") or {}
        hits.append(
            Hit(
                id=stored["id"],
                title=stored.get("title", ""),
                score=_score(hit.score),
                snippet=make_snippet(stored.get("body", ""), terms, analyzer),
                path=stored.get("path", ""),
                source=stored.get("source"),
                date=date.date() if date else None,
                dateline=stored.get("dateline"),
                rank=page_results.offset + offset + 1,
                quotes=tuple(meta.get("quotes", ())),
            )
        )
    return Results(query=text, hits=tuple(hits), total=page_results.total, page=page)


def _score(value: Any) -> float:
    # Sorted by date, Whoosh reports the sort key (day, -relevance) as the score.
    if isinstance(value, tuple):
        value = abs(value[-1])
    return float(value or 0.0)


def parse_query(schema: Any, text: str, *, match: Match = "all") -> Any:
    """Parse Whoosh query syntax, turning every complaint into :class:`QueryError`."""
    from whoosh.qparser import AndGroup, MultifieldParser, OrGroup

    if match not in ("all", "any"):
        raise QueryError(f"unknown match mode {match!r}; use 'all' or 'any'")
    if not text.strip():
        raise QueryError("empty query; give words to search for, e.g. searchkit query repatriation")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}"
        )
    group = AndGroup if match == "all" else OrGroup.factory(ANY_MATCH_BONUS)
    parser = MultifieldParser(list(FIELD_BOOSTS), schema, fieldboosts=FIELD_BOOSTS, group=group)
    try:
        query = parser.parse(text, normalize=False)
    except Exception as exc:  # Whoosh raises plain Exceptions for bad ranges and dates
        hint = f"; write dates as {DATE_EXAMPLES}" if "date" in text else ""
        raise QueryError(f"cannot parse query {text!r}: {exc}{hint}") from exc
    return _check(query, text, schema)


def _check(query: Any, text: str, schema: Any) -> Any:
    """Raise for what Whoosh would drop silently; return the normalised query."""
    from whoosh.query import NullQuery

    for name in _FIELD_PREFIX.findall(_QUOTED.sub(" ", text)):
        if name not in schema:
            known = ", ".join(SEARCHABLE_FIELDS)
            raise QueryError(f"unknown field {name!r} in query {text!r}; fields are {known}")
    for sub in _walk(query):
        error = getattr(sub, "error", None)
        if error:
            hint = f"; write dates as {DATE_EXAMPLES}" if "date" in text else ""
            raise QueryError(f"in query {text!r}: {error}{hint}")
    query = query.normalize()
    if query is NullQuery or type(query).__name__ == "_NullQuery":
        raise QueryError(f"query {text!r} has only stop words or punctuation; add a search term")
    return query


def _walk(query: Any) -> Iterator[Any]:
    yield query
    for child in query.children():
        yield from _walk(child)


def _filters(schema: Any, source: str | None, since: Any, until: Any) -> list[Any]:
    from whoosh.query import DateRange, Phrase, Term

    filters: list[Any] = []
    if source:
        words = [t.text for t in schema["source"].analyzer(source)]
        if not words:
            raise QueryError(f"--source {source!r} has no words to match")
        filters.append(Phrase("source", words) if len(words) > 1 else Term("source", words[0]))
    if since or until:
        start = parse_date_bound(since, end=False) if since else None
        stop = parse_date_bound(until, end=True) if until else None
        filters.append(DateRange("date", start, stop))
    return filters


def parse_date_bound(value: str | dt.date, *, end: bool) -> dt.datetime:
    """Turn ``2024``, ``2024-03`` or ``2024-03-05`` into the first (or last) moment it covers."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        day = value
    else:
        match = _PARTIAL_DATE.match(value.strip())
        if not match:
            raise QueryError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024-03-01)")
        year, month, dayno = (int(g) if g else None for g in match.groups())
        assert year is not None
        try:
            if month is None:
                day = dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
            elif dayno is None:
                first = dt.date(year, month, 1)
                following = dt.date(year + month // 12, month % 12 + 1, 1)
                day = following - dt.timedelta(days=1) if end else first
            else:
                day = dt.date(year, month, dayno)
        except ValueError as exc:
            raise QueryError(f"date {value!r} does not exist ({exc})") from exc
    if end:
        return dt.datetime.combine(day, dt.time.max)
    return dt.datetime.combine(day, dt.time.min)


# ---------------------------------------------------------------- snippets


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


def _highlight_terms(query: Any, searcher: Any) -> Terms:
    """Return the indexed words (stems) and phrases the query looks for in text fields."""
    words: set[str] = set()
    phrases: list[frozenset[str]] = []
    reader = searcher.reader()
    for leaf in _walk(query):
        if not leaf.is_leaf() or getattr(leaf, "fieldname", None) not in FIELD_BOOSTS:
            continue
        if type(leaf).__name__ == "Phrase":
            phrases.append(frozenset(leaf.words))
            continue
        try:
            pairs = leaf.existing_terms(reader, expand=True)
        except Exception:  # a query type that cannot list its terms: highlight nothing for it
            continue
        for _, value in pairs:
            words.add(value.decode("utf-8") if isinstance(value, bytes) else str(value))
    return Terms(frozenset(words), tuple(phrases))


def make_snippet(body: str, terms: Terms, analyzer: Any) -> Snippet:
    """Pick up to three sentences with the most distinct matches and highlight them.

    Adjacent matches (a phrase such as "border guards", even with a stop word
    between its words) are highlighted as one span; a word searched only as
    part of a phrase is not highlighted on its own.
    """
    spans = _matched_spans(body, terms, analyzer) if terms.all else []
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(body) if m.group().strip()]
    if not spans:
        lead = sentences[0] if sentences else (0, min(len(body), MAX_FRAGMENT_CHARS))
        return _assemble(body, [lead], [])
    scored: list[tuple[int, int, int]] = []
    for index, (start, end) in enumerate(sentences):
        inside = [_words(body[a:b]) for a, b in spans if start <= a < end]
        if inside:
            distinct = set().union(*inside)
            scored.append((-len(distinct), -max(len(w) for w in inside), index))
    best = sorted(scored)[:MAX_FRAGMENTS]
    chosen = sorted(sentences[i] for _, _, i in best)
    return _assemble(body, chosen, spans)


def _matched_spans(body: str, terms: Terms, analyzer: Any) -> list[tuple[int, int]]:
    wanted = terms.all
    runs: list[tuple[int, int, set[str]]] = []
    last_pos = -10
    for token in analyzer(body, positions=True, chars=True, removestops=False, mode="index"):
        if token.stopped or token.text not in wanted:
            continue
        gap = body[runs[-1][1] : token.startchar] if runs else ""
        if runs and token.pos - last_pos <= 2 and _only_stop_words(gap):
            start, _, words = runs[-1]
            words.add(token.text)
            runs[-1] = (start, token.endchar, words)
        else:
            runs.append((token.startchar, token.endchar, {token.text}))
        last_pos = token.pos
    return [(a, b) for a, b, words in runs if terms.wanted(words)]


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in re.findall(r"\w+", text) if w.lower() not in STOP_WORDS)


def _only_stop_words(gap: str) -> bool:
    return all(word.lower() in STOP_WORDS for word in re.findall(r"\w+", gap))


def _assemble(
    body: str, chosen: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]]
) -> Snippet:
    pieces: list[str] = []
    highlights: list[tuple[int, int]] = []
    cursor = 0
    for start, end in chosen:
        start, end = _trim(body, start, end, spans)
        if pieces:
            cursor += len(FRAGMENT_SEPARATOR)
        raw = body[start:end]
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        for a, b in spans:
            if start + lead <= a and b <= start + lead + len(text):
                highlights.append((cursor + a - start - lead, cursor + b - start - lead))
        pieces.append(text)
        cursor += len(text)
    return Snippet(FRAGMENT_SEPARATOR.join(pieces), tuple(highlights))


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

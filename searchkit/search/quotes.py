"""Quote-level search: who said what, ranked as quotes rather than articles."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from searchkit.errors import QueryError
from searchkit.quotes import KINDS
from searchkit.search.articles import highlighting, run_page
from searchkit.search.facets import QUOTE_FACETS, check_facets, count_facets, matching_docs
from searchkit.search.filters import Filters
from searchkit.search.people import SURNAME, name_tier, speaker_matches, suggest_speaker
from searchkit.search.query import bound_expansions, parse_query
from searchkit.search.snippets import Snippet, make_snippet

__all__ = ["QuoteHit", "QuoteResults", "Speaker", "search_quotes", "speakers"]


@dataclass(frozen=True, slots=True)
class QuoteHit:
    """One quote in a result list, with its speaker and the article it is from."""

    text: str
    speaker: str | None
    cue: str | None
    kind: str
    article_id: str
    title: str
    source: str | None
    date: dt.date | None
    score: float
    rank: int
    snippet: Snippet
    start: int = 0
    end: int = 0
    confidence: float = 0.0
    unnamed: bool = False
    #: The quote id (``article-id#N``) that :meth:`searchkit.Index.trace` takes.
    id: str = ""

    def to_dict(self) -> dict[str, object]:
        """Return the quote as JSON-ready data."""
        return {
            "rank": self.rank,
            "text": self.text,
            "speaker": self.speaker,
            "unnamed": self.unnamed,
            "cue": self.cue,
            "kind": self.kind,
            "article_id": self.article_id,
            "title": self.title,
            "source": self.source,
            "date": self.date.isoformat() if self.date else None,
            "score": round(self.score, 4),
            "confidence": self.confidence,
            "start": self.start,
            "end": self.end,
            "highlights": [list(span) for span in self.snippet.highlights],
            "id": self.id,
        }


@dataclass(frozen=True, slots=True)
class QuoteResults:
    """A page of quote hits; ``len()`` is the total number of matching quotes."""

    query: str
    hits: tuple[QuoteHit, ...]
    total: int
    page: int = 1
    #: With a speaker: how many of ``total`` name the full name (the rest, the surname alone).
    by_full_name: int | None = None
    #: With a speaker that matches nobody: the nearest speaker name in the index.
    suggestion: str | None = None
    #: Counts over every matching quote, by facet (``facets=`` of :meth:`searchkit.Index.quotes`).
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[QuoteHit]:
        return iter(self.hits)

    def __getitem__(self, position: int) -> QuoteHit:
        return self.hits[position]

    def to_dict(self) -> dict[str, object]:
        """Return the results as JSON-ready data, shaped as article results are."""
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "suggestion": self.suggestion,
            "by_full_name": self.by_full_name,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": self.facets,
        }


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker with how often, where and when they were quoted."""

    name: str
    quotes: int
    articles: int
    outlets: dict[str, int] = field(default_factory=dict)
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    unnamed: bool = False

    def to_dict(self) -> dict[str, object]:
        """Return the speaker as JSON-ready data."""
        return {
            "name": self.name,
            "quotes": self.quotes,
            "articles": self.articles,
            "outlets": self.outlets,
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "unnamed": self.unnamed,
        }


def _query(
    searcher: Any,
    text: str,
    filters: Filters | None,
    kind: str | None,
    syntax: bool = True,
) -> Any:
    from whoosh.query import And, Every, Term

    parts: list[Any] = []
    if text.strip():
        query = parse_query(searcher.schema, text, syntax=syntax, fields={"text": 1.0})
        query = bound_expansions(query, searcher.reader())
        parts.append(query)
    if kind is not None:
        if kind not in KINDS:
            raise QueryError(f"unknown quote kind {kind!r}; use one of {', '.join(KINDS)}")
        parts.append(Term("kind", kind))
    parts += filters.queries(searcher) if filters else []
    if not parts:
        return Every()
    return parts[0] if len(parts) == 1 else And(parts)


def _by_quote_id(searcher: Any) -> Callable[[int], tuple[str, int]]:
    """Order tied quotes by article id, then by their place in the article."""

    def key(docnum: int) -> tuple[str, int]:
        article_id, _, number = searcher.stored_fields(docnum)["qid"].rpartition("#")
        return article_id, int(number)

    return key


def search_quotes(
    searcher: Any,
    text: str,
    *,
    speaker: str | None = None,
    filters: Filters | None = None,
    kind: str | None = "speech",
    limit: int = 10,
    page: int = 1,
    syntax: bool = True,
    facets: Sequence[str] = (),
) -> QuoteResults:
    """Search the quote index; an empty ``text`` lists quotes matching the filters.

    With a ``speaker``, quotes by that full name (or a longer one holding it)
    come first, then those credited to the surname alone (:mod:`searchkit.search.people`).
    ``facets`` (any of :data:`~searchkit.search.facets.QUOTE_FACETS`) are
    counted over every matching quote.
    """
    if limit < 1 or page < 1:
        raise QueryError("limit and page must be positive whole numbers")
    names = check_facets(facets, QUOTE_FACETS)
    if speaker:
        return _by_speaker(searcher, text, speaker, filters, kind, limit, page, syntax, names)
    query = _query(searcher, text, filters, kind, syntax)
    page_results = run_page(
        searcher, query, page, limit, by_date=not text.strip(), tiebreak=_by_quote_id
    )
    terms, analyzer = highlighting(query, searcher, ("text",), "text")
    hits = [
        _quote_hit(hit.fields(), hit.score, page_results.offset + offset + 1, terms, analyzer)
        for offset, hit in enumerate(page_results)
    ]
    counted = (
        count_facets(searcher, matching_docs(searcher, query), names, QUOTE_FACETS) if names else {}
    )
    return QuoteResults(
        query=text, hits=tuple(hits), total=page_results.total, page=page, facets=counted
    )


def _quote_hit(
    stored: dict[str, Any], score: Any, rank: int, terms: Any, analyzer: Any
) -> QuoteHit:
    """Build a hit from a quote's stored fields."""
    position = stored.get("position") or {}
    date = stored.get("date")
    return QuoteHit(
        text=stored["text"],
        speaker=stored.get("speaker"),
        cue=stored.get("cue"),
        kind=stored.get("kind", "speech"),
        article_id=stored["article_id"],
        title=stored.get("title", ""),
        source=stored.get("source"),
        date=date.date() if date else None,
        score=float(score) if isinstance(score, float) else 0.0,
        rank=rank,
        snippet=make_snippet(stored["text"], terms, analyzer, whole=True),
        start=position.get("start", 0),
        end=position.get("end", 0),
        confidence=position.get("confidence", 0.0),
        unnamed=bool(stored.get("unnamed")),
        id=stored.get("qid", ""),
    )


def _by_speaker(
    searcher: Any,
    text: str,
    speaker: str,
    filters: Filters | None,
    kind: str | None,
    limit: int,
    page: int,
    syntax: bool,
    names: Sequence[str] = (),
) -> QuoteResults:
    """Rank quotes by how their speaker matches ``speaker``, then by score or date."""
    from whoosh.query import And, Every

    match, words = speaker_matches(searcher, speaker)
    query = _query(searcher, text, filters, kind, syntax)
    query = match if isinstance(query, Every) else And([query, match])
    scored = bool(text.strip())
    ranked: list[tuple[tuple[int, float, str, int], int]] = []
    for hit in searcher.search(query, limit=None, scored=scored):
        stored = hit.fields()
        tier = name_tier(stored.get("speaker_key") or "", words)
        if tier is None:
            continue
        article_id, _, number = stored["qid"].rpartition("#")
        date = stored.get("date")
        order = -float(hit.score or 0.0) if scored else -float(date.toordinal() if date else 0)
        ranked.append(((tier, order, article_id, int(number)), hit.docnum))
    ranked.sort()
    if page > 1 and (page - 1) * limit >= len(ranked):
        raise QueryError(f"page {page} is past the last page of {len(ranked)} hits")
    terms, analyzer = highlighting(query, searcher, ("text",), "text")
    first = (page - 1) * limit
    hits = []
    for rank, (key, docnum) in enumerate(ranked[first : first + limit], start=first + 1):
        score = -key[1] if scored else 0.0
        hits.append(_quote_hit(searcher.stored_fields(docnum), score, rank, terms, analyzer))
    full = sum(1 for key, _ in ranked if key[0] != SURNAME)
    suggestion = suggest_speaker(searcher, speaker) if not ranked else None
    return QuoteResults(
        query=text,
        hits=tuple(hits),
        total=len(ranked),
        page=page,
        by_full_name=full,
        suggestion=suggestion,
        facets=count_facets(searcher, sorted(d for _, d in ranked), names, QUOTE_FACETS)
        if names
        else {},
    )


def _most_common(counts: Counter[str]) -> list[str]:
    """Return the keys, most frequent first, ties in alphabetical order (not index order)."""
    return sorted(counts, key=lambda key: (-counts[key], key))


def speakers(
    searcher: Any,
    text: str = "",
    *,
    filters: Filters | None = None,
    kind: str | None = None,
    limit: int | None = 20,
    named_only: bool = True,
    syntax: bool = True,
    name: str | None = None,
) -> list[Speaker]:
    """List speakers of the matching quotes, most quoted first.

    Mentions of one person ("Kang Chol-hwan", "Kang Chol Hwan") are counted
    together by their folded name; the spelling shown is the most frequent.
    With ``name``, only speakers whose own name matches it
    (:func:`searchkit.search.people.name_tier`).
    """
    query = _query(searcher, text, filters, kind, syntax)
    words: list[str] = []
    if name:
        from whoosh.query import And, Every

        match, words = speaker_matches(searcher, name)
        query = match if isinstance(query, Every) else And([query, match])
    groups: dict[str, dict[str, Any]] = {}
    for hit in searcher.search(query, limit=None):
        stored = hit.fields()
        shown = stored.get("speaker")
        if not shown or (named_only and stored.get("unnamed")):
            continue
        key = stored.get("speaker_key") or shown.lower()
        if words and name_tier(key, words) is None:
            continue
        group = groups.setdefault(
            key,
            {
                "names": Counter(),
                "articles": set(),
                "outlets": Counter(),
                "dates": [],
                "unnamed": True,
                "quotes": 0,
            },
        )
        group["unnamed"] = group["unnamed"] and bool(stored.get("unnamed"))
        group["quotes"] += 1
        group["names"][shown] += 1
        group["articles"].add(stored["article_id"])
        group["outlets"][stored.get("source") or "(unknown)"] += 1
        if stored.get("date"):
            group["dates"].append(stored["date"].date())
    result = [
        Speaker(
            name=_most_common(g["names"])[0],
            quotes=g["quotes"],
            articles=len(g["articles"]),
            outlets={k: g["outlets"][k] for k in _most_common(g["outlets"])},
            first_date=min(g["dates"]) if g["dates"] else None,
            last_date=max(g["dates"]) if g["dates"] else None,
            unnamed=g["unnamed"],
        )
        for g in groups.values()
    ]
    result.sort(key=lambda s: (-s.quotes, -s.articles, s.name))
    return result[:limit] if limit else result

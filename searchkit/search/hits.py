"""Hits and pages of hits: an article's stored fields made into a :class:`Hit` with a snippet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from searchkit.engine.ranking import FIELD_BOOSTS
from searchkit.schema import STOP_WORDS_FIELD
from searchkit.search.copies import Copy
from searchkit.search.snippets import Snippet, Terms, highlight_terms, make_snippet

__all__ = ["Hit", "Results", "highlighting", "hit_from_stored", "hits_for", "make_hits"]


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
    url: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    #: The other matching printings of this article (wire copies), earliest first.
    copies: tuple[Copy, ...] = ()

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
            "url": self.url,
            "authors": list(self.authors),
            "language": self.language,
            "snippet": self.snippet.text,
            "highlights": [list(span) for span in self.snippet.highlights],
            "quotes": list(self.quotes),
            "copies": [copy.to_dict() for copy in self.copies],
        }


@dataclass(frozen=True, slots=True)
class Results:
    """A page of hits; ``len()`` is the total number of matching articles.

    ``collapsed_total`` counts them with each group of wire copies as one
    (None when the search did not collapse copies).  ``total_is_exact`` is
    False when the total is an estimate: a passage search scores only the
    articles able to reach the page unless ``exact_total=True``.
    """

    query: str
    hits: tuple[Hit, ...]
    total: int
    page: int = 1
    suggestion: str | None = None
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    collapsed_total: int | None = None
    total_is_exact: bool = True
    #: True when the text was ranked as a passage pasted from an article.
    passage: bool = False

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
            "total_is_exact": self.total_is_exact,
            "passage": self.passage,
            "collapsed_total": self.collapsed_total,
            "page": self.page,
            "suggestion": self.suggestion,
            "facets": self.facets,
            "hits": [hit.to_dict() for hit in self.hits],
        }


def make_hits(searcher: Any, page_results: Any, query: Any) -> tuple[Hit, ...]:
    """Build the hits of a page of Whoosh results, with snippets for these hits only."""
    terms, analyzer = highlighting(query, searcher)
    hits = []
    for offset, hit in enumerate(page_results):
        rank = page_results.offset + offset + 1
        hits.append(hit_from_stored(hit.fields(), _score(hit.score), rank, terms, analyzer))
    return tuple(hits)


def hits_for(searcher: Any, query: Any, docnums: Sequence[int]) -> tuple[Hit, ...]:
    """Build hits for chosen articles, newest first (then by id), with snippets for ``query``."""
    if not docnums:
        return ()
    terms, analyzer = highlighting(query, searcher)
    reader = searcher.reader()
    days, ids = reader.column_reader("day"), reader.column_reader("id")
    ordered = sorted(docnums, key=lambda doc: (-days[doc], ids[doc]))
    return tuple(
        hit_from_stored(searcher.stored_fields(doc), 0.0, rank, terms, analyzer)
        for rank, doc in enumerate(ordered, 1)
    )


def hit_from_stored(
    stored: dict[str, Any],
    score: float,
    rank: int,
    terms: Terms,
    analyzer: Any,
    copies: tuple[Copy, ...] = (),
) -> Hit:
    """Build a hit from an article's stored fields, with a snippet of its body."""
    date = stored.get("published")
    meta = stored.get("meta") or {}
    quotes = tuple(meta.get("quotes", ()))
    return Hit(
        id=stored["id"],
        title=stored.get("title", ""),
        score=score,
        snippet=make_snippet(
            stored.get("body", ""),
            terms,
            analyzer,
            quotes=quotes,
            sentence_ends=meta.get("sentences", ()),
        ),
        path=stored.get("path", ""),
        source=stored.get("source"),
        date=date.date() if date else None,
        dateline=stored.get("dateline"),
        rank=rank,
        quotes=quotes,
        url=meta.get("url"),
        authors=tuple(meta.get("authors") or ()),
        language=meta.get("language"),
        copies=copies,
    )


def highlighting(
    query: Any, searcher: Any, fields: Sequence[str] = tuple(FIELD_BOOSTS), text: str = "body"
) -> tuple[Terms, Any]:
    """Return what to highlight in the ``text`` field, and the analyzer that finds it.

    A query of nothing but stop words highlights them as the stop-word field found them.
    """
    terms = highlight_terms(query, searcher, fields)
    schema = searcher.schema
    if terms.all or STOP_WORDS_FIELD not in schema:
        return terms, schema[text].analyzer
    return highlight_terms(query, searcher, (STOP_WORDS_FIELD,)), schema[STOP_WORDS_FIELD].analyzer


def _score(value: Any) -> float:
    return float(value or 0.0)

"""Article search: ranking, pages of :class:`Hit` objects with snippets, more like this."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from searchkit.engine.collector import ExactTop, TieBreak, by_article_id
from searchkit.engine.listing import AnyOf
from searchkit.engine.pruning import TopOf
from searchkit.engine.ranking import (
    FIELD_BOOSTS,
)
from searchkit.errors import QueryError
from searchkit.schema import STOP_WORDS_FIELD
from searchkit.search.copies import Copy, CopyGroups, Unit, collapsed_page
from searchkit.search.facets import check_facets, count_facets, matching_docs
from searchkit.search.filters import Filters
from searchkit.search.query import (
    Match,
    bound_expansions,
    parse_query,
)
from searchkit.search.snippets import Snippet, Terms, highlight_terms, make_snippet
from searchkit.search.suggest import suggest_query

__all__ = ["Copy", "Hit", "Results", "Snippet", "search", "stored_article"]

Sort = Literal["relevance", "date"]

#: Offer a corrected query when this few articles match.
SUGGEST_BELOW = 2
#: Distinctive words of an article that make up a "more like this" query.
SIMILAR_TERMS = 12


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
            "collapsed_total": self.collapsed_total,
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
    filters: Filters | None = None,
    sort: Sort = "relevance",
    syntax: bool = True,
    facets: Sequence[str] = (),
    copies: CopyGroups | None = None,
    passage: bool = False,
    exact_total: bool = False,
) -> Results:
    """Run a query string against a Whoosh searcher and build the hits.

    ``syntax=False`` takes the text as plain words (see :func:`parse_query`);
    ``facets`` names counts to make over all matches (see :mod:`searchkit.search.facets`).
    With ``copies``, each group of wire copies is one hit, and one in the facets;
    ``passage=True`` ranks text pasted from an article, its source first, and
    estimates the total unless ``exact_total`` (facets and copies count exactly).
    """
    if limit < 1 or page < 1:
        raise QueryError("limit and page must be positive whole numbers")
    if sort not in ("relevance", "date"):
        raise QueryError(f"unknown sort {sort!r}; use 'relevance' or 'date'")
    names = check_facets(facets)
    query = filtered_query(searcher, text, match, syntax, filters, passage=passage)
    if copies:
        return _collapsed(
            searcher, text, query, copies, page, limit, sort, names, syntax and not passage
        )
    if not (exact_total or names or sort == "date") and isinstance(query, AnyOf):
        # Only the page is needed: score only what can reach it (engine.pruning).
        query = TopOf.of(query, page * limit)
    page_results = run_page(searcher, query, page, limit, by_date=sort == "date")
    total = page_results.total
    docs = matching_docs(searcher, query) if names else None
    suggestion = None
    if syntax and not passage and total <= SUGGEST_BELOW:
        suggestion = suggest_query(searcher.reader(), text)
    return Results(
        query=text,
        hits=make_hits(searcher, page_results, query),
        total=total,
        page=page,
        suggestion=suggestion,
        facets=count_facets(searcher, docs, names) if names and docs is not None else {},
        collapsed_total=None if copies is None else total,
        total_is_exact=page_results.results.collector.total_is_exact,
    )


def _collapsed(
    searcher: Any,
    text: str,
    query: Any,
    copies: CopyGroups,
    page: int,
    limit: int,
    sort: Sort,
    names: list[str],
    syntax: bool,
) -> Results:
    """Search with each group of wire copies collapsed to its earliest matching article."""
    units, docs, kept = collapsed_page(searcher, query, copies, page, limit, by_date=sort == "date")
    suggestion = None
    if syntax and len(docs) <= SUGGEST_BELOW:
        suggestion = suggest_query(searcher.reader(), text)
    terms, analyzer = highlighting(query, searcher)
    first = (page - 1) * limit + 1
    return Results(
        query=text,
        hits=tuple(
            _hit(searcher, unit, first + offset, terms, analyzer, copies)
            for offset, unit in enumerate(units)
        ),
        total=len(docs),
        page=page,
        suggestion=suggestion,
        facets=count_facets(searcher, kept, names) if names else {},
        collapsed_total=len(kept),
    )


def _hit(
    searcher: Any, unit: Unit, rank: int, terms: Terms, analyzer: Any, copies: CopyGroups
) -> Hit:
    stored = searcher.stored_fields(unit.docnum)
    return hit_from_stored(
        stored, unit.score, rank, terms, analyzer, copies.copy_records(unit.copies)
    )


def run_page(
    searcher: Any,
    query: Any,
    page: int,
    limit: int,
    *,
    by_date: bool = False,
    tiebreak: TieBreak | None = None,
) -> Any:
    """Score every match once and return one page, with an exact total.

    Whoosh's default collector skips blocks it judges unable to reach the top
    hits and swaps matchers for cheaper ones; both leave its count short (an
    ``AND NOT`` query under-counts), and the count it then falls back to walks
    all matches a second time.  On news text the skipping rarely pays (common
    words are in every block), so one exact scoring pass is the faster way.
    Ties go to the smaller article id (``tiebreak``), never to the order in
    which documents happen to sit in the index.
    """
    from whoosh.searching import ResultsPage

    collector = ExactTop(page * limit, tiebreak or by_article_id, by_day=by_date)
    searcher.search_with_collector(query, collector)
    results = collector.results()
    if page > 1 and (page - 1) * limit >= len(results):
        raise QueryError(f"page {page} is past the last page of {len(results)} hits")
    return ResultsPage(results, page, limit)


def filtered_query(
    searcher: Any,
    text: str,
    match: Match = "all",
    syntax: bool = True,
    filters: Filters | None = None,
    *,
    passage: bool = False,
) -> Any:
    """Parse ``text`` and add the outlet and date filters."""
    query = parse_query(searcher.schema, text, match=match, syntax=syntax, passage=passage)
    query = bound_expansions(query, searcher.reader())
    restrictions = filters.queries(searcher) if filters else []
    if restrictions:
        from whoosh.query import And

        query = And([query, *restrictions])
    return query


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


#: Characters of a user's value an error message repeats.
ECHO_CHARS = 80


def article_number(searcher: Any, article_id: str, where: str = "") -> int:
    """Return the document number of the article with ``article_id``, or raise QueryError."""
    try:
        docnum = searcher.document_number(id=article_id)
    except UnicodeEncodeError:  # not text (an undecodable command-line argument)
        docnum = None
    if docnum is None:
        shown = article_id if len(article_id) <= ECHO_CHARS else article_id[:ECHO_CHARS] + "…"
        raise QueryError(f"no article with id {shown!r}{where}; ids are shown by `searchkit query`")
    return int(docnum)


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


def similar(searcher: Any, article_id: str, *, limit: int = 10) -> Results:
    """Find the articles most like one article, by its most distinctive words."""
    from whoosh.query import Or, Term

    docnum = article_number(searcher, article_id)
    words = searcher.key_terms([docnum], "body", numterms=SIMILAR_TERMS)
    query = Or([Term("body", word, boost=weight) for word, weight in words])
    if not words:
        return Results(query=f"like:{article_id}", hits=(), total=0)
    from whoosh.query import Not

    query = query & Not(Term("id", article_id))
    page_results = run_page(searcher, query, 1, limit)
    return Results(
        query=f"like:{article_id}",
        hits=make_hits(searcher, page_results, query),
        total=page_results.total,
    )


def _score(value: Any) -> float:
    return float(value or 0.0)


def stored_article(searcher: Any, article_id: str, where: str = "") -> dict[str, Any]:
    """Return one article's stored text, metadata and quotes as JSON-ready data."""
    docnum = article_number(searcher, article_id, where)
    stored = searcher.stored_fields(docnum)
    content_hash = searcher.reader().column_reader("hash")[docnum].decode("ascii")
    meta = stored.get("meta") or {}
    date = stored.get("published")
    return {
        "id": stored["id"],
        "title": stored.get("title", ""),
        "source": stored.get("source"),
        "date": date.date().isoformat() if date else None,
        "dateline": stored.get("dateline"),
        "section": meta.get("section"),
        "kicker": meta.get("kicker"),
        "author": meta.get("author"),
        "authors": list(meta.get("authors") or ()),
        "language": meta.get("language"),
        "url": meta.get("url"),
        "path": stored.get("path"),
        "body": stored.get("body", ""),
        "boilerplate": meta.get("boilerplate", ""),
        "quotes": meta.get("quotes", []),
        "content_hash": content_hash,
    }

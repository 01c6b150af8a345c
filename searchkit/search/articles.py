"""Article search: ranking, pages of :class:`Hit` objects with snippets, more like this."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal

from searchkit.engine.collector import ExactTop, TieBreak, by_article_id
from searchkit.engine.listing import AnyOf
from searchkit.engine.proximity import RESCORE_DEPTH, rescore, word_sequence
from searchkit.errors import QueryError
from searchkit.search.copies import Copy, CopyGroups, Rerank, Unit, collapsed_page
from searchkit.search.facets import check_facets, count_facets, matching_docs
from searchkit.search.filters import Filters
from searchkit.search.hits import (
    Hit,
    Results,
    highlighting,
    hit_from_stored,
    hits_for,
    make_hits,
)
from searchkit.search.passages import passage_page
from searchkit.search.pasted import looks_pasted
from searchkit.search.query import (
    Match,
    bound_expansions,
    parse_query,
)
from searchkit.search.snippets import Snippet, Terms
from searchkit.search.suggest import suggest_query

__all__ = [
    "Copy",
    "Hit",
    "Results",
    "Snippet",
    "highlighting",
    "hits_for",
    "make_hits",
    "search",
    "stored_article",
]

Sort = Literal["relevance", "date"]

#: Offer a corrected query when this few articles match.
SUGGEST_BELOW = 2
#: Distinctive words of an article that make up a "more like this" query.
SIMILAR_TERMS = 12


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
    passage: bool | None = None,
    exact_total: bool = False,
) -> Results:
    """Run a query string against a Whoosh searcher and build the hits.

    ``syntax=False`` takes the text as plain words (see :func:`parse_query`);
    ``facets`` names counts to make over all matches (see :mod:`searchkit.search.facets`).
    With ``copies``, each group of wire copies is one hit, and one in the facets;
    ``passage=True`` ranks text pasted from an article, its source first, and
    estimates the total unless ``exact_total`` (facets and copies count exactly);
    ``None`` does so when a query in the default mode (syntax, every word)
    looks pasted (:func:`~searchkit.search.pasted.looks_pasted`).
    """
    if limit < 1 or page < 1:
        raise QueryError("limit and page must be positive whole numbers")
    if sort not in ("relevance", "date"):
        raise QueryError(f"unknown sort {sort!r}; use 'relevance' or 'date'")
    names = check_facets(facets)
    if passage is None:
        passage = syntax and match == "all" and looks_pasted(text)
    query = filtered_query(searcher, text, match, syntax, filters, passage=passage)
    suggest = syntax and not passage
    if copies:
        results = _collapsed(
            searcher, text, query, copies, page, limit, sort, names, suggest, passage=passage
        )
    elif passage and sort == "relevance" and isinstance(query, AnyOf):
        results = passage_page(searcher, text, query, page, limit, names, exact_total)
    else:
        results = _ranked(searcher, text, query, page, limit, sort, names, suggest)
        if copies is not None:
            results = replace(results, collapsed_total=results.total)
    return replace(results, passage=passage) if passage else results


def _ranked(
    searcher: Any,
    text: str,
    query: Any,
    page: int,
    limit: int,
    sort: Sort,
    names: list[str],
    syntax: bool,
) -> Results:
    """Rank every match of ``query`` and count them exactly."""
    page_results = run_page(searcher, query, page, limit, by_date=sort == "date")
    total = page_results.total
    docs = matching_docs(searcher, query) if names else None
    suggestion = None
    if syntax and total <= SUGGEST_BELOW:
        suggestion = suggest_query(searcher.reader(), text)
    return Results(
        query=text,
        hits=make_hits(searcher, page_results, query),
        total=total,
        page=page,
        suggestion=suggestion,
        facets=count_facets(searcher, docs, names) if names and docs is not None else {},
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
    *,
    passage: bool = False,
) -> Results:
    """Search with each group of wire copies collapsed to its earliest matching article.

    A passage's best matches are rescored by proximity before collapsing,
    as without copies; every match is scored (collapsing needs them all).
    """
    rerank: Rerank | None = None
    if passage and sort == "relevance":
        sequence = word_sequence(searcher.schema, text)

        def rerank(top: list[tuple[float, int]]) -> list[tuple[float, int]]:
            return rescore(searcher, sequence, top)

    units, docs, kept = collapsed_page(
        searcher,
        query,
        copies,
        page,
        limit,
        by_date=sort == "date",
        rerank=rerank,
        depth=RESCORE_DEPTH if rerank else 0,
    )
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

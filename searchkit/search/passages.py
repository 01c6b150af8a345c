"""Pasted passages: their best matches rescored by proximity, and only those scored.

A passage (``passage=True``, or text that :func:`~searchkit.search.pasted.looks_pasted`)
is ranked by BM25F with coordination (:func:`~searchkit.engine.questions.words_query`);
its top :data:`~searchkit.engine.proximity.RESCORE_DEPTH` are rescored by how
close its words stand (:mod:`searchkit.engine.proximity`).
"""

from __future__ import annotations

from typing import Any

from searchkit.engine.collector import ExactTop
from searchkit.engine.listing import AnyOf
from searchkit.engine.proximity import RESCORE_DEPTH, rescore, word_sequence
from searchkit.engine.pruning import TopOf
from searchkit.errors import QueryError
from searchkit.search.facets import count_facets, matching_docs
from searchkit.search.hits import Results, highlighting, hit_from_stored

__all__ = ["passage_page"]


def passage_page(
    searcher: Any,
    text: str,
    query: AnyOf,
    page: int,
    limit: int,
    names: list[str],
    exact_total: bool,
) -> Results:
    """Rank a pasted passage: BM25F with coordination, its best matches rescored by proximity.

    Unless an exact total or facets are asked for, only the matches that can
    reach the rescored depth are scored (:mod:`searchkit.engine.pruning`).
    """
    depth = max(page * limit, RESCORE_DEPTH)
    if not (exact_total or names):
        query = TopOf.of(query, depth)
    collector = ExactTop(depth)
    searcher.search_with_collector(query, collector)
    found = [(float(score), docnum) for docnum, score in collector.results().items()]
    ranked = rescore(searcher, word_sequence(searcher.schema, text), found)
    if page > 1 and (page - 1) * limit >= len(ranked):
        raise QueryError(f"page {page} is past the last page of {len(ranked)} hits")
    terms, analyzer = highlighting(query, searcher)
    first = (page - 1) * limit
    hits = tuple(
        hit_from_stored(searcher.stored_fields(docnum), score, first + offset + 1, terms, analyzer)
        for offset, (score, docnum) in enumerate(ranked[first : first + limit])
    )
    docs = matching_docs(searcher, query) if names else None
    return Results(
        query=text,
        hits=hits,
        total=collector.total,
        page=page,
        facets=count_facets(searcher, docs, names) if names and docs is not None else {},
        total_is_exact=collector.total_is_exact,
    )

"""Query latency with snippets, per query class: searchkit against plain Whoosh and FTS5.

Each engine answers the same workload (``corpus.make_workload``) from a warm,
already opened index: top 10 hits, each with a snippet.  Benchmarks disabled,
these are correctness checks: every engine finds something for the queries
drawn from the corpus, and no more than the limit.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import engines
import pytest
from corpus import QUERY_CLASSES

if TYPE_CHECKING:
    from conftest import Indexes, Measurements
    from corpus import Corpus, Query, Workload

#: searchkit finds quotes with its own extractor, so a phrase that sits between
#: straight quote marks in the raw text is not always indexed as a quote.
MIN_QUOTE_HIT_SHARE = 0.5


@pytest.mark.parametrize("engine", engines.ENGINES)
def test_workload_finds_articles(
    engine: str,
    bench_corpus: Corpus,
    workload: Workload,
    indexes: Indexes,
    measurements: Measurements,
) -> None:
    assert {q.kind for q in workload.queries} == set(QUERY_CLASSES)
    searcher = indexes.searcher(engine)
    ids = {r["id"] for r in bench_corpus.records}
    counts: dict[str, list[int]] = {}
    misses: list[Query] = []
    for query in workload.queries:
        hits = searcher.search(query)
        found = [article_id for article_id, _ in hits]
        assert len(found) <= engines.LIMIT
        assert len(set(found)) == len(found), f"{engine}: duplicate hits for {query.text()}"
        assert set(found) <= ids
        if engine == "searchkit":
            assert all(snippet for _, snippet in hits), f"empty snippet for {query.text()}"
        counts.setdefault(query.kind, []).append(len(found))
        if not found:
            misses.append(query)
    measurements.hits[engine] = counts
    quote_misses = [q for q in misses if q.kind == "quotes:" and engine == "searchkit"]
    assert [q.text() for q in misses if q not in quote_misses] == []
    assert len(quote_misses) <= (1 - MIN_QUOTE_HIT_SHARE) * len(workload.of("quotes:"))


@pytest.mark.parametrize("kind", QUERY_CLASSES)
@pytest.mark.parametrize("engine", engines.ENGINES)
def test_query_latency(
    benchmark: Any,
    engine: str,
    kind: str,
    workload: Workload,
    indexes: Indexes,
    measurements: Measurements,
    pytestconfig: pytest.Config,
) -> None:
    queries = workload.of(kind)
    assert queries, f"the corpus gave no {kind!r} queries"
    searcher = indexes.searcher(engine)
    upcoming = itertools.cycle(queries)

    def next_query() -> tuple[tuple[Query], dict[str, Any]]:
        return (next(upcoming),), {}

    benchmark.group = f"query {kind}"
    benchmark.extra_info["queries"] = [q.text() for q in queries]
    repeat = pytestconfig.getoption("bench_repeat")
    benchmark.pedantic(
        searcher.search,
        setup=next_query,
        rounds=len(queries) * repeat,
        warmup_rounds=len(queries),
    )
    seconds = measurements.timings(benchmark)
    if seconds:
        measurements.queries.setdefault(engine, {})[kind] = seconds

"""Pasted passages: the bulk union of plain words ranks as Whoosh's union, and passage search.

:class:`~searchkit.engine.listing.AnyOf` adds up its words' scores in bulk
instead of stepping Whoosh's union one posting at a time; on random indexes
and random queries it must find, score and rank exactly what Whoosh's ``Or``
does, and the page searchkit shows must be the best of those.
"""

from __future__ import annotations

import random
from math import isclose
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.collectors import UnlimitedCollector
from whoosh.query import Or

import searchkit
from searchkit.engine.collector import ExactTop
from searchkit.engine.listing import AnyOf
from searchkit.engine.ranking import FieldsTerm

VOCABULARY = [f"w{n}" for n in range(30)] + ["harbour", "ferry", "storm", "minister"]
INDEXES = 4
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _write_corpus(folder: Path, seed: int) -> None:
    """Articles of random length over a small vocabulary, common words spanning many blocks."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
    for n in range(rng.randint(5, 400)):
        body = " ".join(rng.choices(VOCABULARY, weights, k=rng.randint(1, 80)))
        title = " ".join(rng.choices(VOCABULARY, k=rng.randint(1, 5)))
        quote = f'\n\n"{rng.choice(VOCABULARY)} {rng.choice(VOCABULARY)}," said Ann Lee.'
        (folder / f"a{n:04}.txt").write_text(
            f"title: {title}\n\n{body}.{quote if n % 3 == 0 else ''}\n", encoding="utf-8"
        )


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> list[searchkit.Index]:
    built = []
    for seed in range(INDEXES):
        folder = tmp_path_factory.mktemp(f"passages-corpus-{seed}")
        _write_corpus(folder, seed)
        built.append(searchkit.Index.build(tmp_path_factory.mktemp(f"passages-{seed}"), folder))
    return built


words = st.lists(
    st.tuples(st.sampled_from([*VOCABULARY, "absent"]), st.sampled_from([0.5, 1.0, 2.0, 3.0])),
    min_size=2,
    max_size=12,
)


def _everything(searcher: searchkit.Index, query: object) -> list[tuple[float, int]]:
    collector = UnlimitedCollector()
    searcher.searcher.search_with_collector(query, collector)
    return [(hit.score, hit.docnum) for hit in collector.results()]


@SETTINGS
@given(which=st.integers(0, INDEXES - 1), terms=words, boost=st.sampled_from([1.0, 2.0]))
def test_any_of_finds_and_scores_what_whooshs_or_does(
    indexes: list[searchkit.Index],
    which: int,
    terms: list[tuple[str, float]],
    boost: float,
) -> None:
    index = indexes[which]
    clauses = [FieldsTerm(word, boost=weight) for word, weight in terms]
    ours = dict((d, s) for s, d in _everything(index, AnyOf(clauses, boost=boost)))
    whooshs = dict((d, s) for s, d in _everything(index, Or(clauses, boost=boost)))
    assert ours.keys() == whooshs.keys()
    for docnum, score in whooshs.items():
        assert isclose(ours[docnum], score, rel_tol=1e-9), docnum


@SETTINGS
@given(
    which=st.integers(0, INDEXES - 1),
    terms=words,
    limit=st.sampled_from([1, 3, 10, 50]),
)
def test_any_of_page_is_the_best_of_whooshs_union(
    indexes: list[searchkit.Index], which: int, terms: list[tuple[str, float]], limit: int
) -> None:
    """Top ``limit`` hits, scores, order (ties by article id) and total, as Whoosh's ``Or``."""
    index = indexes[which]
    searcher = index.searcher
    clauses = [FieldsTerm(word, boost=weight) for word, weight in terms]
    collector = ExactTop(limit)
    searcher.search_with_collector(AnyOf(clauses), collector)
    results = collector.results()
    ids = searcher.reader().column_reader("id")
    expected = _everything(index, Or(clauses))
    expected.sort(key=lambda sd: ids[sd[1]])
    expected.sort(key=lambda sd: sd[0], reverse=True)
    found = [(hit.score, hit.docnum) for hit in results]
    assert [docnum for _, docnum in found] == [docnum for _, docnum in expected[:limit]]
    for (score, _), (wanted, _) in zip(found, expected, strict=False):
        assert isclose(score, wanted, rel_tol=1e-9)
    assert len(results) == len(expected)

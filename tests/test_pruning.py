"""Top-k without scoring every match: the pruned page is the exact page.

:class:`~searchkit.engine.pruning.TopOf` reads a passage's words best first
and skips what cannot reach the top ``k``; on random indexes (one segment,
and several after updates) and random queries its page must hold the same
documents, with the same scores to the last bit, in the same order, as the
exact union's (:class:`~searchkit.engine.listing.AnyOf`).  Proximity's
positions, cut out of a block only for the documents rescored, must be those
a full read of every posting gives.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchkit
from searchkit.cli import cli
from searchkit.engine.collector import ExactTop
from searchkit.engine.listing import AnyOf
from searchkit.engine.pruning import TopOf
from searchkit.engine.ranking import FieldsTerm

VOCABULARY = [f"w{n}" for n in range(30)] + ["harbour", "ferry", "storm", "minister"]
SEEDS = 3
SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _write(folder: Path, rng: random.Random, count: int, start: int = 0) -> None:
    """Articles of random length over a small vocabulary, common words spanning many blocks."""
    weights = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
    for n in range(start, start + count):
        body = " ".join(rng.choices(VOCABULARY, weights, k=rng.randint(1, 120)))
        title = " ".join(rng.choices(VOCABULARY, k=rng.randint(1, 5)))
        quote = f'\n\n"{rng.choice(VOCABULARY)} {rng.choice(VOCABULARY)}," said Ann Lee.'
        (folder / f"a{n:04}.txt").write_text(
            f"title: {title}\n\n{body}.{quote if n % 3 == 0 else ''}\n", encoding="utf-8"
        )


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> list[searchkit.Index]:
    """One index per seed in one segment, and one grown by updates into several."""
    built = []
    for seed in range(SEEDS):
        rng = random.Random(seed)
        folder = tmp_path_factory.mktemp(f"pruning-corpus-{seed}")
        _write(folder, rng, rng.randint(50, 500))
        built.append(searchkit.Index.build(tmp_path_factory.mktemp(f"pruning-{seed}"), folder))
    folder = tmp_path_factory.mktemp("pruning-corpus-updated")
    rng = random.Random(99)
    _write(folder, rng, 200)
    index = searchkit.Index.build(tmp_path_factory.mktemp("pruning-updated"), folder)
    for step in range(2):
        _write(folder, rng, 150, start=200 + 150 * step)
        (folder / f"a{step:04}.txt").unlink()
        index = index.update()
    built.append(index)
    return built


words = st.lists(
    st.tuples(st.sampled_from([*VOCABULARY, "absent"]), st.sampled_from([0.5, 1.0, 2.0, 3.0])),
    min_size=2,
    max_size=12,
)


def _page(index: searchkit.Index, query: object, k: int) -> tuple[list[tuple[int, float]], bool]:
    collector = ExactTop(k)
    index.searcher.search_with_collector(query, collector)
    return [(hit.docnum, hit.score) for hit in collector.results()], collector.total_is_exact


@SETTINGS
@given(
    which=st.integers(0, SEEDS),
    terms=words,
    k=st.sampled_from([1, 3, 10, 40]),
    coordination=st.sampled_from([0.0, 3.0]),
    boost=st.sampled_from([1.0, 2.0]),
)
def test_pruned_page_is_the_exact_page(
    indexes: list[searchkit.Index],
    which: int,
    terms: list[tuple[str, float]],
    k: int,
    coordination: float,
    boost: float,
) -> None:
    """Same documents, scores (to the bit) and order, ties broken by article id as ever."""
    index = indexes[which]
    clauses = [FieldsTerm(word, boost=weight) for word, weight in terms]
    exact, counted = _page(index, AnyOf(clauses, boost, coordination), k)
    pruned, _ = _page(index, TopOf(clauses, boost, coordination, k=k), k)
    assert counted
    assert pruned == exact


@SETTINGS
@given(which=st.integers(0, SEEDS), word=st.sampled_from(VOCABULARY))
def test_upper_bound_is_at_least_every_score(
    indexes: list[searchkit.Index], which: int, word: str
) -> None:
    """The bound MaxScore skips by is never below a document's real score, in any segment."""
    index = indexes[which]
    term = FieldsTerm(word)
    for searcher, _ in index.searcher.leaf_searchers():
        matcher = term.matcher(searcher)
        if not matcher.is_active():
            continue
        best = max(matcher.scores_for(matcher.ids))
        assert term.upper_bound(searcher) >= best


def test_skipping_happens_and_the_total_is_an_estimate(indexes: list[searchkit.Index]) -> None:
    index = indexes[0]
    passage = "w0 w1 w2 w3 w5 w8 harbour ferry storm minister"
    estimated = index.search(passage, limit=3, passage=True, collapse=False)
    exact = index.search(passage, limit=3, passage=True, collapse=False, exact_total=True)
    assert not estimated.total_is_exact
    assert exact.total_is_exact
    assert [(h.id, h.score, h.rank) for h in estimated] == [(h.id, h.score, h.rank) for h in exact]
    # Every common word is in most articles: the estimate is close to the count.
    assert abs(len(estimated) - len(exact)) <= 0.1 * len(exact)
    assert estimated.to_dict()["total_is_exact"] is False


def test_facets_and_date_order_count_exactly(indexes: list[searchkit.Index]) -> None:
    index = indexes[0]
    passage = "w0 w1 w2 w3 w5 w8 harbour ferry storm minister"
    exact = len(index.search(passage, passage=True, collapse=False, exact_total=True))
    for options in ({"facets": ["source"]}, {"sort": "date"}):
        results = index.search(passage, passage=True, collapse=False, **options)  # type: ignore[arg-type]
        assert results.total_is_exact
        assert len(results) == exact


def test_cli_says_about_and_counts_exactly_when_asked(indexes: list[searchkit.Index]) -> None:
    index = indexes[0]
    passage = "w0 w1 w2 w3 w5 w8 harbour ferry storm minister"
    exact = len(index.search(passage, passage=True, collapse=False, exact_total=True))
    common = ["query", passage, "--passage", "--no-collapse", "--index", str(index.directory)]
    estimated = CliRunner().invoke(cli, common)
    assert estimated.exit_code == 0, estimated.output
    assert estimated.output.startswith("about ")
    counted = CliRunner().invoke(cli, [*common, "--exact-count"])
    assert counted.exit_code == 0, counted.output
    assert counted.output.startswith(f"{exact:,} articles match")


@SETTINGS
@given(
    which=st.integers(0, SEEDS),
    chosen=st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=4, unique=True),
    share=st.sampled_from([0.02, 0.2, 1.0]),
    seed=st.integers(0, 2**16),
)
def test_proximity_reads_the_positions_of_the_documents_asked_for(
    indexes: list[searchkit.Index],
    which: int,
    chosen: list[str],
    share: float,
    seed: int,
) -> None:
    """Positions cut out of a few documents of each block are those of a full read."""
    from searchkit.engine.proximity import _body_positions

    index = indexes[which]
    reader = index.searcher.reader()
    draw = random.Random(seed)
    docnums = sorted(d for d in reader.all_doc_ids() if draw.random() < share)
    expected: dict[int, dict[str, list[int]]] = {}
    for word in chosen:
        if ("body", word) not in reader:
            continue
        postings = reader.postings("body", word)
        while postings.is_active():  # every posting, one at a time (Whoosh's own path)
            if postings.id() in docnums:
                expected.setdefault(postings.id(), {})[word] = list(postings.value_as("positions"))
            postings.next()
    assert _body_positions(index.searcher, chosen, docnums) == expected

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


# ---------------------------------------------------------------- passage search

SOURCE = (
    "title: Port strike\n\n"
    "Dock workers at the northern terminal walked out on Tuesday over unpaid overtime, "
    "leaving container ships anchored offshore. The union said talks would resume.\n"
)
#: Articles that repeat a few of the passage's rarer words many times, and lack the rest.
DISTRACTORS = [
    "title: Overtime rules\n\n" + "Unpaid overtime. Overtime claims. Container overtime. " * 6,
    "title: Anchored\n\n" + "Ships anchored offshore. Anchored ships. Terminal terminal. " * 6,
]
PASSAGE = "Dock workers at the northern terminal walked out on Tuesday over unpaid overtime"


@pytest.fixture(scope="module")
def passage_index(tmp_path_factory: pytest.TempPathFactory) -> searchkit.Index:
    folder = tmp_path_factory.mktemp("passage-corpus")
    (folder / "source.txt").write_text(SOURCE, encoding="utf-8")
    for n, text in enumerate(DISTRACTORS):
        (folder / f"distractor{n}.txt").write_text(text, encoding="utf-8")
    for n in range(30):  # other news, so that the passage's words have an idf
        (folder / f"other{n:02}.txt").write_text(
            f"title: Story {n}\n\nThe council met on Tuesday to discuss item {n}.\n",
            encoding="utf-8",
        )
    return searchkit.Index.build(tmp_path_factory.mktemp("passage-index"), folder)


def test_a_pasted_passage_finds_its_article_first(passage_index: searchkit.Index) -> None:
    results = passage_index.search(PASSAGE, passage=True)
    assert results[0].path.endswith("source.txt")
    assert len(results) == len(passage_index.search(PASSAGE, match="any", syntax=False))


def test_passage_text_is_never_query_syntax(passage_index: searchkit.Index) -> None:
    results = passage_index.search('Dock workers: "walked OUT" NOT (title:overtime', passage=True)
    assert results[0].path.endswith("source.txt")


def test_a_passage_rewards_articles_with_more_of_its_words(
    passage_index: searchkit.Index,
) -> None:
    """Coordination: the share of the passage's words an article has counts, steeply."""
    from searchkit.engine.questions import PASSAGE_COORDINATION, words_query

    query = words_query(passage_index.searcher.schema, ["overtime", "dock"], passage=True)
    assert query.normalize().coordination == PASSAGE_COORDINATION
    plain = words_query(passage_index.searcher.schema, ["overtime", "dock"], match="any")
    stored = passage_index.searcher.stored_fields
    coordinated = {stored(d)["path"]: score for score, d in _everything(passage_index, query)}
    plain_scores = {stored(d)["path"]: score for score, d in _everything(passage_index, plain)}
    assert plain_scores.keys() == coordinated.keys()
    for path, score in coordinated.items():
        share = 1.0 if path.endswith("source.txt") else 0.5  # both words, or only "overtime"
        assert isclose(score, plain_scores[path] * share**PASSAGE_COORDINATION, rel_tol=1e-9)


def test_cli_passage_option(passage_index: searchkit.Index) -> None:
    import json

    from click.testing import CliRunner

    from searchkit.cli import cli

    result = CliRunner().invoke(
        cli,
        [
            "query",
            PASSAGE,
            "--passage",
            "--format",
            "jsonl",
            "--index",
            str(passage_index.directory),
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[0])["path"].endswith("source.txt")


def test_a_passage_in_order_is_raised_by_proximity(tmp_path: Path) -> None:
    """Proximity rescoring: an article with the words in order gains; one with them apart, not."""
    from searchkit.engine.proximity import PROXIMITY_WEIGHT
    from searchkit.engine.questions import words_query

    folder = tmp_path / "corpus"
    folder.mkdir()
    filler = "Council members debated budgets, roads, schools, parks, libraries and pensions. "
    scattered = "title: Ferry\n\n" + "".join(
        f"The {word} was noted. {filler}" for word in ["storm", "damaged", "harbour", "ferry"] * 2
    )
    printed = f"title: Notes\n\nA storm damaged the harbour ferry. {filler * 3}\n"
    halfway = f"title: Notes\n\nThe storm damaged roads. {filler} The harbour ferry waited.\n"
    for name, text in [("scattered", scattered), ("printed", printed), ("halfway", halfway)]:
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    for n in range(20):
        (folder / f"other{n:02}.txt").write_text(f"Council item {n} was read.\n", encoding="utf-8")
    index = searchkit.Index.build(tmp_path / "index", folder)
    passage = "storm damaged the harbour ferry"
    results = index.search(passage, passage=True, collapse=False)
    stored = index.searcher.stored_fields
    query = words_query(index.searcher.schema, passage.split(), passage=True)
    plain = {Path(stored(d)["path"]).stem: score for score, d in _everything(index, query)}
    # Pairs found in order: all 3 (storm damag, damag harbour, harbour ferri), none, 2 of 3.
    shares = {"printed": 1.0, "scattered": 0.0, "halfway": 2 / 3}
    scores = {Path(hit.path).stem: hit.score for hit in results}
    assert scores.keys() == shares.keys()
    for name, share in shares.items():
        assert isclose(scores[name], plain[name] * (1 + PROXIMITY_WEIGHT * share), rel_tol=1e-9)
    assert [hit.score for hit in results] == sorted(scores.values(), reverse=True)


def test_a_collapsed_passage_search_is_rescored_as_an_uncollapsed_one(tmp_path: Path) -> None:
    """With wire copies collapsed, the page is ranked by the same rescored scores."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    story = (
        "Dock workers at the northern terminal walked out on Tuesday over unpaid overtime, "
        "leaving container ships anchored offshore while the port authority and the union "
        "traded blame for the dispute, which began when night shifts were cut last month."
    )
    for name, date in [("wire-a", "2024-03-01"), ("wire-b", "2024-03-02")]:
        (folder / f"{name}.txt").write_text(
            f"title: Port strike\ndate: {date}\n\n{story}\n", encoding="utf-8"
        )
    (folder / "apart.txt").write_text(
        "title: Terminal\ndate: 2024-03-03\n\nOvertime was unpaid. Workers were angry. "
        "The dock was quiet on Tuesday at the northern terminal.\n",
        encoding="utf-8",
    )
    for n in range(20):
        (folder / f"other{n:02}.txt").write_text(f"Council item {n} was read.\n", encoding="utf-8")
    index = searchkit.Index.build(tmp_path / "index", folder)
    passage = "Dock workers at the northern terminal walked out on Tuesday over unpaid overtime"
    every = index.search(passage, passage=True, collapse=False)
    collapsed = index.search(passage, passage=True)
    assert collapsed.collapsed_total == len(every) - 1
    # The same ranking, the later printing folded into the earlier one.
    assert [Path(hit.path).stem for hit in collapsed] == [
        Path(hit.path).stem for hit in every if Path(hit.path).stem != "wire-b"
    ]
    by_path = {Path(hit.path).stem: hit for hit in every}
    for hit in collapsed:
        assert hit.score == by_path[Path(hit.path).stem].score
    (wire,) = [hit for hit in collapsed if Path(hit.path).stem == "wire-a"]
    assert [copy.id for copy in wire.copies] == [by_path["wire-b"].id]

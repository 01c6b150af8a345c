"""Building, opening and updating an index directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import searchkit
from searchkit.index import storage
from tests.conftest import SAMPLE_TXT, SEED_000, SEED_004, SEEDS, need


def test_build_reports_and_counts(seed_index: searchkit.Index) -> None:
    assert len(seed_index) == 2
    assert seed_index.report is not None
    assert (seed_index.report.added, seed_index.report.skipped) == (2, 0)
    assert searchkit.Index.exists(seed_index.directory)


def test_stats(seed_index: searchkit.Index) -> None:
    stats = seed_index.stats()
    assert stats.articles == 2
    assert stats.outlets == {"The Straits Times": 1, "Week in China": 1}
    assert str(stats.first_date) == str(stats.last_date) == "2024-01-01"
    assert stats.quotes > 5 and stats.size_bytes > 0


def test_article_returns_stored_fields(seed_index: searchkit.Index) -> None:
    article = seed_index.article(SEED_004)
    assert article["title"] == "A change in China’s North Korea strategy?"
    assert article["boilerplate"].startswith("©")
    assert any("responsible government" in q["text"] for q in article["quotes"])
    with pytest.raises(searchkit.SearchkitError, match="no article with id 'nope'"):
        seed_index.article("nope")


def test_open_missing_and_foreign_directories(tmp_path: Path) -> None:
    with pytest.raises(searchkit.NoIndexError, match="searchkit index PATH"):
        searchkit.Index.open(tmp_path / "none")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("hello")
    with pytest.raises(searchkit.IndexError_, match="not a searchkit index"):
        searchkit.Index.open(tmp_path / "other")


def test_incompatible_format_is_refused(seeds_copy: Path, tmp_path: Path) -> None:
    index = searchkit.Index.build(tmp_path / "ix", seeds_copy)
    meta_file = index.generation / "searchkit.json"
    meta_file.write_text(json.dumps({"format": 999}))
    with pytest.raises(searchkit.IndexError_, match="incompatible searchkit version; rebuild"):
        searchkit.Index.open(tmp_path / "ix")


def test_update_adds_changes_and_removes(seeds_copy: Path, tmp_path: Path) -> None:
    directory = tmp_path / "ix"
    searchkit.Index.build(directory, seeds_copy)
    unchanged = searchkit.Index.open(directory).update()
    assert unchanged.report is not None
    assert (unchanged.report.added, unchanged.report.updated, unchanged.report.unchanged) == (
        0,
        0,
        2,
    )

    (seeds_copy / "new.txt").write_text("Ferry news\n\nThe ferry to Jeju resumed service.")
    path_000 = seeds_copy / f"{SEED_000}.txt"
    path_000.write_text(path_000.read_text() + "\n\nA late paragraph about zeppelins.")
    (seeds_copy / f"{SEED_004}.txt").unlink()
    updated = searchkit.Index.open(directory).update()
    report = updated.report
    assert report is not None
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 0)
    assert len(updated) == 2
    assert [h.id for h in updated.search("zeppelins")] == [SEED_000]
    assert [h.id for h in updated.search("ferry")] == ["new"]
    assert len(updated.search("weibo")) == 0


def test_failed_build_leaves_old_index_untouched(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "ix"
    searchkit.Index.build(directory, seeds_copy)
    before = sorted(p.name for p in directory.iterdir())

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(storage, "swap", explode)
    with pytest.raises(RuntimeError):
        searchkit.Index.build(directory, seeds_copy)
    assert sorted(p.name for p in directory.iterdir()) == before
    assert len(searchkit.Index.open(directory).search("repatriation")) == 2


def test_rebuild_keeps_only_live_and_previous_generation(tmp_path: Path) -> None:
    directory = tmp_path / "ix"
    for _ in range(3):
        searchkit.Index.build(directory, SEEDS)
    assert len(list(directory.glob("gen-*"))) == 2


def test_second_writer_waits_then_fails(tmp_path: Path) -> None:
    directory = tmp_path / "ix"
    with (
        storage.writer_lock(directory, 1),
        pytest.raises(
            searchkit.IndexLockedError, match="being written by another searchkit process"
        ),
    ):
        searchkit.Index.build(directory, SEEDS, lock_timeout=0.2)


def test_duplicate_ids_are_reported(tmp_path: Path) -> None:
    for name in ("a", "b"):
        # Different texts: the same article under one id would be a copy, indexed once.
        text = f"Text about otters from {name}."
        (tmp_path / f"{name}.jsonl").write_text(f'{{"id": "same", "text": "{text}"}}\n')
    index = searchkit.Index.build(tmp_path / "ix", tmp_path)
    assert index.report is not None
    assert index.report.skipped == 1
    assert "duplicate id 'same'" in str(index.report.problems[0])
    assert len(index) == 1


def test_the_same_file_name_in_two_roots_indexes_both_and_keeps_ids(tmp_path: Path) -> None:
    for folder in ("outlet-b", "outlet-a"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "2024-01-01.txt").write_text(f"Title\n\nText about {folder}.")
    roots = [tmp_path / "outlet-b", tmp_path / "outlet-a"]
    index = searchkit.Index.build(tmp_path / "ix", roots)
    assert index.report is not None and index.report.problems == []
    ids = {hit.id: hit.path for hit in index.search("text", limit=5)}
    assert ids == {
        "2024-01-01": str(tmp_path / "outlet-a" / "2024-01-01.txt"),
        "outlet-b/2024-01-01": str(tmp_path / "outlet-b" / "2024-01-01.txt"),
    }
    index = index.update()
    assert index.report is not None and index.report.unchanged == 2
    # Updated from every root, the id stays with the root that had it.
    built_from_b = searchkit.Index.build(tmp_path / "ix2", roots[:1])
    both = built_from_b.update(roots)
    assert {hit.id for hit in both.search("text", limit=5)} == {
        "2024-01-01",
        "outlet-a/2024-01-01",
    }
    assert both.report is not None and both.report.unchanged == 1


def test_strict_build_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "good.txt").write_text("Title\n\nGood text.")
    (tmp_path / "docs" / "bad.txt").write_bytes(b"")
    with pytest.raises(searchkit.ArticleError, match="empty file"):
        searchkit.Index.build(tmp_path / "ix", tmp_path / "docs", strict=True)
    assert not searchkit.Index.exists(tmp_path / "ix")


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hand worker processes batches of 4 articles, so a small corpus is written in parallel."""
    from searchkit.index import writing

    monkeypatch.setattr(writing, "BATCH_SIZE", 4)


def _answers(index: searchkit.Index) -> dict[str, object]:
    """What a user sees from an index; hits with equal scores may come in any order."""
    queries = ["minister", "oil prices", '"central bank"', "said", "source:reuters trade"]

    def hits(query: str) -> list[tuple[float, str]]:
        return sorted((-round(h.score, 6), h.id) for h in index.search(query, limit=50))

    return {
        "count": len(index),
        "hits": {query: hits(query) for query in queries},
        "quotes": sorted(
            (q.article_id, q.text, q.speaker) for q in index.quotes("", kind=None, limit=1000)
        ),
        "speakers": [(s.name, s.quotes) for s in index.speakers(limit=100)],
        "stems": json.loads((index.generation / storage.STEMS_FILE).read_text()),
    }


@pytest.mark.usefixtures("small_batches")
def test_parallel_build_matches_serial_build(tmp_path: Path) -> None:
    roots = [need(SAMPLE_TXT), SEEDS]
    serial = searchkit.Index.build(tmp_path / "serial", roots, procs=1)
    parallel = searchkit.Index.build(tmp_path / "parallel", roots, procs=2)
    assert _answers(parallel) == _answers(serial)
    assert len(parallel.search("repatriation")) == 2


@pytest.mark.usefixtures("small_batches")
def test_parallel_update_matches_serial_update(tmp_path: Path) -> None:
    sample = need(SAMPLE_TXT)
    built = {}
    for procs in (1, 2):
        directory = tmp_path / f"procs{procs}"
        searchkit.Index.build(directory, SEEDS, procs=procs)
        built[procs] = searchkit.Index.open(directory).update([SEEDS, sample], procs=procs)
    assert _answers(built[2]) == _answers(built[1])


@pytest.mark.usefixtures("small_batches")
def test_a_failing_worker_fails_the_build_and_keeps_the_old_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from searchkit.index import writing

    directory = tmp_path / "ix"
    searchkit.Index.build(directory, SEEDS)
    before = sorted(p.name for p in directory.iterdir())
    extract = writing.extract_quotes

    def fail_on_zeppelins(text: str, sentences: object = None) -> object:
        if "zeppelin" in text:
            raise RuntimeError("quote extractor bug")
        return extract(text, sentences)

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(20):
        words = "zeppelin" if number == 13 else "ferry"
        (corpus / f"a{number:02}.txt").write_text(f"Title {number}\n\nA story about a {words}.")
    monkeypatch.setattr(writing, "extract_quotes", fail_on_zeppelins)
    with pytest.raises(
        searchkit.IndexError_, match="indexing worker failed: RuntimeError: quote extractor bug"
    ):
        searchkit.Index.build(directory, corpus, procs=2)
    assert sorted(p.name for p in directory.iterdir()) == before
    assert len(searchkit.Index.open(directory).search("repatriation")) == 2

"""Everyday maintenance never breaks an index: edits, stale leftovers, races, links, interrupts."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli.commands import cli
from searchkit.index import storage


def _article(folder: Path, name: str, text: str, source: str | None = None) -> None:
    header = f"source: {source}\n" if source else ""
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f"title: {name}\n{header}\n{text}\n", encoding="utf-8")


def _invoke(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_an_edited_article_without_an_outlet_then_update_keeps_every_command_working(
    tmp_path: Path,
) -> None:
    """The issue's first report: stats and source facets died with a traceback."""
    corpus, ix = tmp_path / "m3", tmp_path / "m3-idx"
    corpus.mkdir()
    _article(corpus, "a.txt", "Spain unveils a plan this month, the minister said.")
    assert _invoke("index", "--index", ix, corpus)[0] == 0
    with open(corpus / "a.txt", "a", encoding="utf-8") as handle:
        handle.write("More text.\n")
    assert _invoke("index", "--index", ix)[0] == 0
    code, out, err = _invoke("stats", "--index", ix)
    assert (code, err) == (0, "") and "articles: 1" in out
    code, out, err = _invoke("query", "spain", "--facets", "source", "--index", ix)
    assert (code, err) == (0, "") and "(unknown)" in out


def test_counts_after_an_update_are_those_of_a_rebuild(tmp_path: Path) -> None:
    """20 articles without an outlet, then 300 from one outlet: 300 and 292, not 320 and 311."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(20):
        _article(corpus, f"plain/{n:03}.txt", f"Story {n} about the harbour.")
    index = searchkit.Index.build(tmp_path / "ix", corpus)
    for n in range(300):
        word = "ferry" if n >= 8 else "barge"
        _article(corpus, f"coast/{n:03}.txt", f"Story {n} about the {word}.", "Coast News")
    index = index.update()
    assert index.stats().outlets == {"Coast News": 300, "(unknown)": 20}
    assert index.search("ferry", facets=["source"]).facets["source"] == {"Coast News": 292}
    rebuilt = searchkit.Index.build(tmp_path / "fresh", corpus)
    assert index.stats().outlets == rebuilt.stats().outlets


def test_a_no_change_update_removes_what_killed_writers_left(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _article(corpus, "a.txt", "First story.")
    index = searchkit.Index.build(tmp_path / "ix", corpus)
    _article(corpus, "b.txt", "Second story.")
    index = index.update()  # the previous generation stays for its readers
    previous = storage.previous_generations(index.directory, index.generation)
    assert previous
    leftover = index.directory / "gen-99991231T000000000000-1"  # a writer killed mid-build
    leftover.mkdir()
    (leftover / "half-written.seg").write_bytes(b"x" * 100)
    report = index.update().report
    assert report is not None and report.unchanged == 2 and not report.added
    left = {p.name for p in index.directory.glob("gen-*")}
    assert left == {index.generation.name, *previous}


def test_two_first_builds_started_together_index_both_folders(tmp_path: Path) -> None:
    """One lock covers 'is there an index?' and the write: the later run updates."""
    alpha, omega, ix = tmp_path / "alpha", tmp_path / "omega", tmp_path / "ix"
    for folder, word in ((alpha, "alpha"), (omega, "omega")):
        folder.mkdir()
        for n in range(30):
            _article(folder, f"{word}-{n}.txt", f"A story about {word} number {n}.")
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "searchkit", "index", str(folder), "--index", str(ix)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for folder in (alpha, omega)
    ]
    assert [run.wait(120) for run in runs] == [0, 0]
    with searchkit.Index.open(ix) as index:
        assert (len(index), len(index.search("alpha")), len(index.search("omega"))) == (60, 30, 30)


def test_a_plain_update_reads_the_roots_of_the_index_it_locked(tmp_path: Path) -> None:
    """A rebuild on B between opening and locking must not bring A back."""
    alpha, omega = tmp_path / "alpha", tmp_path / "omega"
    for folder in (alpha, omega):
        folder.mkdir()
        _article(folder, f"{folder.name}.txt", f"About {folder.name}.")
    stale = searchkit.Index.build(tmp_path / "ix", alpha)
    searchkit.Index.build(tmp_path / "ix", omega).close()
    updated = stale.update()
    assert [h.id for h in updated.search("omega OR alpha")] == ["omega"]


def test_a_lock_file_replaced_by_a_link_is_refused_and_its_target_untouched(
    tmp_path: Path,
) -> None:
    corpus, ix = tmp_path / "corpus", tmp_path / "ix"
    corpus.mkdir()
    _article(corpus, "a.txt", "Story.")
    searchkit.Index.build(ix, corpus).close()
    target = tmp_path / "victim"
    (ix / "LOCK").unlink()
    (ix / "LOCK").symlink_to(target)
    code, _, err = _invoke("index", "--index", ix)
    assert code == 1 and "symbolic link" in err and len(err.splitlines()) == 1
    assert not target.exists()


def test_a_link_planted_as_the_pointers_temporary_file_is_not_written_through(
    tmp_path: Path,
) -> None:
    corpus, ix = tmp_path / "corpus", tmp_path / "ix"
    corpus.mkdir()
    _article(corpus, "a.txt", "Story.")
    searchkit.Index.build(ix, corpus).close()
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    (ix / f"CURRENT.{os.getpid()}.tmp").symlink_to(victim)
    searchkit.Index.build(ix, corpus).close()
    assert victim.read_text() == "precious\n"
    assert not (ix / "CURRENT").is_symlink()
    assert searchkit.Index.open(ix).search("story").total == 1


def test_a_folder_that_was_indexed_and_is_gone_gets_a_fix_not_a_failure_loop(
    tmp_path: Path,
) -> None:
    kept, gone, ix = tmp_path / "kept", tmp_path / "gone", tmp_path / "ix"
    for folder in (kept, gone):
        folder.mkdir()
        _article(folder, f"{folder.name}.txt", f"About {folder.name}.")
    assert _invoke("index", "--index", ix, kept, gone)[0] == 0
    gone.rename(tmp_path / "moved")
    code, out, err = _invoke("index", "--index", ix)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1
    assert "no longer exists" in err and f"--rebuild {kept}" in err
    assert _invoke("index", "--rebuild", kept, "--index", ix)[0] == 0
    assert _invoke("index", "--index", ix)[0] == 0


def test_a_full_disk_is_one_line_and_keeps_the_old_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, ix = tmp_path / "corpus", tmp_path / "ix"
    corpus.mkdir()
    _article(corpus, "a.txt", "Old story.")
    searchkit.Index.build(ix, corpus).close()
    _article(corpus, "b.txt", "New story.")
    from whoosh.writing import SegmentWriter

    cancel = SegmentWriter.cancel

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    def cancel_then_fail(writer: SegmentWriter) -> None:
        cancel(writer)
        full()

    monkeypatch.setattr(SegmentWriter, "commit", full)
    monkeypatch.setattr(SegmentWriter, "cancel", cancel_then_fail)  # Whoosh's clean-up fails too
    code, out, err = _invoke("index", "--index", ix)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and "space" in err, err
    monkeypatch.undo()
    assert searchkit.Index.open(ix).search("story").total == 1


@pytest.mark.parametrize("after_swap", [False, True])
def test_ctrl_c_exits_130_and_says_which_index_is_live(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after_swap: bool
) -> None:
    corpus, ix = tmp_path / "corpus", tmp_path / "ix"
    corpus.mkdir()
    _article(corpus, "a.txt", "Old story.")
    searchkit.Index.build(ix, corpus).close()
    _article(corpus, "b.txt", "New story.")

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    if after_swap:
        monkeypatch.setattr(storage, "remove_stale_generations", interrupt)
    else:
        monkeypatch.setattr("searchkit.index.writing.write", interrupt)
    code, out, err = _invoke("index", "--index", ix)
    assert code == 130 and out == ""
    expected = "it is live" if after_swap else "left as it was"
    assert len(err.splitlines()) == 1 and expected in err, err
    monkeypatch.undo()
    assert searchkit.Index.open(ix).search("story").total == (2 if after_swap else 1)
    with storage.writer_lock(ix, 0.1):  # the lock was released
        pass


def test_an_unreadable_index_says_permission_not_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, ix = tmp_path / "corpus", tmp_path / "ix"
    corpus.mkdir()
    _article(corpus, "a.txt", "Story.")
    searchkit.Index.build(ix, corpus).close()
    real_open = open

    def denied(file: object, *args: object, **kwargs: object) -> object:
        if str(file).endswith(".toc"):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", denied)
    with pytest.raises(searchkit.IndexError_, match="permission denied") as error:
        searchkit.Index.open(ix)
    assert "damaged" not in str(error.value)

"""A sharded build reads each file once, settles ids as one index does, and cleans up after itself.

The articles are read once, in parts, and spilled to the shard each id routes
to (``searchkit.index.spill``); copies, duplicate ids and ids two roots share
are settled over all of them together.  These tests hold a sharded build to
what one index of the same folders keeps and reports, and check that a write,
finished, failed or interrupted, leaves no spill folder behind.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli.commands import cli
from searchkit.index import storage
from searchkit.index.build import catalogue
from searchkit.index.shards import read_manifest


def _article(folder: Path, name: str, text: str) -> None:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def _two_outlets(base: Path) -> list[Path]:
    """Two roots that share file names (so ids), with a copy and a broken record."""
    a, b = base / "outlet-a", base / "outlet-b"
    for n in range(12):
        _article(a, f"2024-01-{n + 1:02d}.txt", f"Harbour story {n}.\n\nThe port strike, day {n}.")
    for n in range(0, 12, 2):  # the same names as outlet-a's: renamed in one of the roots
        _article(b, f"2024-01-{n + 1:02d}.txt", f"Market story {n}.\n\nShares fell {n} pct.")
    _article(b, "copy.txt", "Harbour story 3.\n\nThe port strike, day 3.")  # outlet-a's, again
    records = [
        {"id": "wire-1", "title": "Coffee", "text": "Coffee exports rose.", "source": "Reuters"},
        {"id": "wire-1", "title": "Coffee again", "text": "A second record, one id."},
    ]
    lines = [json.dumps(r) for r in records] + ["{broken json"]
    _article(b, "wire.jsonl", "\n".join(lines) + "\n")
    return [a, b]


def _seen(index: searchkit.Index) -> dict[str, Any]:
    return {
        "articles": catalogue(index.searcher),
        "hits": [(h.id, h.score) for h in index.search("port OR shares OR coffee", match="any")],
    }


def _problems(index: searchkit.Index) -> list[str]:
    assert index.report is not None
    return [str(problem) for problem in index.report.problems]


def test_each_file_is_read_once_whatever_the_number_of_shards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from searchkit.articles import files

    roots = _two_outlets(tmp_path / "news")
    read: Counter[str] = Counter()
    real = files.read_file

    def counted(task: Any, *args: Any, **kwargs: Any) -> Any:
        read[str(task.file)] += 1
        return real(task, *args, **kwargs)

    monkeypatch.setattr(files, "read_file", counted)
    with searchkit.Index.index(tmp_path / "ix", roots, shards=5) as built:
        assert len(built) == 12 + 6 + 1
    assert len(read) == 12 + 6 + 2 and set(read.values()) == {1}, read


@pytest.mark.parametrize("shards", [2, 3, 5])
def test_ids_two_roots_share_copies_and_problems_settle_as_in_one_index(
    tmp_path: Path, shards: int
) -> None:
    roots = _two_outlets(tmp_path / "news")
    with (
        searchkit.Index.build(tmp_path / "one", roots) as one,
        searchkit.Index.index(tmp_path / "sharded", roots, shards=shards) as sharded,
    ):
        assert "outlet-b/2024-01-01" in catalogue(one.searcher)  # renamed: a shared id
        assert _seen(sharded) == _seen(one)
        assert _problems(sharded) == _problems(one)
        assert any("duplicate of" in p for p in _problems(one))  # the copy
        assert any("duplicate id 'wire-1'" in p for p in _problems(one))
    # An edit in the root that lost the id goes to the shard of the renamed id.
    _article(roots[1], "2024-01-01.txt", "Market story 0.\n\nShares rose after all.")
    _article(roots[0], "2024-01-13.txt", "Harbour story 13.\n\nThe strike ended.")
    with (
        searchkit.Index.open(tmp_path / "sharded") as old,
        old.update() as updated,
        searchkit.Index.build(tmp_path / "fresh", roots) as fresh,
    ):
        assert updated.report is not None
        assert (updated.report.added, updated.report.updated) == (1, 1)
        assert _seen(updated) == _seen(fresh)
        assert _problems(updated) == _problems(fresh)


def test_no_write_leaves_a_spill_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    roots = _two_outlets(tmp_path / "news")
    directory = tmp_path / "ix"
    searchkit.Index.index(directory, roots, shards=3).close()
    assert not list(directory.glob("spill-*"))
    (directory / "spill-0123456789ab" / "part-00000").mkdir(parents=True)  # a killed writer's
    _article(roots[0], "late.txt", "Late story.\n\nThe port reopened.")
    searchkit.Index.index(directory).close()
    assert not list(directory.glob("spill-*"))

    manifest = read_manifest(directory)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("searchkit.index.cluster.write_shard", full)
    _article(roots[0], "later.txt", "Later story.\n\nThe port closed again.")
    with pytest.raises(OSError, match="No space"):
        searchkit.Index.index(directory)
    assert not list(directory.glob("spill-*"))
    assert read_manifest(directory) == manifest


@pytest.mark.parametrize("after_swap", [False, True])
def test_ctrl_c_during_a_sharded_build_exits_130_and_says_which_index_is_live(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after_swap: bool
) -> None:
    roots = _two_outlets(tmp_path / "news")
    directory = tmp_path / "ix"
    searchkit.Index.index(directory, roots, shards=3).close()
    _article(roots[0], "late.txt", "Late story.\n\nThe port reopened.")

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    if after_swap:  # once the new manifest is written
        monkeypatch.setattr("searchkit.index.shards.tidy", interrupt)
    else:
        monkeypatch.setattr("searchkit.index.cluster.write_shard", interrupt)
    result = CliRunner().invoke(cli, ["index", "--index", str(directory)])
    assert result.exit_code == 130 and result.stdout == ""
    expected = "it is live" if after_swap else "left as it was"
    assert len(result.stderr.splitlines()) == 1 and expected in result.stderr, result.stderr
    monkeypatch.undo()
    assert not list(directory.glob("spill-*"))
    with searchkit.Index.open(directory) as index:
        assert index.search("reopened").total == (1 if after_swap else 0)
    with storage.writer_lock(directory, 0.1):  # the lock was released
        pass

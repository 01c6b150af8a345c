"""A whole collection in: nothing silent, copies indexed once, slow readers on every core."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import searchkit
from searchkit.cli import cli
from tests.test_readers import PAGE

READS = ".atom, .csv, .htm, .html, .jsonl, .md, .pdf, .rss, .txt, .warc, .warc.gz, .xml"


def index(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["index", *map(str, args)])


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("skipped: ", "warning: "))]


def unknown(path: Path, kind: str) -> str:
    return (
        f"skipped: {path}: unknown file type {kind}; not read. searchkit reads {READS}: "
        "rename it if it is one of these, or move it out of the folder"
    )


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A folder as users keep one: articles, other documents, hidden files, a saved page."""
    corpus = tmp_path / "corpus"
    (corpus / ".git").mkdir(parents=True)
    (corpus / ".git" / "config").write_text("[core]\n")
    (corpus / ".notes.txt").write_text("Hidden\n\nAn editor's scratch file.")
    (corpus / "a.txt").write_text("Otters return\n\nThe otters came back to the river.")
    (corpus / "brief.docx").write_bytes(b"PK\x03\x04 a word document")
    (corpus / "photo.jpeg").write_bytes(b"\xff\xd8\xff")
    (corpus / "README").write_text("What this folder is.")
    (corpus / "sources.csv").write_text("file,source\na.txt,River News\n")
    (corpus / "ferry.html").write_text(PAGE, encoding="utf-8")
    (corpus / "ferry_files").mkdir()
    (corpus / "ferry_files" / "app.js").write_text("x()")
    (corpus / "other_files").mkdir()  # not beside a page of that name: read
    (corpus / "other_files" / "data.bin").write_bytes(b"\x00")
    return corpus


def test_files_not_read_are_each_reported_and_exit_1(mixed: Path) -> None:
    ix = mixed / "ix"  # the index inside the folder indexed is not read either
    result = index(mixed, "--index", ix)
    assert result.exit_code == 1, result.output
    assert problem_lines(result.stderr) == [
        unknown(mixed / "README", "(no suffix)"),
        unknown(mixed / "brief.docx", "'.docx'"),
        unknown(mixed / "photo.jpeg", "'.jpeg'"),
        unknown(mixed / "other_files" / "data.bin", "'.bin'"),
    ]
    assert "2 articles" in result.stderr and "4 skipped" in result.stderr
    again = index("--index", ix)  # an update reads the index's own folder no more than a build
    assert again.exit_code == 1 and "0 added, 0 updated, 0 removed, 2 unchanged" in again.stderr
    with searchkit.Index.open(ix) as opened:
        assert sorted(h.id for h in opened.search("*", limit=10)) == ["a", "ferry"]
        assert opened.article("a")["source"] == "River News"
        report = searchkit.Index.build(mixed.parent / "ix2", mixed).report
    assert report is not None and report.skipped == 4


def test_another_index_in_the_folder_is_not_read(mixed: Path, tmp_path: Path) -> None:
    searchkit.Index.build(mixed / "old-index", mixed / "a.txt").close()
    result = index(mixed, "--index", tmp_path / "ix")
    assert "old-index" not in result.stderr and "2 articles" in result.stderr


def test_strict_stops_at_a_file_not_read_and_writes_nothing(mixed: Path, tmp_path: Path) -> None:
    result = index(mixed, "--index", tmp_path / "ix", "--strict")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {mixed / 'README'}: unknown file type (no suffix)")
    assert not (tmp_path / "ix" / "CURRENT").exists()


def test_a_file_name_that_is_not_text_is_reported_escaped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Otters\n\nThe otters came back.")
    (tmp_path / "evil\x1b]0;owned\x07.exe").write_bytes(b"MZ")
    result = index(tmp_path, "--index", tmp_path / "ix")
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "unknown file type '.exe'" in result.stderr


def test_identical_articles_at_two_paths_are_indexed_once(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "copies").mkdir(parents=True)
    story = "Otters return\n\nThe otters came back to the river after forty years."
    (corpus / "b.txt").write_text(story)
    (corpus / "copies" / "b.txt").write_text(story)
    (corpus / "c.txt").write_text("Voles\n\nThe voles did not.")
    result = index(corpus, "--index", tmp_path / "ix")
    assert result.exit_code == 1
    assert problem_lines(result.stderr) == [
        f"skipped: {corpus / 'copies' / 'b.txt'}: duplicate of {corpus / 'b.txt'} "
        "(the same article); skipped"
    ]
    assert "2 articles" in result.stderr
    # The kept copy is the first path in name order, whatever the index held.
    shutil.copy(corpus / "b.txt", corpus / "a.txt")
    updated = index("--index", tmp_path / "ix")
    assert "1 added, 0 updated, 1 removed, 1 unchanged, 2 skipped" in updated.stderr
    with searchkit.Index.open(tmp_path / "ix") as ix:
        assert sorted(h.id for h in ix.search("*", limit=10)) == ["a", "c"]
        assert ix.report is None
    fresh = searchkit.Index.build(tmp_path / "fresh", corpus)
    assert fresh.report is not None
    assert [p.location for p in fresh.report.problems] == [
        str(corpus / "b.txt"),
        str(corpus / "copies" / "b.txt"),
    ]
    assert sorted(h.id for h in fresh.search("*", limit=10)) == ["a", "c"]


def test_the_same_record_under_two_ids_is_indexed_once(tmp_path: Path) -> None:
    line = '{{"id": "{}", "title": "Otters", "text": "The otters came back."}}\n'
    (tmp_path / "feed.jsonl").write_text(line.format("r2") + line.format("r1"))
    with searchkit.Index.build(tmp_path / "ix", tmp_path / "feed.jsonl") as ix:
        assert [h.id for h in ix.search("otters")] == ["r2"]  # the first line is kept
        assert ix.report is not None
        [problem] = ix.report.problems
    assert str(problem) == (
        f"{tmp_path / 'feed.jsonl'}:2: duplicate of {tmp_path / 'feed.jsonl'}:1 "
        "(the same article); skipped"
    )


def _pages(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    for number in range(count):
        page = PAGE.replace("Ferry terminal", f"Ferry terminal {number}")
        page = page.replace("finally there", f"finally there at pier {number}")
        (folder / f"page-{number:02}.html").write_text(page, encoding="utf-8")
    (folder / "broken.html").write_text("<html><body><div id='root'></div></body></html>")
    (folder / "notes.txt").write_text("Notes\n\nThe pages were saved in March.")
    return folder


def _read(ix: searchkit.Index) -> tuple[list[tuple[str, str, str]], list[str]]:
    # Every page, not one per group of wire copies: the twelve pages are near-duplicates.
    hits = ix.search("*", limit=100, sort="date", collapse=False)
    articles = sorted((h.id, h.title, ix.article(h.id)["body"]) for h in hits)
    assert ix.report is not None
    return articles, [str(p) for p in ix.report.problems]


def test_web_pages_read_on_two_cores_index_as_on_one(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "pages", 12)
    with searchkit.Index.build(tmp_path / "one", pages, procs=1) as one:
        alone = _read(one)
    with searchkit.Index.build(tmp_path / "two", pages, procs=2) as two:
        assert _read(two) == alone
    assert len(alone[0]) == 13 and any("broken.html" in p for p in alone[1])


def test_a_reader_process_that_dies_leaves_its_files_to_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from searchkit.articles.readers import html

    pages = _pages(tmp_path / "pages", 12)
    parent, read_html = os.getpid(), html.read_html

    def crash_in_a_worker(source: object) -> object:
        if os.getpid() != parent and str(getattr(source, "file", "")).endswith("page-03.html"):
            os._exit(3)  # a library crashing on one page takes its process down
        return read_html(source)  # type: ignore[arg-type]

    monkeypatch.setattr(html, "read_html", crash_in_a_worker)
    with searchkit.Index.build(tmp_path / "two", pages, procs=2) as two:
        crashed = _read(two)
    monkeypatch.undo()
    with searchkit.Index.build(tmp_path / "one", pages, procs=1) as one:
        assert crashed == _read(one)

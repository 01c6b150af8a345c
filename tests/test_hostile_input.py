"""Hostile and broken input: mixed encodings, lone surrogates, symlinks, shifted JSONL lines.

Each corpus is made in ``tmp_path``; symlinks point at folders made there too, so
nothing outside the test's own folder is read (the walk is watched to prove it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

import searchkit
from searchkit.articles import decode as decoding
from searchkit.articles.records import parse_record
from searchkit.cli.commands import cli

ROOT = Path(__file__).resolve().parents[1]


def index(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["index", *map(str, args)])


def ids_for(index_dir: Path, text: str) -> list[str]:
    with searchkit.Index.open(index_dir) as ix:
        return sorted(hit.id for hit in ix.search(text, limit=100))


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("skipped: ", "warning: "))]


def assert_no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- encodings

# A UTF-8 file into which two lines of Latin-1 were pasted (lines 3 and 5), and one
# line holding a UTF-8 sequence cut short (line 7), which is not Latin-1.
MIXED = (
    "Zürich headline\n\nThe café in Zürich opened.\n".encode()
    + b"Le caf\xe9 de la gare, d\xe9j\xe0 vu.\n"
    + "A second “UTF-8” line.\n".encode()
    + b"Na\xefve fa\xe7ade, said the ma\xeetre d'.\n"
    + b"\n"
    + b"An emoji cut in half \xf0\x9f\x98 here.\n"
)


def test_decode_repairs_latin1_lines_in_utf8_and_replaces_the_rest() -> None:
    text, notes = decoding._decode(MIXED)
    assert text.splitlines() == [
        "Zürich headline",
        "",
        "The café in Zürich opened.",
        "Le café de la gare, déjà vu.",
        "A second “UTF-8” line.",
        "Naïve façade, said the maître d'.",
        "",
        "An emoji cut in half \ufffd\ufffd\ufffd here.",
    ]
    assert notes == [
        "lines 4, 6: not UTF-8; read as Windows-1252",
        "line 8: invalid UTF-8; 3 bad byte(s) replaced with U+FFFD",
    ]


def test_a_mixed_file_is_indexed_with_its_accented_words(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "mixed.txt").write_bytes(MIXED)
    result = index(corpus, "--index", tmp_path / "ix")
    assert_no_traceback(result)
    assert result.exit_code == 0, result.stderr  # repaired, so a warning, not a skip
    assert problem_lines(result.stderr) == [
        f"warning: {corpus / 'mixed.txt'}: lines 4, 6: not UTF-8; read as Windows-1252",
        f"warning: {corpus / 'mixed.txt'}: line 8: invalid UTF-8; 3 bad byte(s) replaced "
        "with U+FFFD",
    ]
    for word in ("café", "déjà", "façade", "maître", "zürich"):
        assert ids_for(tmp_path / "ix", word) == ["mixed"], word
    with searchkit.Index.open(tmp_path / "ix") as ix:
        assert "Le café de la gare, déjà vu." in str(ix.article("mixed")["body"])


def test_a_mixed_jsonl_file_is_repaired_record_by_record(tmp_path: Path) -> None:
    good = json.dumps({"id": "a", "title": "Zürich", "text": "The café."}, ensure_ascii=False)
    latin = '{"id": "b", "title": "Caf\xe9", "text": "Le caf\xe9 de la gare."}'.encode("latin-1")
    (tmp_path / "r.jsonl").write_bytes(good.encode() + b"\n" + latin + b"\n")
    problems: list[searchkit.ArticleError] = []
    found = {a.id: a for a in searchkit.read_articles(tmp_path, on_problem=problems.append)}
    assert found["b"].body == "Le café de la gare." and found["a"].title == "Zürich"
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'r.jsonl'}:2: not UTF-8; read as Windows-1252"
    ]


@pytest.mark.parametrize(
    ("text", "encoding", "name"),
    [
        # Long enough for charset-normalizer to recognise the language.
        ("Москва — столица России. Президент заявил журналистам в Кремле.", "cp1251", "1251"),
        ("Zażółć gęślą jaźń. Prezydent powiedział dziennikarzom w Łodzi.", "cp1250", "1250"),
        # Too short to tell, or plainly Western: read as Windows-1252.
        ("Café déjà", "cp1252", "1252"),
        ("Le café déjà vu à Montréal, naïve façade.", "latin-1", "1252"),
        ("“Smart” quotes — and the euro € sign, said Müller.", "cp1252", "1252"),
    ],
)
def test_legacy_encodings_are_detected(text: str, encoding: str, name: str) -> None:
    decoded, notes = decoding._decode(f"Headline\n\n{text}".encode(encoding))
    assert decoded == f"Headline\n\n{text}"
    assert notes == [f"line 3: not UTF-8; read as Windows-{name}"]


def test_a_long_legacy_file_names_the_first_lines_and_counts_the_rest() -> None:
    data = "".join(f"Ligne {n} : café\n" for n in range(1, 31)).encode("latin-1")
    assert decoding._decode(data)[1] == [
        "lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, … (30 lines): not UTF-8; read as Windows-1252"
    ]


def test_charset_normalizer_is_asked_only_about_files_that_are_not_utf8(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import charset_normalizer

    asked: list[bytes] = []
    real = charset_normalizer.from_bytes

    def from_bytes(data: bytes, *args: object, **kwargs: object) -> object:
        asked.append(data)
        return real(data, *args, **kwargs)

    monkeypatch.setattr(charset_normalizer, "from_bytes", from_bytes)
    assert len(list(searchkit.read_articles(ROOT / "seeds"))) == 2
    assert asked == []
    searchkit.articles.decode.decode("caf\xe9 ".encode("latin-1") * 20)
    assert len(asked) == 1


def test_queries_never_import_charset_normalizer(tmp_path: Path) -> None:
    # Built here: writing imports NLTK (sentences) and datasketch (wire copies),
    # and either may import charset_normalizer; a query must not.
    searchkit.Index.build(tmp_path / "ix", ROOT / "seeds").close()
    # A fresh interpreter: the test process has imported it already.
    script = f"""
import sys
from click.testing import CliRunner
import searchkit
from searchkit.cli.commands import cli

ix_dir = {str(tmp_path / "ix")!r}
ix = searchkit.Index.open(ix_dir)
list(ix.search("repatriation"))
for args in (["--help"], ["index", "--help"], ["query", "china", "--index", ix_dir]):
    assert CliRunner().invoke(cli, args).exit_code == 0, args
print("charset_normalizer" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"]


# ---------------------------------------------------------------- lone surrogates

FIELDS = ("id", "title", "text", "date", "source", "url", "dateline", "author")


def _surrogate_records() -> str:
    """JSONL with a lone surrogate escape in each field in turn, and one good record."""
    lines = []
    for number, name in enumerate(FIELDS):
        record = {
            "id": f"s{number}",
            "title": f"Title {number}",
            "text": "The okapi story.",
            "date": "2024-01-02",
        }
        record[name] = record.get(name, "x") + " \ud83d"
        lines.append(json.dumps(record))  # ensure_ascii writes "\\ud83d", as exporters do
    lines.append(json.dumps({"id": "good", "title": "Good", "text": "The okapi again."}))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("how", ["build", "update"])
def test_a_lone_surrogate_is_replaced_not_fatal(tmp_path: Path, how: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    if how == "update":
        (corpus / "first.txt").write_text("First\n\nThe gnu story.")
        assert index(corpus, "--index", tmp_path / "ix").exit_code == 0
    (corpus / "r.jsonl").write_text(_surrogate_records(), encoding="ascii")
    result = index(corpus, "--index", tmp_path / "ix")
    assert_no_traceback(result)
    assert result.exit_code == 0, result.stderr
    lines = problem_lines(result.stderr)
    for number, name in enumerate(FIELDS, start=1):
        wanted = (
            f"warning: {corpus / 'r.jsonl'}:{number}: field {name!r}: 1 lone surrogate(s) "
            "(half an emoji?) replaced with U+FFFD"
        )
        assert wanted in lines, result.stderr
    okapis = ids_for(tmp_path / "ix", "okapi")
    assert len(okapis) == len(FIELDS) + 1 and "s0 \ufffd" in okapis
    with searchkit.Index.open(tmp_path / "ix") as ix:
        assert ix.article("s1")["title"] == "Title 1 \ufffd"
        assert ix.article("s4")["source"] == "x \ufffd"


surrogate_text = st.text(st.sampled_from(["\ud83d", "\ude00", "\udfff"]) | st.characters())


@settings(max_examples=200, deadline=None)
@given(
    record=st.fixed_dictionaries(
        {"id": surrogate_text}, optional=dict.fromkeys(FIELDS[1:], surrogate_text)
    )
)
def test_no_field_of_a_record_carries_a_surrogate(record: dict[str, str]) -> None:
    try:
        article = parse_record(record, path="r.jsonl", line=1)
    except searchkit.ArticleError:
        return
    for value in article.to_dict().values():
        if isinstance(value, str):
            value.encode("utf-8")  # what Whoosh does: raises on a surrogate
    assert all(isinstance(p, str) for p in article.problems)


def test_file_and_folder_names_that_are_not_utf8(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    folder = os.path.join(os.fsencode(corpus), b"r\xe9sum\xe9s")
    os.makedirs(folder)
    with open(os.path.join(folder, b"a.txt"), "w") as handle:
        handle.write("Head\n\nThe dingo ran.")
    with open(os.path.join(os.fsencode(corpus), b"caf\xe9.jsonl"), "w") as handle:
        handle.write(json.dumps({"id": "rec", "title": "Rec", "text": "The dingo swam."}) + "\n")
    result = index(corpus, "--index", tmp_path / "ix")
    assert_no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert ids_for(tmp_path / "ix", "dingo") == ["r\\xe9sum\\xe9s/a", "rec"]
    again = index(corpus, "--index", tmp_path / "ix")
    assert again.exit_code == 0 and "0 added, 0 updated, 0 removed, 2 unchanged" in again.stderr
    shown = CliRunner().invoke(cli, ["show", "r\\xe9sum\\xe9s/a", "--index", str(tmp_path / "ix")])
    assert shown.exit_code == 0 and "The dingo ran." in shown.stdout


# ---------------------------------------------------------------- symlinks


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """A corpus with links out of it (a file, a folder, the file system root) and within it."""
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "secret.txt").write_text("Secret\n\nThe outside marmot.")
    (outside / "deep" / "more.txt").write_text("More\n\nThe outside ferret.")
    corpus = tmp_path / "corpus"
    (corpus / "2024").mkdir(parents=True)
    (corpus / "inside.txt").write_text("Inside\n\nThe inside badger.")
    (corpus / "2024" / "jan.txt").write_text("January\n\nThe inside stoat.")
    (corpus / "passwd.txt").symlink_to(outside / "secret.txt")
    (corpus / "elsewhere").symlink_to(outside)
    (corpus / "everything").symlink_to("/")
    (corpus / "latest").symlink_to("2024")  # a second way into a folder of the corpus
    (corpus / "2024" / "up").symlink_to("..")  # a loop
    (outside / "back").symlink_to(corpus)  # a loop through the outside, when followed
    return corpus


def _watch_scandir(monkeypatch: pytest.MonkeyPatch, index_dir: Path) -> list[str]:
    """Record the real path of every folder listed, except in the index being written."""
    listed: list[str] = []
    original: Callable[..., Any] = os.scandir

    def scandir(path: Any) -> Any:
        if not os.path.realpath(path).startswith(str(index_dir)):
            listed.append(os.path.realpath(path))
        return original(path)

    monkeypatch.setattr(os, "scandir", scandir)
    return listed


def test_links_out_of_the_folder_are_not_followed(
    linked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = _watch_scandir(monkeypatch, tmp_path / "ix")
    result = index(linked, "--index", tmp_path / "ix")
    assert_no_traceback(result)
    assert result.exit_code == 0, (
        result.stderr
    )  # a policy, not a failure: nothing asked for is lost
    outside = tmp_path / "outside"
    out = "outside the folder indexed; not followed (--follow-links follows it)"
    assert problem_lines(result.stderr) == [
        f"warning: {linked / 'elsewhere'}: symlink to {outside}, {out}",
        f"warning: {linked / 'everything'}: symlink to /, {out}",
        f"warning: {linked / 'passwd.txt'}: symlink to {outside / 'secret.txt'}, {out}",
        f"warning: {linked / 'latest'}: symlink to {linked / '2024'}, a folder read already; "
        "not followed",
        f"warning: {linked / '2024' / 'up'}: symlink loop; not followed",
    ]
    assert sorted(listed) == [str(linked), str(linked / "2024")]  # each folder once, none outside
    assert ids_for(tmp_path / "ix", "inside") == ["2024/jan", "inside"]
    assert ids_for(tmp_path / "ix", "outside") == []
    shown = CliRunner().invoke(cli, ["show", "passwd", "--index", str(tmp_path / "ix")])
    assert shown.exit_code == 1


def test_follow_links_follows_them_once_each_and_updates_remember_it(
    linked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (linked / "everything").unlink()  # following / would read the whole machine
    listed = _watch_scandir(monkeypatch, tmp_path / "ix")
    result = index(linked, "--index", tmp_path / "ix", "--follow-links")
    assert_no_traceback(result)
    # passwd.txt and elsewhere/secret.txt are one file: indexed once, the copy reported.
    assert result.exit_code == 1, result.stderr
    outside = tmp_path / "outside"
    assert sorted(listed) == sorted(map(str, [linked, linked / "2024", outside, outside / "deep"]))
    assert problem_lines(result.stderr) == [
        f"warning: {linked / 'latest'}: symlink to {linked / '2024'}, a folder read already; "
        "not followed",
        f"warning: {linked / '2024' / 'up'}: symlink loop; not followed",
        f"warning: {linked / 'elsewhere' / 'back'}: symlink loop; not followed",
        f"skipped: {linked / 'passwd.txt'}: duplicate of {linked / 'elsewhere' / 'secret.txt'} "
        "(the same article); skipped",
    ]
    assert ids_for(tmp_path / "ix", "outside") == ["elsewhere/deep/more", "elsewhere/secret"]
    again = index("--index", tmp_path / "ix")  # a plain update: links followed as before
    assert again.exit_code == 1 and "0 removed, 4 unchanged, 1 skipped" in again.stderr
    with searchkit.Index.open(tmp_path / "ix") as ix:
        plain = ix.update(follow_links=False)
    assert plain.report is not None and plain.report.removed == 2


def test_read_articles_follows_links_only_within_the_folder_they_are_in(linked: Path) -> None:
    (linked / "everything").unlink()
    problems: list[searchkit.ArticleError] = []
    ids = [a.id for a in searchkit.read_articles(linked, on_problem=problems.append)]
    assert ids == ["inside", "2024/jan"]
    assert all(not p.skipped for p in problems) and len(problems) == 4
    both = [
        a.id
        for a in searchkit.read_articles(
            [linked, linked.parent / "outside"], on_problem=problems.append
        )
    ]
    assert both == ["inside", "2024/jan", "secret", "deep/more"]  # each file once


def test_a_sources_csv_linked_from_outside_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "outside.csv").write_text("file,source\na.txt,Leaked Outlet\n")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Head\n\nThe vole story.")
    (corpus / "sources.csv").symlink_to(tmp_path / "outside.csv")
    problems: list[searchkit.ArticleError] = []
    [article] = searchkit.read_articles(corpus, on_problem=problems.append)
    assert article.source is None
    assert [str(p) for p in problems] == [
        f"{corpus / 'sources.csv'}: symlink to {tmp_path / 'outside.csv'}, outside the folder "
        "indexed; ignored"
    ]
    [followed] = searchkit.read_articles(corpus, follow_links=True)
    assert followed.source == "Leaked Outlet"


# ---------------------------------------------------------------- JSONL content hash


def test_a_blank_line_above_jsonl_records_changes_nothing(tmp_path: Path) -> None:
    records = [{"id": f"r{n}", "title": f"R{n}", "text": f"The lynx number {n}."} for n in range(3)]
    jsonl = tmp_path / "corpus" / "r.jsonl"
    jsonl.parent.mkdir()
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records))
    built = searchkit.Index.build(tmp_path / "ix", jsonl.parent)
    jsonl.write_text("\n" + jsonl.read_text())
    updated = built.update()
    assert updated.report is not None
    assert (updated.report.added, updated.report.updated, updated.report.unchanged) == (0, 0, 3)
    # The hash still sees content: an edited record is re-indexed.
    records[1]["text"] = "The lynx moved."
    jsonl.write_text("\n" + "".join(json.dumps(r) + "\n" for r in records))
    edited = updated.update()
    assert edited.report is not None and edited.report.updated == 1


def test_a_records_hash_leaves_out_its_line_but_not_its_file() -> None:
    record = {"id": "a", "title": "A", "text": "Body."}
    first = parse_record(record, path="r.jsonl", line=1)
    moved = parse_record(record, path="r.jsonl", line=7)
    other = parse_record(record, path="s.jsonl", line=1)
    assert (first.path, moved.path, first.line, moved.line) == ("r.jsonl", "r.jsonl", 1, 7)
    assert first.content_hash == moved.content_hash != other.content_hash

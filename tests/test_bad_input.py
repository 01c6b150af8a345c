"""Bad input: every nasty file gets one specific line on stderr, every good one is indexed.

The corpus is made in ``tmp_path``: empty and binary files, legacy encodings,
odd line endings, NUL bytes, a 50 MB "article", broken JSONL, symlink loops,
unreadable files and file names that are not UTF-8.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import searchkit
from searchkit.articles import model as articles
from searchkit.cli.commands import cli

ROOT = Path(__file__).resolve().parents[1]
LATIN1_NAME = b"caf\xe9-latin1.txt"
PRINTED_LATIN1_NAME = "caf\\xe9-latin1.txt"

# file name -> words that must be searchable once it is indexed.
GOOD: dict[str, tuple[str | bytes, str]] = {
    "plain.txt": (
        "title: Plain story\ndate: 2023-04-05\n\nThe zebra crossing was repainted.",
        "zebra",
    ),
    "crlf.txt": (
        b"title: CRLF story\r\ndate: 2023-01-02\r\n\r\nThe capybara\r\nrelaxed.\r\n",
        "capybara",
    ),
    "cr.txt": (b"title: CR story\rdate: 2023-01-03\r\rThe axolotl\rregenerated.\r", "axolotl"),
    "utf8bom.txt": ("Heading\n\nThe platypus swam to Zürich.".encode("utf-8-sig"), "platypus"),
    "utf16.txt": ("Heading\n\nThe wombat ate crème brûlée.".encode("utf-16"), "brûlée"),
    "utf16be.txt": (b"\xfe\xff" + "Heading\n\nThe numbat ate.".encode("utf-16-be"), "numbat"),
    "quotes.md": (
        "Quotes\n\n“Unbalanced opening, said Kang. \"Mixed” marks' and «guillemets» „low” "
        "ones ‘here. The marmoset said: “never closed",
        "marmoset",
    ),
    "longline.txt": ("Long line\n\n" + "narwhal " * 131_072, "narwhal"),  # one 1 MB line
}
# file name -> (content, searchable word, the warning it gets on stderr)
WARNED: dict[str, tuple[str | bytes, str, str]] = {
    "latin1.txt": (
        "Titre\n\nLe café déjà vu à Montréal, naïve façade.".encode("latin-1"),
        "montréal",
        "line 3: not UTF-8; read as Windows-1252",
    ),
    "cp1252.txt": (
        "Title\n\n“Smart” quotes — and the euro € sign, said Müller.".encode("cp1252"),
        "müller",
        "line 3: not UTF-8; read as Windows-1252",
    ),
    "broken_utf8.txt": (  # a UTF-8 sequence cut short: not Latin-1, so replaced
        "Café headline\n\nThe ".encode() + b"\xe2\x80 quokka hopped.",
        "quokka",
        "line 3: invalid UTF-8; 2 bad byte(s) replaced with U+FFFD",
    ),
    "nul.txt": (b"Head\n\nThe ibis\x00 flew\x00 away.", "ibis", "line 3: 2 NUL byte(s) removed"),
    "baddate.txt": (
        "date 2024-02-30 PARIS –\nThe okapi story.",
        "okapi",
        "date '2024-02-30' does not exist; indexed without a date",
    ),
    "future.txt": (
        "date 2999-01-01 PARIS –\nThe tapir story.",
        "tapir",
        "date '2999-01-01' is in the future; kept as written",
    ),
    "unknown.txt": (
        "title: Unknown keys\nmood: grumpy\n\nThe pangolin story.",
        "pangolin",
        "line 2: unknown header key 'mood' ignored",
    ),
}


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello " * 100)
    return buffer.getvalue()


BINARY = "binary file, not text (is it a PDF, image or archive?); skipped"
# file name -> (content, the message it gets on stderr); each of these is skipped.
SKIPPED: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "empty file; skipped"),
    "blank.txt": (b"  \n\n \t\n", "empty file; skipped"),
    "report.pdf.txt": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\n" + bytes(range(256)), BINARY),
    "photo.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), BINARY),
    "archive.txt": (_zip_bytes(), BINARY),
    "utf16_no_bom.txt": (
        "Heading\n\nNo byte-order mark here.".encode("utf-16-le"),
        "looks like UTF-16 without a byte-order mark; save it as UTF-8; skipped",
    ),
}
RECORDS = [
    json.dumps({"id": "r1", "title": "R1", "text": "The quetzal flew.", "date": "2020-01-01"}),
    "{broken",
    json.dumps({"id": "r2", "title": 5, "text": "wrong type"}),
    json.dumps({"id": "r1", "title": "again", "text": "The duplicate dugong."}),
    json.dumps([1, 2]),
    "",
    json.dumps({"id": "r3", "title": "R3", "text": "The kakapo.", "date": "2023-13-45"}),
    json.dumps({"title": "no id", "text": "An idless record."}),
]
RECORD_MESSAGES = {
    2: "broken JSON (Expecting property name enclosed in double quotes at column 2); skipped",
    3: "field 'title' must be a string, not int",
    4: "duplicate id 'r1' (first in ",
    5: "expected a JSON object with id, title and text",
    7: "date '2023-13-45' does not exist; indexed without a date",
}


def _write(path: Path, content: str | bytes) -> None:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)


@pytest.fixture
def nasty(tmp_path: Path) -> Path:
    """A folder holding good articles beside every kind of bad file."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, (content, _) in GOOD.items():
        _write(corpus / name, content)
    for name, (content, _, _) in WARNED.items():
        _write(corpus / name, content)
    for name, (content, _) in SKIPPED.items():
        _write(corpus / name, content)
    (corpus / "records.jsonl").write_text("\n".join(RECORDS) + "\n", encoding="utf-8")
    (corpus / "dup").mkdir()
    (corpus / "dup" / "plain.txt").write_text("Other\n\nNot a duplicate: ids include folders.")
    (corpus / "same.md").write_text("Same id\n\nThe first of two files called same.")
    (corpus / "same.txt").write_text("Same id\n\nThe second file called same: a dugong.")
    (corpus / "loop").mkdir()
    (corpus / "loop" / "up").symlink_to("..")
    (corpus / "self.txt").symlink_to("self.txt")
    (corpus / "dangling.txt").symlink_to("nowhere.txt")
    os.mkfifo(corpus / "pipe.txt")
    with open(os.path.join(os.fsencode(corpus), LATIN1_NAME), "wb") as handle:
        handle.write(b"Odd name\n\nThe jerboa hopped.")
    return corpus


# file (relative to the corpus) -> the message after "skipped: <path>: " / "warning: <path>: "
def expected_lines(corpus: Path) -> dict[str, str]:
    lines = {f"warning: {corpus / n}: {w}" for n, (_, _, w) in WARNED.items()}
    lines |= {f"skipped: {corpus / n}: {m}" for n, (_, m) in SKIPPED.items()}
    lines |= {f"{corpus / 'records.jsonl'}:{n}: {m}" for n, m in RECORD_MESSAGES.items()}
    lines |= {
        f"skipped: {corpus / 'same.txt'}: duplicate id 'same' (first in {corpus / 'same.md'})",
        f"warning: {corpus / 'records.jsonl'}: line 8: no id (id, stories_id, guid, fingerprint) "
        "and no url; each record's id is made from its content",
        f"warning: {corpus / 'loop' / 'up'}: symlink loop; not followed",
        f"skipped: {corpus / 'self.txt'}: cannot read (Too many levels of symbolic links); "
        "a symlink loop; skipped",
        f"skipped: {corpus / 'dangling.txt'}: cannot read (No such file or directory); "
        "a broken symlink, or deleted while reading; skipped",
        f"skipped: {corpus / 'pipe.txt'}: not a regular file (a pipe or device?); skipped",
        f"warning: {corpus / PRINTED_LATIN1_NAME}: file name is not UTF-8; "
        "indexed as id 'caf\\xe9-latin1', rename the file",
    }
    return {line: line for line in lines}


def ids_for(index_dir: Path, text: str) -> list[str]:
    with searchkit.Index.open(index_dir) as ix:
        return [hit.id for hit in ix.search(text, limit=100)]


def index(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["index", *map(str, args)])


def assert_no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.startswith(tuple("0123456789"))]


def test_every_problem_is_one_specific_line_and_good_articles_are_indexed(
    nasty: Path, tmp_path: Path
) -> None:
    result = index(nasty, "--index", tmp_path / "ix")
    assert_no_traceback(result)
    assert result.exit_code == 1
    lines = problem_lines(result.stderr)
    for wanted in expected_lines(nasty):
        assert any(wanted in line for line in lines), f"no line with {wanted!r} in\n{result.stderr}"
    # one line per problem, nothing else: every line names a file of the corpus
    assert all(line.startswith(("skipped: ", "warning: ")) for line in lines), lines
    assert all(str(nasty) in line for line in lines), lines
    summary = result.stderr.splitlines()[-1]
    skipped = sum(line.startswith("skipped: ") for line in lines)
    assert skipped == len(SKIPPED) + 4 + 4  # files, record lines, duplicate/pipe/symlinks
    assert f", {skipped} skipped (" in summary

    found = {word: ids_for(tmp_path / "ix", word) for word in _searchable()}
    assert all(found.values()), {w: ids for w, ids in found.items() if not ids}
    assert found["zebra"] == ["plain"] and found["quetzal"] == ["r1"]
    [made] = ids_for(tmp_path / "ix", "idless")  # the record with no id, named by its content
    assert re.fullmatch("records-[0-9a-f]{16}", made)
    assert "dup/plain" in ids_for(tmp_path / "ix", "duplicate")
    assert found["jerboa"] == ["caf\\xe9-latin1"]
    assert ids_for(tmp_path / "ix", "dugong") == []  # the duplicate file and record: skipped


def _searchable() -> list[str]:
    words = [word for _, word in GOOD.values()] + [word for _, word, _ in WARNED.values()]
    return [*words, "quetzal", "kakapo", "jerboa", "zürich", "crème", "façade", "euro"]


ENCODED = ["latin1", "cp1252", "utf16", "utf8bom", "crlf", "cr", "nul", "broken_utf8", "longline"]


def test_other_encodings_are_decoded_not_mangled(nasty: Path, tmp_path: Path) -> None:
    index(nasty, "--index", tmp_path / "ix")
    with searchkit.Index.open(tmp_path / "ix") as ix:
        fields = {i: ix.article(i) for i in [*ENCODED, "baddate", "future"]}
    bodies = {i: article["body"] for i, article in fields.items()}
    assert bodies["latin1"] == "Le café déjà vu à Montréal, naïve façade."
    assert bodies["cp1252"] == "“Smart” quotes — and the euro € sign, said Müller."
    assert bodies["utf16"] == "The wombat ate crème brûlée."
    assert bodies["utf8bom"] == "The platypus swam to Zürich."
    assert bodies["crlf"] == "The capybara relaxed." and bodies["cr"] == "The axolotl regenerated."
    assert bodies["nul"] == "The ibis flew away."
    assert bodies["broken_utf8"] == "The \ufffd\ufffd quokka hopped."
    assert fields["broken_utf8"]["title"] == "Café headline"
    assert (fields["crlf"]["date"], fields["cr"]["date"]) == ("2023-01-02", "2023-01-03")
    assert (fields["baddate"]["date"], fields["future"]["date"]) == (None, "2999-01-01")
    assert len(bodies["longline"]) == len("narwhal " * 131_072) - 1


def test_a_real_process_reports_without_traceback(nasty: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "searchkit", "index", str(nasty), "--index", str(tmp_path / "ix")],
        capture_output=True,
        text=True,
        errors="surrogateescape",
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    lines = problem_lines(done.stderr)
    assert all(line.startswith(("skipped: ", "warning: ")) for line in lines), done.stderr
    for wanted in expected_lines(nasty):
        assert any(wanted in line for line in lines), f"no line with {wanted!r} in\n{done.stderr}"
    assert " added, 0 updated, 0 removed, 0 unchanged, " in done.stderr.splitlines()[-1]


def test_only_warnings_exit_zero(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, (content, _, _) in WARNED.items():
        _write(corpus / name, content)
    result = index(corpus, "--index", tmp_path / "ix")
    assert_no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert len(problem_lines(result.stderr)) == len(WARNED)
    assert f"{len(WARNED)} articles in" in result.stderr and ", 0 skipped (" in result.stderr


def test_strict_refuses_before_writing_anything(nasty: Path, tmp_path: Path) -> None:
    result = index(nasty, "--index", tmp_path / "ix", "--strict")
    assert_no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert not searchkit.Index.exists(tmp_path / "ix")
    assert not list((tmp_path / "ix").glob("gen-*"))


def test_strict_leaves_the_old_index_as_it_was(nasty: Path, tmp_path: Path) -> None:
    good = tmp_path / "good"
    good.mkdir()
    (good / "a.txt").write_text("Head\n\nThe gazelle ran.")
    assert index(good, "--index", tmp_path / "ix").exit_code == 0
    before = sorted(p.name for p in (tmp_path / "ix").iterdir())
    for args in ([nasty, "--rebuild"], [nasty]):
        result = index(*args, "--index", tmp_path / "ix", "--strict")
        assert result.exit_code == 1 and result.stderr.startswith("Error: ")
        assert sorted(p.name for p in (tmp_path / "ix").iterdir()) == before
        assert ids_for(tmp_path / "ix", "gazelle") == ["a"]


def test_a_50_mb_article_is_skipped_quickly_with_the_limit(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paragraph = "The minister said talks “would resume”, Mr Kang said on Monday. " * 20 + "\n\n"
    block = paragraph.encode()
    with open(corpus / "huge.txt", "wb") as handle:
        handle.write(b"Huge headline\n\n")
        handle.write(block * (50 * 2**20 // len(block)))
    (corpus / "small.txt").write_text("Small\n\nThe lemur slept.")
    result = index(corpus, "--index", tmp_path / "ix")
    assert_no_traceback(result)
    assert result.exit_code == 1
    limit = articles.MAX_ARTICLE_BYTES // 2**20
    assert (
        f"skipped: {corpus / 'huge.txt'}: 50.0 MB, over the {limit} MB limit for an article; "
        "split it; skipped"
    ) in result.stderr
    assert ids_for(tmp_path / "ix", "lemur") == ["small"]


def test_a_huge_jsonl_record_is_skipped_by_line(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    huge = json.dumps(
        {"id": "big", "title": "Big", "text": "word " * (articles.MAX_ARTICLE_BYTES // 4)}
    )
    small = json.dumps({"id": "small", "title": "Small", "text": "The lemur slept."})
    (corpus / "r.jsonl").write_text(f"{small}\n{huge}\n")
    result = index(corpus, "--index", tmp_path / "ix")
    assert result.exit_code == 1
    assert f"{corpus / 'r.jsonl'}:2: record over the 8 MB limit for an article; skipped" in (
        result.stderr
    )
    assert ids_for(tmp_path / "ix", "lemur") == ["small"]


def _deny(monkeypatch: pytest.MonkeyPatch, target: Path, name: str, module: object) -> None:
    """Make ``module.name(target)`` fail with EACCES, as a chmod 000 does for non-root."""
    original: Callable[..., object] = getattr(module, name)

    def denied(self_or_path: object, *args: object, **kwargs: object) -> object:
        if Path(os.fsdecode(self_or_path)) == target:  # type: ignore[arg-type]
            raise PermissionError(errno.EACCES, "Permission denied", str(target))
        return original(self_or_path, *args, **kwargs)

    monkeypatch.setattr(module, name, denied)


def test_unreadable_file_and_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "locked").mkdir(parents=True)
    (corpus / "locked" / "inside.txt").write_text("Inside\n\nThe secret gecko.")
    (corpus / "secret.txt").write_text("Secret\n\nThe hidden gecko.")
    (corpus / "open.txt").write_text("Open\n\nThe visible lemur.")
    (corpus / "secret.txt").chmod(0)
    (corpus / "locked").chmod(0)
    try:
        if os.geteuid() == 0:  # root reads anything: make the reads fail as they would
            _deny(monkeypatch, corpus / "secret.txt", "read_bytes", Path)
            _deny(monkeypatch, corpus / "locked", "scandir", os)
        result = index(corpus, "--index", tmp_path / "ix")
    finally:
        (corpus / "locked").chmod(0o755)
        (corpus / "secret.txt").chmod(0o644)
    assert_no_traceback(result)
    assert result.exit_code == 1
    assert problem_lines(result.stderr) == [
        f"skipped: {corpus / 'secret.txt'}: cannot read (Permission denied); "
        "check its permissions; skipped",
        f"skipped: {corpus / 'locked'}: cannot read folder (Permission denied); "
        "check its permissions; skipped",
    ]
    assert ids_for(tmp_path / "ix", "lemur") == ["open"]


def test_a_file_given_directly_and_a_missing_path(nasty: Path, tmp_path: Path) -> None:
    for name in ("empty.txt", "photo.txt"):
        result = index(nasty / name, "--index", tmp_path / name)
        assert_no_traceback(result)
        assert result.exit_code == 1 and f"skipped: {nasty / name}: " in result.stderr
    result = index(nasty / "nope.txt", "--index", tmp_path / "ix")
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_a_root_folder_whose_name_is_not_utf8(tmp_path: Path) -> None:
    folder = os.path.join(os.fsencode(tmp_path), b"caf\xe9")
    os.mkdir(folder)
    with open(os.path.join(folder, b"a.txt"), "w") as handle:
        handle.write("Head\n\nThe dingo.")
    result = index(os.fsdecode(folder), "--index", tmp_path / "ix")
    assert_no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "not UTF-8" in result.stderr


@pytest.mark.parametrize("then", [["index", "GOOD"], ["index"], ["stats"]])
def test_an_index_whose_only_file_was_skipped(nasty: Path, tmp_path: Path, then: list[str]) -> None:
    result = index(nasty / "empty.txt", "--index", tmp_path / "ix")
    assert result.exit_code == 1 and "0 articles in" in result.stderr
    args = [str(nasty / "plain.txt") if arg == "GOOD" else arg for arg in then]
    result = CliRunner().invoke(cli, [*args, "--index", str(tmp_path / "ix")])
    assert_no_traceback(result)
    assert result.exit_code in (0, 1), result.output

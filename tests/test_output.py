"""Nothing from a collection reaches a terminal or a spreadsheet raw.

A planted collection carries terminal escape sequences (OSC 52 clipboard
writes, OSC 0 window titles, screen clears, hidden text, CR overwrites, a
one-byte C1 CSI, bidi overrides) in every field, in file names and in the
index folder's name, and spreadsheet formulas in titles, outlets and quotes.
Every command prints it in every format without a raw control character.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.cli import escape, render
from searchkit.cli.commands import cli
from tests.conftest import SEEDS
from tests.test_cli import run

ESC = "\x1b"
CLIPBOARD = ESC + "]52;c;cHduZWQ=\x07"
TITLE = ESC + "]0;pwned\x07"
CLEAR = ESC + "[2J"
PLANTED = CLIPBOARD + TITLE + CLEAR + " \x9b31m \u202eevil\u202c \u2066x\u2069 \x7f"
PLANTED_ID = "plant" + ESC + "]0;id\x07"
# Anything a terminal acts on; only a newline may reach it raw.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SHOWN = r"\x1b]0;pwned\x07"  # how the planted window title is printed instead
NASTY = list("\x1b\x07\r\n\t\x00\x7f\x85\x9b\u202a\u202e\u2066\u2069\udcff\ud800\\'\"é“\u200f")

RECORDS = [
    {
        "id": PLANTED_ID,
        "title": "Trade deal " + PLANTED,
        "source": "Reuters\rOfficial notice: ALL CLEAR" + ESC + "[8m<script>x</script>",
        "url": "http://example.com/" + TITLE,
        "author": "Ann " + CLEAR,
        "dateline": "PARIS" + ESC + "[31m",
        "date": "2024-03-01",
        "text": "The trade deal was signed. "
        + PLANTED
        + " “We will win the trade war"
        + TITLE
        + ",” said Jane Doe on Monday.\n\nThe tariff\ttalks go on.",
    },
    {
        "id": "formula",
        "title": '=HYPERLINK("http://evil.example","click")',
        "source": "+Outlet",
        "date": "2024-03-02",
        "text": "The trade deal and the tariff talks. “=1+2 is the trade deal we want,” "
        "said Bob Smith on Monday.",
    },
]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Index the planted collection into a folder whose own name is planted too."""
    base = tmp_path_factory.mktemp("planted")
    docs = base / "docs"
    docs.mkdir()
    lines = [json.dumps(r) for r in RECORDS]
    (docs / "planted.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (docs / f"bad{TITLE}.txt").write_bytes(b"%PDF-1.4\x00\x00\x00")
    index_dir = base / f"index{CLEAR}"
    result = CliRunner().invoke(cli, ["index", str(docs), "--index", str(index_dir)])
    assert result.exit_code == 1  # the binary file was skipped
    return index_dir, result.stderr


def test_index_warnings_show_file_and_folder_names_inertly(planted: tuple[Path, str]) -> None:
    _, err = planted
    assert not RAW.search(err)
    assert f"skipped: {planted[0].parent}/docs/bad{SHOWN}.txt: binary file" in err
    assert "articles in " in err and r"index\x1b[2J: 2 added" in err


LISTINGS = [
    ("query", "trade"),
    ("query", "trade", "--facets", "source,speaker,dateline"),
    ("quotes", "trade"),
    ("speakers",),
    ("timeline", "trade"),
    ("similar", "formula"),
]
FORMATS = ["text", "json", "jsonl", "csv", "csv-excel"]


@pytest.mark.parametrize(
    ("command", "fmt"),
    [(c, f) for c in LISTINGS for f in FORMATS]
    + [(c, "html") for c in LISTINGS if c[0] in ("query", "quotes", "similar")]
    + [(c, f) for c in [("show", PLANTED_ID), ("stats",)] for f in ("text", "json")],
    ids=lambda x: x if isinstance(x, str) else " ".join(x[:1] if x[0] == "show" else x),
)
def test_every_command_in_every_format_prints_nothing_raw(
    planted: tuple[Path, str], command: tuple[str, ...], fmt: str
) -> None:
    code, out, err = run(*command, "--format", fmt, index_dir=planted[0])
    assert code == 0, err
    assert not RAW.search(out) and not RAW.search(err)
    if command[0] in ("query", "quotes", "similar", "show"):  # the planted article is shown
        assert (r"\u001b]0;" if fmt.startswith("json") else r"\x1b]0;") in out
    if command[0] in ("show", "stats", "speakers") and not fmt.startswith("csv"):  # its outlet
        assert r"Reuters\rOfficial notice" in out
    if command[0] in ("query", "similar") and fmt == "html":
        assert "<script>" not in out and "&lt;script&gt;" in out


def test_show_text_keeps_lines_and_shows_every_field_inertly(planted: tuple[Path, str]) -> None:
    _, out, _ = run("show", PLANTED_ID, index_dir=planted[0])
    assert out.startswith(r"Trade deal \x1b]52;c;cHduZWQ=\x07\x1b]0;pwned\x07\x1b[2J \x9b31m")
    assert r"\u202eevil\u202c \u2066x\u2069 \x7f" in out
    assert r"id:       plant\x1b]0;id\x07" in out
    assert r"author:   Ann \x1b[2J" in out and r"url:      http://example.com/\x1b]0;" in out
    assert r"dateline: PARIS\x1b[31m" in out
    assert "said Jane Doe on Monday.\n\nThe tariff talks go on." in out  # tab: a space


def test_stats_cannot_be_overwritten_by_a_carriage_return(planted: tuple[Path, str]) -> None:
    _, out, _ = run("stats", index_dir=planted[0])
    assert r"index:    " in out and r"index\x1b[2J" in out
    assert r"1  Reuters\rOfficial notice: ALL CLEAR\x1b[8m<script>" in out


def test_json_escapes_and_round_trips_every_control_character(
    planted: tuple[Path, str],
) -> None:
    _, out, _ = run("show", PLANTED_ID, "--format", "json", index_dir=planted[0])
    assert json.loads(out)["title"] == RECORDS[0]["title"]
    assert r"\u009b31m \u202eevil\u202c \u2066x\u2069 \u007f" in out
    data = {"k\x9b": ["\x00\x1b\r\t\x7f\x85\u202e\u2069\udcff", 1.5, None]}
    text = render.json_text(data)
    assert json.loads(text) == data and not RAW.search(text) and "\udcff" not in text
    assert "“" in render.json_text("“ü”")  # printable text stays readable


def test_colour_on_a_terminal_is_searchkit_s_own_only(planted: tuple[Path, str]) -> None:
    from searchkit import Index

    index = Index.open(planted[0])
    styles = {"title": {"bold": True}, "match": {"fg": "yellow"}, "quoted-match": {"fg": "cyan"}}

    def style(text: str, role: str) -> str:
        return click.style(text, **styles[role])  # type: ignore[arg-type]

    out = render.hits_text(index.search("trade"), style) + render.quotes_text(
        index.quotes("trade"), style
    )
    ours = re.compile(r"\x1b\[(?:1|33|36|0)m")
    assert ours.search(out) and not RAW.search(ours.sub("", out))


def test_printable_shows_each_kind_of_control_inertly() -> None:
    assert escape.printable("a\x1b[2Jb") == r"a\x1b[2Jb"
    assert escape.printable("a\rb\nc\td") == r"a\rb\nc d"
    assert escape.printable("a\r\nb\rc\n", multiline=True) == "a\nb\\rc\n"
    assert escape.printable("\x9b\x85\x7f\x00") == r"\x9b\x85\x7f\x00"
    assert escape.printable("\u202eabc\u2066") == r"\u202eabc\u2066"
    assert escape.printable("caf\udce9") == r"caf\xe9"  # a byte that was not UTF-8
    assert escape.printable("Zürich “quoted” — 北京 \u200f") == "Zürich “quoted” — 北京 \u200f"


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(NASTY) | st.characters(exclude_categories=())), st.booleans())
def test_printable_leaves_nothing_raw_and_changes_only_what_it_must(
    text: str, multiline: bool
) -> None:
    shown = escape.printable(text, multiline=multiline)
    assert not RAW.search(shown.replace("\n", "") if multiline else shown)
    shown.encode("utf-8")  # no lone surrogates left: every stream can print it
    if not re.search("[\t\ud800-\udfff]", text) and not RAW.search(text):
        assert shown == text or (not multiline and shown == text.replace("\n", r"\n"))
    assert json.loads(render.json_text(text)) == text
    assert not RAW.search(render.json_text(text))


def test_messages_are_one_line_and_echo_long_values_shortened() -> None:
    long = "x" * 100_000
    text = escape.message(f"no article with id {long!r} in /ix; ids are shown by `searchkit query`")
    assert text == f"no article with id '{'x' * 79}…' in /ix; ids are shown by `searchkit query`"
    assert len("x" * escape.ECHO_LIMIT) == 80 and escape.shorten("x" * 80) == "x" * 80
    said = "the folder's name can't be read; it's \"" + "y" * 90 + '"'
    assert escape.message(said) == "the folder's name can't be read; it's \"" + "y" * 79 + '…"'
    assert escape.message("line\x1b]0;t\x07\nbreak") == r"line\x1b]0;t\x07\nbreak"
    assert escape.message("open '" + "z" * 90) == "open '" + "z" * 79 + "…"
    many = escape.message("No such command '" + " 'a'" * 50_000 + "'. Try --help")
    assert len(many) == escape.MESSAGE_LIMIT + 3 and many.endswith("'. Try --help")
    escaped = escape.message("x '" + "\\'" * 50_000)  # once took minutes (backtracking)
    assert len(escaped) == len("x '") + escape.ECHO_LIMIT


# ------------------------------------------------------------------ CSV


def test_csv_cells_are_never_formulas_and_numbers_stay_numbers(
    planted: tuple[Path, str],
) -> None:
    _, out, _ = run("query", "hyperlink", "--format", "csv", index_dir=planted[0])
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["title"] == """'=HYPERLINK("http://evil.example","click")"""
    assert row["source"] == "'+Outlet" and row["rank"] == "1" and float(row["score"]) > 0
    _, out, _ = run("quotes", "want", "--format", "csv", index_dir=planted[0])
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["text"].startswith("'=1+2 is the trade deal") and row["start"].isdigit()


def test_csv_neutralises_the_owasp_first_characters() -> None:
    cells = ["=1+2", "+1+2", "-2+3", "@SUM(A1)", "\t=1+2", "\r=1+2", "-5", "+3.5", "ok", "a=b"]
    out = render.rows([{"n": -1, "x": 0.5, **{f"c{i}": c for i, c in enumerate(cells)}}], "csv")
    row = next(csv.DictReader(io.StringIO(out)))
    assert [row[f"c{i}"] for i in range(len(cells))] == [
        *("'=1+2", "'+1+2", "'-2+3", "'@SUM(A1)", " =1+2", r"\r=1+2", "-5", "+3.5", "ok", "a=b")
    ]
    assert row["n"] == "-1" and row["x"] == "0.5"  # numbers from searchkit are never text


@pytest.mark.parametrize(
    "command",
    [("query", "tariff"), ("quotes", "trade"), ("speakers", "trade"), ("timeline", "trade")],
    ids=lambda c: c[0],
)
def test_csv_has_its_header_even_when_nothing_matches(
    planted: tuple[Path, str], command: tuple[str, ...]
) -> None:
    code, some, _ = run(*command, "--format", "csv", index_dir=planted[0])
    assert code == 0 and len(some.splitlines()) > 1
    code, none, _ = run(command[0], "zeppelin", "--format", "csv", index_dir=planted[0])
    assert code == 0 and none == some.splitlines()[0] + "\n"


def test_csv_excel_is_csv_with_a_byte_order_mark(planted: tuple[Path, str]) -> None:
    _, plain, _ = run("query", "trade", "--format", "csv", index_dir=planted[0])
    _, excel, _ = run("query", "trade", "--format", "csv-excel", index_dir=planted[0])
    assert excel == "\ufeff" + plain
    _, empty, _ = run("speakers", "zeppelin", "--format", "csv-excel", index_dir=planted[0])
    assert empty.startswith("\ufeffname,quotes,")


# ------------------------------------------------------ command-line arguments

NOT_UTF8 = "caf\udce9 \udcff"  # what Python makes of the bytes b"caf\xe9 \xff" in argv


@pytest.mark.parametrize(
    "args",
    [
        ["query", NOT_UTF8],
        ["query", "trade", "--source", NOT_UTF8],
        ["query", "trade", "--since", NOT_UTF8],
        ["query", "trade", "--facets", NOT_UTF8],
        ["quotes", NOT_UTF8],
        ["quotes", "--speaker", NOT_UTF8],
        ["speakers", NOT_UTF8],
        ["timeline", NOT_UTF8, "--until", "2024"],
        ["similar", NOT_UTF8],
        ["show", NOT_UTF8],
    ],
    ids=lambda a: "-".join(x for x in a if x != NOT_UTF8),
)
def test_arguments_that_are_not_utf8_are_refused_clearly(
    planted: tuple[Path, str], args: list[str]
) -> None:
    code, _, err = run(*args, index_dir=planted[0])
    assert code == 2 and "Traceback" not in err
    assert r"'caf\xe9 \xff' is not UTF-8 (byte 0xe9); type it again" in err
    assert err.strip().splitlines()[-1].startswith("Error: Invalid value for ")


def test_a_real_process_with_bytes_in_argv_gets_one_error_line(tmp_path: Path) -> None:
    for args in ([b"query", b"caf\xe9 \xff"], [b"show", b"\xff" * 3], [b"similar", b"\xe9"]):
        done = subprocess.run(
            [sys.executable, "-m", "searchkit", *args, b"--index", bytes(tmp_path)],
            capture_output=True,
        )
        err = done.stderr.decode("utf-8")
        assert done.returncode == 2 and "Traceback" not in err and "is not UTF-8" in err


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["show", "i" * 100_000], 1),
        (["similar", "i" * 100_000], 1),
        (["query", "foo:bar " + "i" * 5_000], 1),
        (["query", "trade", "--since", "i" * 100_000], 1),
        (["query", "trade", "--format", "i" * 100_000], 2),
        (["quotes", "trade", "--kind", "i" * 100_000], 2),
        (["i" * 100_000], 2),
    ],
    ids=["show-id", "similar-id", "query", "since", "format", "kind", "command"],
)
def test_long_values_are_echoed_shortened(
    planted: tuple[Path, str], args: list[str], status: int
) -> None:
    code, _, err = run(*args, index_dir=planted[0])
    last = err.strip().splitlines()[-1]
    assert code == status and last.startswith("Error: ") and re.search("'[^']{79}…'", last)
    assert len(err) < 1_000


def test_escapes_typed_as_arguments_are_echoed_inertly(planted: tuple[Path, str]) -> None:
    code, _, err = run("show", "x" + TITLE, index_dir=planted[0])
    assert code == 1 and not RAW.search(err) and SHOWN in err
    code, _, err = run("query", "trade", "--format", TITLE, index_dir=planted[0])
    assert code == 2 and not RAW.search(err) and SHOWN in err
    code, out, _ = run("query", "zeppelin" + TITLE, index_dir=planted[0])
    assert not RAW.search(out) and SHOWN in out


# ---------------------------------------------------------------- permissions


def _refuse_writes_below(
    monkeypatch: pytest.MonkeyPatch, directory: Path, error: int, text: str
) -> None:
    """Make the lowest write calls fail below ``directory`` (as root, chmod cannot)."""
    real_open, real_mkdir = os.open, os.mkdir
    writes = os.O_WRONLY | os.O_RDWR | os.O_CREAT

    def below(path: object) -> bool:
        return str(directory) in os.fsdecode(os.fspath(path))  # type: ignore[arg-type]

    def fake_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & writes and below(path):
            raise OSError(error, text, os.fspath(path))  # type: ignore[arg-type]
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    def fake_mkdir(path: object, *args: object, **kwargs: object) -> None:
        if below(path):
            raise OSError(error, text, os.fspath(path))  # type: ignore[arg-type]
        real_mkdir(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "mkdir", fake_mkdir)


def test_an_index_folder_that_cannot_be_created_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "locked" / "index"
    _refuse_writes_below(monkeypatch, tmp_path / "locked", errno.EACCES, "Permission denied")
    code, _, err = run("index", str(SEEDS), index_dir=target)
    assert code == 1 and err == (
        f"Error: cannot write {target}: permission denied; "
        "choose another --index or make it writable\n"
    )


def test_an_index_on_a_read_only_file_system_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "index"
    assert run("index", str(SEEDS), index_dir=target)[0] == 0
    _refuse_writes_below(monkeypatch, target, errno.EROFS, "Read-only file system")
    for args in (["index"], ["index", "--rebuild", str(SEEDS)]):
        code, _, err = run(*args, index_dir=target)
        assert code == 1 and err == (
            f"Error: cannot write {target}: read-only file system; "
            "choose another --index or make it writable\n"
        )
    code, out, _ = run("query", "repatriation", index_dir=target)  # reading still works
    assert code == 0 and out.startswith("2 articles match")


def test_a_full_disk_says_to_free_space(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "index"
    _refuse_writes_below(monkeypatch, target, errno.ENOSPC, "No space left on device")
    code, _, err = run("index", str(SEEDS), index_dir=target)
    assert code == 1 and err.endswith(
        "no space left on device; choose another --index or free some space\n"
    )


def test_other_file_errors_in_any_command_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(index_dir: Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(index_dir / "x.seg"))

    monkeypatch.setattr("searchkit.cli.articles.open_index", unreadable)
    code, _, err = run("stats", index_dir=tmp_path)
    assert code == 1 and err == f"Error: cannot use {tmp_path / 'x.seg'}: permission denied\n"


def test_snippets_wrap_at_spaces_and_colour_takes_no_room() -> None:
    coloured = "\x1b[33m\x1b[1mborder\x1b[0m"
    text = " ".join(["word"] * 30 + [coloured] + ["word"] * 5)
    wrapped = render.wrap(text, 40, "   ", "1. ")
    lines = wrapped.splitlines()
    assert lines[0].startswith("1. word") and all(line.startswith("   ") for line in lines[1:])
    assert all(len(render._STYLE_CODE.sub("", line)) <= 40 for line in lines)
    words = render._STYLE_CODE.sub("", wrapped).split()
    assert words == ["1.", *render._STYLE_CODE.sub("", text).split()]  # nothing lost or broken
    assert render.wrap(text, None, "   ") == "   " + text  # piped: one line, as before


def test_facet_lists_show_the_most_frequent_and_say_how_many_more() -> None:
    facets = {"speaker": {f"Person {n}": 30 - n for n in range(25)}}
    text = render.facets_text(facets, 10)
    assert text.count("Person") == 10 and "Person 0" in text and "Person 10" not in text
    assert (
        text.splitlines()[-1].strip()
        == f"{sum(30 - n for n in range(10, 25))}  … in 15 more (--facet-limit)"
    )
    assert render.facets_text(facets, None).count("Person") == 25


def test_html_is_a_standalone_page_that_runs_and_loads_nothing(
    planted: tuple[Path, str],
) -> None:
    for command in (["query", "planted"], ["quotes", "planted"]):
        _, out, _ = run(*command, "--format", "html", index_dir=planted[0])
        assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
        assert "Content-Security-Policy" in out and "default-src 'none'" in out
        assert '<meta charset="utf-8">' in out
        assert "<script" not in out.lower() and "\x1b" not in out


def test_a_speaker_with_no_outlet_or_date_reads_so() -> None:
    from searchkit.search.quotes import Speaker

    known = Speaker("Ian Story", 2, 1, {"Reuters": 2}, dt.date(1987, 3, 23), dt.date(1987, 3, 23))
    unknown = Speaker("Michael Owen", 6, 1, {"(unknown)": 6})
    assert render.speakers_text([known, unknown]).splitlines() == [
        "     2  Ian Story  (1 article; Reuters, 1987-03-23)",
        "     6  Michael Owen  (1 article; unknown outlet, undated)",
    ]

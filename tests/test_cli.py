"""The command line, through click's CliRunner and as a real process."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit.cli.commands import cli
from tests.conftest import SEED_000, SEED_004, SEEDS


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("cli") / "index"
    result = CliRunner().invoke(cli, ["index", str(SEEDS), "--index", str(directory)])
    assert result.exit_code == 0, result.output
    return directory


def run(*args: str, index_dir: Path | None = None) -> tuple[int, str, str]:
    extra = ["--index", str(index_dir)] if index_dir else []
    result = CliRunner().invoke(cli, [*args, *extra])
    return result.exit_code, result.stdout, result.stderr


def test_index_summary_and_incremental_rerun(index_dir: Path) -> None:
    code, _, err = run("index", index_dir=index_dir)
    assert code == 0
    assert "2 articles in" in err and "0 added, 0 updated, 0 removed, 2 unchanged, 0 skipped" in err


def test_query_text_output(index_dir: Path) -> None:
    code, out, _ = run("query", "repatriation", index_dir=index_dir)
    assert code == 0
    assert out.startswith("2 articles match 'repatriation'")
    assert "The Straits Times · 2024-01-01 · SEOUL" in out
    assert "Week in China · undated" in out
    assert "\x1b[" not in out  # no colour when not on a terminal


def test_query_json_and_jsonl(index_dir: Path) -> None:
    code, out, _ = run("query", "repatriation", "--format", "json", index_dir=index_dir)
    data = json.loads(out)  # one shape, with or without --facets
    assert set(data) == {
        "query",
        "total",
        "total_is_exact",
        "collapsed_total",
        "passage",
        "page",
        "suggestion",
        "facets",
        "hits",
    }
    hits = data["hits"]
    assert code == 0 and {h["id"] for h in hits} == {SEED_000, SEED_004}
    assert {"id", "title", "source", "date", "score", "snippet", "highlights"} <= set(hits[0])
    code, out, _ = run("query", "repatriation", "--format", "jsonl", index_dir=index_dir)
    assert [json.loads(line)["id"] for line in out.splitlines()] == [h["id"] for h in hits]


def test_query_csv(index_dir: Path) -> None:
    code, out, _ = run("query", "repatriation", "--format", "csv", index_dir=index_dir)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows[0]["id"] == SEED_000 and rows[0]["date"] == "2024-01-01"


def test_query_filters(index_dir: Path) -> None:
    _, out, _ = run("query", 'quotes:"border guards"', "--format", "jsonl", index_dir=index_dir)
    assert [json.loads(line)["id"] for line in out.splitlines()] == [SEED_000]
    _, out, _ = run(
        "query", "china", "--source", "week in china", "--format", "jsonl", index_dir=index_dir
    )
    assert [json.loads(line)["id"] for line in out.splitlines()] == [SEED_004]
    _, out, _ = run(
        "query", "china", "--since", "2024-01-01", "--format", "jsonl", index_dir=index_dir
    )
    assert [json.loads(line)["id"] for line in out.splitlines()] == [SEED_000]
    _, out, _ = run("query", "china", "--sort", "date", "--format", "jsonl", index_dir=index_dir)
    assert [json.loads(line)["id"] for line in out.splitlines()] == [SEED_000, SEED_004]


def test_query_question_mark_and_plain(index_dir: Path) -> None:
    code, out, _ = run("query", "Why is China repatriating defectors?", index_dir=index_dir)
    assert code == 0 and out.startswith("2 articles match 'Why is China repatriating defectors?'")
    code, out, _ = run(
        "query", "border NOT flee", "--plain", "--format", "jsonl", index_dir=index_dir
    )
    assert code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == [SEED_000]
    code, out, _ = run("query", "border NOT flee", "--format", "jsonl", index_dir=index_dir)
    assert code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == [SEED_004]
    code, out, _ = run(
        "quotes", "border NOT flee", "--plain", "--format", "jsonl", index_dir=index_dir
    )
    assert code == 0 and [json.loads(line)["text"] for line in out.splitlines()] == [
        "Border guards would be among the first to flee,"
    ]
    for extra, buckets, undated in (
        ([], [{"period": "2024", "count": 1}], 0),
        (["--plain"], [], 1),
    ):
        args = ["china NOT weibo", "--by", "year", "--format", "json", *extra]
        code, out, _ = run("timeline", *args, index_dir=index_dir)
        data = json.loads(out)
        assert code == 0 and (data["buckets"], data["undated"]) == (buckets, undated), extra


def test_query_of_stop_words_only(index_dir: Path) -> None:
    code, out, _ = run("query", "more", "--format", "jsonl", index_dir=index_dir)
    assert code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == [SEED_004]
    code, out, _ = run("query", "The Who", index_dir=index_dir)
    assert code == 0 and out.startswith("2 articles match 'The Who'")


def test_query_cost_bounds_are_one_line_errors(index_dir: Path) -> None:
    code, _, err = run(
        "query", "china", "--source", " ".join(["straits"] * 800), index_dir=index_dir
    )
    assert code == 1 and err.startswith("Error: the source name has 800 words; the limit is 16")
    code, _, err = run("query", " ".join(f"w{n}" for n in range(1_240)), index_dir=index_dir)
    assert code == 1 and "query has 1,240 different words; the limit is 128" in err
    code, out, _ = run("query", " ".join(["china"] * 1_240), index_dir=index_dir)
    assert code == 0 and out.startswith("2 articles match")


def test_show_and_stats(index_dir: Path) -> None:
    code, out, _ = run("show", SEED_004, index_dir=index_dir)
    assert code == 0 and out.startswith("A change in China’s North Korea strategy?")
    assert "source:   Week in China" in out and "Quotes (" in out
    code, out, _ = run("stats", index_dir=index_dir)
    assert code == 0 and "articles: 2" in out and "Week in China" in out


def test_errors_are_one_line_with_next_step(tmp_path: Path, index_dir: Path) -> None:
    code, _, err = run("query", "x", index_dir=tmp_path / "none")
    assert (
        code == 1
        and err.strip()
        == f"Error: no index at {tmp_path / 'none'} yet; build one with `searchkit index PATH...`"
    )
    code, _, err = run("query", "foo:bar", index_dir=index_dir)
    assert code == 1 and "unknown field 'foo'" in err and "Traceback" not in err
    code, _, err = run("show", "nope", index_dir=index_dir)
    assert code == 1 and "no article with id 'nope'" in err
    code, _, err = run("index", index_dir=tmp_path / "fresh")
    assert code == 2 and "give the article files or folders" in err
    code, _, err = run("query", "x", "--limit", "0", index_dir=index_dir)
    assert code == 2


def test_skipped_files_make_index_exit_nonzero(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "good.txt").write_text("Title\n\nGood text about otters.")
    (tmp_path / "docs" / "bad.txt").write_bytes(b"%PDF-1.4\x00\x00\x00")
    code, _, err = run("index", str(tmp_path / "docs"), index_dir=tmp_path / "ix")
    assert code == 1
    assert f"skipped: {tmp_path / 'docs' / 'bad.txt'}: binary file" in err
    assert "1 added" in err and "1 skipped" in err


@pytest.mark.parametrize("command", ["index", "query", "show", "stats"])
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Usage: " in result.output and len(result.output) > 200


def test_version_and_module_entry_point() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "searchkit", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("searchkit, version ")


#: Modules only indexing (whoosh, nltk) or reading one format (the rest) needs.
HEAVY_MODULES = (
    *("whoosh", "nltk", "trafilatura", "lxml", "dateutil", "feedparser", "warcio", "pypdf"),
)


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom searchkit.cli.commands import cli\n"
        "CliRunner().invoke(cli, ['--help'])\n"
        f"print(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_query_text_from_standard_input(index_dir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["query", "-", "--index", str(index_dir)], input="repatriation\n"
    )
    assert result.exit_code == 0 and result.stdout.startswith("2 articles match 'repatriation'")


def test_repeated_sources_match_any_of_them(index_dir: Path) -> None:
    args = ["query", "repatriation", "--format", "jsonl", "--source", "straits times"]
    code, out, _ = run(*args, "--source", "week in china", index_dir=index_dir)
    assert code == 0 and {json.loads(line)["id"] for line in out.splitlines()} == {
        SEED_000,
        SEED_004,
    }
    code, out, err = run("query", "china", "--source", "reuters", index_dir=index_dir)
    assert code == 1 and out == "" and "no outlet named 'reuters'; outlets are" in err


@pytest.mark.parametrize(
    ("option", "environment", "coloured"),
    [
        ([], {}, False),  # not a terminal
        (["--color", "always"], {}, True),
        (["--color", "always"], {"NO_COLOR": "1"}, True),  # asked for explicitly
        (["--color", "never"], {}, False),
    ],
)
def test_colour_is_chosen_by_the_color_option(
    index_dir: Path, option: list[str], environment: dict[str, str], coloured: bool
) -> None:
    result = CliRunner(env=environment).invoke(
        cli, [*option, "query", "repatriation", "--index", str(index_dir)]
    )
    assert result.exit_code == 0 and ("\x1b[" in result.stdout) == coloured


def test_index_progress_names_each_phase(tmp_path: Path) -> None:
    """On a terminal: reading (a count), writing (a bar), then committing, not a stuck 100 %."""
    from searchkit.index import Index

    seen: list[tuple[str, int, int]] = []
    Index.build(tmp_path / "ix", SEEDS, progress=lambda *args: seen.append(args))
    phases = [phase for phase, _, _ in seen]
    assert phases[0] == "reading" and ("reading", 2, 0) in seen
    assert ("writing", 2, 2) in seen and phases[-1] == "committing"
    assert phases.index("committing") > phases.index("writing") > phases.index("reading")

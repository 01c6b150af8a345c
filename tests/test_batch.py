"""Batch questions: ``Index.batch`` and ``searchkit batch`` on a small collection with copies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli.commands import cli
from searchkit.search.batch import Question, read_questions
from tests.test_copies import OTHER, STORY


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("batch")
    folder = base / "corpus"
    folder.mkdir()
    for name, source, date, body in [
        ("first", "Harbour Times", "2024-03-03", STORY),
        ("copy", "Wire Daily", "2024-04-01", "PORT TOWN (Wire) - " + STORY),
        ("fees", "Harbour Times", "2024-04-02", OTHER),
    ]:
        (folder / f"{name}.txt").write_text(
            f"title: {name}\nsource: {source}\ndate: {date}\n\n{body}\n", encoding="utf-8"
        )
    searchkit.Index.build(base / "ix", folder).close()
    return base / "ix"


def test_questions_are_lines_or_a_csv_with_a_query_column() -> None:
    assert read_questions("ferry\n\n harbour \n") == [Question(1, "ferry"), Question(3, "harbour")]
    assert read_questions('Label,Query\nboats,ferry\n,"oil, gas"\n') == [
        Question(2, "ferry", "boats"),
        Question(3, "oil, gas", ""),
    ]


def test_batch_counts_each_query_per_bucket_with_copies_and_collapsed(index_dir: Path) -> None:
    with searchkit.Index.open(index_dir) as index:
        result = index.batch("ferry\nharbour\nsubmarine\n", by="month")
        assert [(r.query, r.bucket, r.count, r.collapsed) for r in result.rows] == [
            ("ferry", "2024-03", 1, 1),
            ("ferry", "2024-04", 1, 0),  # the copy counts under its first printing's month
            ("harbour", "2024-03", 1, 1),
            ("harbour", "2024-04", 2, 1),
            ("submarine", "", 0, 0),
        ]
        totals = index.batch(["harbour"])
        assert [(r.count, r.collapsed) for r in totals.rows] == [(3, 2)]
        by_outlet = index.batch(["harbour"], by="source", source="harbour times")
        assert [(r.bucket, r.count) for r in by_outlet.rows] == [("Harbour Times", 2)]


def test_a_bad_query_is_reported_on_its_line_and_the_rest_still_run(index_dir: Path) -> None:
    with searchkit.Index.open(index_dir) as index:
        result = index.batch("ferry\ndate:yesterday\nharbour\n")
    assert [r.query for r in result.rows] == ["ferry", "harbour"]
    [error] = result.errors
    assert error.line == 2 and "write dates as date:2024" in str(error)


def test_batch_on_the_command_line(index_dir: Path, tmp_path: Path) -> None:
    questions = tmp_path / "questions.csv"
    questions.write_text("query,label\nferry,boats\ndate:yesterday,broken\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["batch", str(questions), "--index", str(index_dir), "--by", "source", "--format", "csv"],
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "query,label,source,count,collapsed",
        "ferry,boats,Harbour Times,1,1",
        "ferry,boats,Wire Daily,1,0",
    ]
    assert f"error: {questions}: line 3: in query 'date:yesterday'" in result.stderr
    result = runner.invoke(
        cli, ["batch", "-", "--index", str(index_dir), "--format", "json"], input="harbour\n"
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["rows"] == [
        {"query": "harbour", "label": "", "count": 3, "collapsed": 2}
    ]
    result = runner.invoke(cli, ["batch", "-", "--index", str(index_dir)], input="harbour\n")
    assert result.stdout == "  count    once  query\n      3       2  harbour\n"
    result = runner.invoke(cli, ["batch", "-", "--index", str(index_dir)], input=b"\xff\xfe\x00")
    assert result.exit_code == 1
    assert "-: not UTF-8 text (byte 0); save it as UTF-8 and try again" in result.stderr

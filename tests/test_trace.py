"""Quote provenance: ``Index.trace`` and ``searchkit trace`` on a small collection with echoes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli.commands import cli
from searchkit.cli.follow import trace_summary
from searchkit.search.trace import Printing, Trace

MAYOR = "This library stays open while I am mayor, whatever the council decides,"


def _article(folder: Path, name: str, source: str, date: str, body: str) -> None:
    (folder / name).write_text(f"title: {name}\nsource: {source}\ndate: {date}\n\n{body}\n")


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("trace")
    folder = base / "corpus"
    folder.mkdir()
    # Written in another order than their dates: the earliest printing must come first.
    _article(
        folder,
        "echo.txt",
        "Coast Gazette",
        "2021-04-12",
        f"Brooks was defiant. “{MAYOR}” Elena Brooks said.",
    )
    _article(
        folder,
        "variant.txt",
        "Wire Daily",
        "2021-04-17",
        f"“{MAYOR.replace('I am mayor', 'I am the mayor')}” Mayor Elena Brooks told reporters.",
    )
    _article(
        folder,
        "first.txt",
        "Harbour Times",
        "2021-04-10",
        f"The mayor spoke at the quay on Friday. “{MAYOR}” said Elena Brooks.",
    )
    _article(
        folder,
        "other.txt",
        "Wire Daily",
        "2021-04-11",
        "“The library will close when the council decides so,” said Tom Hale, a councillor.",
    )
    searchkit.Index.build(base / "ix", folder).close()
    return base / "ix"


def test_trace_lists_every_printing_earliest_first_with_the_rewording(index_dir: Path) -> None:
    with searchkit.Index.open(index_dir) as index:
        history = index.trace("while I am mayor")
    assert history.quote == MAYOR
    assert [(p.article_id, p.first, p.variant) for p in history.printings] == [
        ("first", True, False),
        ("echo", False, False),
        ("variant", False, True),
    ]
    assert history.printings[2].changes == (("while I am mayor", "while I am the mayor"),)
    data = history.to_dict()
    assert data["printings"][0] == {  # type: ignore[index]
        "article_id": "first",
        "source": "Harbour Times",
        "date": "2021-04-10",
        "speaker": "Elena Brooks",
        "text": MAYOR,
        "first": True,
        "variant": False,
        "changes": [],
    }


def test_trace_takes_a_quote_id_or_a_reworded_part(index_dir: Path) -> None:
    with searchkit.Index.open(index_dir) as index:
        by_id = index.trace("variant#0")
        by_variant_words = index.trace("while I am the mayor")
        assert [p.article_id for p in by_id.printings] == ["first", "echo", "variant"]
        assert by_variant_words.to_dict() == by_id.to_dict()
        with pytest.raises(searchkit.QueryError, match="no quote contains"):
            index.trace("submarine")


def test_trace_on_the_command_line_reads_like_a_short_history(index_dir: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["trace", "while I am mayor", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        f"“{MAYOR}”",
        "first printed by Harbour Times on 2021-04-10 (Elena Brooks); echoed by 2 outlets "
        "over 7 days; 1 variant: 'while I am mayor' → 'while I am the mayor'",
    ]
    assert "  2021-04-17 · Wire Daily · Elena Brooks · id variant (variant)" in result.output
    result = runner.invoke(
        cli, ["trace", "while I am mayor", "--index", str(index_dir), "--format", "json"]
    )
    assert [p["article_id"] for p in json.loads(result.output)["printings"]] == [
        "first",
        "echo",
        "variant",
    ]
    result = runner.invoke(cli, ["trace", "submarine", "--index", str(index_dir)])
    assert result.exit_code == 1
    assert "no quote contains 'submarine'; find one with `searchkit quotes WORDS`" in (
        result.output
    )


def _printing(article_id: str, source: str | None, day: int, *, first: bool = False) -> Printing:
    return Printing(article_id, source, dt.date(1987, 3, day), None, MAYOR, first=first)


@pytest.mark.parametrize(
    ("sources", "summary"),
    [
        # The first outlet's own reprints are not echoes by other outlets.
        (["Reuters", "Reuters"], "reprinted by Reuters once; echoed by no other outlet over 1 day"),
        (
            ["Reuters", "Reuters", "BBC", "Reuters"],
            "reprinted by Reuters twice; echoed by 1 outlet over 3 days",
        ),
        (["Reuters", "BBC", "AP"], "echoed by 2 outlets over 2 days"),
        ([None, None], "echoed by 1 outlet over 1 day"),
    ],
)
def test_the_summary_counts_other_outlets_as_echoes(
    sources: list[str | None], summary: str
) -> None:
    printings = [_printing("a", sources[0], 1, first=True)] + [
        _printing(f"p{n}", source, n + 1) for n, source in enumerate(sources[1:], 1)
    ]
    history = Trace(MAYOR, tuple(printings))
    who = sources[0] or "an unknown outlet"
    assert trace_summary(history) == f"first printed by {who} on 1987-03-01; {summary}"

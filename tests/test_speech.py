"""Quote-level search and speaker listings over the seed index."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli.commands import cli
from tests.conftest import SEED_000, SEED_004


def test_quote_search_ranks_quotes_with_speakers(seed_index: searchkit.Index) -> None:
    results = seed_index.quotes("border")
    assert len(results) == 2
    assert {hit.speaker for hit in results} == {"Kang Chol-hwan"}
    top = results[0]
    assert top.text.startswith("Border guards would be among the first to flee")
    assert (top.article_id, top.source, str(top.date)) == (
        SEED_000,
        "The Straits Times",
        "2024-01-01",
    )
    assert [top.snippet.text[a:b] for a, b in top.snippet.highlights] == ["Border"]


@pytest.mark.parametrize("name", ["Kang Chol-hwan", "kang chol hwan", "Mr Kang", "KANG"])
def test_speaker_names_fold(seed_index: searchkit.Index, name: str) -> None:
    hits = seed_index.quotes("", speaker=name, kind=None)
    assert len(hits) == 5 and {h.speaker for h in hits} == {"Kang Chol-hwan"}


def test_kind_filter(seed_index: searchkit.Index) -> None:
    partial = {h.text for h in seed_index.quotes("", source="straits times", kind="partial")}
    assert "humanitarian space" in partial
    terms = {h.text for h in seed_index.quotes("", source="week in china", kind="term")}
    assert terms == {"theft of state secrets", "crime"}
    with pytest.raises(searchkit.QueryError, match="unknown quote kind"):
        seed_index.quotes("x", kind="gossip")


def test_unnamed_speakers_are_marked(seed_index: searchkit.Index) -> None:
    weibo = seed_index.quotes("responsible government")
    assert weibo[0].article_id == SEED_004 and weibo[0].unnamed


def test_speakers_most_quoted_first(seed_index: searchkit.Index) -> None:
    listing = seed_index.speakers()
    assert [(s.name, s.quotes) for s in listing] == [("Kang Chol-hwan", 5), ("Kim Tae-hoon", 2)]
    assert listing[0].outlets == {"The Straits Times": 5}
    assert str(listing[0].first_date) == "2024-01-01"
    assert [s.name for s in seed_index.speakers("torture")] == ["Kim Tae-hoon"]


def test_article_hits_carry_quotes_and_speaker_field(seed_index: searchkit.Index) -> None:
    (hit,) = seed_index.search("speaker:kang")
    assert hit.id == SEED_000
    assert any(q["speaker"] == "Kim Tae-hoon" for q in hit.quotes)
    assert [h.id for h in seed_index.search('speaker:"Mr Kim Tae-hoon"')] == [SEED_000]


def test_cli_quotes_and_speakers(seed_index_dir: object) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["quotes", "border", "--index", str(seed_index_dir)])
    assert result.exit_code == 0
    assert result.stdout.startswith("2 quotes match 'border'")
    assert "— Kang Chol-hwan, The Straits Times, 2024-01-01" in result.stdout
    result = runner.invoke(
        cli, ["quotes", "--speaker", "Kim", "--format", "json", "--index", str(seed_index_dir)]
    )
    rows = json.loads(result.stdout)["hits"]
    assert result.exit_code == 0 and {r["speaker"] for r in rows} == {"Kim Tae-hoon"}
    result = runner.invoke(cli, ["speakers", "--index", str(seed_index_dir)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split()[:3] == ["5", "Kang", "Chol-hwan"]
    result = runner.invoke(
        cli, ["quotes", "--kind", "all", "--format", "csv", "--index", str(seed_index_dir)]
    )
    assert result.exit_code == 0  # every quote, newest first: no filter needed to export them
    assert len(result.stdout.splitlines()) == 1 + 10

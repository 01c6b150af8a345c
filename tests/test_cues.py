"""The cue-verb facet: reporting verbs folded to their dictionary form, counted over all matches."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

import searchkit
from searchkit.cli import cli
from searchkit.quotes.cues import cue_lemma
from searchkit.quotes.lexicon import (
    CUE_BASE,
    CUE_LEMMAS,
    CUE_PARTICIPLE,
    CUE_PAST,
    CUE_PRESENT,
)
from searchkit.web import create_app

ARTICLES = {
    "a": "“We will build the bridge this year,” said Anna Berg, the mayor. "
    "“It will be finished in May,” she added.",
    "b": "“The bridge is far too costly for the town,” Tom Hale says.",
    "c": "“Nobody asked us about the bridge,” Tom Hale told reporters. "
    "The so-called “bridge of hope” opened on Monday.",
    "d": "Anna Berg admitted: “The bridge has cost more than we planned.”",
    "e": "“The bridge will fall down within a decade,” warned Tom Hale, a councillor.",
    "f": "Tom Hale was saying “the bridge is a folly” at every meeting.",
    "g": "The ferry runs on time, Anna Berg said, and nobody was quoted at all.",
    "h": "Tom Hale spoke to the ferry company on Monday.\n\nTom Hale: “The ferry is always late.”",
}


@pytest.mark.parametrize(
    ("cue", "lemma"),
    [
        ("said", "say"),
        ("says", "say"),
        ("saying", "say"),
        ("Told", "tell"),
        ("noted", "note"),
        ("noting", "note"),
        ("replies", "reply"),
        ("replied", "reply"),
        ("admitted", "admit"),
        ("begging", "beg"),
        ("labelled", "label"),
        ("stresses", "stress"),
        ("criticised", "criticize"),
        ("according  to", "according to"),
        ("harrumphed", "harrumphed"),
        (":", ""),
        (" , ", ""),
    ],
)
def test_a_cue_folds_to_its_dictionary_form(cue: str, lemma: str) -> None:
    assert cue_lemma(cue) == lemma


def test_every_reporting_verb_the_rules_know_folds_to_a_listed_verb() -> None:
    forms = {*CUE_PAST, *CUE_PRESENT, *CUE_PARTICIPLE, *CUE_BASE}
    unfolded = sorted(form for form in forms if cue_lemma(form) not in CUE_LEMMAS)
    assert unfolded == []
    # and every listed verb is the dictionary form of at least one of them
    assert {cue_lemma(form) for form in forms} == CUE_LEMMAS


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[searchkit.Index]:
    folder = tmp_path_factory.mktemp("cues")
    for name, body in ARTICLES.items():
        source = "Harbour Times" if name in "abc" else "Wire Daily"
        text = (
            f"title: Bridge {name}\nsource: {source}\ndate: 2024-05-0{ord(name) - 96}\n\n{body}\n"
        )
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    with searchkit.Index.build(tmp_path_factory.mktemp("cues-index"), folder) as built:
        yield built


def test_quotes_count_every_match_by_folded_cue(index: searchkit.Index) -> None:
    results = index.quotes("bridge", limit=1, facets=["cue"])
    assert results.total == 6 and len(results.hits) == 1
    # said, says and saying are one verb
    assert results.facets == {"cue": {"say": 3, "admit": 1, "tell": 1, "warn": 1}}
    every = index.quotes("", kind=None, facets=["cue", "year"])
    assert every.facets == {
        "cue": {"say": 3, "(no verb)": 2, "add": 1, "admit": 1, "tell": 1, "warn": 1},
        "year": {"2024": 9},
    }
    assert index.quotes("bridge").facets == {}


def test_speech_after_a_colon_counts_under_no_verb(index: searchkit.Index) -> None:
    results = index.quotes("ferry", facets=["cue"])
    assert [(hit.speaker, hit.cue) for hit in results] == [("Tom Hale", ":")]
    assert results.facets == {"cue": {"(no verb)": 1}}
    assert index.search("ferry", facets=["cue"]).facets == {"cue": {}}


def test_a_speakers_quotes_count_by_cue(index: searchkit.Index) -> None:
    results = index.quotes(speaker="Tom Hale", facets=["cue"], limit=1)
    assert results.total == 5
    assert results.facets == {"cue": {"say": 2, "(no verb)": 1, "tell": 1, "warn": 1}}


def test_articles_count_once_per_verb_they_quote_with(index: searchkit.Index) -> None:
    results = index.search("bridge", facets=["cue"], limit=1)
    assert results.total == 8  # g quotes nobody, h with no verb: they count under none
    assert results.facets == {"cue": {"say": 3, "add": 1, "admit": 1, "tell": 1, "warn": 1}}


def test_an_unknown_quote_facet_names_the_ones_there_are(index: searchkit.Index) -> None:
    with pytest.raises(searchkit.QueryError, match="unknown facet 'source'; choose from cue"):
        index.quotes("bridge", facets=["source"])


def test_the_command_line_prints_the_cue_facet(index: searchkit.Index) -> None:
    runner = CliRunner()
    quotes = runner.invoke(
        cli, ["quotes", "bridge", "--facets", "cue", "-n", "1", "--index", str(index.directory)]
    )
    assert quotes.exit_code == 0, quotes.output
    assert quotes.stdout.endswith(
        "cue:\n        3  say\n        1  admit\n        1  tell\n        1  warn\n"
    )
    data = runner.invoke(
        cli,
        [
            "quotes",
            "bridge",
            "--facets",
            "cue",
            "--format",
            "json",
            "--index",
            str(index.directory),
        ],
    )
    assert json.loads(data.stdout)["facets"] == {
        "cue": {"say": 3, "admit": 1, "tell": 1, "warn": 1}
    }
    query = runner.invoke(
        cli, ["query", "bridge", "--facets", "cue", "--index", str(index.directory)]
    )
    assert query.exit_code == 0, query.output
    assert "cue:\n        3  say\n        1  add\n" in query.stdout
    wrong = runner.invoke(
        cli, ["quotes", "bridge", "--facets", "dateline", "--index", str(index.directory)]
    )
    assert wrong.exit_code == 1
    assert "unknown facet 'dateline'; choose from cue, year, month" in wrong.stderr


def test_the_web_pages_list_the_reporting_verbs(index: searchkit.Index) -> None:
    client = TestClient(create_app(index))
    quotes = client.get("/quotes", params={"q": "bridge"}).text
    assert "<h3>Reporting verb</h3>" in quotes
    assert '<ul class="counts" data-facets="cue">' in quotes
    assert '<li>say <span class="count">3</span></li>' in quotes
    search = client.get("/search", params={"q": "bridge"}).text
    assert '<li>say <span class="count">3</span></li>' in search

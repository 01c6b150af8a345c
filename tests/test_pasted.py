"""Pasted text is noticed and searched as a passage; questions and typed queries are not."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli import cli
from searchkit.search.pasted import looks_pasted

PASTED = [
    "Audi said it had been hit by production bottlenecks in Ingolstadt, due to a",
    "Shares in the company rose 5 pct on news of the takeover bid by its rival",
    'The minister told reporters "we will not give in" before leaving the meeting',
    "When Fightstar eventually took to the stage around 11pm, however, a riotous",
]
TYPED = [
    "oil prices",
    "border defectors china repatriation",
    "what similarity laws must be obeyed when constructing aeroelastic models",
    "What problems and concerns are there in making up descriptive titles",
    "How can actually pertinent data, as opposed to references, be retrieved in 1980",
    'title:"oil prices" AND source:reuters rose sharply after the producers agreed',
    "the central bank left interest rates unchanged at its monthly meeting",
    "Describe the use of computers for indexing and searching since 1960",
    "Is there a study of the effects of wire reports on the markets in 1987",
]


@pytest.mark.parametrize("text", PASTED)
def test_sentences_from_articles_look_pasted(text: str) -> None:
    assert looks_pasted(text)


@pytest.mark.parametrize("text", TYPED)
def test_keywords_questions_and_syntax_do_not(text: str) -> None:
    assert not looks_pasted(text)


SOURCE = (
    "title: Port strike\n\n"
    "Dock workers at the northern terminal in Rotterdam walked out on Tuesday over unpaid "
    "overtime, leaving container ships anchored offshore. The union said talks would resume.\n"
)
PASSAGE = "Dock workers at the northern terminal in Rotterdam walked out on Tuesday over unpaid"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> searchkit.Index:
    folder = tmp_path_factory.mktemp("pasted-corpus")
    (folder / "source.txt").write_text(SOURCE, encoding="utf-8")
    (folder / "other.txt").write_text(
        "title: Rotterdam\n\nWorkers in Rotterdam went home on Tuesday.\n", encoding="utf-8"
    )
    return searchkit.Index.build(tmp_path_factory.mktemp("pasted-index"), folder)


def test_a_pasted_sentence_is_searched_as_a_passage(index: searchkit.Index) -> None:
    """Every word required would miss the other article; as a passage both rank, source first."""
    noticed = index.search(PASSAGE, collapse=False)
    assert noticed.passage
    asked = index.search(PASSAGE, collapse=False, passage=True)
    assert [(h.id, h.score) for h in noticed] == [(h.id, h.score) for h in asked]
    assert Path(noticed[0].path).name == "source.txt"
    assert len(noticed) == 2
    typed = index.search(PASSAGE, collapse=False, passage=False)
    assert not typed.passage
    assert [Path(h.path).name for h in typed] == ["source.txt"]  # every word required


def test_questions_and_plain_words_keep_their_ranking(index: searchkit.Index) -> None:
    assert not index.search("Rotterdam workers").passage
    # Explicit plain words (--plain --any) are a question: never taken for a passage.
    assert not index.search(PASSAGE, match="any", syntax=False).passage


def test_cli_says_it_searched_a_passage_and_can_be_told_not_to(index: searchkit.Index) -> None:
    common = ["query", PASSAGE, "--no-collapse", "--index", str(index.directory)]
    noticed = CliRunner().invoke(cli, common)
    assert noticed.exit_code == 0, noticed.output
    assert noticed.output.splitlines()[0].endswith(", as a pasted passage")
    typed = CliRunner().invoke(cli, [*common, "--no-passage"])
    assert typed.exit_code == 0, typed.output
    assert typed.output.startswith("1 article matches")
    assert "pasted passage" not in typed.output

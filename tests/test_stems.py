"""Each index saves the stems of its own words, and nothing else of the process."""

from __future__ import annotations

import json
from pathlib import Path

import searchkit
from searchkit.index import storage
from tests.conftest import SEEDS


def _table(index: searchkit.Index) -> dict[str, str]:
    data = json.loads((index.generation / storage.STEMS_FILE).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_an_index_saves_only_its_own_words(tmp_path: Path) -> None:
    seeds = searchkit.Index.build(tmp_path / "seeds", SEEDS)
    seeds.search("quixotically unobtainable")  # typed words reach the process's memo
    small = tmp_path / "small"
    small.mkdir()
    (small / "a.txt").write_text("title: Harbour\n\nThe ferries sailed at dawn.\n")
    index = searchkit.Index.build(tmp_path / "ix", small)
    table = _table(index)
    assert {"ferries", "sailed", "dawn", "harbour"} <= set(table)
    assert not {"quixotically", "unobtainable", "repatriation", "defectors"} & set(table)
    assert index.stems == table
    (small / "b.txt").write_text("title: Port\n\nThe pilots waited.\n")
    updated = index.update()
    assert {"ferries", "pilots", "waited"} <= set(_table(updated))
    assert "defectors" not in _table(updated)


def test_did_you_mean_offers_words_of_this_index(tmp_path: Path) -> None:
    index = searchkit.Index.build(tmp_path / "seeds", SEEDS)
    assert index.search("repatration").suggestion == "repatriations"
    reopened = searchkit.Index.open(tmp_path / "seeds")
    assert reopened.search("repatration").suggestion == "repatriations"


def test_did_you_mean_after_an_update_offers_no_word_of_a_deleted_article(tmp_path: Path) -> None:
    """Found by the long model run: a saved word list kept 'directors' after its article went."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("title: Board\n\nThe directors met the board of directors.\n")
    for n in range(6):
        (corpus / f"g{n}.txt").write_text(f"title: Post {n}\n\nThe director-general spoke.\n")
    index = searchkit.Index.build(tmp_path / "ix", corpus)
    assert index.search("defectors").suggestion == "directors"
    (corpus / "a.txt").write_text("title: Board\n\nThe board met.\n")
    updated = index.update()
    fresh = searchkit.Index.build(tmp_path / "fresh", corpus)
    assert updated.search("defectors").suggestion == fresh.search("defectors").suggestion is None

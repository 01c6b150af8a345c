"""The relevance benchmark: its measures by hand, and a tiny end-to-end run."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest

import searchkit

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "relevance.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("relevance", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


relevance = _load()

# a (gain 3) and c (gain 2) are retrieved at ranks 1 and 3; e (gain 1) is never
# retrieved; b is judged not relevant and d is unjudged.
RANKING = ["a", "b", "c", "d"]
JUDGED = {"a": 3, "b": 0, "c": 2, "e": 1}


def test_ndcg_matches_a_hand_computed_case() -> None:
    dcg = 3 / math.log2(2) + 0 + 2 / math.log2(4)  # = 4
    ideal = 3 / math.log2(2) + 2 / math.log2(3) + 1 / math.log2(4)
    assert relevance.ndcg(RANKING, JUDGED, 3) == pytest.approx(dcg / ideal)
    assert relevance.ndcg(RANKING, JUDGED, 3) == pytest.approx(0.840008, abs=1e-6)
    assert relevance.ndcg(["a", "c", "e"], JUDGED, 10) == pytest.approx(1.0)
    assert relevance.ndcg([], JUDGED, 10) == 0.0


def test_average_precision_divides_by_every_relevant_document() -> None:
    assert relevance.average_precision(RANKING, JUDGED, 100) == pytest.approx((1 + 2 / 3) / 3)
    assert relevance.average_precision(RANKING, JUDGED, 2) == pytest.approx(1 / 3)


def test_precision_and_recall_count_gain_above_zero_as_relevant() -> None:
    assert relevance.precision(RANKING, JUDGED, 4) == pytest.approx(0.5)
    assert relevance.precision(RANKING, JUDGED, 10) == pytest.approx(0.2)
    assert relevance.recall(RANKING, JUDGED, 4) == pytest.approx(2 / 3)
    assert relevance.recall(RANKING, {"b": 0}, 4) == 0.0


def test_evaluate_leaves_out_queries_without_a_relevant_judgement() -> None:
    qrels = {"q1": JUDGED, "q2": {"x": 0}, "q3": {"y": 1}}
    figures = relevance.evaluate({"q1": RANKING, "q2": ["x"]}, qrels)
    assert figures["queries"] == 2
    assert figures["p@10"] == pytest.approx((0.2 + 0.0) / 2)  # q3 retrieved nothing


def _write_collection(directory: Path) -> Path:
    directory.mkdir()
    docs = [
        ("d1", "Wing flutter", "Flutter of a swept wing at high subsonic speed was measured."),
        ("d2", "Boundary layers", "Heat transfer through a laminar boundary layer."),
        ("d3", "Library catalogues", "Subject headings and classification in a public library."),
    ]
    with (directory / "corpus.jsonl").open("w", encoding="utf-8") as out:
        for doc_id, title, text in docs:
            out.write(json.dumps({"id": doc_id, "title": title, "text": text}) + "\n")
    queries = [
        ("1", 'What is known about "flutter" of swept wings?'),
        ("2", "heat transfer: (laminar) boundary layer* AND NOT turbulent"),
        ("3", "?"),
    ]
    with (directory / "queries.jsonl").open("w", encoding="utf-8") as out:
        for query_id, text in queries:
            out.write(json.dumps({"id": query_id, "text": text}) + "\n")
    (directory / "qrels.tsv").write_text("1\td1\t2\n2\td2\t1\n2\td3\t0\n", encoding="utf-8")
    return directory


def test_main_scores_a_tiny_collection_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = _write_collection(tmp_path / "tiny")
    assert relevance.main(["--collection", str(collection), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    figures = report["collections"]["tiny"]
    assert figures["queries"] == 2
    assert figures["documents"] == 3
    assert figures["ndcg@10"] == pytest.approx(1.0)
    assert figures["recall@100"] == pytest.approx(1.0)


def test_main_prints_a_table_and_skips_absent_collections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = _write_collection(tmp_path / "tiny")
    argv = ["--collection", str(tmp_path / "absent"), "--collection", str(collection)]
    assert relevance.main(argv) == 0
    captured = capsys.readouterr()
    assert "no collection at" in captured.err
    assert "searchkit (default ranking)" in captured.out
    assert "ndcg@10" in captured.out


def test_plain_words_are_never_query_syntax(seed_index: searchkit.Index) -> None:
    text = 'What of the repatriation? title: (defectors) AND NOT "border* guards'
    hits = seed_index.search(text, match="any", syntax=False)
    assert len(hits) == 2
    with pytest.raises(searchkit.QueryError):
        seed_index.search("?! :) *", match="any", syntax=False)
    assert len(seed_index.search("what is the", match="any", syntax=False)) == 2  # stop words


def test_plain_words_rank_the_article_about_them_first(seed_index: searchkit.Index) -> None:
    hits = seed_index.search("china repatriating defectors weibo", match="any", syntax=False)
    assert hits[0].snippet.highlights  # words found by BM25F are still highlighted
    all_words = seed_index.search("repatriation defectors", match="all", syntax=False)
    assert len(all_words) >= 1

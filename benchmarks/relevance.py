"""Measure searchkit's ranking on ad-hoc IR test collections with relevance judgements.

Run from the repository root::

    python benchmarks/relevance.py [--collection DIR ...] [--json]

A collection is a folder holding::

    corpus.jsonl    {"id", "title", "text"} per line
    queries.jsonl   {"id", "text"} per line
    qrels.tsv       query_id<TAB>doc_id<TAB>relevance, no header

Each corpus is indexed with ``searchkit.Index.build`` into a temporary folder
and every query runs through the public API exactly as a user would run it:
``index.search(text, limit=100, match="any", syntax=False, collapse=False)``, its text taken
as plain words (the queries contain ``?``, ``:``, brackets and capitalised
AND/OR/NOT, which are query syntax otherwise).

The measures follow trec_eval: a judgement's relevance is its gain (graded
where the qrels have grades, e.g. Cranfield 0-4), a document with gain > 0 is
relevant, unjudged documents are not relevant, and queries without a relevant
judgement are left out of the averages.

* nDCG@10 (``ndcg_cut_10``): linear gains, discount ``log2(rank + 1)``; the
  ideal ranking is every judged gain sorted best first.
* MAP@100 (``map_cut_100``): precision at each relevant document in the top
  100, summed and divided by the number of relevant documents.
* P@10 (``P_10``): relevant documents in the top 10, divided by 10.
* Recall@100 (``recall_100``): relevant documents in the top 100, divided by
  the number of relevant documents.

The collections default to ``$SEARCHKIT_SHARED/data/ir/{cranfield,cisi}``
(``SEARCHKIT_SHARED`` defaults to ``<repo>/../shared``); absent ones are
skipped with a message and the script exits with status 0.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import searchkit  # noqa: E402

ENV_VAR = "SEARCHKIT_SHARED"
DEFAULT_SHARED = ROOT.parent / "shared"
DEFAULT_COLLECTIONS = ("cranfield", "cisi")
CORPUS_FILE = "corpus.jsonl"
QUERIES_FILE = "queries.jsonl"
QRELS_FILE = "qrels.tsv"
#: How many hits each query fetches: the depth of MAP and recall.
DEPTH = 100
#: The cut-off of nDCG and precision: the first page a reader sees.
CUTOFF = 10

#: Plain-BM25 figures of other engines, measured on this machine with the same
#: queries and qrels (nDCG@10 only): the bar searchkit's default has to clear.
PEERS: dict[str, tuple[tuple[str, dict[str, float]], ...]] = {
    "cranfield": (("Whoosh BM25F, stemming analyzer", {"ndcg@10": 0.381}),),
    "cisi": (("bm25s, stemming + stop words", {"ndcg@10": 0.381}),),
}

Judgements = Mapping[str, int]


# ---------------------------------------------------------------- measures


def dcg(gains: Sequence[float]) -> float:
    """Return the discounted cumulative gain of gains listed in rank order."""
    return sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains, start=1))


def ndcg(ranking: Sequence[str], judged: Judgements, k: int) -> float:
    """Return nDCG@k of a ranking of document ids against graded judgements."""
    ideal = dcg(sorted((g for g in judged.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([max(judged.get(doc, 0), 0) for doc in ranking[:k]]) / ideal


def average_precision(ranking: Sequence[str], judged: Judgements, k: int) -> float:
    """Return average precision over the top k, divided by all relevant documents."""
    relevant = sum(1 for g in judged.values() if g > 0)
    if relevant == 0:
        return 0.0
    found, total = 0, 0.0
    for rank, doc in enumerate(ranking[:k], start=1):
        if judged.get(doc, 0) > 0:
            found += 1
            total += found / rank
    return total / relevant


def precision(ranking: Sequence[str], judged: Judgements, k: int) -> float:
    """Return the fraction of the top k positions holding a relevant document."""
    return sum(1 for doc in ranking[:k] if judged.get(doc, 0) > 0) / k


def recall(ranking: Sequence[str], judged: Judgements, k: int) -> float:
    """Return the fraction of relevant documents found in the top k."""
    relevant = sum(1 for g in judged.values() if g > 0)
    if relevant == 0:
        return 0.0
    return sum(1 for doc in ranking[:k] if judged.get(doc, 0) > 0) / relevant


Measure = Callable[[Sequence[str], Judgements], float]
MEASURES: dict[str, Measure] = {
    f"ndcg@{CUTOFF}": lambda r, j: ndcg(r, j, CUTOFF),
    f"map@{DEPTH}": lambda r, j: average_precision(r, j, DEPTH),
    f"p@{CUTOFF}": lambda r, j: precision(r, j, CUTOFF),
    f"recall@{DEPTH}": lambda r, j: recall(r, j, DEPTH),
}


def evaluate(
    rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, Judgements]
) -> dict[str, float]:
    """Average every measure over the queries that have a relevant judgement."""
    judged = [q for q, j in qrels.items() if any(g > 0 for g in j.values())]
    figures = {
        name: statistics.fmean(measure(rankings.get(q, ()), qrels[q]) for q in judged)
        if judged
        else 0.0
        for name, measure in MEASURES.items()
    }
    figures["queries"] = len(judged)
    return figures


# ---------------------------------------------------------------- collections


@dataclass(frozen=True, slots=True)
class Collection:
    """An ad-hoc test collection: documents, queries and judgements."""

    name: str
    corpus: Path
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def read_collection(directory: Path) -> Collection:
    """Read a collection folder's queries and judgements (the corpus is indexed from disk)."""
    queries: dict[str, str] = {}
    with (directory / QUERIES_FILE).open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                queries[str(record["id"])] = str(record["text"])
    qrels: dict[str, dict[str, int]] = {}
    with (directory / QRELS_FILE).open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                query_id, doc_id, grade = line.split("\t")[:3]
                qrels.setdefault(query_id, {})[doc_id] = int(grade)
    return Collection(directory.name, directory / CORPUS_FILE, queries, qrels)


def is_collection(directory: Path) -> bool:
    """Tell whether a folder holds the three files of a collection."""
    return all((directory / name).is_file() for name in (CORPUS_FILE, QUERIES_FILE, QRELS_FILE))


def default_collections() -> list[Path]:
    """Return the shared data's collection folders, present or not."""
    shared = Path(os.environ.get(ENV_VAR) or DEFAULT_SHARED)
    return [shared / "data" / "ir" / name for name in DEFAULT_COLLECTIONS]


# ---------------------------------------------------------------- running


def run(collection: Collection, index_dir: Path) -> dict[str, object]:
    """Index a collection into a new folder, run its queries and return figures and timings."""
    began = time.perf_counter()
    index = searchkit.Index.build(index_dir, collection.corpus)
    built = time.perf_counter() - began
    rankings: dict[str, list[str]] = {}
    latencies: list[float] = []
    with index:
        for query_id, text in collection.queries.items():
            began = time.perf_counter()
            try:
                # Every document is judged on its own: near-duplicates are not collapsed.
                hits = index.search(text, limit=DEPTH, match="any", syntax=False, collapse=False)
            except searchkit.QueryError:
                hits = None  # a query of stop words alone: nothing is retrieved
            latencies.append(time.perf_counter() - began)
            rankings[query_id] = [hit.id for hit in hits] if hits is not None else []
    figures: dict[str, object] = dict(evaluate(rankings, collection.qrels))
    figures["documents"] = len(index)
    figures["skipped_documents"] = len(index.report.problems) if index.report else 0
    figures["index_seconds"] = round(built, 2)
    figures["query_ms_p50"] = round(1000 * statistics.median(latencies), 2)
    figures["query_ms_mean"] = round(1000 * statistics.fmean(latencies), 2)
    return figures


def render(name: str, figures: Mapping[str, object]) -> str:
    """Format one collection's figures, with the peers' below them."""
    names = list(MEASURES)
    label_width = 36
    lines = [
        f"{name}: {figures['documents']} documents ({figures['skipped_documents']} skipped), "
        f"{figures['queries']} judged queries",
        f"  {'system':<{label_width}}" + "".join(f"{n:>12}" for n in names),
        f"  {'searchkit (default ranking)':<{label_width}}"
        + "".join(f"{_number(figures.get(n)):>12}" for n in names),
    ]
    for peer, peer_figures in PEERS.get(name, ()):
        lines.append(
            f"  {'peer: ' + peer:<{label_width}}"
            + "".join(f"{_number(peer_figures.get(n)):>12}" for n in names)
        )
    lines.append(
        f"  index {figures['index_seconds']} s; query p50 {figures['query_ms_p50']} ms, "
        f"mean {figures['query_ms_mean']} ms"
    )
    return "\n".join(lines)


def _number(value: object) -> str:
    return f"{value:.4f}" if isinstance(value, float) else "-"


def main(argv: Sequence[str] | None = None) -> int:
    """Evaluate every collection given (or the shared ones) and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--collection",
        dest="collections",
        action="append",
        type=Path,
        metavar="DIR",
        help="a collection folder (repeatable); default: the shared Cranfield and CISI",
    )
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    args = parser.parse_args(argv)
    directories: list[Path] = args.collections or default_collections()
    results: dict[str, dict[str, object]] = {}
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="searchkit-relevance-") as tmp:
        for position, directory in enumerate(directories):
            if not is_collection(directory):
                print(
                    f"no collection at {directory} (needs {CORPUS_FILE}, {QUERIES_FILE}, "
                    f"{QRELS_FILE}); skipped. Set --collection or ${ENV_VAR}",
                    file=sys.stderr,
                )
                continue
            collection = read_collection(directory)
            figures = run(collection, Path(tmp) / f"{position}-{collection.name}")
            results[collection.name] = figures
            if not args.json:
                print(render(collection.name, figures), flush=True)
    seconds = time.perf_counter() - began
    if args.json:
        peers = {
            name: [{"system": peer, **values} for peer, values in PEERS.get(name, ())]
            for name in results
        }
        report = {"collections": results, "peers": peers, "seconds": round(seconds, 2)}
        print(json.dumps(report, indent=2))
    elif results:
        print(f"total {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

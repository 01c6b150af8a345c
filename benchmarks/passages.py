"""Measure how well pasted passages find the article they come from, beside plain BM25 engines.

Run from the repository root::

    python benchmarks/passages.py [--corpus FILE] [--docs N] [--queries N] [--seed N]
                                  [--keep DIR] [--json]

A known-item task: each query is drawn from one article of the corpus, whose
only relevant answer is that article.  Queries are made deterministically
from ``--seed``: half are the start of one of the article's sentences (up to
:data:`SENTENCE_WORDS` words, as pasted, punctuation and all), half a bag of
3-5 of its words (not stop words, in random order), as someone remembers them.

Every engine indexes the same records (the first ``--docs`` of the corpus)
and answers the same queries in the same run, top :data:`CUTOFF`:

* ``searchkit``: ``Index.search(text, limit=10, match="any", syntax=False)``;
* ``searchkit --passage``: ``Index.search(text, limit=10, passage=True)``;
* ``searchkit query``: ``Index.search(text, limit=10)`` with every default, as
  ``searchkit query TEXT`` runs it: pasted text noticed, the words in query
  syntax, wire copies collapsed; a hit counts as the source article when the
  source is the hit or one of the copies it lists (the copies of the other
  engines' rows are separate hits);
* ``whoosh``: plain Whoosh, ``StemmingAnalyzer`` title and body, an OR query
  (the schema of :mod:`engines`);
* ``fts5``: SQLite FTS5, ``porter unicode61``, an OR of the words, ranked by ``bm25()``;
* ``bm25s``: stemmed with NLTK's Snowball, English stop words (skipped when
  ``bm25s`` is not installed: ``pip install ".[bench]"``).

The measures are :mod:`relevance`'s trec_eval ones: nDCG@10 with the one
relevant article, and MRR@10 (the reciprocal rank of the source article in
the top 10, else 0); latency is the wall time of each query, p50 and p95.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
for folder in (ROOT, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import engines  # noqa: E402
from corpus import read_records, shared_dir, write_records  # noqa: E402
from relevance import ndcg  # noqa: E402
from whoosh.analysis import STOP_WORDS  # noqa: E402

import searchkit  # noqa: E402

SEED = 17
QUERIES = 200
CUTOFF = 10
#: A sentence start is at most this many words; shorter sentences are taken whole.
SENTENCE_WORDS = 12
#: Sentences shorter than this are not pasted (a dateline, a byline).
MIN_SENTENCE_WORDS = 6
#: A bag of remembered words holds between these many words.
BAG_WORDS = (3, 5)
#: Articles with fewer words than this are not drawn from.
MIN_ARTICLE_WORDS = 40
KINDS = ("sentence", "bag")

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


@dataclass(frozen=True, slots=True)
class KnownItem:
    """A query drawn from one article, which is its only relevant answer."""

    kind: str
    text: str
    article: str


def make_queries(records: Sequence[dict[str, Any]], count: int, seed: int) -> list[KnownItem]:
    """Draw ``count`` known-item queries, half sentence starts and half word bags."""
    rng = random.Random(seed)
    eligible = [r for r in records if len((r.get("text") or "").split()) >= MIN_ARTICLE_WORDS]
    if not eligible:
        return []
    queries: list[KnownItem] = []
    attempts = 0
    while len(queries) < count and attempts < 50 * count:
        attempts += 1
        record = eligible[rng.randrange(len(eligible))]
        kind = KINDS[len(queries) % len(KINDS)]
        text = _sentence_start(record["text"], rng) if kind == "sentence" else _bag(record, rng)
        if text:
            queries.append(KnownItem(kind, text, str(record["id"])))
    return queries


def _sentence_start(text: str, rng: random.Random) -> str | None:
    sentences = [s.split() for s in _SENTENCE_END.split(text)]
    sentences = [s for s in sentences if len(s) >= MIN_SENTENCE_WORDS]
    if not sentences:
        return None
    return " ".join(sentences[rng.randrange(len(sentences))][:SENTENCE_WORDS])


def _bag(record: dict[str, Any], rng: random.Random) -> str | None:
    words = sorted(
        {w.lower() for w in _WORD.findall(record["text"])} - STOP_WORDS,
    )
    size = rng.randint(*BAG_WORDS)
    if len(words) < size:
        return None
    return " ".join(rng.sample(words, size))


# ---------------------------------------------------------------- engines

Search = Callable[[str], list[str]]


def _plain_words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def searchkit_engine(
    directory: Path, corpus_dir: Path, *, collapse: bool = False, **options: Any
) -> Iterator[Search]:
    """Build (or reuse) a searchkit index and yield its search function.

    Without ``collapse`` the known item is one article, its wire copies not
    folded into an earlier one; with it, each hit is its id and its copies'
    ids, joined by :data:`COPIES` (see :func:`measure`).
    """
    if not (directory / "CURRENT").exists():
        searchkit.Index.build(directory, corpus_dir).close()
    index = searchkit.Index.open(directory)
    try:
        yield lambda text: [
            COPIES.join([hit.id, *(copy.id for copy in hit.copies)])
            for hit in index.search(text, limit=CUTOFF, collapse=collapse, **options)
        ]
    finally:
        index.close()


def whoosh_engine(directory: Path, corpus_dir: Path) -> Iterator[Search]:
    """Build (or reuse) a plain Whoosh index; yield an OR search over title and body."""
    from whoosh.index import exists_in, open_dir
    from whoosh.qparser import MultifieldParser, OrGroup

    if not exists_in(str(directory)):
        engines.build("whoosh", directory, corpus_dir)
    ix = open_dir(str(directory))
    parser = MultifieldParser(["title", "body"], ix.schema, group=OrGroup)
    try:
        with ix.searcher() as searcher:

            def search(text: str) -> list[str]:
                query = parser.parse(" ".join(_plain_words(text)))
                return [hit["id"] for hit in searcher.search(query, limit=CUTOFF)]

            yield search
    finally:
        ix.close()


def fts5_engine(directory: Path, corpus_dir: Path) -> Iterator[Search]:
    """Build (or reuse) an FTS5 table; yield a bm25()-ranked OR search over title and body."""
    if not (directory / engines.FTS5_FILE).exists():
        engines.build("fts5", directory, corpus_dir)
    connection = sqlite3.connect(directory / engines.FTS5_FILE)
    sql = f"SELECT id FROM articles WHERE articles MATCH ? ORDER BY bm25(articles) LIMIT {CUTOFF}"
    try:

        def search(text: str) -> list[str]:
            words = " OR ".join(f'"{w}"' for w in _plain_words(text))
            match = "{title body} : (" + words + ")"
            return [str(row[0]) for row in connection.execute(sql, (match,))]

        yield search
    finally:
        connection.close()


def bm25s_engine(directory: Path, corpus_dir: Path) -> Iterator[Search]:
    """Index with bm25s in memory (Snowball stems, English stop words); yield its search."""
    import bm25s
    from nltk.stem.snowball import SnowballStemmer

    stem = SnowballStemmer("english").stem
    ids: list[str] = []
    texts: list[str] = []
    for part in sorted(corpus_dir.glob("*.jsonl")):
        for record in read_records(part):
            ids.append(str(record["id"]))
            texts.append(f"{record.get('title') or ''}\n{record.get('text') or ''}")

    def stemmer(words: list[str]) -> list[str]:
        return [stem(w) for w in words]

    retriever = bm25s.BM25()
    corpus_tokens = bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False)
    retriever.index(corpus_tokens, show_progress=False)
    vocabulary = set(retriever.vocab_dict)

    def search(text: str) -> list[str]:
        tokens = bm25s.tokenize(
            [text], stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False
        )
        tokens = [[t for t in tokens[0] if t in vocabulary]]
        if not tokens[0]:
            return []
        k = min(CUTOFF, len(ids))
        found, _ = retriever.retrieve(tokens, k=k, show_progress=False)
        return [ids[int(i)] for i in found[0]]

    yield search


def _has_bm25s() -> bool:
    try:
        import bm25s  # noqa: F401
    except ImportError:
        return False
    return True


ENGINES: dict[str, Callable[[Path, Path], Iterator[Search]]] = {
    "searchkit": lambda d, c: searchkit_engine(d, c, match="any", syntax=False),
    "whoosh": whoosh_engine,
    "fts5": fts5_engine,
    "bm25s": bm25s_engine,
}
#: Engines that read another engine's index folder, and how they search it.
SHARES = {"searchkit --passage": "searchkit", "searchkit query": "searchkit"}
SHARED_OPTIONS: dict[str, dict[str, Any]] = {
    "searchkit --passage": {"passage": True},
    "searchkit query": {"collapse": True},
}
#: Joins a collapsed hit's id to its copies' ids (no id in the corpus has a tab).
COPIES = "\t"


def _shared_engine(name: str) -> Callable[[Path, Path], Iterator[Search]]:
    def opener(directory: Path, corpus_dir: Path) -> Iterator[Search]:
        return searchkit_engine(directory, corpus_dir, **SHARED_OPTIONS[name])

    return opener


# ---------------------------------------------------------------- running


def measure(search: Search, queries: Sequence[KnownItem]) -> dict[str, float]:
    """Run every query once; return nDCG@10 and MRR@10 (overall and per kind) and latencies."""
    latencies: list[float] = []
    gains: dict[str, list[float]] = {kind: [] for kind in KINDS}
    ranks: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for query in queries:
        began = time.perf_counter()
        try:
            ranking = search(query.text)
        except searchkit.QueryError:
            ranking = []  # stop words alone: nothing retrieved
        latencies.append(time.perf_counter() - began)
        # A collapsed hit is the source article when it lists the source as a copy.
        ranking = [query.article if query.article in r.split(COPIES) else r for r in ranking]
        gains[query.kind].append(ndcg(ranking, {query.article: 1}, CUTOFF))
        top = ranking[:CUTOFF]
        ranks[query.kind].append(1 / (top.index(query.article) + 1) if query.article in top else 0)
    every_gain = [g for kind in KINDS for g in gains[kind]]
    every_rank = [r for kind in KINDS for r in ranks[kind]]
    figures = {
        f"ndcg@{CUTOFF}": statistics.fmean(every_gain),
        f"mrr@{CUTOFF}": statistics.fmean(every_rank),
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * statistics.quantiles(latencies, n=20)[-1],
    }
    for kind in KINDS:
        if gains[kind]:
            figures[f"ndcg@{CUTOFF} {kind}"] = statistics.fmean(gains[kind])
    return figures


def run(
    records: Sequence[dict[str, Any]],
    queries: Sequence[KnownItem],
    work: Path,
    names: Sequence[str],
) -> dict[str, dict[str, float]]:
    """Index the records with each engine under ``work`` and measure every query."""
    corpus_dir = work / "corpus"
    if not corpus_dir.exists():
        corpus_dir.mkdir(parents=True)
        write_records(records, corpus_dir / "articles.jsonl")
    results: dict[str, dict[str, float]] = {}
    for name in names:
        if name == "bm25s" and not _has_bm25s():
            print("bm25s is not installed; skipped (pip install '.[bench]')", file=sys.stderr)
            continue
        folder = work / SHARES.get(name, name)
        folder.mkdir(exist_ok=True)
        opener = _shared_engine(name) if name in SHARES else ENGINES[name]
        began = time.perf_counter()
        searches = opener(folder, corpus_dir)
        search = next(searches)
        ready = time.perf_counter() - began
        search(queries[0].text)  # warm caches, as a long-running searcher would be
        results[name] = measure(search, queries)
        results[name]["ready_s"] = ready
        searches.close()
    return results


def render(results: dict[str, dict[str, float]], documents: int, queries: int, seed: int) -> str:
    """Format the figures as a Markdown table."""
    columns = [f"ndcg@{CUTOFF}", f"mrr@{CUTOFF}"]
    columns += [f"ndcg@{CUTOFF} {kind}" for kind in KINDS]
    columns += ["p50_ms", "p95_ms"]
    lines = [
        f"{documents} documents, {queries} known-item queries (seed {seed})",
        "",
        "| engine | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for name, figures in results.items():
        cells = [_cell(figures.get(column), column) for column in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(value: float | None, column: str) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}" if column.endswith("_ms") else f"{value:.3f}"


def main(argv: Sequence[str] | None = None) -> int:
    """Draw the queries, run every engine and print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_corpus = shared_dir() / "data" / "news" / "news_articles.jsonl"
    parser.add_argument("--corpus", type=Path, default=default_corpus, help="a JSONL article file")
    parser.add_argument("--docs", type=int, help="index only the first N records")
    parser.add_argument("--queries", type=int, default=QUERIES, help="known-item queries")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the query draw")
    parser.add_argument(
        "--engines",
        default=",".join([*ENGINES, *SHARES]),
        help="comma-separated engines (default: all)",
    )
    parser.add_argument("--keep", type=Path, help="build indexes here and reuse them on reruns")
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"no corpus at {args.corpus}; skipped (set --corpus or SEARCHKIT_SHARED)")
        return 0
    records = read_records(args.corpus)[: args.docs]
    queries = make_queries(records, args.queries, args.seed)
    if not queries:
        print(f"no article in {args.corpus} has {MIN_ARTICLE_WORDS} words; nothing to measure")
        return 0
    names = [name.strip() for name in args.engines.split(",") if name.strip()]
    unknown = set(names) - set(ENGINES) - set(SHARES)
    if unknown:
        parser.error(f"unknown engines {sorted(unknown)}; choose from {[*ENGINES, *SHARES]}")
    with tempfile.TemporaryDirectory(prefix="searchkit-passages-") as tmp:
        work = args.keep / f"{args.docs or 'all'}-docs" if args.keep else Path(tmp)
        results = run(records, queries, work, names)
    if args.json:
        report = {"documents": len(records), "queries": len(queries), "seed": args.seed}
        print(json.dumps({**report, "engines": results}, indent=2))
    else:
        print(render(results, len(records), len(queries), args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())

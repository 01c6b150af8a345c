"""Would threads over shards make a sharded index's queries faster on one machine?

    python benchmarks/shard_search.py --docs 21268 --shards 4

A sharded index answers with one Whoosh searcher over every shard's segments
(collection-wide statistics, one collector).  The alternative is a thread per
shard.  This script measures what such threads could win at best: the same
queries (``corpus.make_workload``, top 10 with snippets) are run

* on the sharded index as searchkit runs them (one searcher over all shards);
* on each shard's own index, one shard after another; and
* on each shard's own index, one thread per shard, at once.

The per-shard runs do the work a thread per shard would do, without merging
the shards' answers or sharing their statistics (so their scores are not the
sharded index's): if the threads are not faster than one shard after another,
a thread per shard cannot pay, whatever its merge costs.  Whoosh scores in
Python, so the threads share one interpreter lock.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import load_corpus, make_workload, write_corpus

import searchkit


def _timed(run: Any, texts: list[str]) -> list[float]:
    times = []
    for text in texts:
        started = time.perf_counter()
        run(text)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _search(index: searchkit.Index, text: str) -> list[Any]:
    return [(hit.id, hit.score, hit.snippet.text) for hit in index.search(text, limit=10)]


def _pcts(times: list[float]) -> str:
    cuts = statistics.quantiles(times, n=20)
    return f"p50 {statistics.median(times):.1f} ms, p95 {cuts[18]:.1f} ms, all {sum(times):,.0f} ms"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--keep", type=Path, help="build the index here, or reuse it")
    args = parser.parse_args(argv)

    corpus = load_corpus(args.docs)
    print(f"corpus: {corpus.label}")
    texts = [query.text() for query in make_workload(corpus.records).queries]
    with tempfile.TemporaryDirectory(prefix="sk-shard-search-") as tmp:
        directory = args.keep or Path(tmp) / "sharded"
        if not (directory / "shards.json").is_file():
            folder = write_corpus(corpus.records, Path(tmp) / "corpus")
            searchkit.Index.index(directory, folder, shards=args.shards).close()
        with searchkit.Index.open(directory) as index:
            assert isinstance(index, searchkit.ShardedIndex)
            shards = index.shards

            def one_after_another(text: str) -> None:
                for shard in shards:
                    _search(shard, text)

            pool = ThreadPoolExecutor(max_workers=len(shards))

            def threads(text: str) -> None:
                list(pool.map(lambda shard: _search(shard, text), shards))

            runs = {
                "one searcher over all shards (searchkit)": lambda text: _search(index, text),
                "each shard, one after another": one_after_another,
                f"each shard, {len(shards)} threads at once": threads,
            }
            for run in runs.values():  # warm every searcher and cache first
                _timed(run, texts)
            print(f"{len(texts)} queries, {len(shards)} shards; load average {os.getloadavg()}")
            for name, run in runs.items():
                print(f"  {name}: {_pcts(_timed(run, texts))}")
            pool.shutdown()


if __name__ == "__main__":
    main()

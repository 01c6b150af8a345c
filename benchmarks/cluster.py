"""Build one index and a sharded index on a local Dask cluster; compare build and query costs.

    python benchmarks/cluster.py --docs 100000 --shards 4 --workers 2

The corpus is the benchmark corpus (``corpus.load_corpus``: the shared news
file, resampled past its 21,268 articles, and labelled so).  Reports build
wall time and articles/s for both, the peak memory (RSS) of each Dask worker
process, and query p50/p95 (top 10 with
snippets, the ``corpus.make_workload`` queries) on each index.  Both indexes
must give the same hits with the same scores; the script checks that too.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import load_corpus, make_workload, write_corpus

import searchkit


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _queries(index: searchkit.Index, texts: list[str]) -> tuple[list[float], list[Any]]:
    times, answers = [], []
    for text in texts:
        started = time.perf_counter()
        results = index.search(text, limit=10)
        hits = [(h.id, h.score, h.snippet.text) for h in results]
        times.append((time.perf_counter() - started) * 1000)
        answers.append((len(results), hits))
    return times, answers


def _pcts(times: list[float]) -> str:
    cuts = statistics.quantiles(times, n=20)
    return f"{statistics.median(times):.1f} / {cuts[18]:.1f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=21268)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--procs", type=int, default=None, help="processes of the single build")
    args = parser.parse_args(argv)

    import dask
    from distributed import Client, LocalCluster

    corpus = load_corpus(args.docs)
    print(f"corpus: {corpus.label}")
    workload = make_workload(corpus.records)
    texts = [query.text() for query in workload.queries]
    with tempfile.TemporaryDirectory(prefix="sk-cluster-") as tmp:
        folder = write_corpus(corpus.records, Path(tmp) / "corpus")
        started = time.perf_counter()
        one = searchkit.Index.build(Path(tmp) / "one", folder, procs=args.procs)
        single = time.perf_counter() - started
        print(f"single index: {single:.1f} s, {args.docs / single:,.0f} articles/s")
        with (
            dask.config.set({"distributed.scheduler.allowed-failures": 0}),
            LocalCluster(
                n_workers=args.workers, threads_per_worker=1, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            started = time.perf_counter()
            sharded = searchkit.Index.index(
                Path(tmp) / "sharded",
                folder,
                shards=args.shards,
                scheduler=cluster.scheduler_address,
            )
            took = time.perf_counter() - started
            rss = client.run(_peak_rss_mib)
        print(
            f"sharded ({args.shards} shards, {args.workers} workers): {took:.1f} s, "
            f"{args.docs / took:,.0f} articles/s; peak RSS per worker MiB: "
            + ", ".join(f"{value:,.0f}" for value in sorted(rss.values()))
        )
        for _ in range(2):  # warm both, then measure
            one_times, one_answers = _queries(one, texts)
            shard_times, shard_answers = _queries(sharded, texts)
        same = one_answers == shard_answers
        print(
            f"queries ({len(texts)}), p50 / p95 ms: single {_pcts(one_times)}, "
            f"sharded {_pcts(shard_times)}; same hits and scores: {same}"
        )
        one.close()
        sharded.close()
        if not same:
            raise SystemExit("the sharded index answered differently")


if __name__ == "__main__":
    main()

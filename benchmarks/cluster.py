"""Build one index and a sharded index on a local Dask cluster; compare build and query costs.

    python benchmarks/cluster.py --docs 100000 --shards 4 --workers 2
    python benchmarks/cluster.py --docs 1000000 --shards 8 --workers 2 --no-single

The corpus is the benchmark corpus (the shared news file, resampled past its
21,268 articles, and labelled so), written to JSONL files one file at a time,
so 1M articles never sit in this process's memory.  The sharded index is
built first: wall time, articles/s, how long reading and writing the shards
took, the peak memory (RSS) of each Dask worker and of this process (the
writer that settles the ids).  Then the single index (``Index.build`` with its
forked writers; ``--no-single`` leaves it out: one index holds every article
read in its one process).  Queries (``corpus.make_workload``, drawn from the
real articles, top 10 with snippets) give p50/p95 on each index, and both
indexes must give the same hits with the same scores; the script checks that.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import (
    SEED,
    corpus_path,
    iter_sized,
    load_corpus,
    make_workload,
    read_records,
    sized,
    write_corpus_stream,
)

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
    parser.add_argument("--no-single", action="store_true", help="build the sharded index only")
    parser.add_argument("--tmp", type=Path, default=None, help="where to write (default: /tmp)")
    args = parser.parse_args(argv)

    import dask
    from distributed import Client, LocalCluster

    path = corpus_path()
    if path is None:
        corpus = load_corpus(args.docs)
        label, records, real = corpus.label, iter(corpus.records), corpus.records
    else:
        base = read_records(path)
        label = f"{path.name} ({len(base):,} articles): {args.docs:,} (seed {SEED})"
        if args.docs > len(base):
            label += f", {args.docs - len(base):,} of them resampled"
        records, real = iter_sized(base, args.docs, SEED), sized(base, min(args.docs, len(base)))
    print(f"corpus: {label}; started {time.strftime('%Y-%m-%d %H:%M:%S')}, load {_load()}")
    texts = [query.text() for query in make_workload(real).queries]
    del real
    with tempfile.TemporaryDirectory(prefix="sk-cluster-", dir=args.tmp) as tmp:
        folder, written = write_corpus_stream(records, Path(tmp) / "corpus")
        assert written == args.docs, written
        phases = _Phases()
        with (
            dask.config.set({"distributed.scheduler.allowed-failures": 0}),
            LocalCluster(
                n_workers=args.workers, threads_per_worker=1, dashboard_address="127.0.0.1:0"
            ) as cluster,
            Client(cluster) as client,
        ):
            started = time.perf_counter()
            phases.started = started
            sharded = searchkit.Index.index(
                Path(tmp) / "sharded",
                folder,
                shards=args.shards,
                scheduler=cluster.scheduler_address,
                progress=phases,
            )
            took = time.perf_counter() - started
            rss = client.run(_peak_rss_mib)
        print(
            f"sharded ({args.shards} shards, {args.workers} workers): {took:.1f} s, "
            f"{args.docs / took:,.0f} articles/s (reading {phases.reading:.1f} s, settling and "
            f"writing shards {phases.writing:.1f} s, grouping copies and committing "
            f"{took - phases.reading - phases.writing:.1f} s); peak RSS per worker MiB: "
            + ", ".join(f"{value:,.0f}" for value in sorted(rss.values()))
            + f"; this process {_peak_rss_mib():,.0f} MiB; load {_load()}"
        )
        for _ in range(2):  # warm, then measure
            shard_times, shard_answers = _queries(sharded, texts)
        print(f"queries ({len(texts)}), sharded p50 / p95 ms: {_pcts(shard_times)}; load {_load()}")
        if args.no_single:
            sharded.close()
            return
        started = time.perf_counter()
        one = searchkit.Index.build(Path(tmp) / "one", folder, procs=args.procs)
        single = time.perf_counter() - started
        print(
            f"single index: {single:.1f} s, {args.docs / single:,.0f} articles/s; "
            f"this process {_peak_rss_mib():,.0f} MiB; load {_load()}"
        )
        for _ in range(2):  # warm both, then measure
            one_times, one_answers = _queries(one, texts)
            shard_times, shard_answers = _queries(sharded, texts)
        same = one_answers == shard_answers
        print(
            f"queries ({len(texts)}), p50 / p95 ms: single {_pcts(one_times)}, "
            f"sharded {_pcts(shard_times)}; same hits and scores: {same}; load {_load()}"
        )
        one.close()
        sharded.close()
        if not same:
            raise SystemExit("the sharded index answered differently")


class _Phases:
    """A build's progress callback that notes when reading and writing the shards ended."""

    def __init__(self) -> None:
        self.started = self.read_at = self.written_at = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if phase == "reading":
            self.read_at = now
        elif phase == "writing":
            self.written_at = now

    @property
    def reading(self) -> float:
        return self.read_at - self.started

    @property
    def writing(self) -> float:
        return self.written_at - self.read_at


def _load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


if __name__ == "__main__":
    main()

"""Show where searchkit spends its time: cProfile of ``Index.build`` and of the query workload.

Uses the benchmark corpus and workload (see ``corpus.py``)::

    python benchmarks/profile_searchkit.py --docs 2000 --top 25
    python benchmarks/profile_searchkit.py --docs 2000 --only query --sort cumulative

Profiling slows pure-Python code unevenly; read the shares, not the seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import corpus
import engines

QUERY_REPEAT = 3


def profile_build(
    corpus_dir: Path, directory: Path, procs: int | None
) -> tuple[pstats.Stats, float]:
    """Profile one searchkit build of ``corpus_dir``.

    The profiler sees only this process: profile a parallel build (``procs``
    above 1) and the workers' time shows up as waiting.
    """
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(engines.build, "searchkit", directory, corpus_dir, procs)
    return pstats.Stats(profiler), time.perf_counter() - started


def profile_queries(directory: Path, workload: corpus.Workload) -> tuple[pstats.Stats, float]:
    """Profile the workload against an open index, after one untimed warm-up pass."""
    searcher = engines.open_searcher("searchkit", directory)
    try:
        for query in workload.queries:
            searcher.search(query)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(QUERY_REPEAT):
            for query in workload.queries:
                searcher.search(query)
        profiler.disable()
        return pstats.Stats(profiler), time.perf_counter() - started
    finally:
        searcher.close()


def top(stats: pstats.Stats, sort: str, count: int) -> str:
    """Return the ``count`` top lines of a profile, paths shortened."""
    stream = io.StringIO()
    stats.stream = stream  # type: ignore[attr-defined]
    stats.strip_dirs().sort_stats(sort).print_stats(count)
    lines = stream.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(lines[start:])


def main(argv: Sequence[str] | None = None) -> None:
    """Profile searchkit's build and query paths on the benchmark corpus."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--docs", type=int, default=2000, help="articles (default 2000)")
    parser.add_argument("--top", type=int, default=25, help="lines per profile (default 25)")
    parser.add_argument("--sort", default="tottime", help="pstats sort key (default tottime)")
    parser.add_argument("--only", choices=["build", "query"], help="profile one path only")
    parser.add_argument(
        "--procs", type=int, default=1, help="processes for Index.build (default 1, see above)"
    )
    args = parser.parse_args(argv)
    chosen = corpus.load_corpus(args.docs)
    workload = corpus.make_workload(chosen.records)
    with tempfile.TemporaryDirectory(prefix="searchkit-profile-") as tmp:
        corpus_dir = corpus.write_corpus(chosen.records, Path(tmp) / "corpus")
        directory = Path(tmp) / "index"
        directory.mkdir()
        print(f"corpus: {chosen.label}")
        if args.only == "query":
            engines.build("searchkit", directory, corpus_dir, args.procs)
        else:
            stats, seconds = profile_build(corpus_dir, directory, args.procs)
            print(
                f"\n== Index.build (procs={args.procs}): {seconds:.1f}s under the profiler, "
                f"sorted by {args.sort}"
            )
            print(top(stats, args.sort, args.top))
        if args.only != "build":
            stats, seconds = profile_queries(directory, workload)
            runs = len(workload.queries) * QUERY_REPEAT
            print(
                f"\n== Index.search: {runs} queries in {seconds:.1f}s under the profiler "
                f"({seconds / runs * 1000:.1f} ms each), sorted by {args.sort}"
            )
            print(top(stats, args.sort, args.top))


if __name__ == "__main__":
    main()

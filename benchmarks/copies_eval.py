"""Measure wire-copy grouping on the shared news corpus: groups, cost, and a sample to read.

Run from the repository root::

    python benchmarks/copies_eval.py [--data PATH] [--sample N] [--threshold T ...]

It reads the articles of ``news_articles.jsonl`` as ``searchkit index``
does, fingerprints every body (one process and, for the build's figure, the
forked workers a build uses), groups the copies at each threshold given, and
prints the number of groups and grouped articles and the time each step
took.  ``--sample N`` prints N groups, chosen at random with a fixed seed,
with the first 300 characters of two members' bodies side by side, for
checking by hand.  The data path defaults to
``$SEARCHKIT_SHARED/data/news/news_articles.jsonl``; when it is absent the
script says so and exits with status 0.

``--build`` instead builds an index of the corpus in a temporary folder, as
``searchkit index`` does, with and without the fingerprints and groups
(``searchkit.index.copies.copies_alongside``), in turn, and prints how much
longer a build takes with them.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from searchkit.articles.files import read_articles
from searchkit.index import copies

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SEARCHKIT_SHARED") or ROOT.parent / "shared")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data/news/news_articles.jsonl")
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--threshold", type=float, nargs="*", default=[copies.COPY_THRESHOLD])
    args = parser.parse_args()
    if not args.data.exists():
        print(f"{args.data} not present (set SEARCHKIT_SHARED); nothing measured")
        return 0
    if args.build:
        return build(args.data)
    articles = list(read_articles(args.data, on_problem=lambda problem: None))
    bodies = {a.id: a.body for a in articles}
    started = time.perf_counter()
    copies._template()
    imported = time.perf_counter() - started
    started = time.perf_counter()
    serial = [copies.fingerprint(body) for body in bodies.values()]
    one = time.perf_counter() - started
    started = time.perf_counter()
    forked = copies.fingerprints(list(bodies.values()))
    many = time.perf_counter() - started
    assert forked == serial
    prints = {key: value for key, value in zip(bodies, serial, strict=True) if value}
    print(f"{len(bodies):,} articles, {len(prints):,} with a fingerprint")
    print(f"import datasketch: {imported:.2f} s")
    print(f"fingerprints, one process: {one:.2f} s ({one / len(bodies) * 1e3:.3f} ms/article)")
    print(f"fingerprints, {os.cpu_count()} processes: {many:.2f} s")
    for threshold in args.threshold:
        copies.COPY_THRESHOLD = threshold
        started = time.perf_counter()
        groups = copies.group_copies(prints)
        took = time.perf_counter() - started
        grouped = sum(len(g) for g in groups)
        largest = max((len(g) for g in groups), default=0)
        print(
            f"threshold {threshold}: {len(groups):,} groups, {grouped:,} articles in them "
            f"({grouped - len(groups):,} copies), largest {largest}; grouping {took:.2f} s"
        )
        if args.sample:
            for number, group in enumerate(random.Random(14).sample(groups, args.sample), 1):
                print(f"\n=== sample {number}: {len(group)} articles: {', '.join(group)}")
                for key in group[:2]:
                    text = " ".join(bodies[key].split())
                    print(f"--- {key}: {text[:300]}")
    return 0


def build(data: Path, rounds: int = 2) -> int:
    """Build an index of ``data`` with and without copies, in turn; print what they cost.

    The fingerprints and groups are made in a process that runs beside the
    index writers (``copies_alongside``), so their cost is what they add to
    the whole build's wall time: builds without them replace that step with
    nothing.  The two kinds alternate, ``rounds`` times each, so a change in
    the machine's load falls on both.
    """
    import contextlib

    import searchkit

    alongside = copies.copies_alongside

    @contextlib.contextmanager
    def nothing(*args: Any, **kwargs: Any) -> Any:
        yield

    seconds: dict[bool, list[float]] = {True: [], False: []}
    count = 0
    for _ in range(rounds):
        for with_copies in (True, False):
            copies.copies_alongside = alongside if with_copies else nothing
            with tempfile.TemporaryDirectory() as folder:
                started = time.perf_counter()
                index = searchkit.Index.build(Path(folder) / "index", data)
                seconds[with_copies].append(time.perf_counter() - started)
                count = len(index)
                index.close()
    copies.copies_alongside = alongside
    best = {kind: min(times) for kind, times in seconds.items()}
    shown = {kind: ", ".join(f"{t:.1f}" for t in times) for kind, times in seconds.items()}
    print(f"build of {count:,} articles, {rounds} of each kind, in turn (wall s):")
    print(f"  with fingerprints and groups: {shown[True]}")
    print(f"  without:                      {shown[False]}")
    print(f"  best of each: +{best[True] / best[False] - 1:.0%} for the copies")
    return 0


if __name__ == "__main__":
    sys.exit(main())

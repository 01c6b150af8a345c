"""Time the questions of issue 14 on a built index: trace, and queries with copies collapsed.

Run from the repository root, on an index built with ``searchkit index``::

    python benchmarks/follow_latency.py --index DIR [--quotes 50] [--repeat 3]

It draws ``--quotes`` quotes of the speech kind from the index (a fixed
random sample), traces each by five of its words, and times a set of one- and
two-word queries with wire copies collapsed (the default) and with
``collapse=False``; it prints the median and 95th percentile in
milliseconds, and the number of printings and variants the traces found.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

import searchkit

QUERIES = ("oil", "dollar", "bank", "trade deficit", "interest rates", "election", "shares")


def _percentiles(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {statistics.median(ordered) * 1e3:.1f} ms, p95 {p95 * 1e3:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--quotes", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with searchkit.Index.open(args.index) as index:
        quotes = index.quotes(kind="speech", limit=1000)
        texts = [q.text for q in quotes if len(re.findall(r"\w+", q.text)) >= 8]
        chosen = random.Random(14).sample(texts, min(args.quotes, len(texts)))
        words = [" ".join(re.findall(r"\w+", text)[2:7]) for text in chosen]
        seconds, printings, variants = [], [], 0
        for text in words:
            for _ in range(args.repeat):
                started = time.perf_counter()
                history = index.trace(text)
                seconds.append(time.perf_counter() - started)
            printings.append(len(history.printings))
            variants += len(history.variants)
        print(f"{len(index):,} articles; trace of {len(words)} quotes: {_percentiles(seconds)}")
        print(
            f"  printings per quote: median {statistics.median(printings)}, "
            f"max {max(printings)}; {variants} variants"
        )
        for collapse in (True, False):
            timed = []
            for text in QUERIES * args.repeat:
                started = time.perf_counter()
                index.search(text, collapse=collapse)
                timed.append(time.perf_counter() - started)
            print(f"query, collapse={collapse}: {_percentiles(timed)}")
        for text in QUERIES:
            results = index.search(text)
            print(f"  {text!r}: {results.total:,} articles, {results.collapsed_total:,} collapsed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

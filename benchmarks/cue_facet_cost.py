"""Time what the cue facet adds: searches with the web page's other facets, then with cue too.

Run from the repository root, on an index built with ``searchkit index``::

    python benchmarks/cue_facet_cost.py --index DIR [--repeat 5]

For each query it prints the median CPU time (``time.process_time``) of an
article search counting source, year, month, dateline and speaker, the same
with cue, and of a quote search without and with ``facets=["cue"]``; then the
medians over all queries, and the index's reporting verbs over every quote.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import searchkit

QUERIES = ("oil", "china", "interest rates", '"central bank"', "exports", "said", "election")
OTHER_FACETS = ("source", "year", "month", "dateline", "speaker")


def _cpu_ms(call: Callable[[], object], repeat: int) -> float:
    """Return the median CPU time of ``call`` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        call()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    index = searchkit.Index.open(args.index)
    rows = []
    for query in QUERIES:
        index.search(query, facets=(*OTHER_FACETS, "cue"))  # open the columns once
        row = (
            _cpu_ms(lambda q=query: index.search(q, facets=OTHER_FACETS), args.repeat),
            _cpu_ms(lambda q=query: index.search(q, facets=(*OTHER_FACETS, "cue")), args.repeat),
            _cpu_ms(lambda q=query: index.quotes(q), args.repeat),
            _cpu_ms(lambda q=query: index.quotes(q, facets=["cue"]), args.repeat),
        )
        rows.append(row)
        print(
            f"{query!r:18} {len(index.search(query, limit=1)):6} articles  "
            f"search {row[0]:6.1f} ms, with cue {row[1]:6.1f} ms  "
            f"quotes {row[2]:5.1f} ms, with cue {row[3]:5.1f} ms"
        )
    medians = [statistics.median(row[i] for row in rows) for i in range(4)]
    search, search_cue, quotes, quotes_cue = medians
    print(
        f"median CPU: search {search:.1f} ms, with cue {search_cue:.1f} ms; "
        f"quotes {quotes:.1f} ms, with cue {quotes_cue:.1f} ms"
    )
    verbs = index.quotes("", kind=None, limit=1, facets=["cue"]).facets["cue"]
    print(f"{len(verbs)} reporting verbs over {sum(verbs.values()):,} quotes; the first 15:")
    print(", ".join(f"{verb} {count:,}" for verb, count in list(verbs.items())[:15]))


if __name__ == "__main__":
    main()

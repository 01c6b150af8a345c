"""Print the speed benchmark's tables from the summaries a run saved.

``make bench`` (``pytest benchmarks --benchmark-enable``) prints these tables
when it finishes and saves them as ``benchmarks/results/summary-<docs>.json``;
this script prints them again, and with several summaries (say 1k, 5k and 21k
articles) a growth table::

    python benchmarks/report.py                      # every saved summary
    python benchmarks/report.py benchmarks/results/summary-21268.json
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
ENGINES = ("searchkit", "whoosh", "fts5")
BASELINES = ("whoosh", "fts5")

Summary = dict[str, Any]


def percentile(samples: Sequence[float], share: float) -> float:
    """Return the ``share`` quantile (0.5 is the median), interpolating."""
    if len(samples) == 1:
        return samples[0]
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[round(share * 100) - 1]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}" if seconds < 0.1 else f"{seconds * 1000:.0f}"


def _ratio(mine: float, theirs: float) -> str:
    return f"{mine / theirs:.1f}×" if theirs else "-"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths)).rstrip()
    return [line.format(*header), line.format(*("-" * w for w in widths))] + [
        line.format(*row) for row in rows
    ]


def format_summary(summary: Summary) -> str:
    """Return the human-readable tables of one benchmark run."""
    machine = summary["machine"]
    out = [
        f"searchkit speed benchmark: {summary['corpus']}",
        f"command: {summary['command']}",
        f"when: {summary['when']}; {machine['cpus']} CPUs; python {machine['python']}, "
        f"whoosh {machine['whoosh']}, sqlite {machine['sqlite']}; load average "
        f"{machine['load_before']:.2f} before, {machine['load_after']:.2f} after "
        "(other processes on the machine add noise)",
    ]
    if summary.get("searchkit_source"):
        out.append(f"searchkit source: {summary['searchkit_source']}")
    out += _indexing(summary)
    out += _queries(summary)
    out += _cli(summary)
    out += _web(summary)
    return "\n".join(out)


def _indexing(summary: Summary) -> list[str]:
    runs = summary.get("indexing") or {}
    if not runs:
        return []
    rows = []
    sk = runs.get("searchkit")
    for engine in ENGINES:
        run = runs.get(engine)
        if run is None:
            continue
        seconds = statistics.median(run["seconds"])
        mb = run["bytes"] / 1e6
        cpu = run.get("cpu_seconds")
        row = [engine, f"{seconds:.2f}", f"{statistics.median(cpu):.2f}" if cpu else "-"]
        row += [f"{run['docs'] / seconds:,.0f}", f"{mb:.1f}"]
        row.append(f"{run['bytes'] / run['docs'] / 1000:.1f}")
        if sk is not None and engine != "searchkit":
            sk_seconds = statistics.median(sk["seconds"])
            row += [_ratio(sk_seconds, seconds), _ratio(sk["bytes"], run["bytes"])]
        else:
            row += ["", ""]
        rows.append(row)
    rounds = max(len(r["seconds"]) for r in runs.values())
    header = ["engine", "wall s", "CPU s", "articles/s", "MB on disk", "KB/article"]
    header += ["searchkit time ÷", "searchkit size ÷"]
    procs = summary.get("procs")
    how = f"searchkit procs={procs}" if procs else "searchkit's default procs"
    title = f"Indexing {summary['docs']:,} articles (median of {rounds} round(s); {how})"
    return ["", title, *_table(header, rows)]


def _queries(summary: Summary) -> list[str]:
    samples = summary.get("queries") or {}
    engines = [e for e in ENGINES if samples.get(e)]
    if not engines:
        return []
    kinds = list(dict.fromkeys(k for e in engines for k in samples[e]))
    hits = summary.get("hits") or {}
    header = ["class", "queries"] + [f"{e} p50/p95 ms" for e in engines]
    header += [
        f"searchkit ÷ {b} p50/p95" for b in BASELINES if b in engines and "searchkit" in engines
    ]
    header += ["mean hits " + "/".join(engines)]
    rows = []
    for kind in [*kinds, "overall"]:
        per_engine = {}
        for engine in engines:
            if kind == "overall":
                per_engine[engine] = [t for ts in samples[engine].values() for t in ts]
            else:
                per_engine[engine] = samples[engine].get(kind, [])
        count = len(hits.get(engines[0], {}).get(kind, [])) if kind != "overall" else ""
        row = [kind, str(count)]
        for engine in engines:
            ts = per_engine[engine]
            row.append(f"{_ms(percentile(ts, 0.5))} / {_ms(percentile(ts, 0.95))}" if ts else "-")
        if "searchkit" in engines:
            sk = per_engine["searchkit"]
            for base in BASELINES:
                if base in engines:
                    theirs = per_engine[base]
                    if sk and theirs:
                        p50 = _ratio(percentile(sk, 0.5), percentile(theirs, 0.5))
                        p95 = _ratio(percentile(sk, 0.95), percentile(theirs, 0.95))
                        row.append(f"{p50} / {p95}")
                    else:
                        row.append("-")
        row.append("/".join(_mean_hits(hits.get(e, {}), kind) for e in engines))
        rows.append(row)
    repeat = summary.get("repeat", 1)
    title = (
        f"Query latency in-process, warm, top {summary.get('limit', 10)} with snippets "
        f"(each query timed {repeat}×; p50/p95 over all timings)"
    )
    return ["", title, *_table(header, rows)]


def _mean_hits(hits: dict[str, list[int]], kind: str) -> str:
    counts = [c for cs in hits.values() for c in cs] if kind == "overall" else hits.get(kind, [])
    return f"{statistics.mean(counts):.1f}" if counts else "-"


def _cli(summary: Summary) -> list[str]:
    runs = summary.get("cli") or {}
    if not runs:
        return []
    rows = []
    for label, run in runs.items():
        ts = run["seconds"]
        rows.append([label, f"{statistics.median(ts) * 1000:.0f}", f"{min(ts) * 1000:.0f}"])
        rows.append(["  $ " + run["argv"], "", ""])
    count = max(len(r["seconds"]) for r in runs.values())
    title = f"CLI, whole process (subprocess wall time, {count} runs after 1 warm-up)"
    return ["", title, *_table(["command", "median ms", "min ms"], rows)]


def _web(summary: Summary) -> list[str]:
    pages = summary.get("web") or {}
    if not pages:
        return []
    rows = [
        [page, str(len(ts)), _ms(percentile(ts, 0.5)), _ms(percentile(ts, 0.95))]
        for page, ts in pages.items()
    ]
    title = "Web page, server-side render (searchkit serve's app, Starlette test client)"
    return ["", title, *_table(["page", "requests", "p50 ms", "p95 ms"], rows)]


def format_growth(summaries: Sequence[Summary]) -> str:
    """Return how indexing and queries scale across runs of different sizes."""
    rows = []
    for summary in sorted(summaries, key=lambda s: s["docs"]):
        for engine in ENGINES:
            run = (summary.get("indexing") or {}).get(engine)
            samples = [
                t for ts in (summary.get("queries") or {}).get(engine, {}).values() for t in ts
            ]
            if run is None and not samples:
                continue
            row = [f"{summary['docs']:,}", engine]
            if run is not None:
                seconds = statistics.median(run["seconds"])
                row += [
                    f"{seconds:.2f}",
                    f"{run['docs'] / seconds:,.0f}",
                    f"{run['bytes'] / 1e6:.1f}",
                ]
            else:
                row += ["-", "-", "-"]
            if samples:
                row += [_ms(percentile(samples, 0.5)), _ms(percentile(samples, 0.95))]
            else:
                row += ["-", "-"]
            rows.append(row)
    header = ["articles", "engine", "index s", "articles/s", "MB", "p50 ms", "p95 ms"]
    return "\n".join(["Growth (all query classes pooled)", *_table(header, rows)])


def main(argv: Sequence[str] | None = None) -> None:
    """Print the tables of saved benchmark summaries."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("summaries", nargs="*", type=Path, help="summary JSON files")
    args = parser.parse_args(argv)
    paths = args.summaries or sorted(RESULTS.glob("summary-*.json"))
    if not paths:
        raise SystemExit(f"no summaries in {RESULTS}; run `make bench` or `make bench-quick` first")
    summaries = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    for path, summary in zip(paths, summaries, strict=True):
        print(f"== {path}")
        print(format_summary(summary))
        print()
    if len(summaries) > 1:
        print(format_growth(summaries))


if __name__ == "__main__":
    main()

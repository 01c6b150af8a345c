"""Measure how quote extraction and article parsing scale with hostile input shapes.

Run from the repository root (``make complexity``)::

    python benchmarks/complexity.py [--mb 1.0] [--timeout 60] [--json]

Each case builds about ``--mb`` megabytes of text of one shape and times one
call on it, in a child process that is killed after ``--timeout`` seconds
(reported as ``> N s``). Linear code gives about the same seconds per MB
whatever the shape and size; a quadratic loop shows up as a case that is tens
or thousands of times slower than ``normal paragraphs``, or that times out.

Shapes:

* ``N quotes/paragraph``: paragraphs of N ``Smith said: “Point i is here.”``;
* ``normal paragraphs``: real news articles (``<shared>/data/news``, else the
  seed articles), one paragraph per line;
* ``one-line flattened``: the same text with its paragraphs joined by spaces, as
  many JSONL exports have it;
* ``one quote per line``: ``“a”`` lines;
* ``unmatched “``, ``unspaced “x”``, ``straight a"b``: runs of marks that
  never pair up as prose does;
* ``U.S./U.K. abbreviations``: ``The U.S. said “yes” and the U.K. said “no”.``
  repeated in one paragraph;
* ``distinct speakers``: ``“Point i,” Namei said.``, a new name for every quote;
* ``verb-packed sentence``: ``adding “a”`` repeated, a reporting verb before
  every quote of one sentence.

``parse+quotes`` cases time what an index build does per article: parse a JSONL
record (:func:`searchkit.articles.records.parse_record`) and extract its quotes.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from searchkit.articles.records import parse_record  # noqa: E402
from searchkit.quotes.extract import extract_quotes  # noqa: E402

MB = 1_000_000
Build = Callable[[], object]  # makes a case's input: one text, or a list of texts
Measure = Callable[..., tuple[float, int]]  # times a call on it: (seconds, quotes found)
QUOTES_PER_PARAGRAPH = (1, 10, 100, 1000)


def real_texts(limit: int) -> list[str]:
    """Return real article texts, about ``limit`` characters in all (repeated if need be)."""
    shared = ROOT.parent / "shared" / "data" / "news" / "news_articles.jsonl"
    texts: list[str] = []
    if shared.is_file():
        with shared.open(encoding="utf-8") as lines:
            read = 0
            for line in lines:
                texts.append(json.loads(line).get("text") or "")
                read += len(texts[-1])
                if read >= limit:
                    break
    else:
        texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    out: list[str] = []
    total = 0
    while total < limit and texts:
        for text in texts:
            out.append(text)
            total += len(text)
            if total >= limit:
                break
    return out


def real_paragraphs(limit: int) -> list[str]:
    """Return about ``limit`` characters of real article paragraphs."""
    texts = real_texts(limit)
    paragraphs = [p.strip() for text in texts for p in text.split("\n") if p.strip()]
    out: list[str] = []
    total = 0
    while total < limit and paragraphs:
        for paragraph in paragraphs:
            out.append(paragraph)
            total += len(paragraph) + 1
            if total >= limit:
                break
    return out


def repeat(unit: str, size: int) -> str:
    """Repeat ``unit`` to about ``size`` characters."""
    return unit * max(1, size // len(unit))


def quotes_per_paragraph(count: int, size: int) -> str:
    """Paragraphs of ``count`` attributed quotes each, about ``size`` characters in all."""
    paragraph = " ".join(f"Smith said: “Point {i} is here.”" for i in range(count))
    return repeat(paragraph + "\n\n", size)


def shapes(size: int) -> dict[str, Build]:
    """Return each quote-extraction case: its label and a builder of its text."""
    cases: dict[str, Build] = {
        f"{n} quotes/paragraph": lambda n=n: quotes_per_paragraph(n, size)
        for n in QUOTES_PER_PARAGRAPH
    }
    cases.update(
        {
            "normal paragraphs": lambda: "\n\n".join(real_paragraphs(size)),
            "one-line flattened": lambda: " ".join(real_paragraphs(size)),
            "one quote per line": lambda: repeat("“a”\n", size),
            "unmatched “": lambda: repeat("“word ", size),
            "unspaced “x”": lambda: repeat("“x”", size),
            'straight a"b': lambda: repeat('a"b ', size),
            "U.S./U.K. abbreviations": lambda: repeat(
                "The U.S. said “yes” and the U.K. said “no”. ", size
            ),
            "distinct speakers": lambda: " ".join(
                f"“Point {i},” Name{i} said." for i in range(size // 24)
            ),
            "verb-packed sentence": lambda: repeat("adding “a” ", size),
        }
    )
    return cases


def time_quotes(text: str) -> tuple[float, int]:
    began = time.perf_counter()
    found = extract_quotes(text)
    return time.perf_counter() - began, len(found)


def time_parse(text: str) -> tuple[float, int]:
    began = time.perf_counter()
    article = parse_record({"id": "x", "title": "t", "text": text})
    found = extract_quotes(article.body)
    return time.perf_counter() - began, len(found)


def time_parse_each(texts: list[str]) -> tuple[float, int]:
    """Parse many ordinary articles one by one (the normal case, per MB)."""
    seconds, found = 0.0, 0
    for text in texts:
        took, count = time_parse(text)
        seconds, found = seconds + took, found + count
    return seconds, found


def _child(build: Build, measure: Measure, out: Connection) -> None:
    data = build()
    chars = sum(map(len, data)) if isinstance(data, list) else len(str(data))
    seconds, found = measure(data)
    out.send((chars, seconds, found))


def run_case(build: Build, measure: Measure, timeout: float) -> dict[str, float | int | None]:
    """Time one case in a forked child; None seconds when it ran past ``timeout``."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(build, measure, send))
    child.start()
    send.close()
    if receive.poll(timeout):
        chars, seconds, found = receive.recv()
        child.join()
        return {"chars": chars, "seconds": seconds, "quotes": found}
    child.kill()
    child.join()
    return {"chars": None, "seconds": None, "quotes": None}


def parse_cases(size: int) -> dict[str, tuple[Build, Measure]]:
    """Return the whole-article cases: parse a record, then extract its quotes."""
    return {
        "parse+quotes: news articles": (
            lambda: real_texts(size),
            time_parse_each,
        ),
        "parse+quotes: one-line flattened": (lambda: " ".join(real_paragraphs(size)), time_parse),
        "parse+quotes: one quote per line": (lambda: repeat("“a”\n", size), time_parse),
        "parse+quotes: 1000 quotes/paragraph": (
            lambda: quotes_per_paragraph(1000, size),
            time_parse,
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--mb", type=float, default=1.0, help="text per case (default 1 MB)")
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds before a case is abandoned"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    size = int(args.mb * MB)
    cases = {label: (build, time_quotes) for label, build in shapes(size).items()}
    cases.update(parse_cases(size))
    results: dict[str, dict[str, float | int | None]] = {}
    if not args.json:
        print(f"{'case':36} {'chars':>9} {'quotes':>7} {'seconds':>8} {'s/MB':>8}")
    for label, (build, measure) in cases.items():
        result = run_case(build, measure, args.timeout)
        results[label] = result
        if args.json:
            continue
        chars, seconds = result["chars"], result["seconds"]
        if chars is None or seconds is None:
            print(f"{label:36} {'':>9} {'':>7} {'> ' + str(int(args.timeout)):>8} {'':>8}")
        else:
            per_mb = seconds / (chars / MB)
            print(f"{label:36} {chars:9,} {result['quotes']:7,} {seconds:8.2f} {per_mb:8.2f}")
        sys.stdout.flush()
    if args.json:
        print(json.dumps({"mb": args.mb, "timeout": args.timeout, "cases": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

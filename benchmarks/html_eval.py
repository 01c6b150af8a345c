"""Measure reading saved web pages: main text, boilerplate, dates and titles.

Run from the repository root::

    python benchmarks/html_eval.py [--data PATH]

On ``pages/`` (+ ``expected.jsonl``: passages a correct extraction keeps,
``with``, and boilerplate it leaves out, ``without``) and ``dated/`` (+
``dated.jsonl``: true publication dates), it prints for searchkit's HTML
reader, beside trafilatura and htmldate alone with their default settings:

* ``with`` kept: passages found in the title and body (whitespace folded);
* ``without`` kept out: boilerplate passages not found there;
* dates right: the article's date equals the true date (pages with no date
  found count as wrong);
* titles that are markup (``<``, ``{`` or a doctype in the title);
* pages/s of each, each timed in a fresh process (both cache per page);
* pages/s through a whole build of ``pages/``: ``Index.build`` on one process
  and on every core (readers in forked workers), and the ``searchkit index``
  command timed from start to exit, beside trafilatura alone on the same pages.

The data path defaults to ``$SEARCHKIT_SHARED/data/html`` or else
``<repo>/../shared/data/html``; when it is absent the script says so and
exits with status 0.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from searchkit.articles.readers.html import article_from_html

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SEARCHKIT_SHARED") or ROOT.parent / "shared")


def fold(text: str) -> str:
    return " ".join(text.split())


def is_markup(title: str) -> bool:
    return title.lstrip().startswith(("<", "{")) or "<!doctype" in title.lower()


def extraction(data: Path) -> dict[str, dict[str, float]]:
    """Score main text and titles on ``expected.jsonl``."""
    import trafilatura

    cases = [json.loads(line) for line in (data / "expected.jsonl").open()]
    pages = [(data / case["file"]).read_bytes() for case in cases]
    texts: dict[str, list[tuple[str, str]]] = {"searchkit": [], "trafilatura alone": []}
    for case, page in zip(cases, pages, strict=True):
        article = article_from_html(page, id=case["file"])
        texts["searchkit"].append((article.title, article.body) if article else ("", ""))
        document = trafilatura.bare_extraction(page, with_metadata=True)
        pair = (document.title or "", document.text or "") if document else ("", "")
        texts["trafilatura alone"].append(pair)
    scores: dict[str, dict[str, float]] = {}
    for name, extracted in texts.items():
        kept = total_with = out = total_without = 0
        for case, (title, body) in zip(cases, extracted, strict=True):
            text = fold(f"{title}\n{body}")
            kept += sum(fold(p) in text for p in case["with"])
            total_with += len(case["with"])
            out += sum(fold(p) not in text for p in case["without"])
            total_without += len(case["without"])
        scores[name] = {
            "with kept %": 100 * kept / total_with,
            "without kept out %": 100 * out / total_without,
            "titles that are markup": sum(is_markup(title) for title, _ in extracted),
            "pages/s": pages_per_second(data, name),
        }
    return scores


#: What each engine runs on every page, timed in a fresh process of its own:
#: htmldate and trafilatura cache per page, so a second pass in one process is faster.
TIMED = {
    "searchkit": "from searchkit.articles.readers.html import article_from_html as run\n"
    "extract = lambda page: run(page, id='x')\n",
    "trafilatura alone": "import trafilatura\n"
    "extract = lambda page: trafilatura.bare_extraction(page, with_metadata=True)\n",
}
TIMER = """
import json, sys, time
from pathlib import Path
data = Path(sys.argv[1])
cases = [json.loads(line) for line in (data / "expected.jsonl").open()]
pages = [(data / case["file"]).read_bytes() for case in cases]
extract(pages[0])  # imports and one-off set-up
started = time.perf_counter()
for page in pages:
    extract(page)
print(len(pages) / (time.perf_counter() - started))
"""


def pages_per_second(data: Path, name: str) -> float:
    """Time one engine over the pages in a fresh process."""
    code = TIMED[name] + TIMER
    out = subprocess.run(
        [sys.executable, "-c", code, str(data)], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


BUILD = """
import resource, sys, tempfile, time
from pathlib import Path
import searchkit
import trafilatura  # loaded before the clock starts, as trafilatura alone is
procs = int(sys.argv[2]) or None
def cpu(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime
with tempfile.TemporaryDirectory() as folder:
    started, own = time.perf_counter(), cpu(resource.RUSAGE_SELF)
    index = searchkit.Index.build(Path(folder) / "ix", sys.argv[1], procs=procs)
    seconds = time.perf_counter() - started
    print(len(index) / seconds, cpu(resource.RUSAGE_SELF) - own, cpu(resource.RUSAGE_CHILDREN))
"""


def indexing(data: Path) -> dict[str, str]:
    """Time whole builds of ``pages/``, each in a fresh process: pages indexed per second.

    Beside each ``Index.build``, the CPU seconds of the parent and of its worker
    processes say where the reading ran, which a loaded machine's clock may not.
    """
    import tempfile
    import time

    pages = str(data / "pages")
    rates = {}
    for label, procs in (
        ("Index.build, 1 process", 1),
        (f"Index.build, {os.cpu_count()} cores", 0),
    ):
        out = subprocess.run(
            [sys.executable, "-c", BUILD, pages, str(procs)],
            capture_output=True,
            text=True,
            check=True,
        )
        rate, parent, workers = map(float, out.stdout.split())
        rates[label] = f"{rate:.1f} pages/s (CPU: {parent:.1f} s parent, {workers:.1f} s workers)"
    count = len(list((data / "pages").glob("*.html")))
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        command = [sys.executable, "-m", "searchkit", "index", pages, "--index", f"{folder}/ix"]
        subprocess.run(command, capture_output=True, check=True)
        rate = count / (time.perf_counter() - started)
        rates["searchkit index (whole command)"] = f"{rate:.1f} pages/s"
    return rates


def dating(data: Path) -> dict[str, float]:
    """Score publication dates on ``dated.jsonl``."""
    import htmldate

    cases = [json.loads(line) for line in (data / "dated.jsonl").open()]
    right = {"searchkit": 0, "htmldate alone": 0}
    for case in cases:
        page = (data / case["file"]).read_bytes()
        article = article_from_html(page, id=case["file"])
        found = article.date.isoformat() if article and article.date else None
        right["searchkit"] += found == case["date"]
        right["htmldate alone"] += htmldate.find_date(page) == case["date"]
    return {name: 100 * count / len(cases) for name, count in right.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data" / "html")
    args = parser.parse_args()
    if not (args.data / "expected.jsonl").exists():
        print(f"{args.data}: no evaluation pages here (set SEARCHKIT_SHARED); nothing measured")
        return 0
    scores = extraction(args.data)
    dates = dating(args.data)
    scores["searchkit"]["dates right %"] = dates["searchkit"]
    scores["trafilatura alone"]["dates right %"] = dates["htmldate alone"]
    columns = ["with kept %", "without kept out %", "dates right %", "titles that are markup"]
    columns.append("pages/s")
    print(f"{'':20}" + "".join(f"{c:>24}" for c in columns))
    for name, row in scores.items():
        label = name if name == "searchkit" else "trafilatura/htmldate"
        print(f"{label:20}" + "".join(f"{row[c]:>24.1f}" for c in columns))
    print()
    print(f"trafilatura alone, one process: {scores['trafilatura alone']['pages/s']:.1f} pages/s")
    print(f"load average before the builds: {os.getloadavg()[0]:.1f}")
    for label, rate in indexing(args.data).items():
        print(f"{label}: {rate}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fixtures of the speed benchmarks, and the summary tables they print.

With ``--benchmark-disable`` (the default in ``pyproject.toml``) the benchmark
files run as quick correctness tests on a small corpus (300 articles).  With
``--benchmark-enable`` every timed part runs under pytest-benchmark and the
session ends with human-readable tables, also saved to
``benchmarks/results/summary-<docs>.json`` (``python benchmarks/report.py``
prints them again)::

    make bench-quick                     # 1,000 articles, under a minute
    make bench                           # the whole news corpus
    python -m pytest benchmarks --benchmark-enable --bench-docs 5000

Options: ``--bench-docs N|all``, ``--bench-queries`` (per class),
``--bench-repeat`` (timings per query), ``--bench-cli-runs``, ``--bench-procs``
(for searchkit's ``Index.build``).  The corpus is chosen as described in
``benchmarks/corpus.py``; ``benchmarks/profile_searchkit.py`` shows where
searchkit's time goes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import corpus
import engines
import pytest
import report

HERE = Path(__file__).resolve().parent
CI_DOCS = 300
BENCH_DOCS = 1000
BENCH_REPEAT = 3
CLI_RUNS = 7
#: Run the benchmark files in this order: the indexes the first one builds are
#: the ones the others query, so nothing is built twice.
FILE_ORDER = ("bench_indexing.py", "bench_queries.py", "bench_cli.py", "bench_web.py")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("searchkit speed benchmarks")
    group.addoption(
        "--bench-docs",
        metavar="N|all",
        help=f"articles in the corpus (default {CI_DOCS} when benchmarks are disabled, "
        f"else {BENCH_DOCS}); more than the file holds are resampled",
    )
    group.addoption(
        "--bench-queries",
        type=int,
        default=corpus.QUERIES_PER_CLASS,
        metavar="N",
        help="workload queries per class (default %(default)s)",
    )
    group.addoption(
        "--bench-repeat",
        type=int,
        default=BENCH_REPEAT,
        metavar="N",
        help="times each query is timed (default %(default)s)",
    )
    group.addoption(
        "--bench-procs",
        type=int,
        metavar="N",
        help="processes searchkit's Index.build may use (default: its own choice)",
    )
    group.addoption(
        "--bench-cli-runs",
        type=int,
        default=CLI_RUNS,
        metavar="N",
        help="runs of each CLI command (default %(default)s)",
    )


def benchmarks_enabled(config: pytest.Config) -> bool:
    """Tell whether pytest-benchmark times this run (mirrors its own rule)."""
    return bool(config.getoption("benchmark_enable")) or not config.getoption("benchmark_disable")


def corpus_size(config: pytest.Config) -> int | None:
    """Return the ``--bench-docs`` size, None meaning the whole corpus."""
    value = config.getoption("bench_docs")
    if value is None:
        return BENCH_DOCS if benchmarks_enabled(config) else CI_DOCS
    if value == "all":
        return None
    try:
        return int(value)
    except ValueError:
        raise pytest.UsageError(f"--bench-docs {value!r}: give a number or 'all'") from None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return FILE_ORDER.index(name) if item.path.parent == HERE and name in FILE_ORDER else -1

    items.sort(key=rank)  # stable: other tests keep their order, ahead of these


# ---------------------------------------------------------------- measurements


@dataclass
class Measurements:
    """What one run measured, saved as JSON and printed as tables."""

    corpus: str = ""
    docs: int = 0
    command: str = ""
    when: str = ""
    repeat: int = 1
    limit: int = engines.LIMIT
    procs: int | None = None
    searchkit_source: str = ""
    machine: dict[str, Any] = field(default_factory=dict)
    indexing: dict[str, dict[str, Any]] = field(default_factory=dict)
    queries: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    hits: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    cli: dict[str, dict[str, Any]] = field(default_factory=dict)
    web: dict[str, list[float]] = field(default_factory=dict)

    @property
    def measured(self) -> bool:
        return bool(self.indexing or self.queries or self.cli or self.web)

    @staticmethod
    def timings(benchmark: Any) -> list[float]:
        """Return the seconds of each round pytest-benchmark timed (none when disabled)."""
        stats = getattr(benchmark, "stats", None)
        return list(stats.stats.data) if stats is not None else []


MEASUREMENTS = pytest.StashKey[Measurements]()


def source_fingerprint() -> str:
    """Identify the searchkit code measured: a digest of its modules and their latest change.

    Several people change searchkit at once and the lead commits later, so a
    run names the code it measured by content rather than by commit.
    """
    import searchkit

    package = Path(searchkit.__file__).parent
    digest = hashlib.blake2b(digest_size=6)
    newest = 0.0
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode() + module.read_bytes())
        newest = max(newest, module.stat().st_mtime)
    changed = dt.datetime.fromtimestamp(newest).isoformat(timespec="seconds")
    return f"{digest.hexdigest()} (newest module changed {changed})"


def pytest_configure(config: pytest.Config) -> None:
    args = " ".join(config.invocation_params.args)
    chosen = os.environ.get(corpus.CORPUS_ENV)
    prefix = f"{corpus.CORPUS_ENV}={chosen} " if chosen else ""
    config.stash[MEASUREMENTS] = Measurements(
        command=f"{prefix}python -m pytest {args}".strip(),
        when=dt.datetime.now().isoformat(timespec="seconds"),
        repeat=config.getoption("bench_repeat"),
        searchkit_source=source_fingerprint(),
        procs=config.getoption("bench_procs"),
        machine={
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "whoosh": version("whoosh-reloaded"),
            "sqlite": sqlite3.sqlite_version,
            "load_before": os.getloadavg()[0],
        },
    )


@pytest.hookimpl(trylast=True)  # after pytest-benchmark's own tables
def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    measurements = config.stash.get(MEASUREMENTS, None)
    if measurements is None or not measurements.measured or not benchmarks_enabled(config):
        return
    measurements.machine["load_after"] = os.getloadavg()[0]
    summary = asdict(measurements)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    path = results / f"summary-{measurements.docs}.json"
    path.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    terminalreporter.write_sep("=", "searchkit speed summary")
    for line in report.format_summary(summary).splitlines():
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"(saved to {path}; reprint with `python benchmarks/report.py`)")


@pytest.fixture(scope="session")
def measurements(pytestconfig: pytest.Config) -> Measurements:
    return pytestconfig.stash[MEASUREMENTS]


# ---------------------------------------------------------------- corpus and indexes


@pytest.fixture(scope="session")
def bench_corpus(pytestconfig: pytest.Config, measurements: Measurements) -> corpus.Corpus:
    chosen = corpus.load_corpus(corpus_size(pytestconfig))
    measurements.corpus, measurements.docs = chosen.label, len(chosen.records)
    return chosen


@pytest.fixture(scope="session")
def corpus_dir(bench_corpus: corpus.Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus as a folder of JSONL files, the input every engine indexes."""
    return corpus.write_corpus(bench_corpus.records, tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def workload(bench_corpus: corpus.Corpus, pytestconfig: pytest.Config) -> corpus.Workload:
    return corpus.make_workload(bench_corpus.records, pytestconfig.getoption("bench_queries"))


class Indexes:
    """Each engine's index of the corpus: the one the indexing benchmark built, else a new one."""

    def __init__(
        self, corpus_dir: Path, factory: pytest.TempPathFactory, procs: int | None
    ) -> None:
        self.corpus_dir = corpus_dir
        self.factory = factory
        self.procs = procs
        self.directories: dict[str, Path] = {}
        self.searchers: dict[str, engines.Searcher] = {}

    def new_directory(self, engine: str) -> Path:
        return self.factory.mktemp(f"index-{engine}")

    def keep(self, engine: str, directory: Path) -> None:
        old = self.directories.get(engine)
        if old is not None and old != directory:
            shutil.rmtree(old, ignore_errors=True)
        self.directories[engine] = directory

    def directory(self, engine: str) -> Path:
        if engine not in self.directories:
            directory = self.new_directory(engine)
            engines.build(engine, directory, self.corpus_dir, self.procs)
            self.directories[engine] = directory
        return self.directories[engine]

    def searcher(self, engine: str) -> engines.Searcher:
        if engine not in self.searchers:
            self.searchers[engine] = engines.open_searcher(engine, self.directory(engine))
        return self.searchers[engine]

    def close(self) -> None:
        for searcher in self.searchers.values():
            searcher.close()


@pytest.fixture(scope="session")
def indexes(
    corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[Indexes]:
    store = Indexes(corpus_dir, tmp_path_factory, pytestconfig.getoption("bench_procs"))
    yield store
    store.close()


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the two bundled seed articles, as in the README's quick start."""
    import searchkit

    directory = tmp_path_factory.mktemp("seed-index")
    searchkit.Index.build(directory, corpus.ROOT / "seeds").close()
    return directory

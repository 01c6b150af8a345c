"""Whole-process times of the command line, as a user feels them.

Each command runs in a fresh process (``subprocess.run``); the figure is wall
time, interpreter start-up and imports included.  The queries run on the
README's seed index and on the benchmark corpus's searchkit index.

searchkit's modules are byte-compiled first, as ``pip install`` leaves them:
an editable install under ``PYTHONDONTWRITEBYTECODE`` (set on this machine)
would otherwise compile every module on every run, some 100 ms a user
never pays.
"""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from searchkit import __file__ as PACKAGE_INIT

if TYPE_CHECKING:
    from conftest import Indexes, Measurements
    from corpus import Corpus, Workload

SEED_QUERY = "repatriation"


def searchkit_command() -> list[str]:
    """Return how to run the installed ``searchkit`` script."""
    script = Path(sys.executable).with_name("searchkit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "searchkit"]


def shown(argv: list[str]) -> str:
    """Return ``argv`` as a user would type it."""
    bindir = str(Path(sys.executable).parent) + os.sep
    return " ".join(a.removeprefix(bindir) if " " not in a else repr(a) for a in argv)


@pytest.mark.parametrize("case", ["help", "query seeds", "query corpus"])
def test_cli(
    benchmark: Any,
    case: str,
    seed_index_dir: Path,
    bench_corpus: Corpus,
    workload: Workload,
    indexes: Indexes,
    measurements: Measurements,
    pytestconfig: pytest.Config,
) -> None:
    searchkit = searchkit_command()
    if case == "help":
        argv, label, expected = [*searchkit, "--help"], "searchkit --help", "Usage"
    elif case == "query seeds":
        argv = [*searchkit, "query", SEED_QUERY, "--index", str(seed_index_dir)]
        label, expected = "searchkit query (seed index, 2 articles)", "2 articles match"
    else:
        text = workload.of("2 words")[0].text()
        argv = [*searchkit, "query", text, "--index", str(indexes.directory("searchkit"))]
        docs = len(bench_corpus.records)
        label, expected = f"searchkit query (corpus index, {docs:,} articles)", "match"
    env = {**os.environ, "NO_COLOR": "1"}
    compileall.compile_dir(Path(PACKAGE_INIT).parent, quiet=1)

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(argv, capture_output=True, text=True, env=env, check=False)

    benchmark.group = "cli"
    benchmark.extra_info["argv"] = shown(argv)
    runs = pytestconfig.getoption("bench_cli_runs")
    result = benchmark.pedantic(run, rounds=runs, warmup_rounds=1)

    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
    seconds = measurements.timings(benchmark)
    if seconds:
        measurements.cli[label] = {"argv": shown(argv), "seconds": seconds}

"""Indexing throughput and index size: searchkit against plain Whoosh and SQLite FTS5.

Every engine indexes the same JSONL files from scratch into an empty
directory; a round's time includes reading and parsing the files and the final
commit.  searchkit may use several processes (its default); the CPU seconds
reported beside the wall time include its worker processes'.  See
``conftest.py`` for how to run it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import engines
import pytest

if TYPE_CHECKING:
    from conftest import Indexes, Measurements
    from corpus import Corpus

#: Corpora up to this size are indexed three times per engine; larger ones once.
SMALL_CORPUS = 2000


@pytest.mark.parametrize("engine", engines.ENGINES)
def test_indexing(
    benchmark: Any,
    engine: str,
    bench_corpus: Corpus,
    corpus_dir: Path,
    indexes: Indexes,
    measurements: Measurements,
) -> None:
    docs = len(bench_corpus.records)
    built: list[Path] = []

    def fresh_directory() -> tuple[tuple[str, Path, Path], dict[str, Any]]:
        directory = indexes.new_directory(engine)
        built.append(directory)
        indexes.keep(engine, directory)
        return (engine, directory, corpus_dir), {}

    cpu: list[float] = []

    def build(engine: str, directory: Path, corpus_dir: Path) -> int:
        # os.times() counts waited-for child processes too: parallel writers' workers.
        before = os.times()
        count = engines.build(engine, directory, corpus_dir, indexes.procs)
        after = os.times()
        cpu.append(sum(after[:4]) - sum(before[:4]))
        return count

    benchmark.group = f"indexing {docs:,} articles"
    benchmark.extra_info["docs"] = docs
    benchmark.extra_info["procs"] = indexes.procs
    rounds = 3 if docs <= SMALL_CORPUS else 1
    count = benchmark.pedantic(build, setup=fresh_directory, rounds=rounds)

    assert count == docs, f"{engine} indexed {count:,} of {docs:,} articles"
    size = engines.disk_size(built[-1])
    assert size > 0
    seconds = measurements.timings(benchmark)
    if seconds:
        benchmark.extra_info["bytes"] = size
        measurements.indexing[engine] = {
            "seconds": seconds,
            "cpu_seconds": cpu[-len(seconds) :],
            "docs": docs,
            "bytes": size,
        }

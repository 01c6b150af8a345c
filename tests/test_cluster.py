"""Writing a sharded index on a local Dask cluster: the same index, and a dead worker keeps the old.

CI runs these (the test extra pulls in ``searchkit[cluster]``); each starts
a small local cluster of worker processes, a few seconds each.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli.commands import cli
from searchkit.errors import IndexError_
from searchkit.index.shards import read_manifest
from tests.test_shards import answers

distributed = pytest.importorskip("distributed")

QUERIES = ["oil", '"interest rates" OR coffee', "title:bank", "expo*", "source:reuters"]


def _records(folder: Path, count: int, start: int = 0) -> Path:
    """Write ``count`` generated JSONL articles (ids from ``start``); return the file."""
    words = [
        "oil",
        "bank",
        "coffee",
        "exports",
        "interest",
        "rates",
        "minister",
        "strike",
        "market",
        "shares",
    ]
    lines = []
    for n in range(start, start + count):
        text = " ".join(words[(n * k) % len(words)] for k in range(1, 40))
        record = {
            "id": f"a{n}",
            "title": f"{words[n % len(words)]} report {n}",
            "text": f'{text}. "Prices will rise," said Jane Smith.',
            "source": "Reuters" if n % 3 else "BBC News",
            "date": f"1987-03-{n % 28 + 1:02d}",
        }
        lines.append(json.dumps(record))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"part-{start}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _seen(index: searchkit.Index) -> dict[str, Any]:
    return {query: answers(index, query) for query in QUERIES}


def test_a_local_cluster_writes_the_index_one_process_writes(tmp_path: Path) -> None:
    corpus = _records(tmp_path / "corpus", 120)
    with searchkit.Index.index(tmp_path / "here", corpus, shards=3) as here:
        expected = _seen(here)
    with searchkit.Index.index(tmp_path / "dask", corpus, shards=3, workers=2) as built:
        assert built.report is not None and built.report.added == 120
        assert _seen(built) == expected
    # An update on the cluster equals a rebuild: add articles, change and drop others.
    _records(corpus, 30, start=120)
    _records(corpus, 5, start=0)  # part-0.jsonl now holds a0-a4 only
    with searchkit.Index.open(tmp_path / "dask") as live:
        updated = live.update(workers=2)
    report = updated.report
    assert report is not None and (report.added, report.removed) == (30, 115)
    with updated, searchkit.Index.index(tmp_path / "fresh", corpus, shards=3) as fresh:
        assert _seen(updated) == _seen(fresh)


@pytest.mark.parametrize("task", ["reading-part", "writing-shard"])
def test_a_worker_that_dies_fails_the_build_and_keeps_the_old_index(
    tmp_path: Path, task: str
) -> None:
    """Killed while reading a part of the files once, or while writing a shard."""
    import dask
    from distributed import Client, LocalCluster

    corpus = _records(tmp_path / "corpus", 300)
    directory = tmp_path / "ix"
    searchkit.Index.index(directory, corpus, shards=2).close()
    manifest = read_manifest(directory)
    with searchkit.Index.open(directory) as before:
        expected = _seen(before)
    # Reading a part is quick: enough new articles that the test sees one being read.
    added = 3000 if task == "reading-part" else 300
    _records(corpus, added, start=300)

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address="127.0.0.1:0") as cluster,
        Client(cluster) as client,
    ):
        pids = client.run(os.getpid)
        failure: list[BaseException] = []

        def build() -> None:
            try:
                searchkit.Index.index(directory, scheduler=cluster.scheduler_address)
            except BaseException as exc:  # handed to the test thread
                failure.append(exc)

        writer = threading.Thread(target=build)
        writer.start()
        deadline = time.monotonic() + 120

        def busy() -> str | None:
            for address, keys in client.processing().items():
                if any(f"searchkit-{task}-" in str(key) for key in keys):
                    return str(address)
            return None

        worker = busy()
        while worker is None and time.monotonic() < deadline:
            time.sleep(0.005)
            worker = busy()
        assert worker is not None, f"no {task} task was seen running"
        os.kill(pids[worker], signal.SIGKILL)
        writer.join(120)

    assert failure and isinstance(failure[0], IndexError_), failure
    assert "failed on the cluster" in str(failure[0]) and "old index is kept" in str(failure[0])
    assert read_manifest(directory) == manifest
    with searchkit.Index.open(directory) as after:
        assert _seen(after) == expected
    for name in manifest["generations"]:  # each shard's CURRENT is the manifest's again
        shard, _, generation = name.partition("/")
        assert (directory / shard / "CURRENT").read_text().strip() == generation
    with searchkit.Index.index(directory) as retried:  # the same command again works
        assert len(retried) == 300 + added


def test_the_command_line_builds_and_queries_a_sharded_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("searchkit.index.cluster.CONNECT_TIMEOUT", "2s")
    corpus = _records(tmp_path / "corpus", 40)
    runner = CliRunner()
    built = runner.invoke(
        cli, ["index", str(corpus), "--index", str(tmp_path / "ix"), "--shards", "2"]
    )
    assert built.exit_code == 0, built.output
    assert "40 articles in" in built.output
    found = runner.invoke(cli, ["query", "coffee", "--index", str(tmp_path / "ix"), "-n", "1"])
    assert found.exit_code == 0 and "articles match 'coffee'" in found.output
    changed = runner.invoke(
        cli, ["index", "--index", str(tmp_path / "ix"), "--shards", "3"]
    )  # an update cannot re-split
    assert changed.exit_code == 1
    assert "has 2 shards" in changed.output and "--rebuild --shards 3" in changed.output
    unreachable = runner.invoke(
        cli, ["index", "--index", str(tmp_path / "ix"), "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert unreachable.exit_code == 1
    assert "Dask scheduler at tcp://127.0.0.1:9" in unreachable.output

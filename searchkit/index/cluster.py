"""Writing a sharded index: one task per shard, in this process or on a Dask cluster.

``write_sharded`` holds the index's writer lock, sends one
:class:`~searchkit.index.shards.ShardTask` per shard to
:func:`~searchkit.index.shards.write_shard` (here, one after another; on a
local Dask cluster of ``workers`` processes; or on the cluster at
``scheduler``, whose workers must see this file system), merges their reports
and swaps the manifest last.  Any failure, a worker that dies included, leaves
the manifest, and so the index readers see, as it was.

Dask (``pip install "searchkit[cluster]"``) is imported only here, and only
when a cluster is asked for.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from searchkit.errors import ArticleError, IndexError_, SearchkitError
from searchkit.index import storage
from searchkit.index.build import Progress, write_settings
from searchkit.index.shards import (
    MAX_SHARDS,
    ShardedIndex,
    ShardResult,
    ShardTask,
    commit_manifest,
    merge_reports,
    read_manifest,
    roll_back,
    tidy,
    write_shard,
)

__all__ = ["write_sharded"]

#: How long to wait for a Dask scheduler to answer before giving up.
CONNECT_TIMEOUT = "20s"


def write_sharded(
    directory: Path,
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None,
    *,
    rebuild: bool,
    shards: int | None,
    workers: int | None,
    scheduler: str | None,
    progress: Progress | None,
    strict: bool,
    lock_timeout: float,
    procs: int | None,
    follow_links: bool | None,
    on_wait: Callable[[], None] | None,
    field_map: Mapping[str, str] | None,
) -> ShardedIndex:
    """Build or update the sharded index in ``directory``; return it with its report."""
    if shards is not None and not 1 <= shards <= MAX_SHARDS:
        raise IndexError_(f"--shards {shards}: give a number of shards from 1 to {MAX_SHARDS}")
    if workers is not None and workers < 1:
        raise IndexError_(f"--workers {workers}: give at least 1 worker process")
    started = time.perf_counter()
    with storage.writer_lock(directory, lock_timeout, on_wait):
        manifest = read_manifest(directory) if (directory / storage.MANIFEST).is_file() else None
        if manifest is None and shards is None:
            raise IndexError_(
                f"{directory} is not a sharded index: give --shards N to build one "
                "(--workers and --scheduler write the shards of a sharded index)"
            )
        count = shards if shards is not None else int(manifest["shards"]) if manifest else 1
        if manifest is not None and not rebuild and count != manifest["shards"]:
            raise IndexError_(
                f"{directory} has {manifest['shards']} shards; to split it into {count}, "
                f"rebuild it: `searchkit index --rebuild --shards {count} PATH...`"
            )
        live = ShardedIndex.open(directory) if manifest is not None else None
        try:
            roots, follow, fields = write_settings(
                live,
                paths,
                follow_links,
                field_map,
                missing=f"no index at {directory} yet; give the article files or folders "
                "to index, e.g. `searchkit index --shards 4 seeds/`",
            )
        finally:
            if live is not None:
                live.close()
        keep = manifest if manifest is not None and not rebuild else None
        tasks = [
            ShardTask(
                directory=str(directory.resolve()),
                number=number,
                shards=count,
                roots=tuple(str(root) for root in roots),
                live=tuple(keep["generations"]) if keep is not None else None,
                strict=strict,
                procs=procs if workers is None and scheduler is None else 1,
                follow_links=follow,
                field_map=fields,
            )
            for number in range(count)
        ]
        try:
            results = _run(tasks, workers, scheduler, progress)
            failed = next((r.failure for r in results if r.failure is not None), None)
            if failed is not None:  # --strict: nothing may be written
                raise ArticleError(failed[0], failed[1], skipped=failed[2])
            generations = [result.generation for result in results]
            if manifest is None or generations != manifest["generations"]:
                if progress is not None:
                    progress("committing", 0, 0)
                commit_manifest(directory, count, generations, manifest)
            else:  # nothing changed; a killed writer may have left generations behind
                tidy(directory, manifest, None)
        except BaseException:
            roll_back(directory, manifest)
            raise
    index = ShardedIndex.open(directory)
    index.report = merge_reports(results, time.perf_counter() - started)
    return index


def _run(
    tasks: Sequence[ShardTask],
    workers: int | None,
    scheduler: str | None,
    progress: Progress | None,
) -> list[ShardResult]:
    """Write every shard: here, one after another, or on a Dask cluster."""
    if workers is None and scheduler is None:
        results = []
        for done, task in enumerate(tasks, 1):
            results.append(write_shard(task))
            if progress is not None:
                progress("writing", done, len(tasks))
        return results
    try:
        import dask
        from distributed import Client, LocalCluster, as_completed, wait
    except ImportError:
        raise IndexError_(
            "writing shards on a Dask cluster needs Dask: "
            'pip install "searchkit[cluster]" (or leave out --workers and --scheduler)'
        ) from None
    # A worker that dies fails the build at once (Dask would retry its task
    # elsewhere up to 3 times); the old index stays live.  This applies to the
    # scheduler a local cluster starts here; an existing one keeps its own setting.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        cluster = (
            LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,  # the library never prints
            )
            if scheduler is None
            else None
        )
        try:
            with Client(  # type: ignore[no-untyped-call]
                scheduler or cluster, timeout=CONNECT_TIMEOUT
            ) as client:
                return _gather(client, as_completed, wait, tasks, progress)
        except SearchkitError:
            raise
        except OSError as exc:
            raise IndexError_(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with "
                "`dask scheduler` and workers with `dask worker ADDRESS`, or use --workers N"
            ) from exc
        finally:
            if cluster is not None:
                cluster.close()


def _gather(
    client: Any,
    as_completed: Any,
    wait: Any,
    tasks: Sequence[ShardTask],
    progress: Progress | None,
) -> list[ShardResult]:
    build = uuid.uuid4().hex[:8]
    futures = {
        client.submit(write_shard, task, key=f"searchkit-shard-{task.number}-{build}"): task
        for task in tasks
    }
    results: dict[int, ShardResult] = {}
    for future in as_completed(futures):
        task = futures[future]
        try:
            results[task.number] = future.result()
        except SearchkitError:
            raise
        except Exception as exc:  # a worker died (KilledWorker), or a task failed
            # A running task cannot be stopped: wait for the other shards' tasks,
            # so none writes into its shard after the lock is released.
            wait(list(futures))
            raise IndexError_(
                f"writing shard {task.number} of {task.directory} failed on the cluster "
                f"({exc.__class__.__name__}: {exc}); the old index is kept; run the same "
                "command again"
            ) from exc
        if progress is not None:
            progress("writing", len(results), len(tasks))
    return [results[number] for number in range(len(tasks))]

"""Writing a sharded index: read once in parts, then one task per shard, here or on Dask.

``write_sharded`` holds the index's writer lock and runs two rounds of tasks
(here, one after another; on a local Dask cluster of ``workers`` processes;
or on the cluster at ``scheduler``, whose workers must see this file system):
:func:`~searchkit.index.spill.read_part` reads each part of the article files
once and spills every article to its shard; after the ids are settled over
all of them, :func:`~searchkit.index.shards.write_shard` writes each shard from
its own articles.  It then merges the reports and swaps the manifest last.
Any failure, a worker that dies included, leaves the manifest, and so the
index readers see, as it was.

Dask (``pip install "searchkit[cluster]"``) is imported only here, and only
when a cluster is asked for.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from searchkit.errors import IndexError_, SearchkitError
from searchkit.index import storage
from searchkit.index.build import Progress, catalogue, write_settings
from searchkit.index.shards import (
    MAX_SHARDS,
    ShardedIndex,
    ShardTask,
    commit_manifest,
    merge_reports,
    read_manifest,
    roll_back,
    tidy,
    write_shard,
)
from searchkit.index.spill import (
    SPILL_PREFIX,
    plan_parts,
    read_part,
    remove_spills,
    settle_parts,
)

__all__ = ["write_sharded"]

#: How long to wait for a Dask scheduler to answer before giving up.
CONNECT_TIMEOUT = "20s"
#: Where a local cluster's scheduler serves HTTP: any free port, this machine only.
NO_DASHBOARD = "127.0.0.1:0"
#: Parts the article files are cut into per worker thread, so that a slow part
#: (one large file) does not leave the other workers idle at the end.
PARTS_PER_SLOT = 4


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
            # Who holds each id now, over all shards: settles ids that two roots share.
            known = catalogue(live.searcher) if live is not None and not rebuild else {}
        finally:
            if live is not None:
                live.close()
        keep = manifest if manifest is not None and not rebuild else None
        remove_spills(directory)  # what killed writers left
        spill = directory / f"{SPILL_PREFIX}{uuid.uuid4().hex[:12]}"
        try:
            spill.mkdir()
            with _executor(workers, scheduler) as (run, slots):
                parts = plan_parts(
                    spill,
                    roots,
                    parts=slots * PARTS_PER_SLOT if slots else 1,
                    shards=count,
                    follow_links=follow,
                    exclude=[directory],
                    field_map=fields,
                    procs=procs if not slots else 1,
                )
                read = run(read_part, parts, "reading part", _read_progress(progress))
                report = settle_parts(spill, parts, read, known, count)
                del read
                if strict and report.problems:  # nothing may be written
                    raise report.problems[0]
                tasks = [
                    ShardTask(
                        directory=str(directory.resolve()),
                        number=number,
                        shards=count,
                        roots=tuple(str(root) for root in roots),
                        live=tuple(keep["generations"]) if keep is not None else None,
                        spill=str(spill.resolve()),
                        procs=procs if not slots else 1,
                        follow_links=follow,
                        field_map=fields,
                    )
                    for number in range(count)
                ]
                results = run(write_shard, tasks, "writing shard", _write_progress(progress))
            generations = [result.generation for result in results]
            if manifest is None or generations != manifest["generations"]:
                if progress is not None:
                    progress("committing", 0, 0)
                commit_manifest(directory, count, generations, manifest)
            else:  # nothing changed; a killed writer may have left generations behind
                tidy(directory, manifest, None)
        except BaseException:
            if _live_generations(directory) == (manifest or {}).get("generations"):
                roll_back(directory, manifest)  # else the new manifest is live: keep it
            raise
        finally:
            shutil.rmtree(spill, ignore_errors=True)
    index = ShardedIndex.open(directory)
    merge_reports(results, report, time.perf_counter() - started)
    index.report = report
    return index


def _live_generations(directory: Path) -> list[str] | None:
    try:
        return list(read_manifest(directory)["generations"])
    except IndexError_:
        return None


def _read_progress(progress: Progress | None) -> OnDone | None:
    if progress is None:
        return None
    return lambda done, _: progress("reading", sum(len(r.found) for r in done), 0)


def _write_progress(progress: Progress | None) -> OnDone | None:
    if progress is None:
        return None
    return lambda done, total: progress("writing", len(done), total)


#: Told the results so far and the number of tasks as each task ends.
OnDone = Callable[[list[Any], int], None]
#: A task runner: ``run(function, items, what, on_done)`` returns the results in order.
Run = Callable[[Callable[[Any], Any], Sequence[Any], str, OnDone | None], list[Any]]


@contextlib.contextmanager
def _executor(workers: int | None, scheduler: str | None) -> Iterator[tuple[Run, int]]:
    """Yield a task runner and the cluster's worker threads (0: tasks run here, in order)."""
    if workers is None and scheduler is None:
        yield _run_here, 0
        return
    try:
        import dask
        from distributed import Client, LocalCluster
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
                # Not None: Dask still serves HTTP on 8787 then, and warns when
                # another cluster holds it (dask/distributed#8136).
                dashboard_address=NO_DASHBOARD,
                silence_logs=logging.CRITICAL,  # the library never prints
            )
            if scheduler is None
            else None
        )
        try:
            try:
                client = Client(  # type: ignore[no-untyped-call]
                    scheduler or cluster, timeout=CONNECT_TIMEOUT
                )
            except OSError as exc:
                raise IndexError_(
                    f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with "
                    "`dask scheduler` and workers with `dask worker ADDRESS`, or use --workers N"
                ) from exc
            with client:
                slots = max(1, sum(client.nthreads().values()))  # type: ignore[no-untyped-call]

                def run(
                    function: Callable[[Any], Any],
                    items: Sequence[Any],
                    what: str,
                    on_progress: OnDone | None,
                ) -> list[Any]:
                    return _run_on(client, function, items, what, on_progress)

                yield run, slots
        finally:
            if cluster is not None:
                cluster.close()


def _run_here(
    function: Callable[[Any], Any],
    items: Sequence[Any],
    what: str,
    on_progress: OnDone | None,
) -> list[Any]:
    results = []
    for item in items:
        results.append(function(item))
        if on_progress is not None:
            on_progress(results, len(items))
    return results


def _run_on(
    client: Any,
    function: Callable[[Any], Any],
    items: Sequence[Any],
    what: str,
    on_progress: OnDone | None,
) -> list[Any]:
    """Run ``function`` on every item on the cluster; fail the write if any task fails."""
    from distributed import as_completed, wait

    build = uuid.uuid4().hex[:8]
    futures = {
        client.submit(function, item, key=f"searchkit-{what.replace(' ', '-')}-{n}-{build}"): n
        for n, item in enumerate(items)
    }
    results: dict[int, Any] = {}
    try:
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            number = futures[future]
            try:
                results[number] = future.result()
            except SearchkitError:
                raise
            except Exception as exc:  # a worker died (KilledWorker), or a task failed
                # A running task cannot be stopped: wait for the others, so that
                # none writes into the index after its lock is released.
                wait(list(futures))  # type: ignore[no-untyped-call]
                raise IndexError_(
                    f"{what} {number} of {len(items)} failed on the cluster "
                    f"({exc.__class__.__name__}: {exc}); the old index is kept; run the same "
                    "command again"
                ) from exc
            if on_progress is not None:
                on_progress(list(results.values()), len(items))
    except KeyboardInterrupt:
        # Ctrl-C: no task not yet started will start.  A local cluster's workers
        # are stopped with it; an existing cluster's running tasks end by
        # themselves, into a spill folder already deleted or a generation no
        # manifest names (the next write removes it).
        client.cancel(list(futures))
        raise
    return [results[number] for number in range(len(items))]

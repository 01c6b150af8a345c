"""The index directory: generations, the CURRENT pointer, atomic swaps and the writer lock.

::

    index/
      CURRENT          name of the live generation, replaced atomically
      LOCK             held (flock) by the one process writing
      gen-<stamp>/     Whoosh files, stems.json, searchkit.json

Every write produces a new generation beside the live one and then swaps
``CURRENT`` with one ``os.replace``; see :mod:`searchkit.index.store` for how builds
and updates use it, and RELIABILITY.md for what that guarantees.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from searchkit.errors import IndexError_, IndexLockedError, NoIndexError

__all__ = [
    "FORMAT_VERSION",
    "META_FILE",
    "POINTER",
    "STEMS_FILE",
    "link_generation",
    "live_generation",
    "live_version",
    "new_generation_dir",
    "pointer_name",
    "previous_generations",
    "read_meta",
    "remove_stale_generations",
    "swap",
    "write_json",
    "writer_lock",
]

#: Bumped whenever the index layout changes (2: a quote index; 3: quote dates
#: read from the day column; 6: a stop-word field; 7: searchkit's classes pickled
#: into the index moved to stage packages, see ``tests/test_format.py``; 8: each
#: article stores where its sentences end, found by the one Punkt splitter; wire-copy
#: fingerprints and groups, ``fingerprints.json`` and ``copies.json``; 9: cue-verb
#: columns, ``cues`` per article and ``cue_lemma`` per quote, for the cue facet; 10: postings
#: blocks keep ids and weights apart from positions, ``engine/blocks.py``).
FORMAT_VERSION = 10
POINTER = "CURRENT"
LOCK_FILE = "LOCK"
META_FILE = "searchkit.json"
STEMS_FILE = "stems.json"
#: The manifest of a sharded index (see :mod:`searchkit.index.shards`).
MANIFEST = "shards.json"
# Files a Whoosh writer rewrites under the same name: copied, never linked.
_MUTABLE_SUFFIXES = (".toc", "_WRITELOCK", ".json")


def live_generation(directory: Path) -> Path:
    pointer = directory / POINTER
    try:
        name = pointer.read_text(encoding="utf-8", errors="replace").strip()
    except FileNotFoundError:
        if directory.is_dir() and any(
            p.name not in {".gitignore", LOCK_FILE} for p in directory.iterdir()
        ):
            raise IndexError_(
                f"{directory} is not a searchkit index; choose another folder with --index "
                "or build one there with `searchkit index --rebuild PATH`"
            ) from None
        raise NoIndexError(
            f"no index at {directory} yet; build one with `searchkit index PATH...`"
        ) from None
    except OSError as exc:
        raise IndexError_(f"cannot read {pointer} ({exc.strerror})") from exc
    generation = directory / name
    if "/" in name or not name.startswith("gen-") or not generation.is_dir():
        raise IndexError_(
            f"{directory}: {POINTER} names no generation; rebuild with `searchkit index --rebuild`"
        )
    return generation


def pointer_name(directory: Path) -> str | None:
    try:
        return (directory / POINTER).read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


def live_version(directory: Path) -> str | None:
    """Name what a reader of ``directory`` opens now: the generation, or a sharded manifest.

    A write that changes the answer made its new index live.
    """
    try:
        return (directory / MANIFEST).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return pointer_name(directory)


def read_meta(directory: Path, generation: Path) -> dict[str, Any]:
    try:
        meta = json.loads((generation / META_FILE).read_text(encoding="utf-8"))
    except PermissionError as exc:
        raise IndexError_(
            f"cannot read {exc.filename or generation}: permission denied; ask the index's "
            "owner for read access, or build your own with `searchkit index --index DIR PATH...`"
        ) from exc
    except (OSError, ValueError):
        meta = None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_VERSION:
        raise IndexError_(
            f"{directory} was written by an incompatible searchkit version; "
            "rebuild it with `searchkit index --rebuild PATH...`"
        )
    return meta


def new_generation_dir(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    generation = directory / f"gen-{stamp}-{os.getpid()}"
    generation.mkdir()
    return generation


def link_generation(source: Path, target: Path) -> None:
    for item in source.iterdir():
        if item.name.endswith(_MUTABLE_SUFFIXES):
            shutil.copy2(item, target / item.name)
        else:
            os.link(item, target / item.name)


def write_json(path: Path, data: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def swap(directory: Path, generation: Path) -> None:
    """Make ``generation`` live: fsync its files, then replace the pointer atomically."""
    for item in generation.iterdir():
        with open(item, "rb") as handle:
            os.fsync(handle.fileno())
    tmp = directory / f"{POINTER}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    # Exclusive and not through a link: a link planted under this name must not
    # make the swap write through it, nor leave CURRENT a link.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with open(fd, "w", encoding="utf-8") as handle:
        handle.write(generation.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, directory / POINTER)
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def previous_generations(directory: Path, live: Path) -> list[str]:
    """Return the name of the newest generation older than ``live``, kept for its readers."""
    older = sorted(p.name for p in directory.glob("gen-*") if p.name < live.name)
    return older[-1:]


def remove_stale_generations(directory: Path, keep: set[str]) -> None:
    """Delete generations other than ``keep``: older ones and dead writers' leftovers.

    Called with the writer lock held, so no other writer has one in progress.
    """
    for path in directory.glob("gen-*"):
        if path.name not in keep:
            if path.is_symlink():
                path.unlink()
            else:
                shutil.rmtree(path, ignore_errors=True)
    for tmp in directory.glob(f"{POINTER}.*.tmp"):
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def writer_lock(
    directory: Path, timeout: float, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the directory's writer lock; wait up to ``timeout`` seconds for it.

    ``flock`` locks belong to the open file, so the kernel releases the lock of
    a writer that dies, however it dies: a lock can never be left stale.
    ``on_wait`` is called once, at once, when another process holds the lock.
    """
    directory.mkdir(parents=True, exist_ok=True)
    try:
        # Never through a link: a LOCK planted as a link must not create its target.
        fd = os.open(directory / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        raise IndexError_(
            f"{directory / LOCK_FILE} is a symbolic link, which searchkit never writes; "
            "remove it, or choose another --index"
        ) from None
    _held_locks.add(fd)
    try:
        deadline = time.monotonic() + timeout
        waiting = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waiting and on_wait is not None:
                    on_wait()
                waiting = True
                if time.monotonic() >= deadline:
                    raise IndexLockedError(
                        f"{directory} is being written by another searchkit process; "
                        f"waited {timeout:g}s. Try again when it has finished"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        _held_locks.discard(fd)
        os.close(fd)


_held_locks: set[int] = set()


def _close_locks_in_child() -> None:
    # A forked child (an indexing worker) shares the flock with its parent; if the
    # parent is killed, the child's copy would keep the lock held. Drop the copies.
    for fd in _held_locks:
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_locks.clear()


os.register_at_fork(after_in_child=_close_locks_in_child)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

"""Reading the folders for a build: files -> articles on several cores, copies set aside.

The walk runs in the parent.  Files whose reader is slow (saved web pages, web
archives and PDFs: trafilatura reads about 20 pages a second) are read by
forked worker processes while the parent reads the rest, and every file's
articles and problems are taken in walk order, so what a build reads never
depends on how many processes read it.  A worker that dies (a reader's
library crashing on one page) stops the workers; the parent reads what they
left, as a build on one core would.

Identical articles at two places (a file copied, or reached through two links)
are indexed once: the copy at the first path in name order is kept, whatever
the walk order or the index's history, and each other copy is reported as a
duplicate naming both.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from searchkit.errors import ArticleError

if TYPE_CHECKING:
    from searchkit.articles.files import FileToRead
    from searchkit.articles.model import Article

__all__ = ["exit_with_parent", "read_files", "read_folders", "set_aside_copies", "walk"]

#: Readers slow enough to be worth another process (html via trafilatura, warc
#: through it, pdf via pypdf); text, JSONL, CSV and feeds are read faster than
#: their articles could be sent back.
SLOW_READERS = frozenset({"html", "warc", "pdf"})
#: Below this many slow files, starting workers costs more than it saves.
PARALLEL_MIN_FILES = 8
#: How often the parent, waiting for a file, checks that its workers are alive.
PARENT_POLL_SECONDS = 0.5
#: prctl(2) option: the signal a process gets when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1

OnProblem = Callable[[ArticleError], None]


class Found(Protocol):
    """What setting copies aside needs of an article read: an Article, or a stand-in for one."""

    @property
    def id(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def copy_key(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def line(self) -> int: ...


FoundT = TypeVar("FoundT", bound=Found)
#: A problem as it crosses from a worker: location, message, skipped.
_Problem = tuple[str, str, bool]


def read_folders(
    roots: Sequence[Path],
    report: OnProblem,
    *,
    follow_links: bool,
    field_map: Mapping[str, str],
    exclude: Sequence[Path] = (),
    procs: int | None = None,
) -> Iterator[tuple[Article, str]]:
    """Yield (article, root) for every article below ``roots``, in name order.

    ``procs`` processes at most read the slow files (all cores by default).
    """
    for root in sorted(roots, key=str):
        tasks, walked = walk(root, follow_links, exclude)
        for article in read_files(tasks, walked, report, field_map, procs):
            yield article, str(root)


def walk(
    root: Path, follow_links: bool, exclude: Sequence[Path]
) -> tuple[list[FileToRead], list[tuple[int, ArticleError]]]:
    """List the files below ``root``, and the walk's problems with the file each came before.

    The problems are reported in the order of a walk that reads each file as it finds it.
    """
    from searchkit.articles.files import files_to_read

    tasks: list[FileToRead] = []
    walked: list[tuple[int, ArticleError]] = []

    def report(problem: ArticleError) -> None:
        walked.append((len(tasks), problem))

    for task in files_to_read(root, report, follow_links=follow_links, exclude=exclude):
        tasks.append(task)
    return tasks, walked


def read_files(
    tasks: list[FileToRead],
    walked: list[tuple[int, ArticleError]],
    report: OnProblem,
    field_map: Mapping[str, str],
    procs: int | None,
) -> Iterator[Article]:
    from searchkit.articles.files import read_file

    slow = [i for i, task in enumerate(tasks) if task.reader in SLOW_READERS]
    count = min(procs or os.cpu_count() or 1, len(slow))
    forks = "fork" in multiprocessing.get_all_start_methods()
    parallel = len(slow) >= PARALLEL_MIN_FILES and count > 1 and forks
    pending = deque(walked)
    with _Workers(tasks, slow, field_map, count) if parallel else contextlib.nullcontext() as pool:
        for number, task in enumerate(tasks):
            while pending and pending[0][0] <= number:
                report(pending.popleft()[1])
            done = None
            if pool is not None and task.reader in SLOW_READERS:
                done = pool.result(number)
            if done is None:
                yield from read_file(task, report, field_map)
                continue
            articles, problems = done
            for location, message, skipped in problems:
                report(ArticleError(location, message, skipped=skipped))
            yield from articles
    for _, problem in pending:
        report(problem)


class _Workers:
    """Forked processes reading the slow files of ``tasks``, which they inherit."""

    def __init__(
        self,
        tasks: list[FileToRead],
        slow: list[int],
        field_map: Mapping[str, str],
        count: int,
    ) -> None:
        from searchkit.articles.readers import load_libraries

        # Loaded once here and inherited: trafilatura takes ~0.3 s to import.
        load_libraries({tasks[number].reader or "" for number in slow})
        context = multiprocessing.get_context("fork")
        self.jobs: Any = context.Queue()
        self.results: Any = context.Queue()
        for number in slow:
            self.jobs.put(number)
        for _ in range(count):
            self.jobs.put(None)
        self.done: dict[int, tuple[list[Article], list[_Problem]] | None] = {}
        self.broken = False
        self.processes = [
            context.Process(
                target=_worker,
                args=(tasks, field_map, self.jobs, self.results, os.getpid()),
                daemon=True,
            )
            for _ in range(count)
        ]

    def __enter__(self) -> _Workers:
        for process in self.processes:
            process.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()
        self.jobs.close()
        self.results.close()

    def result(self, number: int) -> tuple[list[Article], list[_Problem]] | None:
        """Wait for file ``number``; None when the parent must read it itself."""
        while number not in self.done and not self.broken:
            try:
                got, payload = self.results.get(timeout=PARENT_POLL_SECONDS)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in self.processes):
                    self.broken = True  # the parent reads what is left
                    for process in self.processes:
                        process.terminate()
                continue
            self.done[got] = payload
        return self.done.pop(number, None)


def _worker(
    tasks: list[FileToRead],
    field_map: Mapping[str, str],
    jobs: Any,
    results: Any,
    parent: int,
) -> None:
    """Read the files whose numbers come off ``jobs``; send back articles and problems."""
    from searchkit.articles.files import read_file

    exit_with_parent(parent)
    try:
        while (number := jobs.get()) is not None:
            problems: list[ArticleError] = []
            try:
                articles = list(read_file(tasks[number], problems.append, field_map))
            except Exception:  # a bug: the parent reads the file again and shows it
                results.put((number, None))
                continue
            sent = [(p.location, p.message, p.skipped) for p in problems]
            results.put((number, (articles, sent)))
    except KeyboardInterrupt:  # Ctrl-C reaches the workers too; the parent reports it
        os._exit(1)


def exit_with_parent(parent: int) -> None:
    """Exit this worker when its parent dies (a killed build) instead of waiting forever.

    On Linux the kernel kills the worker the moment its parent dies
    (``PR_SET_PDEATHSIG``); elsewhere a thread polls for a new parent.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def set_aside_copies(
    found: list[tuple[FoundT, str]], report: OnProblem
) -> list[tuple[FoundT, str]]:
    """Keep one of each set of identical articles: the one first by path, then line and id.

    The choice depends on the files alone, so an update keeps the copy a
    rebuild would.  Each other copy is reported as a duplicate, skipped.
    """
    kept: dict[str, tuple[FoundT, str]] = {}
    for article, root in found:
        key = article.copy_key
        other = kept.get(key)
        if other is None or _order(article) < _order(other[0]):
            kept[key] = (article, root)
    result = []
    for article, root in found:
        first = kept[article.copy_key][0]
        if first is article:
            result.append((article, root))
        else:
            message = f"duplicate of {first.location} (the same article); skipped"
            report(ArticleError(article.location, message))
    return result


def _order(article: Found) -> tuple[str, int, str]:
    return article.path, article.line, article.id

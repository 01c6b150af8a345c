"""The index handle: open, build, update and close an index directory.

An index directory holds generations of a Whoosh index and a pointer to the
live one (see :mod:`searchkit.index.storage`).  Every write, a full build or an
incremental update, produces a new generation beside the live one and then
swaps ``CURRENT`` with one ``os.replace``.  A build that fails or is killed
leaves the live generation untouched; readers that opened it keep reading it.
An update starts from hard links to the live generation's segment files:
Whoosh never rewrites a segment file in place, so the live generation cannot
be changed through its links.  The previous generation is kept for readers
still using it; older ones are deleted.

Opening an index unpickles its Whoosh table of contents, and reading it
unpickles stored fields and postings; every such pickle goes through
:mod:`searchkit.engine.unpickling`, which admits only the classes an index holds, so
an index folder from elsewhere cannot run code.  searchkit reads its own
``searchkit.json`` first and refuses directories it did not write.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Self, cast

from searchkit.analysis.stems import remember_stems
from searchkit.engine.ranking import weighting
from searchkit.engine.searchers import open_searcher
from searchkit.engine.unpickling import check_toc
from searchkit.errors import IndexError_, NoIndexError, UntrustedIndexError
from searchkit.index import storage
from searchkit.index.build import (
    BuildReport,
    Progress,
    checked_field_map,
    roots_of,
    write_generation,
    write_settings,
)
from searchkit.schema import ARTICLES, QUOTES
from searchkit.search.copies import CopyGroups

__all__ = ["DEFAULT_INDEX_DIR", "LOCK_TIMEOUT", "IndexHandle", "default_index_dir"]

DEFAULT_INDEX_DIR = "index"
#: Seconds a write waits for another writer of the same index before giving up.
LOCK_TIMEOUT = 30.0


def default_index_dir() -> Path:
    """Return ``$SEARCHKIT_INDEX`` or ``./index``."""
    return Path(os.environ.get("SEARCHKIT_INDEX") or DEFAULT_INDEX_DIR)


class IndexHandle:
    """An index directory opened: its generation, Whoosh searchers, and every write."""

    def __init__(self, directory: Path, generation: Path, meta: dict[str, Any]) -> None:
        from whoosh.index import open_dir

        self.directory = directory
        self.generation = generation
        self.meta = meta
        #: The stems of this index's words, ``stems.json`` (queries need no NLTK).
        self.stems: dict[str, str] = {}
        self.report: BuildReport | None = None
        self._copies: CopyGroups | None = None
        try:
            for toc in sorted(generation.glob("*.toc")):
                check_toc(str(toc))  # before Whoosh unpickles it
            self._whoosh = open_dir(str(generation), indexname=ARTICLES)
            self._quotes_whoosh = open_dir(str(generation), indexname=QUOTES)
            # Open the segment files now: a damaged one fails here, not mid-query, and
            # the open files keep answering after a later write deletes this generation.
            self._searcher: Any = open_searcher(self._whoosh, weighting())
            self._quote_searcher: Any = open_searcher(self._quotes_whoosh, weighting())
            self._size = sum(f.stat().st_size for f in generation.iterdir() if f.is_file())
        except UntrustedIndexError:
            raise
        except PermissionError as exc:
            raise IndexError_(
                f"cannot read {exc.filename or generation}: permission denied; "
                "ask the index's owner for read access, or build your own with "
                "`searchkit index --index DIR PATH...`"
            ) from exc
        except Exception as exc:  # Whoosh raises bare Exceptions, pickle and OS errors
            raise IndexError_(
                f"{directory}: the index is damaged ({exc.__class__.__name__}); "
                "rebuild it with `searchkit index --rebuild`"
            ) from exc

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, directory: str | os.PathLike[str] | None = None) -> Self:
        """Open the index in ``directory`` (default: :func:`default_index_dir`)."""
        directory = Path(directory) if directory is not None else default_index_dir()
        from searchkit.index.store import Index

        if cls is Index and (directory / storage.MANIFEST).is_file():
            from searchkit.index.shards import ShardedIndex

            return cast(Self, ShardedIndex.open(directory))
        generation = storage.live_generation(directory)
        meta = storage.read_meta(directory, generation)
        index = cls(directory, generation, meta)
        stems = generation / storage.STEMS_FILE
        with contextlib.suppress(OSError, ValueError):
            table = json.loads(stems.read_text(encoding="utf-8"))
            if isinstance(table, dict):
                index.stems = {str(k): str(v) for k, v in table.items()}
                remember_stems(index.stems)  # a cache: stemming is a pure function
        return index

    @classmethod
    def exists(cls, directory: str | os.PathLike[str]) -> bool:
        """Tell whether ``directory`` holds a searchkit index."""
        directory = Path(directory)
        return (directory / storage.POINTER).is_file() or (directory / storage.MANIFEST).is_file()

    # ------------------------------------------------------------ writing

    @classmethod
    def build(
        cls,
        directory: str | os.PathLike[str],
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        *,
        progress: Progress | None = None,
        strict: bool = False,
        lock_timeout: float = LOCK_TIMEOUT,
        procs: int | None = None,
        follow_links: bool = False,
        on_wait: Callable[[], None] | None = None,
        field_map: Mapping[str, str] | None = None,
    ) -> Self:
        """Build a fresh index of the articles in ``paths``, replacing any old one.

        The returned index's :attr:`report` says what was indexed and which
        files were skipped.  With ``strict``, any problem raises
        :class:`ArticleError` before anything is written.  Symlinks that lead
        outside ``paths`` are followed only with ``follow_links``.  ``on_wait``
        is called once if another process is writing the index first.
        ``field_map`` (article field -> column or key, e.g. ``{"text": "story"}``)
        says where CSV and JSONL records keep fields of other names; updates
        use it again.
        """
        directory = Path(directory)
        if (directory / storage.MANIFEST).is_file():  # a sharded index stays sharded
            return cls.index(
                directory,
                paths,
                rebuild=True,
                progress=progress,
                strict=strict,
                lock_timeout=lock_timeout,
                procs=procs,
                follow_links=follow_links,
                on_wait=on_wait,
                field_map=field_map,
            )
        roots = roots_of(paths)
        fields = checked_field_map(field_map)
        with storage.writer_lock(directory, lock_timeout, on_wait):
            return cls._write(directory, roots, None, progress, strict, procs, follow_links, fields)

    @classmethod
    def index(
        cls,
        directory: str | os.PathLike[str],
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
        *,
        rebuild: bool = False,
        progress: Progress | None = None,
        strict: bool = False,
        lock_timeout: float = LOCK_TIMEOUT,
        procs: int | None = None,
        follow_links: bool | None = None,
        on_wait: Callable[[], None] | None = None,
        field_map: Mapping[str, str] | None = None,
        shards: int | None = None,
        workers: int | None = None,
        scheduler: str | None = None,
    ) -> Self:
        """Build the index in ``directory`` if there is none (or with ``rebuild``), else update it.

        One writer lock covers the choice and the write, so two of these
        started together give what running them one after the other gives.
        Without ``paths``, the folders the index was built from are read again.
        ``shards`` builds a sharded index of that many shards (a sharded index
        stays sharded); ``workers`` writes the shards on a local Dask cluster
        of that many processes, ``scheduler`` (``tcp://host:8786``) on an
        existing one that shares this file system (``searchkit[cluster]``).
        """
        directory = Path(directory)
        if shards or workers or scheduler or (directory / storage.MANIFEST).is_file():
            from searchkit.index.cluster import write_sharded

            return cast(
                Self,
                write_sharded(
                    directory,
                    paths,
                    rebuild=rebuild,
                    shards=shards,
                    workers=workers,
                    scheduler=scheduler,
                    progress=progress,
                    strict=strict,
                    lock_timeout=lock_timeout,
                    procs=procs,
                    follow_links=follow_links,
                    on_wait=on_wait,
                    field_map=field_map,
                ),
            )
        with storage.writer_lock(directory, lock_timeout, on_wait):
            # A rebuild from given paths need not (and for a damaged index cannot) open it.
            needed = cls.exists(directory) and not (rebuild and paths is not None)
            live = cls.open(directory) if needed else None
            if paths is None and live is None:
                raise NoIndexError(
                    f"no index at {directory} yet; give the article files or folders "
                    "to index, e.g. `searchkit index seeds/`"
                )
            roots, follow_links, fields = write_settings(live, paths, follow_links, field_map)
            if rebuild or live is None:
                if live is not None:
                    live.close()
                return cls._write(
                    directory, roots, None, progress, strict, procs, follow_links, fields
                )
            return cls._write(directory, roots, live, progress, strict, procs, follow_links, fields)

    def update(
        self,
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
        *,
        progress: Progress | None = None,
        strict: bool = False,
        lock_timeout: float = LOCK_TIMEOUT,
        procs: int | None = None,
        follow_links: bool | None = None,
        on_wait: Callable[[], None] | None = None,
        field_map: Mapping[str, str] | None = None,
    ) -> IndexHandle:
        """Add new, re-index changed and remove deleted articles below ``paths``.

        Without ``paths``, the folders and files the index was built from are
        read again.  Articles are compared by content hash, so unchanged input
        writes nothing.  ``follow_links`` and ``field_map`` default to what the
        index was built with.  Returns the updated index; :attr:`report` says what changed.
        """
        with storage.writer_lock(self.directory, lock_timeout, on_wait):
            # The live index, read under the lock: another writer may have changed it.
            live = type(self).open(self.directory)
            roots, follow_links, fields = write_settings(live, paths, follow_links, field_map)
            return type(self)._write(
                self.directory, roots, live, progress, strict, procs, follow_links, fields
            )

    @classmethod
    def _write(
        cls,
        directory: Path,
        roots: list[Path],
        live: Self | None,
        progress: Progress | None,
        strict: bool,
        procs: int | None,
        follow_links: bool,
        field_map: dict[str, str],
    ) -> Self:
        report, written = write_generation(
            directory,
            roots,
            live,
            progress=progress,
            strict=strict,
            procs=procs,
            follow_links=follow_links,
            field_map=field_map,
        )
        if written:
            if live is not None:
                live.close()
            index = cls.open(directory)
        else:
            assert live is not None
            index = live
        index.report = report
        return index

    # ------------------------------------------------------------ reading

    @property
    def searcher(self) -> Any:
        """The Whoosh searcher, opened once and reused across queries."""
        if self._searcher is None:
            self._searcher = open_searcher(self._whoosh, weighting())
        return self._searcher

    @property
    def quote_searcher(self) -> Any:
        """The Whoosh searcher of the quote index, opened once."""
        if self._quote_searcher is None:
            self._quote_searcher = open_searcher(self._quotes_whoosh, weighting())
        return self._quote_searcher

    def close_searchers(self) -> None:
        """Release the searchers' open files; they reopen when next used."""
        for searcher in (self._searcher, self._quote_searcher):
            if searcher is not None:
                searcher.close()
        self._searcher = self._quote_searcher = None
        self._copies = None  # its groups hold the searcher just closed

    def close(self) -> None:
        """Release the searchers' open files."""
        self.close_searchers()
        self._whoosh.close()
        self._quotes_whoosh.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        # The searcher's count: FileIndex.doc_count() re-reads the TOC from disk.
        return int(self.searcher.doc_count())

"""Files and folders -> :class:`Article`: walking folders, what is read, ``sources.csv``.

Where the text does not name its outlet, a ``sources.csv`` file in the same
folder supplies it (and any other header field) per file::

    file,source
    000_f4a1817f0992edb7.txt,The Straits Times

Reading files (:func:`read_articles`) lives at the edge and reports each bad
file through a callback so one bad article never spoils the rest.
"""

from __future__ import annotations

import csv
import errno
import os
import stat
import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from searchkit.articles.decode import (
    decode,
    decode_with_notes,
)
from searchkit.articles.model import MAX_ARTICLE_BYTES, Article, OnProblem
from searchkit.articles.parse import HEADER_KEYS, parse_article
from searchkit.articles.records import check_field_map, stream_records
from searchkit.errors import ArticleError

__all__ = ["ARTICLE_SUFFIXES", "FileToRead", "files_to_read", "read_articles", "read_file"]

ARTICLE_SUFFIXES = frozenset({".txt", ".md"})
RECORD_SUFFIXES = frozenset({".jsonl"})
METADATA_FILE = "sources.csv"
#: A browser saves ``NAME.html`` with its images, scripts and styles in ``NAME_files``.
SAVED_PAGE_ASSETS = "_files"
#: An index folder (searchkit.index.storage, a higher layer) holds this pointer to a
#: generation folder holding this file; indexing a folder holding its index skips it.
INDEX_POINTER, INDEX_META = "CURRENT", "searchkit.json"


def read_articles(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    on_problem: OnProblem | None = None,
    follow_links: bool = False,
    field_map: Mapping[str, str] | None = None,
    exclude: Iterable[str | os.PathLike[str]] = (),
) -> Iterator[Article]:
    """Yield the articles in files and folders (recursively), in a stable order.

    Besides text and JSONL, the formats of :data:`searchkit.articles.readers.READERS` are
    read (web pages, feeds, WARC, CSV, PDF).  ``field_map`` (article field ->
    column or key, e.g. ``{"text": "story"}``) says where CSV and JSONL records
    keep a field whose name searchkit does not know.  Folders in ``exclude``
    (an index being written inside the folder indexed) are not read.

    A file or record that cannot be read is reported to ``on_problem`` and
    skipped, and so is a file of a type searchkit does not read; without a
    callback the first problem raises :class:`ArticleError`.  Warnings about an
    article that was still read (an impossible date, say) are reported with
    ``skipped=False``, and so is each symlink not followed: one that leads
    outside the folder given (unless ``follow_links``), a loop, or a second way
    into a folder read already.
    """

    def report(problem: ArticleError) -> None:
        if on_problem is None:
            raise problem
        on_problem(problem)

    fields = check_field_map(field_map)
    for task in files_to_read(paths, report, follow_links=follow_links, exclude=exclude):
        yield from read_file(task, report, fields)


@dataclass(frozen=True, slots=True)
class FileToRead:
    """One file a walk found: where it is, its article id and its ``sources.csv`` fields."""

    file: Path
    article_id: str
    meta: dict[str, str]

    @property
    def reader(self) -> str | None:
        """Name the reader module of :mod:`searchkit.articles.readers` that reads it."""
        if self.file.suffix.lower() in ARTICLE_SUFFIXES | RECORD_SUFFIXES:
            return None
        from searchkit.articles.readers import reader_for

        return reader_for(self.file)


def files_to_read(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    report: OnProblem,
    *,
    follow_links: bool = False,
    exclude: Iterable[str | os.PathLike[str]] = (),
) -> Iterator[FileToRead]:
    """Walk ``paths`` as :func:`read_articles` does, yielding the files to read in order."""
    metadata: dict[Path, dict[str, dict[str, str]]] = {}
    skip = frozenset(os.path.realpath(folder) for folder in exclude)
    for root in _as_paths(paths):
        if not root.exists():
            raise ArticleError(str(root), "no such file or folder; check the path")
        # A link into another folder given is not followed either: that folder is read itself.
        bound = None if follow_links else os.path.realpath(root)
        for file, article_id in _walk(root, report, bound, skip):
            if file.parent not in metadata:
                metadata[file.parent] = _folder_metadata(file.parent, report, bound)
            yield FileToRead(file, article_id, metadata[file.parent].get(file.name, {}))


def read_file(
    task: FileToRead, report: OnProblem, field_map: Mapping[str, str]
) -> Iterator[Article]:
    """Read the articles of one file a walk found, reporting its problems to ``report``."""
    return _read_file(task.file, task.article_id, task.meta, report, field_map)


def _as_paths(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    return [Path(p) for p in paths]


def _walk(
    root: Path, report: OnProblem, bound: str | None, skip: frozenset[str] = frozenset()
) -> Iterator[tuple[Path, str]]:
    """Yield (file, id) pairs: the id is the path below ``root`` without its suffix.

    Every folder is read once, however many links lead to it: real folders
    first, so their files keep the ids of their real paths, then folders
    reached through symlinks.  With ``bound`` (a real path), a symlink whose
    target lies outside it is not followed.
    """
    if not root.is_dir():
        yield root, root.stem
        return
    suffixes = ARTICLE_SUFFIXES | RECORD_SUFFIXES
    seen: set[tuple[int, int]] = set()
    pending, linked = [root], deque[Path]()
    while pending or linked:
        folder = pending.pop() if pending else linked.popleft()
        try:
            info = folder.stat()
            if (info.st_dev, info.st_ino) in seen:
                report(ArticleError(_printable(str(folder)), _revisit(folder), skipped=False))
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            hint = _OS_HINTS.get(exc.errno or 0, "skipped")
            where = _printable(str(exc.filename or folder))
            report(ArticleError(where, f"cannot read folder ({exc.strerror}); {hint}"))
            continue
        folders: list[Path] = []
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()  # follows symlinks; False for a broken one
            except OSError:  # a symlink loop: reading it as a file reports it
                is_dir = False
            if _is_not_an_article(path, is_dir, entries):
                continue
            if is_dir and skip and os.path.realpath(path) in skip:
                continue
            if not is_dir and not _is_article_file(path, suffixes):
                report(ArticleError(_printable(entry.path), _unknown_type(path)))
                continue
            if bound is not None and entry.is_symlink():
                target = os.path.realpath(entry.path)
                if not _is_within(target, bound):
                    message = (
                        f"symlink to {_printable(target)}, outside the folder indexed; "
                        "not followed (--follow-links follows it)"
                    )
                    report(ArticleError(_printable(entry.path), message, skipped=False))
                    continue
            if not is_dir:
                yield path, path.relative_to(root).with_suffix("").as_posix()
            elif entry.is_symlink():
                linked.append(path)
            else:
                folders.append(path)
        pending.extend(reversed(folders))  # depth first, in name order


def _is_not_an_article(path: Path, is_dir: bool, entries: list[os.DirEntry[str]]) -> bool:
    """Say whether a folder entry is left out without a word (README, "What is read").

    Hidden files and folders (``.git``, ``.DS_Store``), the folder's ``sources.csv``,
    a searchkit index, and the ``NAME_files`` folder a browser saves beside
    ``NAME.html`` (its images, scripts and styles) are obviously not articles.
    """
    name = path.name
    if name.startswith("."):
        return True
    if not is_dir:
        return name == METADATA_FILE
    if name.endswith(SAVED_PAGE_ASSETS):
        stem = name.removesuffix(SAVED_PAGE_ASSETS)
        if any(entry.name in (f"{stem}.html", f"{stem}.htm") for entry in entries):
            return True
    return _is_index(path)


def _is_index(folder: Path) -> bool:
    """Say whether ``folder`` is a searchkit index: a pointer naming a generation in it."""
    try:
        with open(folder / INDEX_POINTER, "rb") as pointer:
            name = pointer.read(256).decode("utf-8", "replace").strip()
    except OSError:
        return False
    return name.startswith("gen-") and (folder / name / INDEX_META).is_file()


def _unknown_type(path: Path) -> str:
    from searchkit.articles.readers import READERS

    kinds = sorted(ARTICLE_SUFFIXES | RECORD_SUFFIXES | set(READERS))
    kind = f"type {path.suffix!r}" if path.suffix else "type (no suffix)"
    return (
        f"unknown file {kind}; not read. searchkit reads {', '.join(kinds)}: "
        "rename it if it is one of these, or move it out of the folder"
    )


def _is_article_file(path: Path, suffixes: frozenset[str]) -> bool:
    if path.suffix.lower() in suffixes:
        return True
    from searchkit.articles.readers import reader_for

    return path.name != METADATA_FILE and reader_for(path) is not None


def _revisit(folder: Path) -> str:
    """Say why a folder reached a second time is not read again."""
    target = os.path.realpath(folder)
    parents = (os.path.abspath(folder.parent), os.path.realpath(folder.parent))
    if any(_is_within(parent, target) for parent in parents):
        return "symlink loop; not followed"
    return f"symlink to {_printable(target)}, a folder read already; not followed"


def _is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


# What to do about an OSError, by errno; the rest are just skipped.
_OS_HINTS = {
    errno.EACCES: "check its permissions; skipped",
    errno.EPERM: "check its permissions; skipped",
    errno.ENOENT: "a broken symlink, or deleted while reading; skipped",
    errno.ELOOP: "a symlink loop; skipped",
}


def _printable(text: str) -> str:
    r"""Return a path with bytes that are not UTF-8 shown as ``\xNN``, so it can be stored."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _read_file(
    file: Path,
    article_id: str,
    meta: dict[str, str],
    report: OnProblem,
    field_map: Mapping[str, str],
) -> Iterator[Article]:
    where, article_id = _printable(str(file)), _printable(article_id)
    if where != str(file):
        message = f"file name is not UTF-8; indexed as id '{article_id}', rename the file"
        report(ArticleError(where, message, skipped=False))
    try:
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):
            report(ArticleError(where, "not a regular file (a pipe or device?); skipped"))
            return
        if file.suffix.lower() in RECORD_SUFFIXES:
            yield from stream_records(file, where, report, field_map)
            return
        if file.suffix.lower() not in ARTICLE_SUFFIXES:
            from searchkit.articles.readers import Source, read_source, reader_for

            kind = reader_for(file)
            if kind is not None:
                source = Source(file, where, article_id, report, meta, field_map)
                yield from read_source(kind, source)
                return
        if info.st_size > MAX_ARTICLE_BYTES:
            size, most = info.st_size / 2**20, MAX_ARTICLE_BYTES // 2**20
            message = f"{size:.1f} MB, over the {most} MB limit for an article; split it; skipped"
            report(ArticleError(where, message))
            return
        data = file.read_bytes()
    except OSError as exc:
        hint = _OS_HINTS.get(exc.errno or 0, "skipped")
        report(ArticleError(where, f"cannot read ({exc.strerror}); {hint}"))
        return
    try:
        text, notes = decode_with_notes(data)
    except ValueError as exc:
        report(ArticleError(where, str(exc)))
        return
    article = parse_article(text, id=article_id, path=where, meta=meta)
    if not article.body.strip() and not article.title.strip():
        report(ArticleError(where, "empty article (no title, no text); skipped"))
        return
    for problem in [*notes, *article.problems]:
        report(ArticleError(where, problem, skipped=False))
    yield article


def _folder_metadata(
    folder: Path, report: OnProblem, bound: str | None
) -> dict[str, dict[str, str]]:
    """Read a folder's ``sources.csv``: file name -> header fields."""
    table: dict[str, dict[str, str]] = {}
    csv_path = folder / METADATA_FILE
    where = _printable(str(csv_path))
    if csv_path.is_symlink() and bound is not None:
        target = os.path.realpath(csv_path)
        if not _is_within(target, bound):
            message = f"symlink to {_printable(target)}, outside the folder indexed; ignored"
            report(ArticleError(where, message, skipped=False))
            return table
    if csv_path.is_file():
        try:
            rows = list(csv.DictReader(decode(csv_path.read_bytes()).splitlines()))
        except (OSError, ValueError, csv.Error) as exc:
            report(ArticleError(where, f"cannot read metadata ({exc}); ignored"))
            rows = []
        for number, row in enumerate(rows, start=2):
            name = (row.get("file") or "").strip()
            if not name:
                report(ArticleError(f"{where}:{number}", "no 'file' column value; row ignored"))
                continue
            fields = {
                k.strip().lower(): unicodedata.normalize("NFC", v.strip())
                for k, v in row.items()
                if k and v and k.strip().lower() in HEADER_KEYS
            }
            table[name] = fields
    return table

"""Readers for article formats beyond plain text and JSONL, one module per format.

Each reader turns one file into :class:`~searchkit.articles.Article` objects
and reports what it cannot read through the file's ``report`` callback, as
:mod:`searchkit.articles` does for text files.  A reader's library (trafilatura,
feedparser, warcio, pypdf) is imported only when a file of its type is read,
so queries and ``searchkit --help`` never load them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from searchkit.articles.model import Article
from searchkit.errors import ArticleError, SearchkitError

__all__ = ["LIBRARIES", "READERS", "Source", "load_libraries", "read_source", "reader_for"]

#: File suffix -> the reader module (in this package) that reads it.
READERS: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".pdf": "pdf",
}
#: The libraries each reader imports when it first reads a file.
LIBRARIES: dict[str, tuple[str, ...]] = {
    "html": ("trafilatura", "trafilatura.utils"),
    "csv": (),
    "feed": ("feedparser",),
    "warc": ("warcio.archiveiterator", "trafilatura", "trafilatura.utils"),
    "pdf": ("pypdf",),
}
#: A file read whole (a feed, a CSV export, a PDF) larger than this is skipped.
MAX_CONTAINER_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    """One file to read: where it is, the id it gets, and where its problems go."""

    file: Path
    #: The file's path as reports show it.
    where: str
    #: The id of the article the file holds (for files holding one article).
    article_id: str
    report: Callable[[ArticleError], None]
    #: Header fields from the folder's ``sources.csv``; they override the file's own.
    meta: Mapping[str, str] = field(default_factory=dict)
    #: Article field -> column or key, for record formats (``--map``).
    field_map: Mapping[str, str] = field(default_factory=dict)

    def warn(self, message: str, line: int = 0) -> None:
        """Report a problem with an article that is still indexed."""
        self.report(
            ArticleError(f"{self.where}:{line}" if line else self.where, message, skipped=False)
        )

    def report_at(self, location: str, message: str, *, skipped: bool) -> None:
        """Report a problem with one record of the file (a feed item, say)."""
        self.report(ArticleError(location, message, skipped=skipped))

    def skip(self, message: str, line: int = 0) -> None:
        """Report an article (or the whole file) that is not indexed, and why."""
        self.report(ArticleError(f"{self.where}:{line}" if line else self.where, message))

    def read_bytes(self, limit: int = MAX_CONTAINER_BYTES) -> bytes | None:
        """Return the file's bytes, or report it and return None when it is over ``limit``."""
        size = self.file.stat().st_size
        if size > limit:
            message = (
                f"{size / 2**20:.1f} MB, over the {limit // 2**20} MB limit; split it; skipped"
            )
            self.skip(message)
            return None
        return self.file.read_bytes()


def reader_for(path: Path) -> str | None:
    """Name the reader module for ``path``, or None when no reader here reads it."""
    if path.name.lower().endswith(".warc.gz"):
        return "warc"
    return READERS.get(path.suffix.lower())


def load_libraries(kinds: Iterable[str]) -> None:
    """Import the libraries of readers ``kinds`` now (before forking workers that use them)."""
    for kind in kinds:
        for name in LIBRARIES.get(kind, ()):
            importlib.import_module(name)


def read_source(kind: str, source: Source) -> Iterator[Article]:
    """Read ``source`` with reader ``kind`` (a value of :data:`READERS`).

    An error a reader's library raises on one file (a parser's bug, a file it
    cannot cope with) is reported for that file; the build goes on.
    """
    try:
        yield from _read(kind, source)
    except SearchkitError:
        raise  # a problem reported without a callback to take it
    except Exception as exc:
        name = type(exc).__name__
        source.skip(f"the {kind} reader failed ({name}: {exc}); the rest of the file skipped")


def _read(kind: str, source: Source) -> Iterator[Article]:
    if kind == "html":
        from searchkit.articles.readers import html

        yield from html.read_html(source)
    elif kind == "csv":
        from searchkit.articles.readers import csv

        yield from csv.read_csv(source)
    elif kind == "feed":
        from searchkit.articles.readers import feed

        yield from feed.read_feed(source)
    elif kind == "warc":
        from searchkit.articles.readers import warc

        yield from warc.read_warc(source)
    elif kind == "pdf":
        from searchkit.articles.readers import pdf

        yield from pdf.read_pdf(source)
    else:
        raise ValueError(f"no reader {kind!r}")

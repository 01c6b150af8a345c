"""Read web archives (``.warc``, ``.warc.gz``) with warcio.

Each HTML ``response`` record with status 200 becomes an article through the
HTML reader, its id and URL the record's target URI.  Other records (requests,
metadata, images, redirects) are counted in one warning, not indexed.  An
archive cut short is read up to the break, and the break is reported.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

from searchkit.articles.model import MAX_ARTICLE_BYTES, Article
from searchkit.articles.readers import Source
from searchkit.articles.readers.html import article_from_html

__all__ = ["read_warc"]

CHUNK_BYTES = 1 << 16


def read_warc(source: Source) -> Iterator[Article]:
    """Read each HTML response record of a WARC file as one article."""
    # Imported here: only web archives need it.
    from warcio.archiveiterator import ArchiveIterator

    others: Counter[str] = Counter()
    number = 0
    with open(source.file, "rb") as stream:
        records = ArchiveIterator(stream)
        try:
            for number, record in enumerate(records, start=1):
                if not record.rec_type:  # what is left of a record's header, cut short
                    source.skip(f"archive cut short in record {number}; the rest lost")
                    break
                kind = _kind(record)
                if kind != "html":
                    others[kind] += 1
                    _drain(record)
                    article = None
                else:
                    article = _article(record, source, number)
                # warcio ends a record cut short without a word: its reader has bytes left.
                if getattr(record.raw_stream, "limit", 0) > 0:
                    source.skip(
                        f"archive cut short in record {number}; that record and the rest lost"
                    )
                    break
                if article is not None:
                    yield article
            else:
                _check_end(stream, records.offset, number, source)
        # warcio raises what its parsers raise on a damaged archive (ArchiveLoadFailed,
        # zlib.error, EOFError, even AttributeError): any of them ends this file only.
        except Exception as exc:
            message = (
                f"archive broken after record {number} ({type(exc).__name__}: {exc}); rest skipped"
            )
            source.skip(message)
    if others:
        counts = ", ".join(f"{count} {kind}" for kind, count in sorted(others.items()))
        source.warn(f"records not indexed (not HTML pages): {counts}")
    elif number == 0:
        source.skip("no WARC records; is it a web archive?")


def _check_end(stream: Any, offset: int, number: int, source: Source) -> None:
    """Report bytes after the last whole record: a gzip member cut short ends warcio quietly."""
    stream.seek(offset)
    rest = stream.read(CHUNK_BYTES)
    if rest.strip():
        size = os.fstat(stream.fileno()).st_size
        message = (
            f"archive cut short or damaged after record {number}: "
            f"{size - offset} bytes from offset {offset} not read; rest skipped"
        )
        source.skip(message)


def _drain(record: Any) -> None:
    """Read a record to its end in bounded pieces, so a cut can be seen."""
    while record.raw_stream.read(CHUNK_BYTES):
        pass


def _kind(record: Any) -> str:
    """Say what a record is: ``html`` for a page to index, else what it is instead."""
    if record.rec_type != "response":
        return str(record.rec_type)
    if record.http_headers is None:
        return "response without HTTP headers"
    status = str(record.http_headers.get_statuscode() or "")
    if status != "200":
        return f"HTTP {status} response"
    mime = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if mime not in ("text/html", "application/xhtml+xml"):
        return f"{mime or 'untyped'} response"
    return "html"


def _article(record: Any, source: Source, number: int) -> Article | None:
    uri = record.rec_headers.get_header("WARC-Target-URI") or f"{source.article_id}#{number}"
    where = f"{source.where} record {number}"
    data = record.content_stream().read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:
        most = MAX_ARTICLE_BYTES // 2**20
        source.report_at(
            where, f"page over the {most} MB limit for an article; skipped", skipped=True
        )
        return None
    problems: list[str] = []
    meta = {"url": uri, **source.meta}
    article = article_from_html(data, id=uri, path=where, meta=meta, problems=problems)
    if article is None:
        source.report_at(where, f"{uri}: no main text found; skipped", skipped=True)
        return None
    for problem in problems:
        source.report_at(where, problem, skipped=False)
    return article

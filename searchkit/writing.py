"""Turn articles into Whoosh documents and write them, on one core or several.

Each article becomes one document in the article index and one document per
quote in the quote index.  Large batches are analysed and written by Whoosh's
multi-process writer (``MpWriter``): worker processes each write their own
segment, and the commit lists them all, so no merge pass is needed.  The
workers' stem memos are saved to files the parent folds into ``stems.json``,
so queries still need no NLTK import (see :mod:`searchkit.analysis`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from searchkit.analysis import remember_stems, stems_seen
from searchkit.articles import Article
from searchkit.errors import IndexError_
from searchkit.quotes import Quote, extract_quotes, fold_name
from searchkit.schema import ARTICLES, QUOTES

__all__ = ["article_document", "quote_documents", "write"]

#: Below this many new articles, starting worker processes costs more than it saves.
PARALLEL_MIN_ARTICLES = 2000
WRITER_MEMORY_MB = 512
#: Documents per job file handed to a worker process.
BATCH_SIZE = 250
STEMS_PART = "stems-part-{pid}.json"
#: How often a worker process checks that the build that started it is alive.
PARENT_POLL_SECONDS = 0.5

Progress = Callable[[int, int], None]


def article_document(article: Article, root: str, quotes: Sequence[Quote]) -> dict[str, Any]:
    """Return the Whoosh document for an article and its extracted quotes."""
    named = sorted({q.speaker for q in quotes if q.speaker and not q.unnamed})
    document: dict[str, Any] = {
        "id": article.id,
        "hash": article.content_hash,
        "root": root,
        "path": article.path,
        "title": article.title,
        "body": article.body,
        "quotes": "\n".join(q.text for q in quotes),
        "speaker": "\n".join(named),
        "speakers": named,
        **_outlet_and_date(article),
        "meta": {
            "url": article.url,
            "author": article.author,
            "section": article.section,
            "kicker": article.kicker,
            "boilerplate": article.boilerplate,
            "quotes": [q.to_dict() for q in quotes],
        },
    }
    if article.dateline:
        document["dateline"] = article.dateline
        document["place"] = article.dateline
    return document


def quote_documents(article: Article, quotes: Sequence[Quote]) -> list[dict[str, Any]]:
    """Return one quote-index document per quote, carrying its article's outlet and date."""
    documents = []
    for number, quote in enumerate(quotes):
        document: dict[str, Any] = {
            "qid": f"{article.id}#{number}",
            "article_id": article.id,
            "text": quote.text,
            "kind": quote.kind,
            "unnamed": quote.unnamed,
            "title": article.title,
            **_outlet_and_date(article),
            "position": {
                "start": quote.start,
                "end": quote.end,
                "confidence": quote.confidence,
                "speaker_start": quote.speaker_start,
                "speaker_end": quote.speaker_end,
            },
        }
        if quote.speaker:
            document["speaker"] = quote.speaker
            document["speaker_key"] = fold_name(quote.speaker) or quote.speaker.lower()
        if quote.cue:
            document["cue"] = quote.cue
        documents.append(document)
    return documents


def _outlet_and_date(article: Article) -> dict[str, Any]:
    """Return the outlet and date fields that article and quote documents share."""
    fields: dict[str, Any] = {
        # YYYYMMDD, 0 when undated: sorting newest-first puts undated articles last.
        "day": int(article.date.strftime("%Y%m%d")) if article.date else 0,
    }
    if article.source:
        fields["source"] = fields["outlet"] = article.source
    if article.date:
        fields["date"] = dt.datetime.combine(article.date, dt.time())
    return fields


def _remember_missing_columns() -> None:
    """Make Whoosh 2.7's segment readers remember that a field has no length column.

    ``W3PerDocReader._cached_reader`` caches a column reader it finds but not
    the absence of one, so writing postings for unscored fields (ids, outlet,
    kind) asks the filesystem whether a file exists once per posting: a
    third of the commit time on a news corpus.  The result cannot change for
    a finished segment, so remembering the miss is safe.
    """
    from whoosh.codec import whoosh3

    original = whoosh3.W3PerDocReader._cached_reader
    if getattr(original, "remembers_missing", False):
        return

    def cached_reader(self: Any, fieldname: str, column: Any) -> Any:
        if fieldname not in self._readers:
            self._readers[fieldname] = original(self, fieldname, column)
        return self._readers[fieldname]

    cached_reader.remembers_missing = True  # type: ignore[attr-defined]
    whoosh3.W3PerDocReader._cached_reader = cached_reader


def write(
    generation: Path,
    add: Sequence[tuple[Article, str]],
    delete: Sequence[str],
    *,
    procs: int | None = None,
    progress: Progress | None = None,
) -> None:
    """Delete articles by id, then add ``(article, root)`` pairs, in one commit per index.

    ``procs`` worker processes analyse and write the articles (default: one
    per core for large batches, none for small ones).
    """
    from whoosh.index import open_dir

    _remember_missing_columns()
    if procs is None:
        procs = os.cpu_count() or 1 if len(add) >= PARALLEL_MIN_ARTICLES else 1
    articles_ix = open_dir(str(generation), indexname=ARTICLES)
    quotes_ix = open_dir(str(generation), indexname=QUOTES)
    if procs > 1:
        from whoosh.multiproc import MpWriter

        articles = MpWriter(
            articles_ix,
            procs=procs,
            batchsize=BATCH_SIZE,
            multisegment=True,
            limitmb=WRITER_MEMORY_MB,
        )
        articles._new_task = _stem_saving_task(articles, generation)
    else:
        articles = articles_ix.writer(limitmb=WRITER_MEMORY_MB)
    quotes = quotes_ix.writer(limitmb=WRITER_MEMORY_MB)
    expected = articles_ix.doc_count()
    try:
        for article_id in delete:
            expected -= articles.delete_by_term("id", article_id)
            quotes.delete_by_term("article_id", article_id)
        for done, (article, root) in enumerate(add, start=1):
            found = extract_quotes(article.body)
            articles.add_document(**article_document(article, root, found))
            for document in quote_documents(article, found):
                quotes.add_document(**document)
            if progress is not None and (done % 100 == 0 or done == len(add)):
                progress(done, len(add))
        quotes.commit()
        articles.commit()
    except BaseException:
        for writer in (articles, quotes):
            if not writer.is_closed:
                writer.cancel()
        raise
    finally:
        articles_ix.close()
        quotes_ix.close()
    _collect_stems(generation)
    _check_count(generation, expected + len(add))


def _stem_saving_task(writer: Any, generation: Path) -> Callable[[], Any]:
    """Make an ``MpWriter`` start workers that save their stem memo when done."""
    from whoosh.multiproc import SubWriterTask

    class StemSavingTask(SubWriterTask):  # type: ignore[misc]
        parent = os.getpid()

        def run(self) -> None:
            _exit_with_parent(self.parent)
            super().run()
            path = generation / STEMS_PART.format(pid=os.getpid())
            path.write_text(json.dumps(stems_seen()), encoding="utf-8")

    def new_task() -> Any:
        task = StemSavingTask(
            writer.storage,
            writer.indexname,
            writer.jobqueue,
            writer.resultqueue,
            writer.subargs,
            writer.multisegment,
        )
        writer.tasks.append(task)
        task.start()
        return task

    return new_task


def _exit_with_parent(parent: int) -> None:
    """Exit this worker when its parent dies (a killed build) instead of waiting forever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _collect_stems(generation: Path) -> None:
    for part in generation.glob(STEMS_PART.format(pid="*")):
        remember_stems(json.loads(part.read_text(encoding="utf-8")))
        part.unlink()


def _check_count(generation: Path, expected: int) -> None:
    """Refuse a generation that lost documents (a worker process that died, say)."""
    from whoosh.index import open_dir

    ix = open_dir(str(generation), indexname=ARTICLES)
    try:
        found = ix.doc_count()
    finally:
        ix.close()
    if found != expected:
        raise IndexError_(
            f"indexing wrote {found} articles where {expected} were expected; "
            "the old index was kept. Run the command again"
        )

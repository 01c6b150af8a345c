"""Turn articles into Whoosh documents and write them, on one core or several.

Each article becomes one document in the article index and one document per
quote in the quote index.  Large batches are split across forked worker
processes: each extracts quotes, analyses and writes its own segment of both
indexes, and the parent's commit lists them all, so no merge pass is needed
(Whoosh's ``MpWriter`` does the same for one index, but pickles every
document to its workers).  The workers send back their stem memos, which the
parent saves as ``stems.json``, so queries still need no NLTK import (see
:mod:`searchkit.analysis.analyzers`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing
import os
import queue
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchkit.analysis.sentences import sentence_spans
from searchkit.analysis.stems import recorded_stems, recording, remember_stems
from searchkit.articles.model import Article
from searchkit.engine.segments import commit, finish_segment, segment_writer, writer_options
from searchkit.errors import IndexError_
from searchkit.index.reading import exit_with_parent
from searchkit.quotes.cues import cue_lemma
from searchkit.quotes.extract import Quote, extract_quotes
from searchkit.quotes.names import fold_name
from searchkit.schema import ARTICLES, QUOTES
from searchkit.search.snippets import MAX_SCAN_CHARS

__all__ = ["article_document", "quote_documents", "write"]

#: Below this many new articles, starting worker processes costs more than it
#: saves (forking is cheap: 300 articles take 0.78 s on two workers, 0.88 s on one).
PARALLEL_MIN_ARTICLES = 200
#: Whoosh's estimate of postings a writer buffers before spilling a sorted run to
#: disk and merging runs at the end (slow, in Python).  A 100k-article build on
#: two workers took 131 s at 512 MB and 87 s at 1024 MB (workers peaked at 1.7 GB).
WRITER_MEMORY_MB = 1024
#: Most articles per batch a worker process takes off the queue ...
BATCH_SIZE = 200
#: ... and batches per worker at least, so that the workers finish together.
BATCHES_PER_WORKER = 4
#: How often the parent checks that its worker processes are alive.
PARENT_POLL_SECONDS = 0.5

Progress = Callable[[str, int, int], None]  # see searchkit.index.build.Progress


def article_document(
    article: Article,
    root: str,
    quotes: Sequence[Quote],
    sentences: Sequence[tuple[int, int]] | None = None,
) -> dict[str, Any]:
    """Return the Whoosh document for an article and its extracted quotes.

    ``sentences`` are the body's sentence spans when the caller has them.
    """
    named = sorted({q.speaker for q in quotes if q.speaker and not q.unnamed})
    document: dict[str, Any] = {
        "id": article.id,
        "hash": article.content_hash.encode("ascii"),
        "root": root.encode("utf-8", "surrogateescape"),
        "path": article.path,
        "title": article.title,
        "body": article.body,
        # Title and body, a paragraph apart: "_" is a word, so no phrase spans them.
        "stops": f"{article.title}\n_\n{article.body}",
        "quotes": "\n".join(q.text for q in quotes),
        "speaker": "\n".join(named),
        "speakers": named,
        "cues": sorted({cue_lemma(q.cue) for q in quotes if q.cue} - {""}),
        **_outlet_and_date(article),
        "meta": {
            "url": article.url,
            "author": article.author,
            "authors": list(article.authors),
            "language": article.language,
            "section": article.section,
            "kicker": article.kicker,
            "boilerplate": article.boilerplate,
            "quotes": [q.to_dict() for q in quotes],
            # Where the body's sentences end, for snippets: queries cannot afford
            # to load the splitter (see searchkit.analysis.sentences).
            "sentences": _sentence_ends(article.body, sentences),
        },
    }
    if article.date:
        document["published"] = document.pop("date")
    if article.source:
        document["outlet"] = article.source  # the exact name, for filters and facets
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
            "stops": quote.text,
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
        if quote.cue and cue_lemma(quote.cue):
            document["cue_lemma"] = cue_lemma(quote.cue).encode("utf-8")
        documents.append(document)
    return documents


def _outlet_and_date(article: Article) -> dict[str, Any]:
    """Return the outlet and date fields that article and quote documents share."""
    fields: dict[str, Any] = {
        # YYYYMMDD, 0 when undated: sorting newest-first puts undated articles last.
        "day": int(article.date.strftime("%Y%m%d")) if article.date else 0,
    }
    if article.source:
        fields["source"] = article.source
    if article.date:
        fields["date"] = dt.datetime.combine(article.date, dt.time())
    return fields


def write(
    generation: Path,
    add: Sequence[tuple[Article, str]],
    delete: Sequence[str],
    *,
    procs: int | None = None,
    progress: Progress | None = None,
) -> dict[str, str]:
    """Delete articles by id, then add ``(article, root)`` pairs, in one commit per index.

    ``procs`` worker processes extract quotes, analyse and write the articles
    (default: one per core for large batches, none for small ones).  Returns
    the ``word -> stem`` pairs of the words written, for the index's stem table.
    """
    with recording() as stems:
        written = _write(generation, add, delete, procs, progress)
        stems.update(written)
        return dict(stems)


def _write(
    generation: Path,
    add: Sequence[tuple[Article, str]],
    delete: Sequence[str],
    procs: int | None,
    progress: Progress | None,
) -> dict[str, str]:
    from whoosh.index import open_dir

    if procs is None:
        procs = (os.cpu_count() or 1) if len(add) >= PARALLEL_MIN_ARTICLES else 1
    if "fork" not in multiprocessing.get_all_start_methods():
        procs = 1
    articles_ix = open_dir(str(generation), indexname=ARTICLES)
    quotes_ix = open_dir(str(generation), indexname=QUOTES)
    articles = articles_ix.writer(**_writer_options())
    quotes = quotes_ix.writer(**_writer_options())
    expected = articles_ix.doc_count()
    try:
        for article_id in delete:
            expected -= articles.delete_by_term("id", article_id)
            quotes.delete_by_term("article_id", article_id)
        if procs > 1 and add:
            written = _write_in_workers(generation, add, procs, progress)
        else:
            _add_articles(articles, quotes, add, progress)
            written = Segments()
        if progress is not None:
            progress("committing", 0, 0)
        commit(quotes, written.quotes, quotes_ix, WRITER_MEMORY_MB)
        commit(articles, written.articles, articles_ix, WRITER_MEMORY_MB)
    except BaseException:
        for writer in (articles, quotes):
            if not writer.is_closed:
                # A full disk can fail the clean-up too; the error to report is the first.
                with contextlib.suppress(OSError):
                    writer.cancel()
        raise
    finally:
        articles_ix.close()
        quotes_ix.close()
    remember_stems(written.stems)
    _check_count(generation, expected + len(add))
    return written.stems


def _sentence_ends(body: str, sentences: Sequence[tuple[int, int]] | None) -> list[int]:
    """Return where the sentences of the body's first MAX_SCAN_CHARS end."""
    if sentences is None or len(body) > MAX_SCAN_CHARS:
        sentences = sentence_spans(body[:MAX_SCAN_CHARS])
    return [end for _, end in sentences]


def _writer_options() -> dict[str, Any]:
    """Keyword arguments of every segment writer, in this process or a worker."""
    return writer_options(WRITER_MEMORY_MB)


def _add_articles(
    articles: Any,
    quotes: Any,
    add: Sequence[tuple[Article, str]],
    progress: Progress | None = None,
) -> None:
    """Extract each article's quotes and add its documents to the two writers."""
    for done, (article, root) in enumerate(add, start=1):
        # One split of the body serves quote attribution and snippets alike.
        sentences = sentence_spans(article.body)
        found = extract_quotes(article.body, sentences)
        articles.add_document(**article_document(article, root, found, sentences))
        for document in quote_documents(article, found):
            quotes.add_document(**document)
        if progress is not None and (done % 100 == 0 or done == len(add)):
            progress("writing", done, len(add))


@dataclass
class Segments:
    """What the worker processes wrote: finished segments of each index, and their stems."""

    articles: list[Any] = field(default_factory=list)
    quotes: list[Any] = field(default_factory=list)
    stems: dict[str, str] = field(default_factory=dict)


def _write_in_workers(
    generation: Path,
    add: Sequence[tuple[Article, str]],
    procs: int,
    progress: Progress | None,
) -> Segments:
    """Write ``add`` in ``procs`` forked processes, each making one segment per index.

    The workers inherit ``add`` through ``fork``, so no article is pickled;
    they take batches of it off a queue, which keeps them evenly loaded, and
    send back only their finished segments and stem memos.  A worker that
    fails or dies fails the whole write, before anything is committed.
    """
    context = multiprocessing.get_context("fork")
    batches: Any = context.Queue()
    results: Any = context.Queue()
    size = max(1, min(BATCH_SIZE, len(add) // (procs * BATCHES_PER_WORKER)))
    for start in range(0, len(add), size):
        batches.put((start, min(start + size, len(add))))
    workers = []
    for _ in range(procs):
        batches.put(None)
    try:
        for _ in range(procs):
            worker = context.Process(
                target=_worker, args=(generation, add, batches, results, os.getpid()), daemon=True
            )
            worker.start()
            workers.append(worker)
        return _gather(workers, results, len(add), progress)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
        batches.close()
        results.close()


def _gather(workers: list[Any], results: Any, total: int, progress: Progress | None) -> Segments:
    """Collect every worker's segments, reporting progress as batches finish."""
    written = Segments()
    finished = done = 0
    while finished < len(workers):
        try:
            kind, payload = results.get(timeout=PARENT_POLL_SECONDS)
        except queue.Empty:
            for worker in workers:
                if worker.exitcode not in (None, 0):
                    raise IndexError_(
                        f"an indexing worker process died (exit code {worker.exitcode}); "
                        "the old index was kept. Run the command again"
                    ) from None
            continue
        if kind == "error":
            raise IndexError_(f"an indexing worker failed: {payload}; the old index was kept")
        if kind == "done":
            done += payload
            if progress is not None:
                progress("writing", done, total)
                if done == total:  # the workers now write out their segments
                    progress("committing", 0, 0)
        else:
            article_segment, quote_segment, stems = payload
            written.articles.append(article_segment)
            written.quotes.append(quote_segment)
            written.stems.update(stems)
            finished += 1
    return written


def _worker(
    generation: Path,
    add: Sequence[tuple[Article, str]],
    batches: Any,
    results: Any,
    parent: int,
) -> None:
    """Write batches of ``add`` into one new segment per index; send the segments back."""
    exit_with_parent(parent)
    # Writing makes almost no cyclic garbage (42 objects over 5,000 articles),
    # while the collector's passes over millions of buffered postings cost a
    # tenth of a 100k-article build; the process ends when its segment is done.
    gc.disable()
    try:
        # The parent holds both indexes' write locks; this process only adds a segment.
        articles = segment_writer(generation, ARTICLES, WRITER_MEMORY_MB)
        quotes = segment_writer(generation, QUOTES, WRITER_MEMORY_MB)
        while (batch := batches.get()) is not None:
            start, stop = batch
            _add_articles(articles, quotes, add[start:stop])
            results.put(("done", stop - start))
        segments = (finish_segment(articles), finish_segment(quotes), recorded_stems())
        results.put(("segments", segments))
    except BaseException as error:  # reported to the parent, which fails the write
        results.put(("error", f"{type(error).__name__}: {error}"))


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

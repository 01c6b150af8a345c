"""Segment-level writing that reaches into Whoosh's writer: worker segments, commits, rewrites.

Whoosh's ``SegmentWriter`` writes one segment; searchkit's forked workers
each finish one (``_lk=False``, ``_finalize_segment``) and the parent's commit
lists them all, and an update rewrites every segment that lost documents, a
postings block at a time, straight into the codec.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from searchkit.engine.codec import Codec, postings_runs

__all__ = ["commit", "finish_segment", "segment_writer", "writer_options"]


def writer_options(limitmb: int) -> dict[str, Any]:
    """Keyword arguments of every segment writer searchkit opens."""
    return {"limitmb": limitmb, "codec": Codec()}


def segment_writer(generation: Path, indexname: str, limitmb: int) -> Any:
    """Open a writer that only adds a segment (the parent process holds the lock)."""
    from whoosh.index import open_dir
    from whoosh.writing import SegmentWriter

    index = open_dir(str(generation), indexname=indexname)
    writer = SegmentWriter(index, _lk=False, **writer_options(limitmb))
    writer.pool.__class__ = _lean_pool_class()
    return writer


#: What Whoosh's ``PostingPool.add`` counts for a posting besides its field
#: name, word and value: the sizes of a tuple, str, bytes, int and float.
_POSTING_OVERHEAD = 28 + 4 * 5 + 21 + 26 + 18 + 16 + 21


@functools.cache
def _lean_pool_class() -> type:
    from whoosh.writing import PostingPool

    class LeanPool(PostingPool):  # type: ignore[misc]
        """Whoosh's posting pool without the type assertions on every posting."""

        def add(self, item: tuple[Any, ...]) -> None:
            self.fieldnames.add(item[0])
            value = item[4]
            self.currentsize += (
                _POSTING_OVERHEAD + len(item[0]) + 2 * len(item[1]) + (len(value) if value else 0)
            )
            if self.currentsize > self.limit:
                self.save()
            self.current.append(item)

    return LeanPool


def finish_segment(writer: Any) -> Any:
    """Write out a :func:`segment_writer`'s segment and return it, for the parent to commit."""
    return writer._finalize_segment()


def commit(writer: Any, segments: list[Any], index: Any, limitmb: int) -> None:
    """Commit ``writer``, adding finished segments written by worker processes.

    Segments that lost documents are rewritten without them.  Whoosh keeps a
    deleted document's words, lengths and count in its segment's statistics
    until the segment is merged, so scores, suggestions and ``similar`` after
    an update would differ from a fresh build's; an update must be only a
    faster way to the same index.
    """
    from whoosh.writing import MERGE_SMALL

    def with_workers(writer: Any, existing: list[Any]) -> list[Any]:
        kept, rewritten = [], []
        for segment in existing:
            if not segment.has_deletions():
                kept.append(segment)
            elif segment.doc_count():  # a segment that lost every document is dropped
                rewritten.append(_rewrite_without_deletions(index, segment, limitmb))
        return list(MERGE_SMALL(writer, kept)) + rewritten + segments

    writer.commit(mergetype=with_workers)


def _rewrite_without_deletions(index: Any, segment: Any, limitmb: int) -> Any:
    """Write a copy of ``segment`` without its deleted documents; return the new segment.

    Whoosh's ``add_reader`` sends every posting through the writer's pool,
    which sorts them and spills them to disk; a single segment's postings are
    already in order, so they go straight to the codec, read a block at a time.
    """
    from whoosh.reading import SegmentReader
    from whoosh.writing import SegmentWriter

    reader = SegmentReader(index.storage, index.schema, segment)
    writer = SegmentWriter(index, _lk=False, **writer_options(limitmb))
    try:
        names = set(writer.schema.names()) | {
            name for name in reader.indexed_field_names() if name in writer.schema
        }
        docmap = writer.write_per_doc(names, reader)
        writer.perdocwriter.close()
        lengths = writer.per_document_reader()
        try:
            writer.fieldwriter.add_postings(writer.schema, lengths, _live_postings(reader, docmap))
        finally:
            lengths.close()
        writer.fieldwriter.close()
        writer._close_segment()
        writer._assemble_segment()
        # Not writer._finish(): its temporary folder is the main writer's, which removes it.
        return writer.get_segment()
    except BaseException:
        with contextlib.suppress(OSError):
            writer.cancel()
        raise
    finally:
        reader.close()


def _live_postings(reader: Any, docmap: dict[int, int]) -> Iterator[tuple[Any, ...]]:
    """Yield a segment's postings of live documents, renumbered, in (field, term) order."""
    terms = reader._terms  # the segment's terms, read without the deletion filter
    schema = reader.schema
    for fieldname, btext in reader.all_terms():
        matcher = terms.matcher(fieldname, btext, schema[fieldname].format)
        for ids, weights, values in postings_runs(matcher):
            for docnum, weight, value in zip(ids, weights, values, strict=True):
                new = docmap.get(docnum)
                if new is not None:
                    yield fieldname, btext, new, weight, value

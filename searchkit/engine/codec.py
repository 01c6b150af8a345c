"""searchkit's Whoosh codec: Whoosh 2.7's own format, with faster readers and writer.

Every segment searchkit writes names this codec (Whoosh pickles a segment's
codec into the index), so its readers are used for searchkit's indexes only;
other Whoosh indexes in the same process are untouched.  The postings and
term statistics are those ``W3Codec`` writes (``tests/test_ranking.py``
compares them), in blocks of searchkit's own layout that keep ids and weights
apart from positions (:mod:`searchkit.engine.blocks`), compressed at zlib
level 1.  The fixes:

* ``W3PerDocReader._cached_reader`` caches a column reader it finds but not
  the absence of one, so writing postings for unscored fields (ids, outlet,
  kind) asked the filesystem whether a file exists once per posting: a third
  of the commit time on a news corpus.  The miss is remembered.
* A field's length column holds one byte per document, read once per posting
  while a segment is written and once per scored document while searching,
  each time through three layers of Python calls and a file read.  It is
  read once into a ``bytes`` object instead, which answers ``[docnum]``,
  ``min`` and ``max`` as the column reader does (missing trailing documents
  read as 0, the column's default).
* ``W3LeafMatcher.skip_to`` finds the right postings block by its last id,
  then steps through the block one posting at a time (up to 128 Python
  calls).  It bisects the block's sorted ids instead.  An ``AND`` skips its
  rarer side's matches through the commoner side's postings, so this was most
  of the cost of ``source:reuters oil``.
* Writing a segment, each term's postings go to the postings writer as one
  group, with lengths read from the length bytes, and without Whoosh's
  per-posting type assertions.
"""

from __future__ import annotations

import threading
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from itertools import groupby
from typing import Any, TypeVar

from whoosh.codec import whoosh3
from whoosh.codec.base import OutOfOrderError
from whoosh.matching import ReadTooFar
from whoosh.util.numeric import byte_to_length

from searchkit.engine.blocks import BlockReading, BlockWriting
from searchkit.engine.unpickling import guard_whoosh

__all__ = [
    "Codec",
    "cached",
    "length_bytes",
    "postings_blocks",
    "postings_runs",
]

T = TypeVar("T")

#: Values :func:`cached` keeps per segment reader before starting afresh.
CACHE_SIZE = 256

#: zlib level for postings blocks: level 1 writes about 10% faster than
#: Whoosh's default 3, for an index within 1% of the size.
COMPRESSION = 1


class Codec(whoosh3.W3Codec):  # type: ignore[misc]
    """Whoosh's W3 codec with the faster readers described in the module docstring."""

    def __init__(self, compression: int = COMPRESSION) -> None:
        super().__init__(compression=compression)

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return _LeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

    def per_document_reader(self, storage: Any, segment: Any) -> Any:
        return _PerDocReader(storage, segment)

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return _FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        return _PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class _PerDocReader(whoosh3.W3PerDocReader):  # type: ignore[misc]
    def __init__(self, storage: Any, segment: Any) -> None:
        super().__init__(storage, segment)
        self._totals: dict[str, int] = {}

    def _cached_reader(self, fieldname: str, column: Any) -> Any:
        if fieldname not in self._readers:
            reader = super()._cached_reader(fieldname, column)
            if reader is not None and column is whoosh3.LENGTHS_COLUMN:
                reader = self._lengths(fieldname)
            self._readers[fieldname] = reader
        return self._readers[fieldname]

    def field_length(self, fieldname: str) -> int:
        """Return the field's total length as the sum of its documents' stored lengths.

        Whoosh's total is exact while each document's length is kept as one
        lossy byte; merging segments re-adds the bytes, so after an update the
        exact total would drift from a fresh build's.  Summing the bytes gives
        the same total, and the same scores, however the segments were made.
        """
        if fieldname not in self._totals:
            lengths = self.length_bytes(fieldname)
            self._totals[fieldname] = (
                sum(map(_LENGTH_OF_BYTE.__getitem__, lengths[: self._doccount]))
                if lengths is not None
                else super().field_length(fieldname)
            )
        return self._totals[fieldname]

    def length_bytes(self, fieldname: str) -> bytes | None:
        """Return the field's length byte per document, or None for an unscored field."""
        lengths: bytes | None = self._cached_reader(
            whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN
        )
        return lengths

    def _lengths(self, fieldname: str) -> bytes:
        """Return a length column (already opened) as one byte per document."""
        colfile, offset, length = self._colfiles[fieldname]
        doccount = self._doccount
        data = bytes(colfile.get(offset, min(length, doccount)))
        # One spare byte: Whoosh's own bounds check lets docnum == doccount through.
        return data + bytes(doccount + 1 - len(data))


#: Whoosh's field length for each length byte (0 for "no length").
_LENGTH_OF_BYTE = [0] + [byte_to_length(b) for b in range(1, 256)]


def _field_and_term(posting: tuple[Any, ...]) -> tuple[str, bytes]:
    return posting[0], posting[1]


class _FieldWriter(whoosh3.W3FieldWriter):  # type: ignore[misc]
    def add_postings(self, schema: Any, lengths: Any, items: Iterable[tuple[Any, ...]]) -> None:
        """Write sorted ``(field, term, docnum, weight, value)`` postings.

        Whoosh's own loop (``FieldWriter.add_postings``) compares field and
        term and looks the length up through three calls for every posting;
        this one takes each term's postings as a group and reads lengths
        straight from the length bytes.  The calls into the postings writer,
        and so the files, are the same.
        """
        lastfn: str | None = None
        lasttext = b""
        for (fieldname, btext), postings in groupby(items, key=_field_and_term):
            if lastfn is not None and fieldname < lastfn:
                raise OutOfOrderError(f"Field {lastfn!r} .. {fieldname!r}")
            if fieldname != lastfn:
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                add = self._postwriter.add_posting
                lastfn, lasttext = fieldname, b""
                field_lengths = _field_lengths(lengths, fieldname)
            elif btext < lasttext:
                raise OutOfOrderError(f"Term {fieldname}:{lasttext!r} .. {fieldname}:{btext!r}")
            started = False
            for _, _, docnum, weight, value in postings:
                if docnum == -1:
                    continue  # a spelling-only word, as in Whoosh's loop
                if not started:
                    self.start_term(btext)
                    started = True
                if field_lengths is None:
                    length = lengths.doc_field_length(docnum, fieldname) if lengths else 0
                else:
                    length = _LENGTH_OF_BYTE[field_lengths[docnum]]
                add(docnum, weight, b"" if value is None else value, length)
            if started:
                self.finish_term()
            lasttext = btext
        if lastfn is not None:
            self.finish_field()


def _field_lengths(lengths: Any, fieldname: str) -> bytes | None:
    """Return a new segment's length bytes for a field, or None to ask ``lengths``."""
    if isinstance(lengths, _PerDocReader):
        found = lengths.length_bytes(fieldname)
        return found if found is not None else bytes(lengths.doc_count_all() + 1)
    return None


class _PostingsWriter(BlockWriting, whoosh3.W3PostingsWriter):  # type: ignore[misc]
    # The current block's statistics, as Whoosh keeps them.
    _maxweight: float
    _minlength: int | None
    _maxlength: int

    def add_posting(
        self, id_: Any, weight: float, vbytes: bytes, length: int | None = None
    ) -> None:
        """Buffer a posting: Whoosh's method without its four type assertions."""
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length


class _LeafMatcher(BlockReading, whoosh3.W3LeafMatcher):  # type: ignore[misc]
    def skip_to(self, targetid: Any) -> None:
        if not self.is_active():
            raise ReadTooFar
        if targetid <= self.id():
            return
        while targetid > self._maxid:
            self._next_block()
            if not self.is_active():
                return
        if self._ids is None:
            self._read_ids()
        # The block's last id is at least targetid, so the position stays in the block.
        self._i = bisect_left(self._ids, targetid, self._i)


def length_bytes(reader: Any, fieldname: str) -> bytes | None:
    """Return a searchkit segment's length bytes for ``fieldname``, else None.

    ``reader`` is a Whoosh segment reader; byte ``n`` is document ``n``'s
    field length as Whoosh encodes it (``whoosh.util.numeric.byte_to_length``).
    """
    perdoc = getattr(reader, "_perdoc", None)
    return perdoc.length_bytes(fieldname) if isinstance(perdoc, _PerDocReader) else None


def postings_blocks(
    matcher: Any, *, values: bool = False, within: Sequence[int] | None = None
) -> Iterator[tuple[Sequence[int], Sequence[Any]]]:
    """Yield a term matcher's postings from its current one, as (ids, weights) runs.

    With ``values``, the runs are (ids, encoded values): positions, for a
    phrase.  A searchkit postings matcher gives whole blocks at a time; any
    other matcher (a short inlined list, deletions filtered out) one posting
    at a time.  Given ``within`` (sorted document numbers), blocks that hold
    none of them are skipped unread: they may still yield other documents.
    """
    if isinstance(matcher, _LeafMatcher):
        previous = -1  # the last id of the block before, so blocks start after it
        while matcher.is_active():
            if within is not None:
                wanted = bisect_right(within, previous)
                if wanted == len(within):
                    return
                if within[wanted] > matcher._maxid:
                    previous = matcher._maxid
                    matcher._next_block()
                    continue
            previous = matcher._maxid
            if matcher._ids is None:
                matcher._read_ids()
            start = matcher._i
            if values:
                if matcher._values is None:
                    matcher._read_values()
                yield matcher._ids[start:], matcher._values[start:]
            else:
                if matcher._weights is None:
                    matcher._read_weights()
                yield matcher._ids[start:], matcher._weights[start:]
            matcher._next_block()
        return
    while matcher.is_active():
        yield (matcher.id(),), (matcher.value() if values else matcher.weight(),)
        matcher.next()


def postings_runs(matcher: Any) -> Iterator[tuple[Sequence[int], Sequence[Any], Sequence[Any]]]:
    """Yield a term matcher's postings as (ids, weights, encoded values) runs, a block at a time."""
    if isinstance(matcher, _LeafMatcher):
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            if matcher._values is None:
                matcher._read_values()
            start = matcher._i
            yield matcher._ids[start:], matcher._weights[start:], matcher._values[start:]
            matcher._next_block()
        return
    while matcher.is_active():
        yield (matcher.id(),), (matcher.weight(),), (matcher.value(),)
        matcher.next()


_caches: weakref.WeakKeyDictionary[Any, dict[Hashable, Any]] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cached(reader: Any, key: Hashable, make: Callable[[], T]) -> T:
    """Return ``make()``, computed once per segment reader and ``key``.

    A segment never changes once written, so what is worked out from it (the
    documents of an outlet, its dates as an array) holds for as long as the
    reader is open, and goes when the reader does.
    """
    with _caches_lock:
        values = _caches.setdefault(reader, {})
        if key in values:
            found: T = values[key]
            return found
    value = make()
    with _caches_lock:
        if len(values) >= CACHE_SIZE:
            values.clear()
        values[key] = value
    return value


# Every index pickle Whoosh reads is loaded by searchkit's restricted unpickler.
guard_whoosh()

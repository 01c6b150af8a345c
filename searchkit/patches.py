"""Two speed fixes for Whoosh 2.7's per-document reader, applied once per process.

Both concern ``W3PerDocReader._cached_reader``, through which Whoosh reads a
field's length column once per posting while writing a segment and once
per scored document while searching:

* It caches a column reader it finds but not the absence of one, so
  unscored fields (ids, outlet, kind) ask the filesystem whether a file
  exists once per posting: a third of the commit time on a news corpus.
  The answer cannot change for a finished segment, so the miss is
  remembered.
* A length column holds one byte per document, but every lookup goes
  through three layers of Python calls and a file read.  The column is read
  once into a ``bytes`` object instead, which answers ``reader[docnum]``,
  ``min`` and ``max`` exactly as the column reader does (missing trailing
  documents read as 0, the column's default).
"""

from __future__ import annotations

from typing import Any

__all__ = ["apply"]


def apply() -> None:
    """Install the fixes; calling again does nothing."""
    from whoosh.codec import whoosh3

    original = whoosh3.W3PerDocReader._cached_reader
    if getattr(original, "searchkit_patched", False):
        return
    lengths = whoosh3.LENGTHS_COLUMN

    def cached_reader(self: Any, fieldname: str, column: Any) -> Any:
        if fieldname not in self._readers:
            reader = original(self, fieldname, column)
            if reader is not None and column is lengths:
                reader = _load_lengths(self, fieldname)
            self._readers[fieldname] = reader
        return self._readers[fieldname]

    cached_reader.searchkit_patched = True  # type: ignore[attr-defined]
    whoosh3.W3PerDocReader._cached_reader = cached_reader


def _load_lengths(reader: Any, fieldname: str) -> bytes:
    """Return a segment's length column for ``fieldname`` as one byte per document."""
    colfile, offset, length = reader._colfiles[fieldname]
    doccount = reader._doccount
    data = bytes(colfile.get(offset, min(length, doccount)))
    # One spare byte: Whoosh's own bounds check lets docnum == doccount through.
    return data + bytes(doccount + 1 - len(data))

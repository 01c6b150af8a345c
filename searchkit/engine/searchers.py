"""Searchers over searchkit's indexes, one index or the segments of several (shards).

``MultiReader.column_reader`` leaves out the segments that have no file for a
column (a segment whose articles all lack an outlet has no ``outlet`` column)
but keeps the other segments' offsets, so documents of the missing segment
read the previous segment's values, and ones past the last listed segment
fail with ``IndexError``.  After an update, facets and statistics were wrong
or crashed.  :func:`open_searcher` gives the index a reader whose columns span
every segment, the missing ones reading the column's default (and, for an
index with no articles left, empty columns instead of none).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from whoosh.reading import EmptyReader, MultiReader

__all__ = ["open_joined_searcher", "open_searcher"]


def open_searcher(ix: Any, weighting: Any) -> Any:
    """Return a searcher of the Whoosh index ``ix`` whose columns span all its segments."""
    from whoosh.searching import Searcher

    reader = ix.reader()
    if isinstance(reader, MultiReader):
        reader = _MultiReader(reader.readers, generation=reader._gen)
    elif isinstance(reader, EmptyReader):
        reader = _EmptyReader(reader.schema)
    return Searcher(reader, fromindex=ix, weighting=weighting)


def open_joined_searcher(ixs: Sequence[Any], weighting: Any) -> Any:
    """Return one searcher over the segments of several Whoosh indexes of one schema.

    This is how a sharded index is searched: Whoosh's multi-segment reader
    sums document frequencies, document counts and field lengths over its
    segments, so every score is computed from collection-wide statistics, as
    over one index holding all the shards' articles (searchkit's answers do
    not depend on how the articles are split into segments; see
    ``tests/test_shards.py``).
    """
    from whoosh.searching import Searcher

    readers: list[Any] = []
    for ix in ixs:
        reader = ix.reader()
        if isinstance(reader, MultiReader):
            readers.extend(reader.readers)
        elif not isinstance(reader, EmptyReader):
            readers.append(reader)
    if not readers:
        joined: Any = _EmptyReader(ixs[0].schema)
    else:  # one reader too: its columns then span segments the same way
        joined = _MultiReader(readers)
    return Searcher(joined, weighting=weighting)


class _EmptyReader(EmptyReader):  # type: ignore[misc]
    """An index without articles (all deleted, or none found) has empty columns, not none."""

    def has_column(self, fieldname: str) -> bool:
        return bool(self.schema[fieldname].column_type)

    def column_reader(
        self, fieldname: str, column: Any = None, reverse: bool = False, translate: bool = True
    ) -> Any:
        from whoosh.columns import EmptyColumnReader

        return EmptyColumnReader(None, 0)


class _MultiReader(MultiReader):  # type: ignore[misc]
    def column_reader(
        self, fieldname: str, column: Any = None, reverse: bool = False, translate: bool = True
    ) -> Any:
        """Join every segment's column (a segment without one reads the default)."""
        from whoosh.columns import EmptyColumnReader, MultiColumnReader

        readers = [
            r.column_reader(fieldname, column=column, reverse=reverse, translate=translate)
            if r.has_column(fieldname)
            # Whoosh's PickleColumn has no default value to fill a missing column with.
            else EmptyColumnReader(None, r.doc_count_all())
            for r in self.readers
        ]
        return MultiColumnReader(readers, list(self.doc_offsets))

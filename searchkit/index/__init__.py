"""The index on disk: open, build, update, and every way of reading it.

``store`` holds :class:`Index`, the handle and facade; ``writing`` turns
articles into Whoosh documents (in forked workers for large batches);
``storage`` owns the directory: generations, the ``CURRENT`` pointer, atomic
swaps and the writer lock.  Writing is imported only when an index is written.
"""

from __future__ import annotations

from searchkit.index.store import (
    DEFAULT_INDEX_DIR,
    BuildReport,
    Index,
    default_index_dir,
)
from searchkit.search.stats import IndexStats

__all__ = ["DEFAULT_INDEX_DIR", "BuildReport", "Index", "IndexStats", "default_index_dir"]

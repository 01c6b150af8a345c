"""Load the pickles in an index folder without letting them run code.

Whoosh stores a segment's schema and codec in its ``.toc`` files, and stored
fields, some columns, one-posting lists and positions, as pickles.  Unpickling runs
whatever callable a pickle names, so an index folder someone sent you could
run a shell command on ``searchkit query``.  Every pickle Whoosh or searchkit
reads from an index goes through :class:`IndexUnpickler`, which admits only
what an index legitimately holds: Whoosh's and searchkit's field, format,
column, analysis and codec classes, and a few harmless builtins (sets, dates,
arrays).  Anything else raises :class:`UntrustedIndexError`.

Whoosh loads pickles with module-level functions (``whoosh.compat.loads`` as
imported by ``whoosh.codec.whoosh3``, ``whoosh.columns`` and ``whoosh.formats``, ``load`` in
``whoosh.filedb.structfile``, ``pickle.loads`` in ``whoosh.index``);
:func:`guard_whoosh` points those names at the restricted loader.  That is
process-wide by necessity (Whoosh offers no per-index hook), and harmless to
other Whoosh indexes built from Whoosh's own classes.
"""

from __future__ import annotations

import importlib
import io
import pickle
import re
import types
from typing import IO, Any

from searchkit.errors import UntrustedIndexError

__all__ = ["IndexUnpickler", "check_toc", "guard_whoosh", "load", "loads", "toc_parts"]

#: Modules whose own classes (not functions, not names they import) a pickle may name.
_CLASS_MODULES = frozenset(
    {
        "whoosh.fields",
        "whoosh.formats",
        "whoosh.columns",
        "whoosh.analysis.acore",
        "whoosh.analysis.analyzers",
        "whoosh.analysis.filters",
        "whoosh.analysis.intraword",
        "whoosh.analysis.morph",
        "whoosh.analysis.ngrams",
        "whoosh.analysis.tokenizers",
        "searchkit.analysis.analyzers",
        "searchkit.schema",
        "searchkit.engine.codec",
        "searchkit.engine.formats",
    }
)
#: Single names a pickle may use: harmless builtins and the one codec Whoosh 2.7 writes.
_NAMES = frozenset(
    {
        ("builtins", "set"),
        ("builtins", "frozenset"),
        ("builtins", "int"),
        ("builtins", "float"),
        ("builtins", "bytearray"),
        ("builtins", "object"),
        ("__builtin__", "set"),
        ("__builtin__", "frozenset"),
        ("__builtin__", "int"),
        ("__builtin__", "long"),
        ("__builtin__", "float"),
        ("__builtin__", "object"),
        ("_codecs", "encode"),  # bytes in protocol-2 pickles
        ("copyreg", "_reconstructor"),  # objects in protocol 0 and 1 pickles
        ("copy_reg", "_reconstructor"),
        ("collections", "defaultdict"),
        ("collections", "OrderedDict"),
        ("datetime", "datetime"),
        ("datetime", "date"),
        ("datetime", "time"),
        ("datetime", "timedelta"),
        ("datetime", "timezone"),
        ("array", "array"),
        ("array", "_array_reconstructor"),
        ("re", "_compile"),  # a tokenizer's pattern
        ("whoosh.codec.whoosh3", "W3Codec"),
        ("whoosh.codec.whoosh3", "W3Segment"),
        ("whoosh.lang.porter", "stem"),
    }
)


class IndexUnpickler(pickle.Unpickler):
    """An unpickler that resolves only the names an index may hold (see the module doc)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _NAMES:
            return super().find_class(module, name)
        if module in _CLASS_MODULES and "." not in name:
            found = getattr(importlib.import_module(module), name, None)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise UntrustedIndexError(
            f"an index file names {module}.{name}, which no searchkit index contains; "
            "the folder is not a trustworthy searchkit index. Do not open it; "
            "build your own from the articles with `searchkit index --rebuild PATH`"
        )


#: Bytes that could be an opcode naming or looking up an object (GLOBAL, INST,
#: STACK_GLOBAL, EXT1/2/4, PERSID, BINPERSID).  Without them a pickle can only
#: build lists, tuples, dicts, numbers and strings: nothing runs.
_LOOKUP_OPCODES = re.compile(rb"[ciPQ\x82-\x84\x93]")


def loads(data: bytes) -> Any:
    """Unpickle index data with :class:`IndexUnpickler`.

    Postings and positions are pickled lists of numbers, read thousands of
    times a query; when no byte of one could be a lookup opcode, the C
    unpickler reads it directly (a seventh of the restricted unpickler's cost).
    """
    if _LOOKUP_OPCODES.search(data) is None:
        return pickle.loads(data)
    return IndexUnpickler(io.BytesIO(data)).load()


def load(file: IO[bytes]) -> Any:
    """Unpickle the next object of an index file with :class:`IndexUnpickler`."""
    return IndexUnpickler(file).load()


def guard_whoosh() -> None:
    """Make Whoosh load every index pickle with :class:`IndexUnpickler`."""
    import whoosh.codec.whoosh3
    import whoosh.columns
    import whoosh.filedb.structfile
    import whoosh.formats
    import whoosh.index

    whoosh.codec.whoosh3.loads = loads
    whoosh.columns.loads = loads
    whoosh.formats.loads = loads
    whoosh.filedb.structfile.load_pickle = load
    guarded = types.SimpleNamespace(
        loads=loads, dumps=pickle.dumps, PicklingError=pickle.PicklingError
    )
    whoosh.index.pickle = guarded


def toc_parts(data: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    """Split a Whoosh 2.7 ``.toc`` into (header, schema pickle, generation ints, segments pickle).

    Raises ``ValueError`` (or ``struct.error``) for a file too short to hold them.
    """
    from whoosh.filedb.structfile import StructFile

    stream = StructFile(io.BytesIO(data))
    for _ in range(3):  # sizes of int, long and float
        stream.read_varint()
    stream.read_int()  # byte order check
    stream.read_int()  # TOC version
    for _ in range(3):  # Whoosh release
        stream.read_varint()
    header_end = stream.tell()
    schema = stream.read_string()
    ints_start = stream.tell()
    stream.read_int()  # generation
    stream.read_int()
    segments_start = stream.tell()
    return data[:header_end], schema, data[ints_start:segments_start], data[segments_start:]


def check_toc(path: str) -> None:
    """Read a Whoosh ``.toc`` file's schema and segments with :class:`IndexUnpickler`.

    Raises :class:`UntrustedIndexError` naming ``path`` for a pickle that
    names anything an index does not hold; other damage is left to Whoosh.
    """
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        _, schema, _, segments = toc_parts(data)
        loads(schema)
        load(io.BytesIO(segments))
    except UntrustedIndexError as error:
        raise UntrustedIndexError(f"{path}: {error}") from None
    except Exception:
        return

"""The classes an index pickles are part of its format: moving one is a format change."""

from __future__ import annotations

import io
import pickle
import pickletools
from pathlib import Path

import searchkit
from searchkit.engine.unpickling import toc_parts
from searchkit.index import storage

#: Every searchkit class whose import path is pickled into an index today.  A
#: test failure here means a rename or move: bump ``storage.FORMAT_VERSION``
#: (old indexes are then refused with a rebuild hint) and update this list.
PICKLED_CLASSES = {
    ("searchkit.analysis.analyzers", "NormaliseFilter"),
    ("searchkit.analysis.analyzers", "StopWordFilter"),
    ("searchkit.engine.codec", "Codec"),
    ("searchkit.engine.formats", "OnePassPositions"),
    ("searchkit.schema", "Text"),
}
FORMAT_WITH_THESE_CLASSES = 10


def _globals_in(data: bytes) -> set[tuple[str, str]]:
    """Return the (module, name) pairs a pickle names, without unpickling it."""
    found: set[tuple[str, str]] = set()
    strings: list[str] = []
    for opcode, arg, _ in pickletools.genops(io.BytesIO(data)):
        if opcode.name in ("GLOBAL", "INST"):
            module, name = str(arg).split(" ", 1)
            found.add((module, name))
        elif opcode.name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE"):
            strings.append(str(arg))
        elif opcode.name == "STACK_GLOBAL":
            found.add((strings[-2], strings[-1]))
    return found


def _toc_pickles(toc: Path) -> list[bytes]:
    _, schema, _, segments = toc_parts(toc.read_bytes())
    return [schema, segments]


def test_the_classes_pickled_into_an_index_are_pinned(seed_index: searchkit.Index) -> None:
    named: set[tuple[str, str]] = set()
    for toc in seed_index.generation.glob("*.toc"):
        for data in _toc_pickles(toc):
            named |= _globals_in(data)
    ours = {pair for pair in named if pair[0].startswith("searchkit")}
    assert ours == PICKLED_CLASSES
    assert storage.FORMAT_VERSION == FORMAT_WITH_THESE_CLASSES, (
        "the pickled classes changed: bump FORMAT_WITH_THESE_CLASSES with FORMAT_VERSION"
    )
    for module, name in ours:  # and each still loads from where it is pickled
        assert pickle.loads(pickle.dumps(getattr(__import__(module, fromlist=[name]), name)))

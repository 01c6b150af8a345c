"""searchkit's postings blocks hold what Whoosh's W3 blocks hold, read lazily."""

from __future__ import annotations

from array import array
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import formats
from whoosh.codec import whoosh3
from whoosh.filedb.filestore import RamStorage

from searchkit.engine.codec import _LeafMatcher, _PostingsWriter, postings_blocks
from searchkit.errors import IndexError_

BLOCK = 8  # small blocks, so a few dozen postings span several


def _write(writer_class: Any, format_: Any, postings: list[tuple[int, float, bytes, int]]) -> Any:
    """Write one term's postings with ``writer_class``; return (file, offset, length)."""
    storage = RamStorage()
    postfile = storage.create_file("postings")
    writer = writer_class(postfile, blocklimit=BLOCK, compression=1)
    writer.start_postings(format_, whoosh3.W3TermInfo())
    for docnum, weight, value, length in postings:
        writer.add_posting(docnum, weight, value, length)
    info = writer.finish_postings()
    postfile.close()
    offset, length = info.extent()
    return storage.open_file("postings"), offset, length, info


def _read(matcher: Any) -> list[tuple[Any, ...]]:
    """Every posting, block statistics beside it, stepping one posting at a time."""
    found = []
    while matcher.is_active():
        found.append(
            (
                matcher.id(),
                matcher.weight(),
                matcher.value(),
                matcher.block_max_id(),
                matcher.block_max_weight(),
                matcher.block_min_length(),
                matcher.block_max_length(),
            )
        )
        matcher.next()
    return found


postings_lists = st.lists(
    st.tuples(
        st.integers(0, 5_000),
        st.sampled_from([1.0, 2.0, 3.0, 0.5, 7.25]),
        st.binary(min_size=1, max_size=12),
        st.integers(1, 3_000),
    ),
    min_size=1,
    max_size=60,
    unique_by=lambda posting: posting[0],
).map(sorted)


@settings(max_examples=60, deadline=None)
@given(postings_lists, st.sampled_from([formats.Positions(), formats.Existence()]))
def test_blocks_read_back_what_whooshs_blocks_do(postings: Any, format_: Any) -> None:
    if format_.fixed_value_size() == 0:
        postings = [(d, w, b"", n) for d, w, _, n in postings]
    ours = _write(_SmallBlocks, format_, postings)
    theirs = _write(_WhooshSmallBlocks, format_, postings)
    assert _read(_LeafMatcher(ours[0], ours[1], ours[2], format_)) == _read(
        whoosh3.W3LeafMatcher(theirs[0], theirs[1], theirs[2], format_)
    )
    assert ours[3].max_weight() == theirs[3].max_weight()
    assert ours[3].min_length() == theirs[3].min_length()


@settings(max_examples=40, deadline=None)
@given(postings_lists, st.data())
def test_skipping_lands_where_whooshs_does(postings: Any, data: Any) -> None:
    format_ = formats.Positions()
    ours = _write(_SmallBlocks, format_, postings)
    theirs = _write(_WhooshSmallBlocks, format_, postings)
    mine = _LeafMatcher(ours[0], ours[1], ours[2], format_)
    whooshs = whoosh3.W3LeafMatcher(theirs[0], theirs[1], theirs[2], format_)
    for target in sorted(data.draw(st.lists(st.integers(0, 5_100), max_size=8))):
        if not whooshs.is_active():
            break
        mine.skip_to(target)
        whooshs.skip_to(target)
        assert mine.is_active() == whooshs.is_active()
        if whooshs.is_active():
            assert (mine.id(), mine.weight(), mine.value()) == (
                whooshs.id(),
                whooshs.weight(),
                whooshs.value(),
            )


def test_ids_and_weights_are_read_without_the_positions() -> None:
    format_ = formats.Positions()
    postings = [(n * 3, 2.0, bytes([n % 250]) * 40, 10) for n in range(30)]
    postfile, offset, length, _ = _write(_SmallBlocks, format_, postings)
    matcher = _LeafMatcher(postfile, offset, length, format_)
    assert matcher.id() == 0
    assert matcher.weight() == 2.0
    assert matcher._values is None  # the block's positions are still unread
    assert matcher.value() == bytes([0]) * 40


def test_whoosh_blocks_are_refused_with_a_rebuild_hint() -> None:
    format_ = formats.Positions()
    postfile, offset, length, _ = _write(_WhooshSmallBlocks, format_, [(1, 1.0, b"x", 3)])
    with pytest.raises(IndexError_, match="rebuild"):
        _LeafMatcher(postfile, offset, length, format_)


def test_weights_keep_their_float32_values() -> None:
    format_ = formats.Positions()
    postings = [(n, 1 / (n + 3), b"v", 5) for n in range(20)]
    postfile, offset, length, _ = _write(_SmallBlocks, format_, postings)
    matcher = _LeafMatcher(postfile, offset, length, format_)
    expected = array("f", [weight for _, weight, _, _ in postings])
    assert [weight for _, weight in _weights(matcher)] == list(expected)


def _weights(matcher: Any) -> list[tuple[int, float]]:
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight()))
        matcher.next()
    return found


class _WhooshSmallBlocks(whoosh3.W3PostingsWriter):  # type: ignore[misc]
    def __init__(self, postfile: Any, blocklimit: int, compression: int) -> None:
        super().__init__(postfile, blocklimit=blocklimit, compression=compression)


class _SmallBlocks(_PostingsWriter):
    def __init__(self, postfile: Any, blocklimit: int, compression: int) -> None:
        super().__init__(postfile, blocklimit=blocklimit, compression=compression)


@settings(max_examples=40, deadline=None)
@given(postings_lists, st.integers(0, 5_100))
def test_blocks_of_values_from_a_skip_are_whooshs_values(postings: Any, target: int) -> None:
    format_ = formats.Positions()
    ours = _write(_SmallBlocks, format_, postings)
    theirs = _write(_WhooshSmallBlocks, format_, postings)
    mine = _LeafMatcher(ours[0], ours[1], ours[2], format_)
    whooshs = whoosh3.W3LeafMatcher(theirs[0], theirs[1], theirs[2], format_)
    mine.skip_to(target)
    whooshs.skip_to(target)
    runs = [(list(ids), list(values)) for ids, values in postings_blocks(mine, values=True)]
    found = [pair for ids, values in runs for pair in zip(ids, values, strict=True)]
    assert found == [(d, v) for d, _, v, *_ in _read(whooshs)]
    for ids, values in runs:  # each value also by its place, as proximity reads them
        assert [values[n] for n in range(len(ids))] == list(values)

"""searchkit's postings blocks: ids and weights kept apart from positions.

Whoosh's W3 codec writes each block of up to 128 postings as one zlib
pickle of ``(ids, weights, values)``: reading the ids of a block unpickles
the positions of all its postings too (one bytes object each), and its
statistics are a second pickle.  Ranking reads ids and weights only;
positions are wanted for a phrase or for the proximity of a few top
matches.  So a searchkit block is::

    header   HEADER: length of the rest (negative for a term's last block),
             postings, last id, largest weight, shortest and longest length
             bytes, flags, and the size of the scoring part
    scoring  array('I') id gaps (the first id whole), then array('f') weights
             unless every weight is 1; zlib-compressed when the codec compresses
    values   the encoded values (positions): array('I') sizes, then the bytes
             joined; compressed apart, and read only when asked for

Arrays are little-endian on disk.  A block holds the same ids, weights (the
same float32 values), values and statistics Whoosh's would
(``tests/test_ranking.py`` and ``tests/test_codec_blocks.py`` compare
them), with no pickle left to load: the 21k news index is 80 MB against 104
in Whoosh's blocks.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate, pairwise
from typing import Any, overload

from whoosh.util.numeric import byte_to_length, length_to_byte

from searchkit.errors import IndexError_

__all__ = ["MAGIC", "BlockReading", "BlockWriting", "Values"]

#: The tag at the start of a term's postings (in place of Whoosh's ``WHOOSH3_HEADER_MAGIC``).
MAGIC = b"SKb1"
#: length, postings, last id, largest weight, shortest and longest length byte, flags, scoring size.
HEADER = struct.Struct("<iIIdBBBI")
#: Flag bits.
COMPRESSED = 1
UNIT_WEIGHTS = 2
_BIG_ENDIAN = sys.byteorder == "big"


def _packed(values: array[Any]) -> bytes:
    if _BIG_ENDIAN:
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _unpacked(typecode: str, data: bytes | memoryview) -> array[Any]:
    values = array(typecode)
    values.frombytes(data)
    if _BIG_ENDIAN:
        values.byteswap()
    return values


class BlockWriting:
    """The writing half: mixed into a ``W3PostingsWriter`` (``_ids`` must be ``array('I')``)."""

    _postfile: Any
    _terminfo: Any
    _format: Any
    _compression: int
    _blockcount: int
    _byteids: bool
    _ids: Any
    _weights: Any
    _values: list[bytes]
    _maxweight: float
    _minlength: int | None
    _maxlength: int
    _new_block: Callable[[], None]

    def _write_block(self, last: bool = False) -> None:
        """Write the buffered postings as one searchkit block (see the module docstring)."""
        if self._byteids:
            raise TypeError("searchkit's postings blocks hold document numbers, not byte ids")
        if not self._blockcount:
            self._postfile.write(MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        gaps = array("I", ids)
        gaps[1:] = array("I", map(int.__sub__, ids[1:], ids[:-1]))
        flags = 0
        scoring = _packed(gaps)
        if any(weight != 1.0 for weight in self._weights):
            scoring += _packed(array("f", self._weights))
        else:
            flags |= UNIT_WEIGHTS
        values = self._block_values()
        if self._compression:
            flags |= COMPRESSED
            scoring = zlib.compress(scoring, self._compression)
            if values:
                values = zlib.compress(values, self._compression)
        length = HEADER.size - 4 + len(scoring) + len(values)
        header = HEADER.pack(
            -length if last else length,
            len(ids),
            ids[-1],
            self._maxweight,
            length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
            flags,
            len(scoring),
        )
        self._postfile.write(header + scoring + values)
        self._blockcount += 1
        self._new_block()

    def _block_values(self) -> bytes:
        """Return the block's encoded values: sizes then bytes, or bytes of a fixed size."""
        fixedsize = self._format.fixed_value_size()
        if fixedsize == 0 or not self._values:
            return b""
        joined = b"".join(self._values)
        if fixedsize is None or fixedsize < 0:
            return _packed(array("I", map(len, self._values))) + joined
        return joined


class BlockReading:
    """The reading half: mixed into a ``W3LeafMatcher`` before it."""

    _postfile: Any
    _startoffset: int
    _fixedsize: int | None
    _i: int
    _ids: Any
    _weights: Any
    _values: Any
    _blocklength: int
    _maxid: int
    _maxweight: float
    _minlength: int
    _maxlength: int
    _lastblock: bool
    _nextoffset: int
    _baseoffset: int
    _flags: int
    _scoringoffset: int
    _scoringsize: int

    def _read_header(self) -> None:
        magic = self._postfile.get(self._startoffset, len(MAGIC))
        if magic != MAGIC:
            raise IndexError_(
                "the index's postings are not in searchkit's block format; "
                "rebuild it with `searchkit index`"
            )
        self._baseoffset = self._startoffset + len(MAGIC)

    def _goto(self, position: int) -> None:
        self._ids = self._weights = self._values = None
        self._i = 0
        (length, count, maxid, maxweight, least, most, flags, scoring) = HEADER.unpack(
            self._postfile.get(position, HEADER.size)
        )
        self._lastblock = length < 0
        self._nextoffset = position + 4 + abs(length)
        self._blocklength, self._maxid, self._maxweight = count, maxid, maxweight
        self._minlength, self._maxlength = byte_to_length(least), byte_to_length(most)
        self._flags = flags
        self._scoringoffset = position + HEADER.size
        self._scoringsize = scoring

    def _read_scoring(self) -> None:
        data = self._postfile.get(self._scoringoffset, self._scoringsize)
        if self._flags & COMPRESSED:
            data = zlib.decompress(data)
        count = self._blocklength
        self._ids = tuple(accumulate(_unpacked("I", data[: 4 * count])))
        if self._flags & UNIT_WEIGHTS:
            self._weights = array("f", [1.0]) * count
        else:
            self._weights = _unpacked("f", data[4 * count :])

    def _read_ids(self) -> None:
        self._read_scoring()

    def _read_weights(self) -> None:
        self._read_scoring()

    def _read_values(self) -> None:
        count = self._blocklength
        fixedsize = self._fixedsize
        if fixedsize == 0:
            self._values = (None,) * count
            return
        start = self._scoringoffset + self._scoringsize
        data = self._postfile.get(start, self._nextoffset - start)
        if data and self._flags & COMPRESSED:
            data = zlib.decompress(data)
        if fixedsize is None or fixedsize < 0:
            sizes = _unpacked("I", data[: 4 * count])
            self._values = Values(data, array("I", accumulate(sizes, initial=4 * count)))
        else:
            self._values = tuple(data[i : i + fixedsize] for i in range(0, len(data), fixedsize))


class Values(Sequence[bytes]):
    """A block's values of varying size, each cut out of the block's bytes when it is read.

    Proximity wants the positions of a few documents of a block, not all 128.
    """

    __slots__ = ("_data", "_ends")

    def __init__(self, data: bytes, ends: array[int]) -> None:
        self._data = data
        self._ends = ends  # value n is data[ends[n]:ends[n + 1]]

    def __len__(self) -> int:
        return len(self._ends) - 1

    @overload
    def __getitem__(self, index: int) -> bytes: ...

    @overload
    def __getitem__(self, index: slice) -> Values: ...

    def __getitem__(self, index: int | slice) -> bytes | Values:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                raise ValueError("a block's values are sliced in order")
            return Values(self._data, self._ends[start : max(start, stop) + 1])
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._data[self._ends[index] : self._ends[index + 1]]

    def __iter__(self) -> Iterator[bytes]:
        data = self._data
        return (data[a:b] for a, b in pairwise(self._ends))

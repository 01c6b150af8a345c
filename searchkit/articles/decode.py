"""Bytes -> text: BOMs, legacy encodings, mixed files, stray NULs and lone surrogates.

Text that is not UTF-8 is decoded in the encoding charset-normalizer finds;
what was guessed or repaired is returned as notes for the build report.
"""

from __future__ import annotations

import codecs
import re

__all__ = [
    "decode",
    "decode_line",
    "decode_with_notes",
    "line_list",
    "normalise_newlines",
    "refuse_binary",
    "scrub",
]

#: A text file may hold this many NUL bytes (padding, a botched export) and still be text.
MAX_STRAY_NULS = 8
#: Text that is not UTF-8 is read as Windows-1252 (a superset of Latin-1 for printable
#: text, the encoding of most older Western news exports) unless charset-normalizer
#: clearly finds another encoding: on a few lines it cannot tell French from Latvian.
FALLBACK_ENCODING = "cp1252"
#: A note about lines that were repaired names at most this many of them.
MAX_LINES_NAMED = 10

# JSON's "\ud83d" escape (half an emoji, cut by a truncating exporter) decodes to a
# lone surrogate, which cannot be encoded as UTF-8: Whoosh would fail on it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str, what: str, problems: list[str]) -> str:
    """Replace lone surrogates in ``text`` with U+FFFD, noting it in ``problems``."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    text, count = _SURROGATE.subn("\ufffd", text)
    problems.append(f"{what}: {count} lone surrogate(s) (half an emoji?) replaced with U+FFFD")
    return text


def normalise_newlines(text: str) -> str:
    """Return ``text`` with Windows and old Mac line ends, a BOM and NULs gone."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text


def decode(data: bytes) -> str:
    """Decode an article file's bytes, recognising BOMs, legacy encodings and mixed files.

    Text that is not UTF-8 at all is read in the encoding charset-normalizer
    detects, Windows-1252 where it cannot tell.  In a UTF-8 file, a line that
    is not UTF-8 (Latin-1 pasted into UTF-8 text) is read as Windows-1252 when
    it decodes as that and holds nothing like a UTF-8 sequence; other bad bytes
    are replaced by U+FFFD.
    """
    return _decode(data)[0]


def decode_with_notes(data: bytes) -> tuple[str, list[str]]:
    """Decode like :func:`decode`; also return notes on what was guessed or repaired.

    Raises ValueError, saying why, for bytes that are not text.
    """
    return _decode(data)


def _decode(data: bytes) -> tuple[str, list[str]]:
    """Decode like :func:`decode`; also return notes on what was guessed or repaired."""
    if not data.strip():
        raise ValueError("empty file; skipped")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise ValueError(f"broken UTF-16 at byte {exc.start}; skipped") from exc
    data = data.removeprefix(b"\xef\xbb\xbf")
    refuse_binary(data)
    notes: list[str] = []
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        notes.append(f"line {line}: {data.count(0)} NUL byte(s) removed")
        data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError:
        pass
    # Windows-1252 text hardly ever holds a valid multi-byte UTF-8 sequence ("Ã©" is
    # mojibake), so one is enough to call the file UTF-8 and repair it line by line.
    if not _UTF8_SEQUENCE.search(data):
        encoding = _detect_encoding(data)
        legacy = [n for n, raw in enumerate(data.split(b"\n"), start=1) if not raw.isascii()]
        notes.append(f"{line_list(legacy)}: not UTF-8; read as {_encoding_name(encoding)}")
        return data.decode(encoding, errors="replace"), notes
    lines: list[str] = []
    repaired: list[int] = []
    replaced: list[int] = []
    bad_bytes = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        text, bad = decode_line(raw)
        lines.append(text)
        if bad == READ_AS_FALLBACK:
            repaired.append(number)
        elif bad:
            replaced.append(number)
            bad_bytes += bad
    if repaired:
        notes.append(f"{line_list(repaired)}: not UTF-8; read as Windows-1252")
    if replaced:
        notes.append(
            f"{line_list(replaced)}: invalid UTF-8; {bad_bytes} bad byte(s) replaced with U+FFFD"
        )
    return "\n".join(lines), notes


#: What :func:`decode_line` returns for a line it read as Windows-1252.
READ_AS_FALLBACK = -1


def decode_line(raw: bytes) -> tuple[str, int]:
    """Decode one line of a UTF-8 file, repairing it where that is unambiguous.

    Return the text and 0 for a UTF-8 line, :data:`READ_AS_FALLBACK` for a line
    read as Windows-1252, else the number of bad bytes replaced by U+FFFD.
    """
    try:
        return raw.decode("utf-8"), 0
    except UnicodeDecodeError:
        pass
    # A lead byte followed by a continuation byte is UTF-8, whole or cut short (an
    # emoji split by a truncating exporter), not a Latin-1 letter; so is that line.
    if not _UTF8_LEAD_AND_CONTINUATION.search(raw):
        try:
            return raw.decode(FALLBACK_ENCODING), READ_AS_FALLBACK
        except UnicodeDecodeError:  # one of the five bytes Windows-1252 leaves undefined
            pass
    text = raw.decode("utf-8", errors="surrogateescape")
    return _SURROGATE.subn("\ufffd", text)


def _detect_encoding(data: bytes) -> str:
    """Name the Python codec of text that is not UTF-8."""
    # Imported here: it costs ~20 ms, and only files that are not UTF-8 need it.
    from charset_normalizer import from_bytes
    from charset_normalizer.utils import is_multi_byte_encoding

    matches = from_bytes(data)
    if any(FALLBACK_ENCODING in match.could_be_from_charset for match in matches):
        return FALLBACK_ENCODING
    best = matches.best()
    # Without letters to recognise a language by (coherence) or multi-byte structure,
    # charset-normalizer's guess is one of many code pages that decode equally well.
    if best is not None and (best.coherence > 0 or is_multi_byte_encoding(best.encoding)):
        return best.encoding
    return FALLBACK_ENCODING


def _encoding_name(codec: str) -> str:
    name = codecs.lookup(codec).name
    return f"Windows-{name[2:]}" if name.startswith("cp125") else name.upper()


def line_list(numbers: list[int]) -> str:
    """Name line numbers for a note: ``line 3``, or ``lines 3, 7, … (12 lines)``."""
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    shown = ", ".join(str(n) for n in numbers[:MAX_LINES_NAMED])
    more = f", … ({len(numbers)} lines)" if len(numbers) > MAX_LINES_NAMED else ""
    return f"lines {shown}{more}"


def refuse_binary(data: bytes) -> None:
    """Raise ValueError, saying what it looks like, for bytes that are not text."""
    head = data[:8192]
    nuls = head.count(b"\x00")
    binary = ValueError("binary file, not text (is it a PDF, image or archive?); skipped")
    if head.startswith(_BINARY_MAGIC):
        raise binary
    if nuls > len(head) // 3 and max(head[::2].count(0), head[1::2].count(0)) > len(head) * 0.45:
        raise ValueError("looks like UTF-16 without a byte-order mark; save it as UTF-8; skipped")
    if (nuls > len(head) // 100 and nuls > MAX_STRAY_NULS) or _looks_binary(head):
        raise binary


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_UTF8_LEAD_AND_CONTINUATION = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b")


def _looks_binary(head: bytes) -> bool:
    if head.startswith(_BINARY_MAGIC):
        return True
    # NUL is counted (or forgiven) by the caller: a few stray ones occur in text exports.
    controls = sum(1 for byte in head if 0 < byte < 9 or 13 < byte < 32)
    return controls > len(head) // 20

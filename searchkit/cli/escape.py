"""Make anything from a collection safe to show on a terminal, and short enough to echo.

Control characters, escape sequences and bidi overrides become inert escapes
(``\\x1b``, see :func:`printable`); a user's value echoed back in a message is
shortened (:func:`quoted`, :func:`message`).  Pure functions, light imports:
the command line's error handler uses them before anything else is loaded.
"""

from __future__ import annotations

import re

__all__ = ["ECHO_LIMIT", "MESSAGE_LIMIT", "message", "printable", "quoted", "shorten"]

ECHO_LIMIT = 80
"""Longest value echoed back whole in a message or summary; longer ones end in an ellipsis."""
MESSAGE_LIMIT = 1_000
"""Longest message printed whole; a longer one keeps its start and its end."""

# What a terminal would act on instead of showing: C0 controls (ESC starts the
# sequences that write the clipboard, retitle the window, clear the screen), DEL,
# C1 controls (0x9b is a one-byte CSI on some terminals), the bidi overrides and
# isolates that reorder what follows them, and lone surrogates (the bytes of a
# file name or argument that are not UTF-8, which cannot even be encoded).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# A Python-style quoted value in a message, not preceded by a letter (as an
# apostrophe is). One left open runs to the end: no backtracking, linear time.
_QUOTED = re.compile(r"""(?<![\w'"])(['"])((?:\\.|(?!\1)[^\\])*+)(\1|$)""")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\t":
        return " "
    if "\udc80" <= char <= "\udcff":  # an undecodable byte, kept by surrogateescape
        return f"\\x{ord(char) - 0xDC00:02x}"
    return repr(char)[1:-1]


def printable(text: str, *, multiline: bool = False) -> str:
    r"""Return ``text`` with everything a terminal would act on shown as an inert escape.

    Control characters become Python escapes (ESC ``\x1b``, CR ``\r``, CSI
    ``\x9b``), bidi overrides and isolates ``\u202e``, bytes that were not
    UTF-8 ``\xff``, a tab a space; newlines are kept only when ``multiline``.

    >>> print(printable("Reuters\rALL CLEAR \x1b]0;pwned\x07"))
    Reuters\rALL CLEAR \x1b]0;pwned\x07
    """
    if multiline:
        return "\n".join(printable(line) for line in text.replace("\r\n", "\n").split("\n"))
    return _UNSAFE.sub(_escape, text)


def shorten(value: str) -> str:
    """Return ``value`` cut to :data:`ECHO_LIMIT` characters, ending in an ellipsis if cut."""
    return value if len(value) <= ECHO_LIMIT else value[: ECHO_LIMIT - 1] + "…"


def quoted(value: str) -> str:
    """Return a user's value quoted for echoing back: shortened, with escapes visible."""
    return repr(shorten(value))


def _shorten_quoted(match: re.Match[str]) -> str:
    mark, value, end = match.groups()
    return mark + shorten(value) + end if len(value) > ECHO_LIMIT else match.group()


def message(text: str) -> str:
    """Return an error or warning as one printable line, quoted values shortened."""
    text = _QUOTED.sub(_shorten_quoted, printable(text))
    if len(text) > MESSAGE_LIMIT:
        keep = MESSAGE_LIMIT // 2
        text = text[:keep] + " … " + text[-keep:]
    return text

"""Quotation marks: pair them paragraph by paragraph into spans, and mask what they quote.

A quote never spans a line break; an unclosed quote stops at its paragraph's
end. Curly marks say which way they face; a straight mark is read from its
neighbours. Single marks are tried only in a paragraph with no double marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from searchkit.quotes.confidence import CONFIDENCE_UNATTRIBUTED
from searchkit.quotes.lexicon import ELISIONS

if TYPE_CHECKING:
    from searchkit.quotes.mentions import Mention

__all__ = [
    "TERMINAL_RE",
    "WORD_RE",
    "Span",
    "find_spans",
    "has_marks",
    "mask_quotes",
    "split_paragraphs",
]

_MARK_RE = re.compile(r"[“”\"„«»]")
# Only a single mark at a word start can open a quote; "don’t" and "China’s" cannot.
_SINGLE_OPEN_RE = re.compile(r"(?<![^\s(\[—–])[‘']")
TERMINAL_RE = re.compile(r"[.!?…]['\"”’)]*$")
WORD_RE = re.compile(r"[\w’'\-]+")


@dataclass(slots=True)
class Span:
    """A quote found in a paragraph before attribution."""

    start: int
    end: int
    open_mark: int
    close_mark: int  # index of the closing mark, or ``end`` when unclosed
    closed: bool
    paragraph: int
    speaker: Mention | None = None
    name: str | None = None
    unnamed: bool = False
    cue: str | None = None
    kind: str = "speech"
    confidence: float = CONFIDENCE_UNATTRIBUTED
    how: str = ""


def has_marks(text: str) -> bool:
    """Say whether ``text`` has any mark that could open a quote."""
    return bool(_MARK_RE.search(text) or _SINGLE_OPEN_RE.search(text))


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each non-empty line."""
    bounds: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            bounds.append((pos, end))
        pos = end + 1
    return bounds


def _is_opening(text: str, i: int, lo: int, hi: int) -> bool | None:
    """Say whether the straight mark at ``i`` opens (True), closes (False) or is unclear."""
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    opens = before.isspace() or before in "([{—–-/:;,\x01“‘"
    closes = after.isspace() or after in ".,;:!?)]}—–-…'’”"
    if opens and not closes:
        return True
    if closes and not opens:
        return False
    return None


def find_spans(text: str, lo: int, hi: int, paragraph: int) -> list[Span]:
    """Pair the quote marks of one paragraph: double marks, then single marks outside them.

    Beside double marks only curly single marks count: a straight one is as
    often an apostrophe ("the ’90s", "rock 'n' roll") as a quote.
    """
    spans = _double_spans(text, lo, hi, paragraph)
    if not spans and _SINGLE_OPEN_RE.search(text, lo, hi):
        return _single_spans(text, lo, hi, paragraph)
    if "‘" in text[lo:hi]:
        single = [s for s in _single_spans(text, lo, hi, paragraph) if text[s.open_mark] == "‘"]
        return _merge_single(text, spans, single)
    return spans


# The closing marks a quote opened with this mark may end with, besides its own
# pair: German „…“ (and „…”), German »…«, and the usual “…”, «…».
_CLOSERS = {"„": "“”", "»": "«", "“": "”", "«": "»"}


def _double_spans(text: str, lo: int, hi: int, paragraph: int) -> list[Span]:
    """Pair double marks (“…”, "…", „…“, «…», »…«) inside one paragraph."""
    spans: list[Span] = []
    open_at = -1
    skip_to = -1
    for match in _MARK_RE.finditer(text, lo, hi):
        i, mark = match.start(), match.group()
        if i <= skip_to:
            continue
        if i > lo and text[i - 1] == "=" and open_at < 0:
            skip_to = text.find(mark, i + 1, hi)  # a markup attribute, not a quote
            skip_to = hi if skip_to < 0 else skip_to
            continue
        role = _is_opening(text, i, lo, hi)
        if open_at >= 0 and mark in _CLOSERS.get(text[open_at], ""):
            role = False  # „…“ and »…«: a mark that would open elsewhere closes here
        elif mark == "»" and open_at < 0:
            role = role is True  # »…« opens only where its neighbours say so
        elif mark != '"' and (role is None or open_at < 0):
            # Trust a curly mark's direction unless it sits inside an open quote
            # and its neighbours say otherwise ("fascist?“ he asked").
            role = mark in "“„«"
        if open_at < 0:
            if role is not False:
                open_at = i
            continue
        if role is True and mark != '"':
            # A fresh curly opening inside an open quote: the earlier one was never closed.
            spans.extend(_make_span(text, open_at, i, False, paragraph))
            open_at = i
            continue
        spans.extend(_make_span(text, open_at, i, True, paragraph))
        open_at = -1
    if open_at >= 0:
        spans.extend(_make_span(text, open_at, hi, False, paragraph))
    return spans


# An opening single mark at a word start (after a space, bracket or dash, or at
# the start), a letter, then up to 300 characters in which a mark followed by a
# letter is an apostrophe ("don’t"), and a closing mark that ends a word.
_SINGLE_RE = re.compile(
    r"(?<![^\s(\[—–])[‘']([A-Za-z](?:[^‘’'\n]|[’'](?=[A-Za-z])){0,300}?[^\s‘’'])[’'](?!\w)"
)


def _single_spans(text: str, lo: int, hi: int, paragraph: int) -> list[Span]:
    """Find ‘single-quoted’ spans in a paragraph."""
    spans: list[Span] = []
    for match in _SINGLE_RE.finditer(text, lo, hi):
        inner = match.group(1)
        if inner[-1] == "s" and not TERMINAL_RE.search(inner) and " " not in inner:
            continue  # plural possessive such as the 1990s’
        if inner.split(None, 1)[0].lower() in ELISIONS:
            continue  # ‘em, ‘til: the mark stands for dropped letters
        if inner[0].islower() and (" " not in inner or text[match.start()] == "'"):
            # ‘em, ‘n’: an elision. A straight mark before a lower-case word is
            # mostly a headline's ('poison pill'), which annotators leave out.
            continue
        spans.extend(_make_span(text, match.start(), match.end() - 1, True, paragraph))
    return spans


def _merge_single(text: str, double: list[Span], single: list[Span]) -> list[Span]:
    """Keep the outermost quotes: ‘…“…”…’ (British) and “…‘…’…” (American) nest.

    Both lists are in text order without overlaps. A span inside one of the
    other list is nested and dropped; of a single and a double span that cross,
    the double stays (its marks are never apostrophes).
    """
    if not single:
        return double
    merged: list[Span] = []
    for span in sorted(double + single, key=lambda s: s.open_mark):
        last = merged[-1] if merged else None
        if last is None or span.open_mark > _stop(last):
            merged.append(span)
        elif _stop(span) > _stop(last) and text[span.open_mark] != "‘" == text[last.open_mark]:
            merged[-1] = span  # they cross: the double marks win
    return merged


def _stop(span: Span) -> int:
    """Return the index of the span's closing mark, or its end when unclosed."""
    return span.close_mark if span.closed else span.end


def _make_span(text: str, open_mark: int, close: int, closed: bool, paragraph: int) -> list[Span]:
    """Build a span between marks, trimming whitespace; empty quotes yield nothing."""
    start, end = open_mark + 1, close
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return []
    return [Span(start, end, open_mark, close if closed else end, closed, paragraph)]


def mask_quotes(text: str, spans: list[Span]) -> str:
    """Blank out quoted text so cue and name patterns only see the narrative."""
    pieces: list[str] = []
    pos = 0
    for span in spans:
        stop = span.close_mark + 1 if span.closed else span.end
        pieces.append(text[pos : span.open_mark])
        inner = stop - span.open_mark
        terminal = "." if TERMINAL_RE.search(text[span.start : span.end]) else "\x01"
        pieces.append("\x01" * (inner - 1) + terminal)
        pos = stop
    pieces.append(text[pos:])
    return "".join(pieces)

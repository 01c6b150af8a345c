"""The narrative around the quotes: its sentences and its reporting verbs.

Everything here reads the *masked* text, where quoted words are blanked out
(:func:`searchkit.quotes.marks.mask_quotes`), so a verb or a full stop inside a
quote is never taken for the narrative's.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from searchkit.quotes.lexicon import CUE_BASE, CUE_PARTICIPLE, CUE_PAST, CUE_PRESENT

__all__ = ["CUE_PATTERN", "Cue", "Narrative", "find_cues", "sentence_end"]

_CUE_WORDS = sorted({*CUE_PAST, *CUE_PRESENT, *CUE_PARTICIPLE, *CUE_BASE}, key=len, reverse=True)
#: Any reporting verb, as a regular expression (longest words first).
CUE_PATTERN = rf"(?:according[ \xa0]+to|{'|'.join(_CUE_WORDS)})"
# "so-called" is never a reporting verb.
_CUE_SET = frozenset(_CUE_WORDS)
# Scanning lower-case words and looking them up is far faster than one big alternation.
_LOWER_WORD_RE = re.compile(r"(?<![\w\-])[a-z]+\b")
_ACCORDING_TO_RE = re.compile(r"[ \xa0]+to\b")


@dataclass(frozen=True, slots=True)
class Cue:
    """A reporting verb found in the narrative."""

    start: int
    end: int
    word: str


def find_cues(masked: str, start: int, end: int) -> list[Cue]:
    """Return the reporting verbs in ``masked[start:end]``, in order."""
    cues: list[Cue] = []
    for match in _LOWER_WORD_RE.finditer(masked, start, end):
        word = match.group()
        if word in _CUE_SET:
            if masked[max(0, match.start() - 3) : match.start()] in ("so-", "so "):
                continue  # "so-called" is never a reporting verb
            cues.append(Cue(match.start(), match.end(), word))
        elif word == "according":
            to = _ACCORDING_TO_RE.match(masked, match.end(), end)
            if to is not None:
                cues.append(Cue(match.start(), to.end(), "according to"))
    return cues


# A full stop, ! or ? then a capital or a quote: a sentence end unless an abbreviation.
_SENTENCE_END_RE = re.compile(r"[.!?]['\"”’)]*[ \xa0]+(?=[A-Z“\"‘\x01])")
_ABBREVIATION_RE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|St|Jr|Sr|Lt|Gen|Col|Prof|No|Vol|vs|Inc|Co|Corp"
    r"|Ltd|Jan|Feb|Aug|Sept|Oct|Nov|Dec)|\b[A-Z]|(?:[A-Z]\.)+[A-Z])$"
)

# _ABBREVIATION_RE decides from this many characters before a full stop as well
# as from the whole paragraph: its longest word is four letters ("Sept") and an
# initialism ("U.S", "U.K.K") matches from its last three characters too.
ABBREVIATION_CHARS = 8
# A sentence is read back at most this far from a quote's opening mark.  No real
# sentence comes near it (the longest before a quote in 23,000 news and
# annotated articles is 1,208 characters, quotes included), but a flattened
# export or a run of stray marks can be one "sentence" of megabytes, and every
# quote in it would read all of it again.
SENTENCE_REACH = 2000


def _is_abbreviation(masked: str, lo: int, stop: int) -> bool:
    """Say whether the full stop at ``stop`` ends an abbreviation rather than a sentence."""
    return _ABBREVIATION_RE.search(masked, max(lo, stop - ABBREVIATION_CHARS), stop) is not None


class Narrative:
    """The masked text's sentence ends and reporting verbs, each found once.

    Looking for them afresh for each quote read the sentence or paragraph once
    per quote, so a paragraph of many quotes took quadratic time.
    """

    def __init__(self, masked: str, paragraphs: list[tuple[int, int]]) -> None:
        self._masked = masked
        self._paragraphs = paragraphs
        self._starts = [lo for lo, _ in paragraphs]
        self._ends: dict[int, list[int]] = {}  # by paragraph start
        # By paragraph number and whether participles count: cues, their starts and ends.
        self._cues: dict[tuple[int, bool], tuple[list[Cue], list[int], list[int]]] = {}

    def cues(self, start: int, end: int, *, participles: bool = True) -> list[Cue]:
        """Return the reporting verbs in ``masked[start:end]`` (within a paragraph), in order.

        Gives what ``find_cues(masked, start, end)`` gives when ``end`` is not
        inside a word (an opening mark, or the start of a cue).  Without
        ``participles``, verbs ending in "ing" are left out.
        """
        key = (max(0, bisect_right(self._starts, start) - 1), participles)
        if key not in self._cues:
            lo, hi = self._paragraphs[key[0]]
            found = find_cues(self._masked, lo, hi)
            if not participles:
                found = [cue for cue in found if not cue.word.endswith("ing")]
            self._cues[key] = (found, [c.start for c in found], [c.end for c in found])
        found, starts, ends = self._cues[key]
        first = bisect_left(starts, start)
        return found[first : max(first, bisect_right(ends, end))]

    def sentence_start(self, lo: int, pos: int) -> int:
        """Return where the sentence containing ``pos`` starts (not before ``lo``)."""
        ends = self._ends.get(lo)
        if ends is None:
            ends = self._ends[lo] = self._find_ends(lo)
        index = bisect_left(ends, pos)
        start = ends[index - 1] if index else lo
        if pos - start > SENTENCE_REACH:
            start = pos - SENTENCE_REACH
            space = self._masked.find(" ", start, pos)
            start = space + 1 if space >= 0 else start
        return start

    def _find_ends(self, lo: int) -> list[int]:
        masked = self._masked
        hi = masked.find("\n", lo)
        hi = len(masked) if hi < 0 else hi
        return [
            match.end()
            for match in _SENTENCE_END_RE.finditer(masked, lo, hi)
            if not _is_abbreviation(masked, lo, match.start())
        ]


def sentence_end(masked: str, pos: int, hi: int) -> int:
    """Return where the sentence containing ``pos`` ends (not after ``hi``)."""
    for match in _SENTENCE_END_RE.finditer(masked, pos, hi):
        if not _is_abbreviation(masked, pos, match.start()):
            return match.start() + 1
    return hi

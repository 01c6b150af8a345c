"""The narrative around the quotes: its sentences and its reporting verbs.

Everything here reads the *masked* text, where quoted words are blanked out
(:func:`searchkit.quotes.marks.mask_quotes`), so a verb or a full stop inside a
quote is never taken for the narrative's.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from searchkit.quotes.lexicon import CUE_BASE, CUE_PARTICIPLE, CUE_PAST, CUE_PRESENT

__all__ = ["CUE_PATTERN", "Cue", "Narrative", "find_cues", "sentence_breaks"]

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


# A sentence is read back at most this far from a quote's opening mark.  No real
# sentence comes near it (the longest before a quote in 23,000 news and
# annotated articles is 1,208 characters, quotes included), but a flattened
# export or a run of stray marks can be one "sentence" of megabytes, and every
# quote in it would read all of it again.
SENTENCE_REACH = 2000


class Narrative:
    """The masked text's sentence ends and reporting verbs, each found once.

    Looking for them afresh for each quote read the sentence or paragraph once
    per quote, so a paragraph of many quotes took quadratic time.
    """

    def __init__(
        self, masked: str, paragraphs: list[tuple[int, int]], breaks: list[tuple[int, int]]
    ) -> None:
        """Index ``masked``; ``breaks`` are its sentence breaks (:func:`sentence_breaks`)."""
        self._masked = masked
        self._paragraphs = paragraphs
        self._starts = [lo for lo, _ in paragraphs]
        self._break_ends = [end for end, _ in breaks]
        self._break_starts = [start for _, start in breaks]
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
        """Return where the sentence containing ``pos`` starts (not before ``lo``).

        A quote that opens a sentence belongs, for this, to the one before it.
        """
        index = bisect_left(self._break_starts, pos)
        start = max(lo, self._break_starts[index - 1]) if index else lo
        if pos - start > SENTENCE_REACH:
            start = pos - SENTENCE_REACH
            space = self._masked.find(" ", start, pos)
            start = space + 1 if space >= 0 else start
        return start

    def sentence_end(self, pos: int, hi: int) -> int:
        """Return where the sentence containing ``pos`` ends (not after ``hi``).

        From just after a quote that ends a sentence, that is the next sentence.
        """
        index = bisect_right(self._break_ends, pos)
        return min(hi, self._break_ends[index]) if index < len(self._break_ends) else hi


# A full stop after a lone capital ends an initial, not a sentence.
_INITIAL_RE = re.compile(r"(?:^|[^\w.])[A-Z]\.$")
_TERMINALS = frozenset(".!?…")
_CLOSERS = frozenset("”’\"')]»\x01")


def _closers(text: str, end: int) -> int:
    """Count the closing marks and brackets just before ``end`` (at most three)."""
    count = 0
    while count < 3 and end - 1 - count >= 0 and text[end - 1 - count] in _CLOSERS:
        count += 1
    return count


# Besides capitals, what a sentence of the narrative can start with.
_OPENERS = frozenset("0123456789“\"‘'«„([\x01")


def sentence_breaks(
    text: str, quoted: list[tuple[int, int]], sentences: Sequence[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """Return ``(end, next start)`` of each sentence break of ``text`` outside quotes.

    The sentences are the shared splitter's (:func:`searchkit.analysis.sentences.sentence_spans`,
    Punkt trained on news: "Mr. Smith" and "U.S. officials" stay whole).
    ``quoted`` gives each quote's opening and closing mark, in text order; a
    full stop inside a quote ends no sentence of the narrative, nor does one
    before anything but a capital, a digit or an opening mark ("“Why?” he
    asked", "Rep. Elijah Cummings (D-Md.), chair of …"). ``sentences`` are
    the splitter's spans of ``text`` when the caller has them already.
    """
    if sentences is None:
        from searchkit.analysis.sentences import sentence_spans  # loads NLTK: index time only

        sentences = sentence_spans(text)

    opens = [open_mark for open_mark, _ in quoted]

    def inside(pos: int) -> bool:
        """Say whether ``pos`` lies strictly between a quote's marks."""
        at = bisect_left(opens, pos) - 1
        return at >= 0 and pos < quoted[at][1]

    breaks: list[tuple[int, int]] = []
    for (_, end), (start, _) in pairwise(sentences):
        first = text[start]
        if text.find("\n", end, start) >= 0 or not (first.isupper() or first in _OPENERS):
            continue  # "(D-Md.), chair", "Ill. — Sen.", "“Why?” he asked": one sentence
        if inside(end - 1) or inside(start) or _INITIAL_RE.match(text, end - 3, end):
            continue  # in a quote, or "George W. Bush": Punkt splits after initials
        if text[end - 1 - _closers(text, end)] not in _TERMINALS:
            continue  # no full stop: where the splitter cut a line too long to read whole
        breaks.append((end, start))
    return breaks

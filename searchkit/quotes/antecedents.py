"""What the narrative around a name says about it as the antecedent of a he/she.

:class:`SentenceRuns` indexes the masked narrative (quoted words blanked): its
sentence ends and capitalised runs. Each test reads it at a run: is it a place
or addressee after a preposition, a name describing the one after it, a name
credited with speech in its sentence, a sentence's subject.
:class:`searchkit.quotes.speakers.SpeakerResolver` weighs them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from searchkit.quotes.lexicon import CUE_PAST, CUE_PRESENT
from searchkit.quotes.mentions import PARTICLE_PATTERN, ROLES_PATTERN, at_sentences, sentence_pieces

__all__ = [
    "PRONOUN_REACH",
    "PRONOUN_SENTENCES",
    "SentenceRuns",
    "after_preposition",
    "credited",
    "modifies_name",
    "opens_as_subject",
]

# A pronoun looks back at most this many sentences, and characters, for its antecedent.
PRONOUN_SENTENCES = 4
PRONOUN_REACH = 1200
# Capitalised runs, cut afterwards at full stops that end a sentence (a single
# alternation with every title in it costs more than the rest of extraction).
_CANDIDATE_RE = re.compile(
    rf"(?<![\w’'.])[A-Z][\w’'\-]*\.?"
    rf"(?:[ \xa0]+(?:{PARTICLE_PATTERN}[ \xa0]+)?[A-Z][\w’'\-]*\.?){{0,4}}"
)
_NO_WORDS: frozenset[str] = frozenset()
_LINE_BREAKS_RE = re.compile(r"\n+")

_CUES = "|".join((*CUE_PAST, *CUE_PRESENT))
# A name followed by role words and another name only describes that name
# ("McConnell spokesman Don Stewart"); not through a verb ("Brown accused shadow
# chancellor Oliver Letwin").
_MODIFIES_NAME_RE = re.compile(
    rf"[’']?s?[ \xa0]+(?:(?![a-z]+ed\b|(?:{_CUES})\b)[a-z][\w\-]*[ \xa0]+){{0,3}}?"
    rf"(?:{ROLES_PATTERN})[ \xa0]+[A-Z]"
)
_AFTER_PREPOSITION_RE = re.compile(
    r"\b(?:in|at|from|to|near|across|into|outside|inside|throughout|toward|towards)[ \xa0]+$"
)
# A name credited with speech in its sentence: "…, Stovall said.", "…, Kennedy has
# said.", "…, argued Tony Blair." (not "said Trump continued to …").
_CREDITED_AFTER_RE = re.compile(
    rf"[ \xa0]+(?:(?:has|had|have|also|later|then)[ \xa0]+)?(?:{_CUES})\b(?![ \xa0]+to\b)"
)
_CREDITED_BEFORE_RE = re.compile(rf"\b(?:{_CUES})[ \xa0]+$")
_CLAUSE_END_RE = re.compile(r"[ \xa0]*(?:[,.;:!?]|$)")
# A line broken after a word or comma: hard-wrapped text, not a new sentence.
_WRAPPED_RE = re.compile(r"[\w,;][ \xa0]*\n[ \t\xa0]*$")
# A run that can be a sentence's subject: not "The Scot", not "Mr Brown's Budget" (the
# possessor of a run's last word is its subject often enough: "Tuttle's article … He").
_SUBJECT_RUN_RE = re.compile(r"(?!(?:The|A|An|This|That|These|Those)\b)(?!.*[’']s?[ \xa0]).*")


class SentenceRuns:
    """The narrative's sentence ends and capitalised runs, found once, read by position."""

    def __init__(self, narrative: str, sentence_starts: Sequence[int]) -> None:
        """Index ``narrative``: its sentences end at ``sentence_starts`` and at line breaks."""
        lines = [match.end() for match in _LINE_BREAKS_RE.finditer(narrative)]
        self._ends = sorted({*lines, *sentence_starts})
        runs: list[tuple[int, str]] = []
        for match in _CANDIDATE_RE.finditer(narrative):
            run = match.group()
            if "." in run:
                pieces = sentence_pieces([(match.start(), run, _NO_WORDS)])
                runs.extend(
                    (start, piece.rstrip("."))
                    for start, piece in at_sentences(pieces, sentence_starts)
                )
            else:
                runs.append((match.start(), run))
        self._runs = runs
        self._starts = [start for start, _ in runs]

    def between(self, lo: int, hi: int) -> tuple[list[int], list[tuple[int, str]]]:
        """Return the sentence ends and the capitalised runs in ``narrative[lo:hi]``."""
        ends = self._ends[bisect_left(self._ends, lo) : bisect_right(self._ends, hi)]
        runs = self._runs[bisect_left(self._starts, lo) : bisect_left(self._starts, hi)]
        return ends, runs


def after_preposition(narrative: str, start: int) -> bool:
    """Say whether the run at ``start`` follows a preposition: a place or addressee ("to Kevin")."""
    return _AFTER_PREPOSITION_RE.search(narrative, max(0, start - 12), start) is not None


def modifies_name(narrative: str, end: int) -> bool:
    """Say whether the name ending at ``end`` only describes the one after its role."""
    return _MODIFIES_NAME_RE.match(narrative, end) is not None


def credited(narrative: str, start: int, run: str) -> bool:
    """Say whether the name ``run`` at ``start`` is credited with speech ("Stovall said")."""
    end = start + len(run)
    if _CREDITED_AFTER_RE.match(narrative, end):
        return True
    return bool(
        _CREDITED_BEFORE_RE.search(narrative, max(0, start - 20), start)
        and _CLAUSE_END_RE.match(narrative, end)
    )


def opens_as_subject(narrative: str, start: int, run: str) -> bool:
    """Say whether the name ``run``, at a sentence's start, is that sentence's subject.

    Not "The Scot" (a description) nor "Mr Brown's Budget"; and in hard-wrapped
    text a line break ("ahead of\\nHoward's trip") starts no sentence.
    """
    return _SUBJECT_RUN_RE.fullmatch(run) is not None and not _WRAPPED_RE.search(
        narrative, max(0, start - 4), start
    )

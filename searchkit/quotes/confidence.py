"""How far to trust an attribution: the measured share of right names per rule.

Each constant is the share of the names a rule shows that name the speaker,
measured by ``benchmarks/quotes_eval.py`` on news it was not tuned on (PolNeAR,
each outlet scored with the rates of the other six; the lowest of the seven,
rounded down). A rule right less than 95 % of the time is capped below 0.9, so
0.9 and above means "right 19 times in 20".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from searchkit.quotes.mentions import Mention

__all__ = [
    "CONFIDENCE_AFTER",
    "CONFIDENCE_INHERITED",
    "CONFIDENCE_INTRO",
    "CONFIDENCE_PARTIAL",
    "CONFIDENCE_PRONOUN",
    "CONFIDENCE_RULES",
    "CONFIDENCE_TERM",
    "CONFIDENCE_TURN",
    "CONFIDENCE_UNATTRIBUTED",
    "CONFIDENCE_UNNAMED",
    "confidence",
]

CONFIDENCE_AFTER = 0.96  # "“…,” Mr Kang said." / "said Mr Kang"
CONFIDENCE_PARTIAL = 0.89  # a fragment in Mr Kang's reported sentence
CONFIDENCE_INHERITED = 0.89  # goes on from a neighbouring quote by Mr Kang
CONFIDENCE_INTRO = 0.88  # "Mr Kang said: “…”"
CONFIDENCE_PRONOUN = 0.76  # "he said", "he" resolved to Mr Kang
CONFIDENCE_TURN = 0.67  # a bare line in a two-person exchange (novels: no news case)
CONFIDENCE_CONTINUED = 0.8  # a quote left open goes on in the next paragraph
CONFIDENCE_ADDRESSED = 0.61  # the answer to a line that named its addressee
CONFIDENCE_EXCHANGE = 0.62  # "she said" in an exchange: the participant of that gender
CONFIDENCE_BEAT = 0.64  # a bare line after its speaker's action: "Janey paled. “…”"
CONFIDENCE_NARRATOR = 0.63  # "I said": what the others call a first-person narrator
CONFIDENCE_UNNAMED = 0.4  # a description or a pronoun left unresolved: no name shown
CONFIDENCE_TERM = 0.5
CONFIDENCE_UNATTRIBUTED = 0.3
#: The rule behind each confidence a named speaker can carry (for the benchmark).
CONFIDENCE_RULES = {
    CONFIDENCE_AFTER: "after",
    CONFIDENCE_PARTIAL: "partial or inherited",
    CONFIDENCE_INTRO: "intro",
    CONFIDENCE_PRONOUN: "pronoun",
    CONFIDENCE_TURN: "turn",
    CONFIDENCE_CONTINUED: "continued",
    CONFIDENCE_ADDRESSED: "addressed",
    CONFIDENCE_EXCHANGE: "exchange",
    CONFIDENCE_NARRATOR: "narrator",
    CONFIDENCE_BEAT: "beat",
}

# The dialogue rules (searchkit.quotes.dialogue), whatever mention they copy.
_DIALOGUE = {
    "continued": CONFIDENCE_CONTINUED,
    "addressed": CONFIDENCE_ADDRESSED,
    "exchange": CONFIDENCE_EXCHANGE,
    "narrator": CONFIDENCE_NARRATOR,
    "beat": CONFIDENCE_BEAT,
}


def confidence(how: str, mention: Mention, unnamed: bool) -> float:
    """Return the measured confidence of the rule ``how`` for a mention of its kind."""
    if unnamed:
        return CONFIDENCE_UNNAMED
    if how in _DIALOGUE:
        return _DIALOGUE[how]
    if mention.kind == "pronoun":
        return CONFIDENCE_PRONOUN
    return {
        "after": CONFIDENCE_AFTER,
        "intro": CONFIDENCE_INTRO,
        "partial": CONFIDENCE_PARTIAL,
        "turn": CONFIDENCE_TURN,
    }.get(how, CONFIDENCE_INHERITED)

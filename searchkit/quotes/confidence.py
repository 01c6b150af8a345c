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
    "CONFIDENCE_LEAD",
    "CONFIDENCE_PARTIAL",
    "CONFIDENCE_PRONOUN",
    "CONFIDENCE_RULES",
    "CONFIDENCE_SUBJECT",
    "CONFIDENCE_TERM",
    "CONFIDENCE_TURN",
    "CONFIDENCE_UNATTRIBUTED",
    "CONFIDENCE_UNNAMED",
    "IN_DIALOGUE",
    "confidence",
    "rule_of",
]

CONFIDENCE_AFTER = 0.96  # "“…,” Mr Kang said." / "said Mr Kang"
CONFIDENCE_PARTIAL = 0.89  # a fragment in Mr Kang's reported sentence
CONFIDENCE_SUBJECT = 0.82  # a fragment where Mr Kang is the subject, no reporting verb
CONFIDENCE_INHERITED = 0.89  # goes on from a neighbouring quote by Mr Kang
# A quote paragraph after "Mr Kang praised the plan.": 4 of 4 right, too few to
# measure, so set below the rules with a cue of their own.
CONFIDENCE_LEAD = 0.78
CONFIDENCE_INTRO = 0.88  # "Mr Kang said: “…”"
CONFIDENCE_PRONOUN = 0.79  # "he said", "he" resolved to Mr Kang
CONFIDENCE_TURN = 0.67  # a bare line in a two-person exchange (novels: no news case)
CONFIDENCE_UNNAMED = 0.4  # a description or a pronoun left unresolved: no name shown
CONFIDENCE_TERM = 0.5
CONFIDENCE_UNATTRIBUTED = 0.3
#: The rule behind each confidence a named speaker can carry (for the benchmark).
CONFIDENCE_RULES = {
    CONFIDENCE_AFTER: "after",
    CONFIDENCE_PARTIAL: "partial or inherited",
    CONFIDENCE_SUBJECT: "subject, no verb",
    CONFIDENCE_INTRO: "intro",
    CONFIDENCE_PRONOUN: "pronoun",
    CONFIDENCE_TURN: "turn",
    CONFIDENCE_LEAD: "lead",
}

# The dialogue rules (searchkit.quotes.dialogue): they apply in dialogue only.
_DIALOGUE_ONLY = frozenset({"continued", "addressed", "exchange", "narrator", "beat"})
_NEWS_RULES = {
    "after": CONFIDENCE_AFTER,
    "intro": CONFIDENCE_INTRO,
    "partial": CONFIDENCE_PARTIAL,
    "turn": CONFIDENCE_TURN,
    "pronoun": CONFIDENCE_PRONOUN,
    "inherited": CONFIDENCE_INHERITED,
    "subject": CONFIDENCE_SUBJECT,
    "lead": CONFIDENCE_LEAD,
}
#: Each rule's confidence in text that reads as dialogue (fiction), where the
#: same rules are right less often: measured on the novels, each scored with the
#: rates of the other five (the lowest of the six, rounded down; under 95 %
#: capped below 0.9).
IN_DIALOGUE = {
    "after": 0.885,  # held-out 0.919-0.964: under 95 %, so below 0.9
    "intro": 0.82,
    "partial": 0.81,
    "beat": 0.73,  # "Janey paled. “…”": who acts before a bare line speaks it
    "turn": 0.71,  # a bare line: the speaker two lines back
    "addressed": 0.77,  # the answer to a line that named its addressee
    "narrator": 0.8,  # "I said": one first-person novel (0.841 pooled), no held-out rate
    "pronoun": 0.66,  # held-out 0.661-0.762 (0.6 before bare lines alternated)
    "exchange": 0.57,  # "she said" in an exchange: the participant of that gender
    "inherited": 0.805,  # held-out 0.808-0.880 (0.49 before odd lines went to the other party)
    "continued": 0.48,  # a quote left open goes on in the next paragraph: too rare to measure
    "subject": 0.81,  # a fragment with no reporting verb: not measured apart, as "partial"
}
CONFIDENCE_RULES.update({value: f"{rule} (dialogue)" for rule, value in IN_DIALOGUE.items()})


def rule_of(how: str, mention: Mention, cue: str | None = "") -> str:
    """Name the rule whose measured rate applies: the attribution's, or "pronoun".

    A fragment credited with no reporting verb (``how`` "partial", ``cue``
    None) is the sentence subject's, by a weaker rule than one with a verb.
    """
    if how in _DIALOGUE_ONLY or how == "turn":
        return how  # judged by the exchange, whoever the line two back was
    if mention.kind == "pronoun":
        return "pronoun"
    if how == "partial" and cue is None:
        return "subject"
    return how if how in _NEWS_RULES else "inherited"


def confidence(
    how: str, mention: Mention, unnamed: bool, cue: str | None = "", *, dialogue: bool = False
) -> float:
    """Return the measured confidence of the rule ``how`` for a mention of its kind.

    ``dialogue`` says the text reads as dialogue, where the rates measured on
    novels apply (:data:`IN_DIALOGUE`).
    """
    if unnamed:
        return CONFIDENCE_UNNAMED
    rule = rule_of(how, mention, cue)
    return (IN_DIALOGUE if dialogue or rule in _DIALOGUE_ONLY else _NEWS_RULES)[rule]

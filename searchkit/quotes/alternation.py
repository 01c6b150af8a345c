"""Alternation: in a dialogue, give each quote its rate measured on fiction, and take
from a quote the speaker of a neighbour it answers.

:func:`searchkit.quotes.continuation.inherit` carries a speaker on over bare
paragraphs, as news writes them; in an exchange between two people the lines
alternate instead. Runs after it, on text that reads as dialogue only
(:func:`searchkit.quotes.dialogue.resolve_dialogue` says which).
"""

from __future__ import annotations

from searchkit.quotes.confidence import CONFIDENCE_UNATTRIBUTED, confidence
from searchkit.quotes.dialogue import Dialogue
from searchkit.quotes.marks import Span
from searchkit.quotes.participants import Who, among, who_of

__all__ = ["recalibrate"]


def recalibrate(spans: list[Span], dialogue: Dialogue) -> None:
    """Give every attributed quote of a dialogue its rule's rate measured on fiction.

    A quote credited by a neighbour to the one it addresses ("“Mr. Darcy, you
    …”" after Darcy's line) loses that speaker: the one spoken to is not the
    one speaking. So does a quote that inherited the speaker of a line an odd
    number of paragraphs before it (:func:`_other_partys_line`) in an
    exchange between two named people, or anywhere in a text of
    :data:`FICTION_BARE_LINES` bare lines or more: it is the other party's,
    the speaker of the line before that one when that is known.
    """
    addressed = dialogue.addressed
    credited: dict[int, Span] = {}  # by mention: the latest quote a rule of its own credited
    named: dict[int, Span] = {}  # by paragraph: its latest quote shown with a name
    for span in spans:
        if span.speaker is None:
            continue
        if span.how != "inherited":
            credited[id(span.speaker)] = span
        else:
            source = credited.get(id(span.speaker))
            if source is not None and _other_partys_line(span, source, dialogue):
                _unattribute(span)
                before = source.paragraph - 1
                if before in dialogue.lines:
                    _answer(span, source, named.get(before), addressed.get(id(span), []))
        who = who_of(span.name, span.speaker, span.unnamed)
        if who is not None and span.how not in _CUED and among(who, addressed.get(id(span), [])):
            _unattribute(span)
        if span.speaker is None:
            continue
        span.confidence = confidence(span.how, span.speaker, span.unnamed, dialogue=True)
        if not span.unnamed:
            named[span.paragraph] = span


def _other_partys_line(span: Span, source: Span, dialogue: Dialogue) -> bool:
    """Say whether a quote that inherited its speaker stands where the other party speaks.

    News carries a speaker on over bare paragraphs, and so does
    :func:`searchkit.quotes.continuation.inherit`; in an exchange between two
    people the lines alternate, so a line one, three or five paragraphs after
    a closed quote of X's is the other party's, while two or four after it
    may be X's again.
    """
    if not source.closed or source.paragraph >= span.paragraph:
        return False  # a quote left open runs on into the next paragraph
    if source.paragraph not in dialogue.exchanges or span.paragraph not in dialogue.exchanges:
        return False  # one person's lines, as news quotes an interview: they run on
    return (span.paragraph - source.paragraph) % 2 == 1


def _answer(span: Span, source: Span, before: Span | None, addressed: list[Who]) -> None:
    """Credit ``span`` to the speaker of the line ``before`` its source, if another person."""
    if before is None or before.speaker is None:
        return
    other = who_of(before.name, before.speaker, before.unnamed)
    if other is None or other.same(who_of(source.name, source.speaker, source.unnamed)):
        return
    if among(other, addressed):
        return  # the one the line speaks to is not its speaker
    span.speaker, span.name, span.unnamed = before.speaker, before.name, before.unnamed
    span.how = "turn"


def _unattribute(span: Span) -> None:
    """Take the speaker off a quote."""
    span.speaker, span.name, span.unnamed, span.cue = None, None, False, None
    span.how, span.confidence = "", CONFIDENCE_UNATTRIBUTED


# Rules that read the quote's own cue: what they name stands.
_CUED = frozenset({"after", "intro", "partial"})

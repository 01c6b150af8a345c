"""Quotes with no attribution of their own: the speaker goes on from a neighbour.

A quote takes the speaker of an earlier quote in its paragraph, of the quote
that follows it with only punctuation between, of the previous paragraph (its
last quote, or a "X said:" lead-in), or, in a two-person exchange of one line
each, the other party's.
"""

from __future__ import annotations

from searchkit.quotes.attribution import Found, assign, cue_subject, intro_before
from searchkit.quotes.confidence import confidence
from searchkit.quotes.marks import WORD_RE, Span
from searchkit.quotes.mentions import mention_at_start
from searchkit.quotes.narrative import Narrative
from searchkit.quotes.speakers import SpeakerResolver

__all__ = ["inherit"]


def inherit(
    masked: str,
    spans: list[Span],
    index: int,
    paragraphs: list[tuple[int, int]],
    resolver: SpeakerResolver,
    narrative: Narrative,
    spoken: Span | None,
    *,
    lead_ins: bool = True,
) -> None:
    """Continue a speaker from a neighbouring quote in the same or previous paragraph.

    ``spoken`` is the latest earlier quote of the paragraph that has a speaker.
    With ``lead_ins`` (news, not dialogue), a paragraph that is only a quote also
    takes the named subject of a reporting verb ending the paragraph before.
    """
    span = spans[index]
    source = spoken
    if source is None and index + 1 < len(spans):
        nxt = spans[index + 1]
        if nxt.paragraph == span.paragraph and nxt.speaker is not None and not span.closed:
            source = nxt
        elif nxt.paragraph == span.paragraph and nxt.speaker is not None and span.closed:
            source = nxt if _only_quotes_between(masked, span, nxt) else None
    how = "inherited"
    if source is None and _starts_paragraph(masked, span, paragraphs):
        source = _previous_paragraph_speaker(
            spans, index, masked, paragraphs, resolver, narrative, lead_ins
        )
        partner = _turn_partner(spans, index, masked, paragraphs, source)
        if partner is not None:
            source, how = partner, "turn"
        elif source is not None and source.how == "lead":
            how = "lead"
    if source is None and not span.closed and index + 1 < len(spans):
        # A quote left open at a paragraph's end runs on into the next paragraph,
        # whose piece may carry the attribution ("“A …\n\n“… B,” she said.").
        nxt = spans[index + 1]
        if nxt.paragraph == span.paragraph + 1 and _starts_paragraph(masked, nxt, paragraphs):
            source = nxt if nxt.speaker is not None else None
    if source is not None and source.speaker is not None:
        span.speaker, span.name, span.unnamed = source.speaker, source.name, source.unnamed
        span.cue, span.how = source.cue, how
        span.confidence = confidence(how, source.speaker, source.unnamed)


def _turn_partner(
    spans: list[Span],
    index: int,
    masked: str,
    paragraphs: list[tuple[int, int]],
    previous: Span | None,
) -> Span | None:
    """Return the other party when a bare line answers a two-person exchange.

    Lines of dialogue, each a paragraph opening with its quote, alternate: after
    Y's line and X's line, a line with no attribution is Y's, not X's again.
    """
    span = spans[index]
    if previous is None or previous.paragraph != span.paragraph - 1:
        return None
    if not _starts_paragraph(masked, previous, paragraphs):
        return None
    for other in map(spans.__getitem__, range(index - 1, -1, -1)):
        if other.paragraph == span.paragraph - 1:
            if other is not previous and other.name != previous.name:
                return None  # two speakers in the line before: no simple exchange
            continue
        if other.paragraph == span.paragraph - 2 and other.speaker is not None:
            if other.name == previous.name:
                return None
            return other if _starts_paragraph(masked, other, paragraphs) else None
        return None
    return None


def _only_quotes_between(masked: str, first: Span, second: Span) -> bool:
    """Say whether only punctuation separates two quotes."""
    gap = masked[first.close_mark + 1 : second.open_mark]
    return not WORD_RE.search(gap)


def _starts_paragraph(masked: str, span: Span, paragraphs: list[tuple[int, int]]) -> bool:
    """Say whether the quote opens its paragraph."""
    lo, _ = paragraphs[span.paragraph]
    # Backwards from the mark: only the dashes and spaces just before it are read,
    # never the paragraph's earlier quotes.
    pos = span.open_mark
    while pos > lo and masked[pos - 1] in " \xa0\t—–-":
        pos -= 1
    return pos == lo


def _previous_paragraph_speaker(
    spans: list[Span],
    index: int,
    masked: str,
    paragraphs: list[tuple[int, int]],
    resolver: SpeakerResolver,
    narrative: Narrative,
    lead_ins: bool,
) -> Span | None:
    """Find who speaks in the paragraph before: its last quote, or a "X said:" lead-in."""
    span = spans[index]
    if span.paragraph == 0:
        return None
    lo, hi = paragraphs[span.paragraph - 1]
    # Indexes rather than reversed(spans[:index]), which copied every earlier quote.
    quoted = False
    for other in map(spans.__getitem__, range(index - 1, -1, -1)):
        if other.paragraph == span.paragraph - 1:
            tail = masked[(other.close_mark + 1 if other.closed else other.end) : hi]
            if other.speaker is not None and (not tail.strip() or other.how == "after"):
                return other
            quoted = True
            break
        if other.paragraph < span.paragraph - 1:
            break
    lead = masked[lo:hi].rstrip()
    intro = Span(hi, hi, hi, hi, False, span.paragraph - 1)
    how = "intro"
    if not lead.endswith((":", ",")):
        # "… and, turning to Elizabeth, said," leads in as a colon does; a
        # sentence that reports a named person ("Valastro praised Christie.")
        # leads in a paragraph that is only a quote.
        if quoted or not lead_ins:
            return None
        found, how = _reported_lead(masked, span, (lo, hi), paragraphs, narrative), "lead"
    else:
        found = intro_before(masked, intro, lo, narrative)
        if found is None and lead.endswith(":"):
            start = narrative.sentence_start(lo, hi)
            mention = mention_at_start(masked, start)
            found = (mention, ":", "intro") if mention is not None else None
    if found is None:
        return None
    assign(intro, found[0], found[1], how, resolver)
    return intro


def _reported_lead(
    masked: str,
    span: Span,
    previous: tuple[int, int],
    paragraphs: list[tuple[int, int]],
    narrative: Narrative,
) -> Found | None:
    """Return the named subject of a reporting verb ending the paragraph before a bare quote.

    Only for a quote that is its whole paragraph, after a paragraph with no quotes.
    """
    lo, hi = previous
    if not span.closed or masked[span.close_mark + 1 : paragraphs[span.paragraph][1]].strip():
        return None
    start = narrative.sentence_start(lo, hi)
    cues = narrative.cues(start, hi)
    if not cues:
        return None
    found = cue_subject(masked, start, cues[-1], "lead", narrative)
    return found if found is not None and found[0].kind == "name" else None

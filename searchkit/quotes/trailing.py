"""The trailing-clause rule: "“…,” Mr Kang said.", "“…,” said Mr Kang.", "“…,” according to X".

Like the rules of :mod:`searchkit.quotes.attribution`, it reads the masked
narrative and returns the speaker's mention, the reporting verb and the rule's
name ("after"), or None.
"""

from __future__ import annotations

import re

from searchkit.quotes.attribution import Found, agent_of, embedded_in_sentence
from searchkit.quotes.lexicon import ADDRESSEE_CUES
from searchkit.quotes.marks import Span
from searchkit.quotes.mentions import mention_after, mention_at_start, role_apposition
from searchkit.quotes.narrative import CUE_PATTERN, Narrative

__all__ = ["after_quote"]

# How far after the closing mark an attribution may end.
AFTER_WINDOW = 400
_ADVERBS = (
    r"(?:(?:also|later|then|recently|previously|once|has|had|have|would|will|"
    r"earlier|further|simply|again|first|finally|now|still|just|did|even|[a-z]+ly)[ \xa0]+)*"
)
# "“…,” Mr Kang said." / "“…,” said Mr Kang." / "“…,” according to X."
_AFTER_INVERTED_RE = re.compile(rf"[ \xa0]*[,—–-]?[ \xa0]*{_ADVERBS}({CUE_PATTERN})\b")
_AFTER_SUBJECT_RE = re.compile(
    rf"[ \xa0]*[,—–-]?[ \xa0]*(?P<np>[^,.;:!?“”\"]{{1,80}}?)"
    rf"(?:,(?P<app>[^.;!?“”\"]{{0,250}}?),)?[ \xa0]+{_ADVERBS}(?P<cue>{CUE_PATTERN})\b"
)
# The same with a title's or a party's full stops: "Rep. Earl Blumenauer (D-Ore.) said",
# "Rep. Glenn Thompson, R-Pa., said" (the window is one sentence already).
_AFTER_TITLED_SUBJECT_RE = re.compile(
    rf"[ \xa0]*[,—–-]?[ \xa0]*(?P<np>[^,;:!?“”\"()]{{1,80}}?)(?:[ \xa0]*\([^()]{{1,40}}\))?"
    rf"(?:,[^;!?“”\"]{{0,250}}?,)?[ \xa0]+{_ADVERBS}(?P<cue>{CUE_PATTERN})\b"
    # "… Ohio Gov. John Kasich said he would …": a new statement, not this quote's speaker.
    r"(?![ \xa0]+(?:he|she|they|it|that|we|I|the|a|an)\b)"
)
_AFTER_TAIL_RE = re.compile(
    rf",[ \xa0]+([^,\x01]{{1,80}}?)[ \xa0]+{_ADVERBS}({CUE_PATTERN})\b[^,\x01]{{0,40}}$"
)
_AFTER_TAIL_INVERTED_RE = re.compile(rf",[ \xa0]+{_ADVERBS}({CUE_PATTERN})\b(?<!ing)")
# "“Go back,” Trump barked": any past-tense verb right after a name or he/she.
_UNLISTED_VERB_RE = re.compile(r"[ \xa0]+(?:[a-z]{3,}ed|shot[ \xa0]+back|hit[ \xa0]+back)\b")
# "“We will win,” reacted Trump.": the verb first, then a name that ends the clause.
_UNLISTED_INVERTED_RE = re.compile(r"[ \xa0]*(?:[a-z]+ly[ \xa0]+)?([a-z]{3,}ed)[ \xa0]+(?=[A-Z])")
_ENDS_CLAUSE_RE = re.compile(r"[ \xa0]*(?:[.,;!?]|$)")
# A verb followed by a colon introduces the quote after it, not the one before.
_LEADS_IN_RE = re.compile(r"[ \xa0]*:")
# After a quote that ends a sentence, the attribution clause must be this short,
# or open the sentence within this many words.
CLOSED_AFTER_MAX_WORDS = 8
_FIRST_WORDS_RE = re.compile(rf"\s*(?:\S+\s+){{{CLOSED_AFTER_MAX_WORDS - 1}}}\S+")


def after_quote(
    masked: str,
    span: Span,
    spans: list[Span],
    index: int,
    lo: int,
    hi: int,
    narrative: Narrative,
) -> Found | None:
    """Match "“…,” Mr Kang said." and "“…,” said Mr Kang." after the closing mark."""
    pos = span.close_mark + 1 if span.closed else span.end
    limit = min(hi, pos + AFTER_WINDOW)
    if index + 1 < len(spans) and spans[index + 1].paragraph == span.paragraph:
        limit = min(limit, spans[index + 1].open_mark)
    end = narrative.sentence_end(pos, limit)
    window = masked[pos:end]
    ends_sentence = masked[pos - 1 : pos] == "."  # the masked quote ended a sentence
    if ends_sentence:
        if span.how or embedded_in_sentence(masked, span, (lo, hi)):
            return None
        if len(window.split()) > CLOSED_AFTER_MAX_WORDS:
            # "“This is fantastic!” beamed Donald Hartley of Madison, who …": only
            # an attribution that opens the sentence, within its first words.
            head = _FIRST_WORDS_RE.match(window)
            window = window[: head.end()] if head else window
    inverted = _AFTER_INVERTED_RE.match(window)
    if inverted and inverted.group(1) in ADDRESSEE_CUES:
        inverted = None
    if inverted and not inverted.group(1).endswith("ing"):
        word = inverted.group(1)
        mention = mention_after(window, inverted.end(), pos)
        if mention is not None:
            if word.startswith("according"):
                return agent_of(masked, mention), "according to", "after"
            return mention, word, "after"
        return None
    for regex in (_AFTER_SUBJECT_RE, _AFTER_TITLED_SUBJECT_RE):
        subject = regex.match(window)
        if subject:
            if ends_sentence and _LEADS_IN_RE.match(window, subject.end()):
                return None  # "“… at night?” On immigration, X said: “…”": the next quote's
            mention = mention_at_start(window, subject.start("np"), pos, subject.end("np"))
            if regex is _AFTER_SUBJECT_RE and subject.group("app") is not None:
                # "“…,” his wife, Jane Smith, said.": the name after the role.
                named = role_apposition(window, subject.end("app"), pos)
                mention = named or mention
            if mention is not None:
                return mention, subject.group("cue"), "after"
    tail = _AFTER_TAIL_RE.search(window)
    if tail:
        if ends_sentence and _LEADS_IN_RE.match(window, tail.end(2)):
            return None
        mention = mention_at_start(window, tail.start(1), pos, tail.end(1))
        if mention is not None:
            return mention, tail.group(2), "after"
    inverted = _AFTER_TAIL_INVERTED_RE.search(window)
    if inverted and inverted.group(1) not in ADDRESSEE_CUES:
        mention = mention_after(window, inverted.end(), pos)
        if mention is not None and mention.kind != "pronoun":
            return mention, inverted.group(1), "after"
    return _after_unlisted_verb(window, pos)


def _after_unlisted_verb(window: str, pos: int) -> Found | None:
    """Match "“…,” Trump barked." and "“…,” reacted Trump." (a verb not in the cue lexicon)."""
    inverted = _UNLISTED_INVERTED_RE.match(window)
    if inverted is not None:
        mention = mention_after(window, inverted.end(), pos)
        if (
            mention is not None
            and mention.kind == "name"
            and _ENDS_CLAUSE_RE.match(window, mention.end - pos)
        ):
            return mention, inverted.group(1), "after"
        return None
    lead = len(window) - len(window.lstrip(" \xa0,—–-"))
    mention = mention_at_start(window, lead, pos)
    if mention is None or mention.kind == "description" or mention.start != pos + lead:
        return None
    if mention.text.lower() in {"it", "who"}:
        return None
    verb = _UNLISTED_VERB_RE.match(window, mention.end - pos)
    if verb is None:
        return None
    return mention, verb.group().strip(), "after"

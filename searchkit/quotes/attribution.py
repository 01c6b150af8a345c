"""Attribution rules: who a quote belongs to, from the words around it.

Each rule reads the masked narrative (:mod:`searchkit.quotes.narrative`) and
returns the speaker's mention, the reporting verb and the rule's name, or None:

- :func:`intro_before`: a lead-in, "X said: “…”", "He added, “…”";
- :func:`searchkit.quotes.trailing.after_quote`: a trailing clause, "“…,” X said";
- :func:`embedded`: a fragment in a reported sentence, "X called it “a disgrace”".
"""

from __future__ import annotations

import re

from searchkit.quotes.confidence import confidence
from searchkit.quotes.lexicon import NAMING_CUES
from searchkit.quotes.marks import Span
from searchkit.quotes.mentions import (
    Mention,
    mention_after,
    mention_at_start,
    mention_before,
)
from searchkit.quotes.names import names_person
from searchkit.quotes.narrative import CUE_PATTERN, Cue, Narrative
from searchkit.quotes.speakers import SpeakerResolver

__all__ = [
    "Found",
    "agent_of",
    "assign",
    "cue_subject",
    "embedded",
    "embedded_in_sentence",
    "intro_before",
]

# A reporting verb this far before the opening mark still introduces it.
INTRO_TAIL_MAX = 80


def assign(
    span: Span, mention: Mention, cue: str | None, how: str, resolver: SpeakerResolver
) -> None:
    """Record an attribution on ``span``, resolving the mention to a name."""
    name, unnamed = resolver.resolve(mention)
    span.speaker, span.name, span.unnamed = mention, name, unnamed
    span.cue, span.how = cue, how
    span.confidence = confidence(how, mention, unnamed, cue)


Found = tuple[Mention, str | None, str]
# Datelines ("NEW YORK - ") and discourse words that come before a sentence's subject.
_LEADING_WORDS_RE = re.compile(
    # "NEW YORK - ", "LONDON, March 3 (Reuters) - ", "PHILADELPHIA, July 25 (UPI) — "
    r"(?:[A-Z][A-Z .,'’]+(?:,[ \xa0]+[A-Z][a-z]+\.?[ \xa0]+\d{1,2})?"
    r"(?:[ \xa0]*\([A-Za-z .]{1,20}\))?[ \xa0]+[-–—][ \xa0]+)?"
    r"(?:(?:But|And|So|Yet|Then|Still|Also|Meanwhile|However|Instead|Later|Now|"
    r"Earlier|Finally|Indeed|Separately|Asked|Previously)\b,?[ \xa0]+)*"
)
# How many opening phrases to skip when looking for a sentence's subject.
SUBJECT_MAX_COMMAS = 3
_VERB_AFTER_SUBJECT_RE = re.compile(
    r"(?:[ \xa0]*\([^()]{0,40}\))?"  # "Rep. Hakeem Jeffries (D-N.Y.) reacted"
    r"[ \xa0]+(?!(?:and|or|of|in|on|at|for|to|with|the|a|an)\b)[a-z]+\b"
)
_COLON_INTRO_RE = re.compile(r"[:,][ \xa0]*$")
# "Hillary shot back, “…" / "Cruz continued: “…": subject, a few words, then : or ,.
SHORT_INTRO_WORDS = 6


def intro_before(masked: str, span: Span, lo: int, narrative: Narrative) -> Found | None:
    """Match "X said: “…”", "He added, “…”" and "according to X, “…”"."""
    start = narrative.sentence_start(lo, span.open_mark)
    before = masked[start : span.open_mark]
    if not before.strip():
        return None
    cues = narrative.cues(start, span.open_mark)
    if cues:
        cue = cues[-1]
        tail = masked[cue.end : span.open_mark].rstrip()
        ends_intro = tail.endswith((",", ":")) or not tail
        inner = tail[:-1] if tail else tail
        if len(tail) <= INTRO_TAIL_MAX and ends_intro and not re.search(r"[,\x01]", inner):
            found = cue_subject(masked, start, cue, "intro", narrative)
            if found is not None:
                return found
    if _PARTICIPLE_INTRO_RE.fullmatch(before.strip()):
        return None  # "Adding, “…”": the speaker goes on from the quote before
    if _COLON_INTRO_RE.search(before):
        # "Trump issued a statement, “…”", "After Brown spoke, Hillary shot back, “…”":
        # the name before a verb the cue lexicon lacks.
        unlisted = _STATEMENT_END_RE.search(before) or _UNLISTED_INTRO_RE.search(before)
        if unlisted is not None:
            mention = mention_before(masked, start + unlisted.start(), start)
            if mention is not None and mention.kind == "name":
                return mention, unlisted.group(1), "intro"
        words = before.split()
        if before.rstrip().endswith(":") or len(words) <= SHORT_INTRO_WORDS:
            colon = start + len(before.rstrip()) - 1
            mention = mention_before(masked, colon, start)
            if mention is None or mention.kind != "name":
                mention = _sentence_subject(masked, start, span.open_mark)
            if mention is not None:
                return mention, before.rstrip()[-1], "intro"
    return None


# A lead-in that is only a participle: "Adding, “…”", "Continuing:".
_PARTICIPLE_INTRO_RE = re.compile(r"[A-Z][a-z]+ing[ \xa0]*[,:]")
# A lead-in that ends with what was issued: "… issued a statement, “…”".
_STATEMENT_END_RE = re.compile(
    r"[ \xa0]+(?:[a-z]+ly[ \xa0]+)?([a-z]{3,}ed|put[ \xa0]+out|sent|wrote)[ \xa0]+"
    r"(?:a|an|the|this)[ \xa0]+(?:[a-z]+[ \xa0]+)?"
    r"(?:statement|tweet|post|message|letter|release|response)[ \xa0]*[,:][ \xa0]*$"
)
# A name, then a verb not in the cue lexicon, then the lead-in's comma or colon:
# "Hillary shot back, “…”", "Trump fired back:".
_UNLISTED_INTRO_RE = re.compile(
    r"(?<=[A-Za-z])[ \xa0]+(?:[a-z]+ly[ \xa0]+)?((?:[a-z]{3,}ed|shot|hit|struck|fought)"
    r"(?:[ \xa0]+(?:back|out|up))?)[ \xa0]*[,:][ \xa0]*$"
)


def _sentence_subject(masked: str, start: int, end: int) -> Mention | None:
    """Return the mention that opens the sentence, skipping "But", "In 2015, " and the like."""
    lead = _LEADING_WORDS_RE.match(masked, start, end)
    pos = lead.end() if lead else start
    opening = mention_at_start(masked, pos, 0, end)
    if opening is not None and (
        opening.kind != "description" or not masked.startswith(",", opening.end)
    ):
        return opening
    # An opening phrase ("In Iowa on Monday, ...", "A few days later, ...") ends at a
    # comma; the subject follows it and is itself followed by a lower-case verb.
    for _ in range(SUBJECT_MAX_COMMAS):
        comma = masked.find(", ", pos, end)
        if comma < 0:
            break
        pos = comma + 2
        mention = mention_at_start(masked, pos, 0, end)
        if mention is not None and mention.kind != "description":
            verb = _VERB_AFTER_SUBJECT_RE.match(masked, mention.end, end)
            if verb is not None:
                return mention
    return opening


def cue_subject(masked: str, start: int, cue: Cue, how: str, narrative: Narrative) -> Found | None:
    """Find who the reporting verb ``cue`` (in a sentence from ``start``) belongs to."""
    word = cue.word
    if word.startswith("according"):
        mention = mention_after(masked, cue.end, 0)
        mention = agent_of(masked, mention) if mention else None
        return (mention, "according to", how) if mention else None
    lead = masked[start : cue.start].rstrip()
    if word.endswith("ing") and not lead.endswith(",") and not _GERUND_LEAD_RE.search(lead):
        # "Trump is questioning whether …": wire copy's present progressive.
        progressive = _PROGRESSIVE_RE.search(masked, max(start, cue.start - 8), cue.start)
        mention = mention_before(masked, progressive.start() if progressive else cue.start, start)
        if mention is not None and (
            progressive
            or mention.kind != "description"
            or _ABSOLUTE_RE.search(masked, max(start, mention.start - 8), mention.start)
        ):
            # "…, with Clinton saying", "with a UN agency calling": the participle's own
            # subject; any other description is rather its object ("showed them the
            # way saying").
            return mention, word, how
    if word.endswith("ing"):
        # A participle ("…, adding that …") shares the main clause's subject.
        earlier = narrative.cues(start, cue.start, participles=False)
        if earlier:
            found = cue_subject(masked, start, earlier[-1], how, narrative)
            return (found[0], word, how) if found else None
        mention = _sentence_subject(masked, start, cue.start)
        return (mention, word, how) if mention else None
    if _COORDINATED_RE.search(masked, max(start, cue.start - COORDINATED_CHARS), cue.start):
        mention = _sentence_subject(masked, start, cue.start)
    else:
        mention = mention_before(masked, cue.start, start)
        if (
            mention is not None
            and mention.kind == "name"
            and not names_person(mention.text)
            and (
                _OBJECT_LEAD_RE.search(masked, max(start, mention.start - 12), mention.start)
                # "Stacy Baker of Columbia, South Carolina says": a place's state
                or (
                    " " in mention.text
                    and _PLACE_LEAD_RE.search(masked, max(start, mention.start - 40), mention.start)
                )
            )
        ):
            # "Sam Lau, the director for the Iowa Democratic Party said": a place or a
            # body after a preposition is no speaker; a person's name opening the
            # sentence is, else no name.
            subject = _sentence_subject(masked, start, cue.start)
            fits = subject is not None and subject.kind == "name" and names_person(subject.text)
            mention = subject if fits and subject.start < mention.start else None  # type: ignore[union-attr]
    return (mention, word, how) if mention else None


# A name after these is the object of a preposition ("of The Nation", "for the Iowa
# Democratic Party"), not who speaks.
_OBJECT_LEAD_RE = re.compile(r"\b(?:of|for|at|from|in|with|on|by)[ \xa0]+(?:(?i:the)[ \xa0]+)?$")
_PLACE_LEAD_RE = re.compile(r"\b(?:of|from|in)[ \xa0]+[A-Z][\w\-]*,[ \xa0]+$")


_PROGRESSIVE_RE = re.compile(r"\b(?:is|was)[ \xa0]+$")
# What a document was issued by: "a statement (released) by X".
_BY_AGENT_RE = re.compile(
    r"(?:[ \xa0]+(?:filed|released|issued|written|signed|published|posted|sent))?[ \xa0]+by[ \xa0]+"
)
# "with a UN agency calling for “…”": an absolute construction names its own subject.
_ABSOLUTE_RE = re.compile(r"\bwith[ \xa0]+$")
# "Obama ended his speech by saying “…”": the gerund's subject is the sentence's.
_GERUND_LEAD_RE = re.compile(r"\b(?:by|after|before|while|when|without)$")
# "He laughed and said": the verb shares the subject of the first one.
_COORDINATED_RE = re.compile(r"\b(?:and|but|then)[ \xa0]+(?:[a-z]+ly[ \xa0]+)?$")
# "and" and an adverb fit in this many characters before the verb; reading only
# them keeps the test from rereading the sentence for every verb in it.
COORDINATED_CHARS = 64


def agent_of(masked: str, mention: Mention) -> Mention:
    """Return who issued a document: "a court document filed by Dave Aronberg" is his."""
    if mention.kind != "description":
        return mention
    agent = _BY_AGENT_RE.match(masked, mention.end)
    named = mention_at_start(masked, agent.end()) if agent else None
    return named if named is not None and named.kind == "name" else mention


# A full stop between a naming verb and the quote: the verb named something else.
_SENTENCE_END_RE = re.compile(r"[.!?][ \xa0\x01]")
# How many of a sentence's reporting verbs, nearest first, may introduce a quote in it.
EMBEDDED_MAX_CUES = 5


def embedded(masked: str, span: Span, lo: int, narrative: Narrative) -> Found | None:
    """Attribute a fragment quoted inside a reported sentence to that sentence's subject."""
    start = narrative.sentence_start(lo, span.open_mark)
    # Only the verbs nearest the quote can introduce it (no more than five are
    # tried in the news and annotated corpora); a sentence of hundreds of cue
    # words would otherwise cost that many attempts per quote.
    for cue in reversed(narrative.cues(start, span.open_mark)[-EMBEDDED_MAX_CUES:]):
        if cue.word in NAMING_CUES and _SENTENCE_END_RE.search(masked, cue.end, span.open_mark):
            continue  # "a super PAC called Future45. “So they …”": it names what it names
        found = cue_subject(masked, start, cue, "partial", narrative)
        if found is not None:
            return found
    if embedded_in_sentence(masked, span, (lo, 0)):
        mention = _sentence_subject(masked, start, span.open_mark)
        if mention is not None and mention.text.lower() not in {"it", "who"}:
            if mention.kind != "name" or _acts(masked, mention, span.open_mark):
                return mention, None, "partial"
            span.how = "fragment"  # a fragment of a sentence whose speaker is not in it
    return None


# With no reporting verb, a name is the quote's speaker only as the subject of a
# verb: "Cruz blamed the law on “…”", "Sanders has long pushed “…”" — not
# "Former US secretary Albright", "Under Florida law", "Given Sanders’ success".
_SUBJECT_VERB_RE = re.compile(
    r"(?:\.[ \xa0]+[A-Z][\w’'\-]*)?"  # "Jill A. Martin": the mention stopped at the initial
    r"(?:[ \xa0]*\([^()]{0,40}\))?"  # "Paul Ryan (R-Wis.)"
    r"(?:,[^,;:!?\x01]{1,150},)?"  # "Howard Dean, the former governor of Vermont,"
    r"(?:[ \xa0]+(?:also|then|however|himself|herself|once|still|just|even|never|not|"
    r"already|again|later|earlier|often|too|[a-z]+ly|(?:on|last|this)[ \xa0]+[A-Z]\w+))*"
    r"[ \xa0]+(?:[a-z]+ed|[a-z]{2,}[^s\W]s|has|had|have|is|was|were|are|will|would|can|"
    r"could|should|may|might|must|did|does|do|made|thought|found|went|took|gave|"
    r"saw|felt|spoke|wants|got|began|kept|put|set|left|led|held|sought|brought|won|"
    rf"lost|ran|hit|came|became|knew|meant|stood|paid|sent|spent|built|drew|chose|{CUE_PATTERN})\b"
)


def _acts(masked: str, mention: Mention, end: int) -> bool:
    """Say whether a name opening a sentence is followed by its verb (not a noun it modifies)."""
    if masked[mention.end : mention.end + 1] in ("’", "'"):
        return False  # "Sanders’ campaign", "Romney’s “…”": a possessive, not the subject
    return _SUBJECT_VERB_RE.match(masked, mention.end, end) is not None


def embedded_in_sentence(masked: str, span: Span, paragraph: tuple[int, int]) -> bool:
    """Say whether the quote continues a sentence rather than opening one."""
    lo = max(paragraph[0], 0)
    pos = span.open_mark
    while pos > lo and masked[pos - 1] in " \xa0":
        pos -= 1
    return pos > lo and masked[pos - 1] not in ".!?:,\x01—–-"

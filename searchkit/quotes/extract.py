"""Extract direct quotes, their speakers and reporting verbs from article text.

``extract_quotes`` is pure: it takes article text and returns :class:`Quote`
records whose offsets point into that text. It never raises on any ``str``.

The pipeline, one module per stage: :mod:`~searchkit.quotes.marks` pairs the
quotation marks of each paragraph into spans (a quote never spans a line break;
an unclosed quote stops at its paragraph's end) and masks them;
:mod:`~searchkit.quotes.narrative` finds the sentences and reporting verbs of
what is left. Each quote is then attributed by the
first rule that fits: a lead-in ("X said: “…”"), a trailing clause ("“…,” X
said" / "said X"), a reporting verb earlier in the sentence (a *partial* quote),
a neighbouring quote by the same speaker, the previous paragraph, or the other
party of a two-person exchange. Pronouns resolve to a person of their gender
(:mod:`searchkit.quotes.speakers`); ``confidence`` is the rule's measured share of right
names (:mod:`searchkit.quotes.confidence`). ``kind`` is
``"speech"``, ``"partial"`` (a fragment inside a reported sentence) or ``"term"``
(a scare quote or title: short, unattributed, or in title case).

>>> [q.speaker for q in extract_quotes('“We will win,” Mr Kang said.')]
['Kang']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields

from searchkit.quotes.alternation import recalibrate
from searchkit.quotes.attribution import assign, embedded, embedded_in_sentence, intro_before
from searchkit.quotes.confidence import CONFIDENCE_TERM, CONFIDENCE_UNATTRIBUTED
from searchkit.quotes.continuation import inherit
from searchkit.quotes.dialogue import resolve_dialogue
from searchkit.quotes.lexicon import ROLES
from searchkit.quotes.marks import (
    TERMINAL_RE,
    WORD_RE,
    Span,
    find_spans,
    has_marks,
    mask_quotes,
    split_paragraphs,
)
from searchkit.quotes.mentions import Mention
from searchkit.quotes.names import strip_honorifics
from searchkit.quotes.narrative import Narrative, sentence_breaks
from searchkit.quotes.plausible import plausible_speaker, repaired, without_organisation
from searchkit.quotes.speakers import SpeakerResolver
from searchkit.quotes.trailing import after_quote

__all__ = ["Quote", "extract_quotes"]


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted span of an article, with its attribution when one was found."""

    text: str  # without the marks; article_text[start:end] == text
    start: int
    end: int
    speaker: str | None = None  # full name as first written, or the description
    speaker_start: int | None = None  # the mention that attributes the quote
    speaker_end: int | None = None
    cue: str | None = None  # reporting verb: "said", "told", "according to", ...
    kind: str = "speech"  # "speech" | "partial" | "term"
    confidence: float = 0.0  # in [0, 1]
    unnamed: bool = False  # the speaker is a description or pronoun, not a name

    def to_dict(self) -> dict[str, object]:
        """Return the quote as a JSON-ready dict."""
        # Field by field: dataclasses.asdict deep-copies each value, a third of
        # the time to index an article of 100,000 short quotes.
        return {name: getattr(self, name) for name in _QUOTE_FIELDS}


_QUOTE_FIELDS = tuple(f.name for f in fields(Quote))

# Unattributed quotes this short that are not sentences are scare quotes or titles.
TERM_MAX_WORDS = 5
# A title-case quote after a possessive, preposition or article names a show or book.
_TITLE_LEAD_RE = re.compile(
    r"(?:[’']s?|\b(?:on|in|of|to|at|from|with|for|the|a|an|its|his|her|their))[ \xa0]*$",
    re.IGNORECASE,
)
# "the Dutchman", "the Frenchwoman": a kind of person, not a name.
_A_MAN_RE = re.compile(r"[a-z](?:wo)?man$")
# "the Conservative MP": a determiner just before a capitalised role.
_DETERMINER_BEFORE_RE = re.compile(r"\b(?:the|a|an|another)[ \xa0]+$", re.IGNORECASE)
# "the so-called “smart wall”": a scare quote, whatever the sentence around it.
_SCARE_LEAD_RE = re.compile(r"\bso[- \xa0]called[ \xa0]*$", re.IGNORECASE)
# Title-case quotes up to this long, not introduced as speech, are titles and names.
TITLE_MAX_WORDS = 12


def extract_quotes(text: str, sentences: Sequence[tuple[int, int]] | None = None) -> list[Quote]:
    """Return the quotes in ``text`` sorted by start offset.

    ``sentences`` are ``text``'s sentence spans from
    :func:`searchkit.analysis.sentences.sentence_spans`, for a caller that has
    them already (the index stores them for snippets); else they are found here.
    """
    if not isinstance(text, str):
        return []
    if not has_marks(text):
        return []
    return _extract(text, sentences)


def _extract(text: str, sentences: Sequence[tuple[int, int]] | None) -> list[Quote]:
    """Find spans paragraph by paragraph, then attribute them in reading order."""
    spans: list[Span] = []
    paragraphs = split_paragraphs(text)
    for index, (start, end) in enumerate(paragraphs):
        spans.extend(find_spans(text, start, end, index))
    if not spans:
        return []
    masked = mask_quotes(text, spans)
    breaks = sentence_breaks(text, [(s.open_mark, s.close_mark) for s in spans], sentences)
    resolver = SpeakerResolver(text, masked, [start for _, start in breaks])
    _attribute(text, masked, spans, paragraphs, resolver, breaks)
    return [_to_quote(text, span) for span in spans]


def _attribute(
    text: str,
    masked: str,
    spans: list[Span],
    paragraphs: list[tuple[int, int]],
    resolver: SpeakerResolver,
    breaks: list[tuple[int, int]],
) -> None:
    """Give each span a speaker, cue and kind, in reading order."""
    narrative = Narrative(masked, paragraphs, breaks)
    for index, span in enumerate(spans):
        lo, hi = paragraphs[span.paragraph]
        body = text[span.start : span.end]
        # "“…,” he said" puts the attribution after; "He said: “…”" puts it before.
        if body.endswith((",", "?", "!", "—", "–", "-")):
            found = after_quote(masked, span, spans, index, lo, hi, narrative)
            found = found or intro_before(masked, span, lo, narrative)
        else:
            found = intro_before(masked, span, lo, narrative)
            found = found or after_quote(masked, span, spans, index, lo, hi, narrative)
        found = found or embedded(masked, span, lo, narrative)
        if found is not None:
            mention, cue, how = found
            assign(span, mention, cue, how, resolver)
    dialogue = resolve_dialogue(text, masked, spans, paragraphs, resolver)
    spoken: Span | None = None  # the latest quote with a speaker in the current paragraph
    for index, span in enumerate(spans):
        if spoken is not None and spoken.paragraph != span.paragraph:
            spoken = None
        if span.speaker is None:
            inherit(
                masked,
                spans,
                index,
                paragraphs,
                resolver,
                narrative,
                spoken,
                lead_ins=dialogue is None,
            )
        if span.speaker is not None:
            spoken = span
    if dialogue is not None:
        recalibrate(spans, dialogue)
    for span in spans:
        span.kind = _kind(text, masked, span, paragraphs[span.paragraph], narrative)
        if span.kind == "term":
            span.speaker, span.name, span.cue, span.unnamed = None, None, None, False
        elif span.speaker is not None:
            _describe_a_role(text, span)
            _drop_junk_speaker(text, span)


def _describe_a_role(text: str, span: Span) -> None:
    """Make "the Conservative MP said", "the Dutchman said" unnamed descriptions, not names."""
    mention = span.speaker
    assert mention is not None
    if span.unnamed or mention.kind != "name":
        return
    last = mention.text.split()[-1].strip(".,")
    if last.lower() not in ROLES and not _A_MAN_RE.search(last):
        return
    determiner = _DETERMINER_BEFORE_RE.search(text, max(0, mention.start - 10), mention.start)
    if determiner is None:
        return
    described = text[determiner.start() : mention.end]
    span.speaker = Mention(described, determiner.start(), mention.end, "description")
    span.name, span.unnamed = described, True


def _drop_junk_speaker(text: str, span: Span) -> None:
    """Clear a speaker that reads as no one's name, or fall back to the mention as written.

    Run last, once every rule has run and the kind is known: a junk speaker
    still kept its quote from inheriting a neighbour's (a guess).
    """
    assert span.speaker is not None
    if plausible_speaker(span.name or "", span.unnamed, span.speaker, text):
        return
    written = strip_honorifics(span.speaker.text)
    if span.speaker.kind == "pronoun":
        written = repaired(without_organisation(span.name or ""))  # "Trump University"
    elif written == span.name:
        written = repaired(written)  # "There's Pooh" is Pooh
    if (
        not span.unnamed
        and written != span.name
        and plausible_speaker(written, False, span.speaker, text)
    ):
        span.name = written  # "Obama" expanded to a headline's "Obama Just Let Something"
        return
    span.speaker, span.name, span.cue, span.unnamed = None, None, None, False
    span.confidence = CONFIDENCE_UNATTRIBUTED


def _kind(
    text: str, masked: str, span: Span, paragraph: tuple[int, int], narrative: Narrative
) -> str:
    """Classify as speech, partial (a fragment in a reported sentence) or term."""
    body = text[span.start : span.end]
    words = WORD_RE.findall(body)
    sentence_like = bool(TERMINAL_RE.search(body)) or len(words) > TERM_MAX_WORDS * 2
    title_case = any(w[:1].isupper() for w in words) and all(
        w[:1].isupper() or len(w) <= 3 for w in words
    )
    named_thing = bool(_TITLE_LEAD_RE.search(masked, max(0, span.open_mark - 20), span.open_mark))
    if _SCARE_LEAD_RE.search(masked, max(0, span.open_mark - 12), span.open_mark):
        span.confidence = CONFIDENCE_TERM
        return "term"
    if (
        title_case
        and (named_thing or span.how not in ("intro", "after"))
        and len(words) <= TITLE_MAX_WORDS
    ):
        span.confidence = CONFIDENCE_TERM
        return "term"
    if span.how in ("partial", "fragment") and len(words) < 2:
        span.confidence = CONFIDENCE_TERM
        return "term"
    if span.cue == "," and not sentence_like and len(words) <= TERM_MAX_WORDS:
        # "In Spanish and Portuguese, “agua” means …": a word or phrase shown, not
        # said: a comma after a name, with no reporting verb, introduces no speech
        # (nor do the quotes after it that took its speaker).
        span.confidence = CONFIDENCE_TERM
        return "term"
    if span.how == "partial":
        return "partial" if embedded_in_sentence(masked, span, paragraph) else "speech"
    if span.how == "fragment":
        return "partial"
    if span.speaker is not None:
        return "speech"
    if len(words) >= 2 and not title_case and _reported(masked, span, paragraph, narrative):
        return "partial"  # "the plan was “a disaster,” aides said": whoever said it
    if len(words) <= TERM_MAX_WORDS and (not sentence_like or title_case):
        span.confidence = CONFIDENCE_TERM
        return "term"
    return "speech"


def _reported(masked: str, span: Span, paragraph: tuple[int, int], narrative: Narrative) -> bool:
    """Say whether the quote continues a sentence that has a reporting verb."""
    if not embedded_in_sentence(masked, span, paragraph):
        return False
    start = narrative.sentence_start(paragraph[0], span.open_mark)
    end = narrative.sentence_end(span.open_mark, paragraph[1])
    return bool(narrative.cues(start, end))


def _to_quote(text: str, span: Span) -> Quote:
    """Freeze a span into a public :class:`Quote`."""
    mention = span.speaker
    return Quote(
        text=text[span.start : span.end],
        start=span.start,
        end=span.end,
        speaker=span.name if mention else None,
        speaker_start=mention.start if mention else None,
        speaker_end=mention.end if mention else None,
        cue=span.cue if mention else None,
        kind=span.kind,
        confidence=span.confidence,
        unnamed=span.unnamed if mention else False,
    )

"""Extract direct quotes, their speakers and reporting verbs from article text.

``extract_quotes`` is pure: it takes article text and returns :class:`Quote`
records whose offsets point into that text. It never raises on any ``str``.

Quotes are found paragraph by paragraph (a quote never spans a line break; an
unclosed quote stops at its paragraph's end). Each is then attributed by the
first rule that fits: a lead-in ("X said: “…”"), a trailing clause ("“…,” X
said" / "said X"), a reporting verb earlier in the sentence (a *partial* quote),
a neighbouring quote by the same speaker, the previous paragraph, or the other
party of a two-person exchange. Pronouns resolve to a person of their gender
(:mod:`searchkit.quotes.speakers`); ``confidence`` is the rule's measured share of right
names (see ``CONFIDENCE_AFTER`` and its neighbours). ``kind`` is
``"speech"``, ``"partial"`` (a fragment inside a reported sentence) or ``"term"``
(a scare quote or title: short, unattributed, or in title case).

>>> [q.speaker for q in extract_quotes('“We will win,” Mr Kang said.')]
['Kang']
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, fields

from searchkit.quotes.speakers import (
    Mention,
    SpeakerResolver,
    fold_name,
    mention_after,
    mention_at_start,
    mention_before,
)

__all__ = ["Quote", "extract_quotes", "fold_name"]


def _split_words(words: str) -> list[str]:
    """Split a whitespace-separated word list written as a text block."""
    return words.split()


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


# Confidence by the rule that found the speaker: the share of the names each
# rule shows that name the speaker, measured by benchmarks/quotes_eval.py on
# news it was not tuned on (PolNeAR, each outlet scored with the rates of the
# other six; the lowest of the seven, rounded down). A rule right less than 95 %
# of the time is capped below 0.9, so 0.9 and above means "right 19 times in 20".
CONFIDENCE_AFTER = 0.96  # "“…,” Mr Kang said." / "said Mr Kang"
CONFIDENCE_PARTIAL = 0.89  # a fragment in Mr Kang's reported sentence
CONFIDENCE_INHERITED = 0.89  # goes on from a neighbouring quote by Mr Kang
CONFIDENCE_INTRO = 0.88  # "Mr Kang said: “…”"
CONFIDENCE_PRONOUN = 0.76  # "he said", "he" resolved to Mr Kang
CONFIDENCE_TURN = 0.67  # a bare line in a two-person exchange (novels: no news case)
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
}
# Unattributed quotes this short that are not sentences are scare quotes or titles.
TERM_MAX_WORDS = 5
# A title-case quote after a possessive, preposition or article names a show or book.
_TITLE_LEAD_RE = re.compile(
    r"(?:[’']s?|\b(?:on|in|of|to|at|from|with|for|the|a|an|its|his|her|their))[ \xa0]*$",
    re.IGNORECASE,
)
# Title-case quotes up to this long, not introduced as speech, are titles and names.
TITLE_MAX_WORDS = 12
# A reporting verb this far before the opening mark still introduces it.
INTRO_TAIL_MAX = 80
# How far after the closing mark an attribution may end.
AFTER_WINDOW = 400

# Reporting verbs as inflected forms. Bare "-s" forms that double as plural nouns
# ("claims", "calls", "points") and most base forms are left out on purpose.
_CUE_PAST = _split_words(
    """
said told wrote added asked explained noted continued tweeted stated declared
replied responded argued insisted warned claimed recalled remarked admitted
acknowledged concluded observed suggested countered complained announced posted
reported predicted promised vowed pledged urged joked quipped boasted conceded
confirmed denied emphasised emphasized stressed asserted alleged contended
maintained mentioned testified commented described called recounted lamented
questioned cautioned demanded pleaded agreed hinted proclaimed snapped blasted
slammed criticised criticized praised reflected speculated advised assured informed
reiterated repeated interjected exclaimed shouted yelled chanted whispered wondered
mused retorted scoffed laughed sighed cried offered reasoned recommended opined
intoned thundered fumed raged gushed marveled marvelled bragged gloated concurred
revealed disclosed dubbed labeled labelled termed branded accused thanked apologized
apologised preached begged implored lectured teased mocked cheered texted emailed
pressed answered
"""
)
_CUE_PRESENT = _split_words(
    """
says tells writes adds asks explains notes continues tweets declares replies
responds argues insists warns claims recalls admits acknowledges concludes observes
suggests complains announces predicts urges concedes confirms denies emphasizes
emphasises stresses asserts alleges contends maintains testifies recounts laments
cautions pleads agrees proclaims slams praises speculates advises assures informs
reiterates repeats exclaims shouts yells whispers wonders muses retorts scoffs sighs
cries recommends opines intones fumes gushes marvels brags gloats reveals discloses
accuses preaches begs mocks presses reads answers
"""
)
_CUE_PARTICIPLE = _split_words(
    """
saying telling writing adding asking explaining noting continuing tweeting stating
declaring replying responding arguing insisting warning claiming recalling remarking
admitting acknowledging concluding observing suggesting countering complaining
announcing posting reporting predicting promising vowing pledging urging joking
quipping boasting conceding confirming denying emphasizing emphasising stressing
asserting alleging charging contending maintaining mentioning testifying commenting
describing calling recounting lamenting questioning cautioning demanding pleading
agreeing hinting proclaiming blasting slamming criticizing criticising praising
reflecting speculating advising assuring informing reiterating repeating exclaiming
shouting yelling chanting whispering wondering musing retorting scoffing offering
reasoning recommending opining accusing thanking preaching begging mocking cheering
pressing dubbing labeling labelling branding
"""
)
_CUE_BASE = ["say", "tell", "write", "ask", "add"]
# Verbs whose object is the one spoken to or about: the name after "told" is the
# addressee ("…,” she told Kevin; told POLITICO), never an inverted speaker.
_ADDRESSEE_CUES = frozenset(
    _split_words(
        """
told tells tell informed informs assured assures thanked urged urges accused accuses
lectured begged begs implored pressed presses teased mocked mocks praised praises
criticised criticized slammed slams blasted
"""
    )
)
_CUE_WORDS = sorted(
    {*_CUE_PAST, *_CUE_PRESENT, *_CUE_PARTICIPLE, *_CUE_BASE}, key=len, reverse=True
)
_CUE = rf"(?:according[ \xa0]+to|{'|'.join(_CUE_WORDS)})"
# "so-called" is never a reporting verb.
_CUE_SET = frozenset(_CUE_WORDS)
# Scanning lower-case words and looking them up is far faster than one big alternation.
_LOWER_WORD_RE = re.compile(r"(?<![\w\-])[a-z]+\b")
_ACCORDING_TO_RE = re.compile(r"[ \xa0]+to\b")


@dataclass(frozen=True, slots=True)
class _Cue:
    """A reporting verb found in the narrative."""

    start: int
    end: int
    word: str


def _find_cues(masked: str, start: int, end: int) -> list[_Cue]:
    """Return the reporting verbs in ``masked[start:end]``, in order."""
    cues: list[_Cue] = []
    for match in _LOWER_WORD_RE.finditer(masked, start, end):
        word = match.group()
        if word in _CUE_SET:
            if masked[max(0, match.start() - 3) : match.start()] in ("so-", "so "):
                continue  # "so-called" is never a reporting verb
            cues.append(_Cue(match.start(), match.end(), word))
        elif word == "according":
            to = _ACCORDING_TO_RE.match(masked, match.end(), end)
            if to is not None:
                cues.append(_Cue(match.start(), to.end(), "according to"))
    return cues


_ADVERBS = (
    r"(?:(?:also|later|then|recently|previously|once|has|had|have|would|will|"
    r"earlier|further|simply|again|first|finally|now|still|just|did|even|[a-z]+ly)[ \xa0]+)*"
)
# "“…,” Mr Kang said." / "“…,” said Mr Kang." / "“…,” according to X."
_AFTER_INVERTED_RE = re.compile(rf"[ \xa0]*[,—–-]?[ \xa0]*{_ADVERBS}({_CUE})\b")
_AFTER_SUBJECT_RE = re.compile(
    rf"[ \xa0]*[,—–-]?[ \xa0]*(?P<np>[^,.;:!?“”\"]{{1,80}}?)"
    rf"(?:,[^.;!?“”\"]{{0,250}}?,)?[ \xa0]+{_ADVERBS}(?P<cue>{_CUE})\b"
)
_SENTENCE_END_RE = re.compile(r"[.!?]['\"”’)]*[ \xa0]+(?=[A-Z“\"‘\x01])")
_ABBREVIATION_RE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|St|Jr|Sr|Lt|Gen|Col|Prof|No|Vol|vs|Inc|Co|Corp"
    r"|Ltd|Jan|Feb|Aug|Sept|Oct|Nov|Dec)|\b[A-Z]|(?:[A-Z]\.)+[A-Z])$"
)
_MARK_RE = re.compile(r"[“”\"„«»]")
# Only a single mark at a word start can open a quote; "don’t" and "China’s" cannot.
_SINGLE_OPEN_RE = re.compile(r"(?<![^\s(\[—–])[‘']")
_TERMINAL_RE = re.compile(r"[.!?…]['\"”’)]*$")
_WORD_RE = re.compile(r"[\w’'\-]+")


@dataclass(slots=True)
class _Span:
    """A quote found in a paragraph before attribution."""

    start: int
    end: int
    open_mark: int
    close_mark: int  # index of the closing mark, or ``end`` when unclosed
    closed: bool
    paragraph: int
    speaker: Mention | None = None
    name: str | None = None
    unnamed: bool = False
    cue: str | None = None
    kind: str = "speech"
    confidence: float = CONFIDENCE_UNATTRIBUTED
    how: str = ""


def extract_quotes(text: str) -> list[Quote]:
    """Return the quotes in ``text`` sorted by start offset."""
    if not isinstance(text, str):
        return []
    if not _MARK_RE.search(text) and not _SINGLE_OPEN_RE.search(text):
        return []
    return _extract(text)


def _extract(text: str) -> list[Quote]:
    """Find spans paragraph by paragraph, then attribute them in reading order."""
    spans: list[_Span] = []
    paragraphs = _paragraphs(text)
    for index, (start, end) in enumerate(paragraphs):
        spans.extend(_find_spans(text, start, end, index))
    if not spans:
        return []
    masked = _mask(text, spans)
    resolver = SpeakerResolver(text, masked)
    _attribute(text, masked, spans, paragraphs, resolver)
    return [_to_quote(text, span) for span in spans]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each non-empty line."""
    bounds: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            bounds.append((pos, end))
        pos = end + 1
    return bounds


def _is_opening(text: str, i: int, lo: int, hi: int) -> bool | None:
    """Say whether the straight mark at ``i`` opens (True), closes (False) or is unclear."""
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    opens = before.isspace() or before in "([{—–-/:;,\x01“‘"
    closes = after.isspace() or after in ".,;:!?)]}—–-…'’”"
    if opens and not closes:
        return True
    if closes and not opens:
        return False
    return None


def _find_spans(text: str, lo: int, hi: int, paragraph: int) -> list[_Span]:
    """Pair double quote marks inside one paragraph; single marks only at top level."""
    spans: list[_Span] = []
    open_at = -1
    skip_to = -1
    for match in _MARK_RE.finditer(text, lo, hi):
        i, mark = match.start(), match.group()
        if i <= skip_to:
            continue
        if i > lo and text[i - 1] == "=" and open_at < 0:
            skip_to = text.find(mark, i + 1, hi)  # a markup attribute, not a quote
            skip_to = hi if skip_to < 0 else skip_to
            continue
        role = _is_opening(text, i, lo, hi)
        if mark != '"' and (role is None or open_at < 0):
            # Trust a curly mark's direction unless it sits inside an open quote
            # and its neighbours say otherwise ("fascist?“ he asked").
            role = mark in "“„«"
        if open_at < 0:
            if role is not False:
                open_at = i
            continue
        if role is True and mark != '"':
            # A fresh curly opening inside an open quote: the earlier one was never closed.
            spans.extend(_make_span(text, open_at, i, False, paragraph))
            open_at = i
            continue
        spans.extend(_make_span(text, open_at, i, True, paragraph))
        open_at = -1
    if open_at >= 0:
        spans.extend(_make_span(text, open_at, hi, False, paragraph))
    if not spans and _SINGLE_OPEN_RE.search(text, lo, hi):
        spans.extend(_single_spans(text, lo, hi, paragraph))
    return spans


# An opening single mark at a word start: after a space, bracket or dash, or at the start.
_SINGLE_RE = re.compile(r"(?<![^\s(\[—–])[‘']([A-Z][^‘’'\n]{0,300}?[^\s‘’'])[’'](?!\w)")


def _single_spans(text: str, lo: int, hi: int, paragraph: int) -> list[_Span]:
    """Find ‘single-quoted’ spans in a paragraph that has no double marks."""
    spans: list[_Span] = []
    for match in _SINGLE_RE.finditer(text, lo, hi):
        inner = match.group(1)
        if inner[-1] == "s" and not _TERMINAL_RE.search(inner) and " " not in inner:
            continue  # plural possessive such as the 1990s’
        spans.extend(_make_span(text, match.start(), match.end() - 1, True, paragraph))
    return spans


def _make_span(text: str, open_mark: int, close: int, closed: bool, paragraph: int) -> list[_Span]:
    """Build a span between marks, trimming whitespace; empty quotes yield nothing."""
    start, end = open_mark + 1, close
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return []
    return [_Span(start, end, open_mark, close if closed else end, closed, paragraph)]


def _mask(text: str, spans: list[_Span]) -> str:
    """Blank out quoted text so cue and name patterns only see the narrative."""
    pieces: list[str] = []
    pos = 0
    for span in spans:
        stop = span.close_mark + 1 if span.closed else span.end
        pieces.append(text[pos : span.open_mark])
        inner = stop - span.open_mark
        terminal = "." if _TERMINAL_RE.search(text[span.start : span.end]) else "\x01"
        pieces.append("\x01" * (inner - 1) + terminal)
        pos = stop
    pieces.append(text[pos:])
    return "".join(pieces)


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


class _Narrative:
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
        self._cues: dict[tuple[int, bool], tuple[list[_Cue], list[int], list[int]]] = {}

    def cues(self, start: int, end: int, *, participles: bool = True) -> list[_Cue]:
        """Return the reporting verbs in ``masked[start:end]`` (within a paragraph), in order.

        Gives what ``_find_cues(masked, start, end)`` gives when ``end`` is not
        inside a word (an opening mark, or the start of a cue).  Without
        ``participles``, verbs ending in "ing" are left out.
        """
        key = (max(0, bisect_right(self._starts, start) - 1), participles)
        if key not in self._cues:
            lo, hi = self._paragraphs[key[0]]
            found = _find_cues(self._masked, lo, hi)
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


def _sentence_end(masked: str, pos: int, hi: int) -> int:
    """Return where the sentence containing ``pos`` ends (not after ``hi``)."""
    for match in _SENTENCE_END_RE.finditer(masked, pos, hi):
        if not _is_abbreviation(masked, pos, match.start()):
            return match.start() + 1
    return hi


def _attribute(
    text: str,
    masked: str,
    spans: list[_Span],
    paragraphs: list[tuple[int, int]],
    resolver: SpeakerResolver,
) -> None:
    """Give each span a speaker, cue and kind, in reading order."""
    narrative = _Narrative(masked, paragraphs)
    for index, span in enumerate(spans):
        lo, hi = paragraphs[span.paragraph]
        body = text[span.start : span.end]
        # "“…,” he said" puts the attribution after; "He said: “…”" puts it before.
        if body.endswith((",", "?", "!", "—", "–", "-")):
            found = _after(masked, span, spans, index, lo, hi) or _intro_before(
                masked, span, lo, narrative
            )
        else:
            found = _intro_before(masked, span, lo, narrative) or _after(
                masked, span, spans, index, lo, hi
            )
        found = found or _embedded(masked, span, lo, narrative)
        if found is not None:
            mention, cue, how = found
            _assign(span, mention, cue, how, resolver)
    spoken: _Span | None = None  # the latest quote with a speaker in the current paragraph
    for index, span in enumerate(spans):
        if spoken is not None and spoken.paragraph != span.paragraph:
            spoken = None
        if span.speaker is None:
            _inherit(masked, spans, index, paragraphs, resolver, narrative, spoken)
        if span.speaker is not None:
            spoken = span
    for span in spans:
        span.kind = _kind(text, masked, span, paragraphs[span.paragraph])
        if span.kind == "term":
            span.speaker, span.name, span.cue, span.unnamed = None, None, None, False


def _assign(
    span: _Span, mention: Mention, cue: str | None, how: str, resolver: SpeakerResolver
) -> None:
    """Record an attribution on ``span``, resolving the mention to a name."""
    name, unnamed = resolver.resolve(mention)
    span.speaker, span.name, span.unnamed = mention, name, unnamed
    span.cue, span.how = cue, how
    span.confidence = _confidence(how, mention, unnamed)


def _confidence(how: str, mention: Mention, unnamed: bool) -> float:
    """Return the measured confidence of the rule ``how`` for a mention of its kind."""
    if unnamed:
        return CONFIDENCE_UNNAMED
    if mention.kind == "pronoun":
        return CONFIDENCE_PRONOUN
    return {
        "after": CONFIDENCE_AFTER,
        "intro": CONFIDENCE_INTRO,
        "partial": CONFIDENCE_PARTIAL,
        "turn": CONFIDENCE_TURN,
    }.get(how, CONFIDENCE_INHERITED)


_Found = tuple[Mention, str | None, str]
# Datelines ("NEW YORK - ") and discourse words that come before a sentence's subject.
_LEADING_WORDS_RE = re.compile(
    r"(?:[A-Z][A-Z .,'’]+[ \xa0]+[-–—][ \xa0]+)?"
    r"(?:(?:But|And|So|Yet|Then|Still|Also|Meanwhile|However|Instead|Later|Now|"
    r"Earlier|Finally|Indeed|Separately|Asked|Previously)\b,?[ \xa0]+)*"
)
# How many opening phrases to skip when looking for a sentence's subject.
SUBJECT_MAX_COMMAS = 3
_VERB_AFTER_SUBJECT_RE = re.compile(
    r"[ \xa0]+(?!(?:and|or|of|in|on|at|for|to|with|the|a|an)\b)[a-z]+\b"
)
_COLON_INTRO_RE = re.compile(r"[:,][ \xa0]*$")
# "Hillary shot back, “…" / "Cruz continued: “…": subject, a few words, then : or ,.
SHORT_INTRO_WORDS = 6


def _intro_before(masked: str, span: _Span, lo: int, narrative: _Narrative) -> _Found | None:
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
            found = _cue_subject(masked, start, cue, "intro", narrative)
            if found is not None:
                return found
    if _COLON_INTRO_RE.search(before):
        words = before.split()
        if before.rstrip().endswith(":") or len(words) <= SHORT_INTRO_WORDS:
            colon = start + len(before.rstrip()) - 1
            mention = mention_before(masked, colon, start)
            if mention is None or mention.kind != "name":
                mention = _sentence_subject(masked, start, span.open_mark)
            if mention is not None:
                return mention, before.rstrip()[-1], "intro"
    return None


def _sentence_subject(masked: str, start: int, end: int) -> Mention | None:
    """Return the mention that opens the sentence, skipping "But", "In 2015, " and the like."""
    lead = _LEADING_WORDS_RE.match(masked, start, end)
    pos = lead.end() if lead else start
    mention = mention_at_start(masked, pos, 0, end)
    if mention is not None:
        return mention
    # An opening phrase ("In Iowa on Monday, ...") ends at a comma; the subject
    # follows it and is itself followed by a lower-case verb.
    for _ in range(SUBJECT_MAX_COMMAS):
        comma = masked.find(", ", pos, end)
        if comma < 0:
            return None
        pos = comma + 2
        mention = mention_at_start(masked, pos, 0, end)
        if mention is not None and mention.kind != "description":
            verb = _VERB_AFTER_SUBJECT_RE.match(masked, mention.end, end)
            if verb is not None:
                return mention
    return None


def _cue_subject(
    masked: str, start: int, cue: _Cue, how: str, narrative: _Narrative
) -> _Found | None:
    """Find who the reporting verb ``cue`` (in a sentence from ``start``) belongs to."""
    word = cue.word
    if word.startswith("according"):
        mention = mention_after(masked, cue.end, 0)
        return (mention, "according to", how) if mention else None
    if word.endswith("ing") and not masked[start : cue.start].rstrip().endswith(","):
        mention = mention_before(masked, cue.start, start)
        if mention is not None:
            return mention, word, how
    if word.endswith("ing"):
        # A participle ("…, adding that …") shares the main clause's subject.
        earlier = narrative.cues(start, cue.start, participles=False)
        if earlier:
            found = _cue_subject(masked, start, earlier[-1], how, narrative)
            return (found[0], word, how) if found else None
        mention = _sentence_subject(masked, start, cue.start)
        return (mention, word, how) if mention else None
    if _COORDINATED_RE.search(masked, max(start, cue.start - COORDINATED_CHARS), cue.start):
        mention = _sentence_subject(masked, start, cue.start)
    else:
        mention = mention_before(masked, cue.start, start)
    return (mention, word, how) if mention else None


# "He laughed and said": the verb shares the subject of the first one.
_COORDINATED_RE = re.compile(r"\b(?:and|but|then)[ \xa0]+(?:[a-z]+ly[ \xa0]+)?$")
# "and" and an adverb fit in this many characters before the verb; reading only
# them keeps the test from rereading the sentence for every verb in it.
COORDINATED_CHARS = 64
_AFTER_TAIL_RE = re.compile(
    rf",[ \xa0]+([^,\x01]{{1,80}}?)[ \xa0]+{_ADVERBS}({_CUE})\b[^,\x01]{{0,40}}$"
)
_AFTER_TAIL_INVERTED_RE = re.compile(rf",[ \xa0]+{_ADVERBS}({_CUE})\b(?<!ing)")
# "“Go back,” Trump barked": any past-tense verb right after a name or he/she.
_UNLISTED_VERB_RE = re.compile(r"[ \xa0]+[a-z]{3,}ed\b")
# After a quote that ends a sentence, the attribution clause must be this short,
# or open the sentence within this many words.
CLOSED_AFTER_MAX_WORDS = 8
_FIRST_WORDS_RE = re.compile(rf"\s*(?:\S+\s+){{{CLOSED_AFTER_MAX_WORDS - 1}}}\S+")


def _after(
    masked: str, span: _Span, spans: list[_Span], index: int, lo: int, hi: int
) -> _Found | None:
    """Match "“…,” Mr Kang said." and "“…,” said Mr Kang." after the closing mark."""
    pos = span.close_mark + 1 if span.closed else span.end
    limit = min(hi, pos + AFTER_WINDOW)
    if index + 1 < len(spans) and spans[index + 1].paragraph == span.paragraph:
        limit = min(limit, spans[index + 1].open_mark)
    end = _sentence_end(masked, pos, limit)
    window = masked[pos:end]
    if masked[pos - 1 : pos] == ".":
        if span.how or _embedded_in_sentence(masked, span, (lo, hi)):
            return None
        if len(window.split()) > CLOSED_AFTER_MAX_WORDS:
            # "“This is fantastic!” beamed Donald Hartley of Madison, who …": only
            # an attribution that opens the sentence, within its first words.
            head = _FIRST_WORDS_RE.match(window)
            window = window[: head.end()] if head else window
    inverted = _AFTER_INVERTED_RE.match(window)
    if inverted and inverted.group(1) in _ADDRESSEE_CUES:
        inverted = None
    if inverted and not inverted.group(1).endswith("ing"):
        word = inverted.group(1)
        mention = mention_after(window, inverted.end(), pos)
        if mention is not None:
            return mention, "according to" if word.startswith("according") else word, "after"
        return None
    subject = _AFTER_SUBJECT_RE.match(window)
    if subject:
        mention = mention_at_start(window, subject.start("np"), pos, subject.end("np"))
        if mention is not None:
            return mention, subject.group("cue"), "after"
    tail = _AFTER_TAIL_RE.search(window)
    if tail:
        mention = mention_at_start(window, tail.start(1), pos, tail.end(1))
        if mention is not None:
            return mention, tail.group(2), "after"
    inverted = _AFTER_TAIL_INVERTED_RE.search(window)
    if inverted and inverted.group(1) not in _ADDRESSEE_CUES:
        mention = mention_after(window, inverted.end(), pos)
        if mention is not None and mention.kind != "pronoun":
            return mention, inverted.group(1), "after"
    return _after_unlisted_verb(window, pos)


def _after_unlisted_verb(window: str, pos: int) -> _Found | None:
    """Match "“…,” Trump barked." where the verb is not in the cue lexicon."""
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


# How many of a sentence's reporting verbs, nearest first, may introduce a quote in it.
EMBEDDED_MAX_CUES = 5


def _embedded(masked: str, span: _Span, lo: int, narrative: _Narrative) -> _Found | None:
    """Attribute a fragment quoted inside a reported sentence to that sentence's subject."""
    start = narrative.sentence_start(lo, span.open_mark)
    # Only the verbs nearest the quote can introduce it (no more than five are
    # tried in the news and annotated corpora); a sentence of hundreds of cue
    # words would otherwise cost that many attempts per quote.
    for cue in reversed(narrative.cues(start, span.open_mark)[-EMBEDDED_MAX_CUES:]):
        found = _cue_subject(masked, start, cue, "partial", narrative)
        if found is not None:
            return found
    if _embedded_in_sentence(masked, span, (lo, 0)):
        mention = _sentence_subject(masked, start, span.open_mark)
        if mention is not None and mention.text.lower() not in {"it", "who"}:
            return mention, None, "partial"
    return None


def _inherit(
    masked: str,
    spans: list[_Span],
    index: int,
    paragraphs: list[tuple[int, int]],
    resolver: SpeakerResolver,
    narrative: _Narrative,
    spoken: _Span | None,
) -> None:
    """Continue a speaker from a neighbouring quote in the same or previous paragraph.

    ``spoken`` is the latest earlier quote of the paragraph that has a speaker.
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
        source = _previous_paragraph_speaker(spans, index, masked, paragraphs, resolver, narrative)
        partner = _turn_partner(spans, index, masked, paragraphs, source)
        if partner is not None:
            source, how = partner, "turn"
    if source is None and not span.closed and index + 1 < len(spans):
        # A quote left open at a paragraph's end runs on into the next paragraph,
        # whose piece may carry the attribution ("“A …\n\n“… B,” she said.").
        nxt = spans[index + 1]
        if nxt.paragraph == span.paragraph + 1 and _starts_paragraph(masked, nxt, paragraphs):
            source = nxt if nxt.speaker is not None else None
    if source is not None and source.speaker is not None:
        span.speaker, span.name, span.unnamed = source.speaker, source.name, source.unnamed
        span.cue, span.how = source.cue, how
        span.confidence = _confidence(how, source.speaker, source.unnamed)


def _turn_partner(
    spans: list[_Span],
    index: int,
    masked: str,
    paragraphs: list[tuple[int, int]],
    previous: _Span | None,
) -> _Span | None:
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


def _only_quotes_between(masked: str, first: _Span, second: _Span) -> bool:
    """Say whether only punctuation separates two quotes."""
    gap = masked[first.close_mark + 1 : second.open_mark]
    return not _WORD_RE.search(gap)


def _starts_paragraph(masked: str, span: _Span, paragraphs: list[tuple[int, int]]) -> bool:
    """Say whether the quote opens its paragraph."""
    lo, _ = paragraphs[span.paragraph]
    # Backwards from the mark: only the dashes and spaces just before it are read,
    # never the paragraph's earlier quotes.
    pos = span.open_mark
    while pos > lo and masked[pos - 1] in " \xa0\t—–-":
        pos -= 1
    return pos == lo


def _previous_paragraph_speaker(
    spans: list[_Span],
    index: int,
    masked: str,
    paragraphs: list[tuple[int, int]],
    resolver: SpeakerResolver,
    narrative: _Narrative,
) -> _Span | None:
    """Find who speaks in the paragraph before: its last quote, or a "X said:" lead-in."""
    span = spans[index]
    if span.paragraph == 0:
        return None
    lo, hi = paragraphs[span.paragraph - 1]
    # Indexes rather than reversed(spans[:index]), which copied every earlier quote.
    for other in map(spans.__getitem__, range(index - 1, -1, -1)):
        if other.paragraph == span.paragraph - 1:
            tail = masked[(other.close_mark + 1 if other.closed else other.end) : hi]
            if other.speaker is not None and (not tail.strip() or other.how == "after"):
                return other
            break
        if other.paragraph < span.paragraph - 1:
            break
    lead = masked[lo:hi].rstrip()
    if not lead.endswith(":"):
        return None
    intro = _Span(hi, hi, hi, hi, False, span.paragraph - 1)
    found = _intro_before(masked, intro, lo, narrative)
    if found is None:
        start = narrative.sentence_start(lo, hi)
        mention = mention_at_start(masked, start)
        found = (mention, ":", "intro") if mention is not None else None
    if found is None:
        return None
    _assign(intro, found[0], found[1], "intro", resolver)
    return intro


def _kind(text: str, masked: str, span: _Span, paragraph: tuple[int, int]) -> str:
    """Classify as speech, partial (a fragment in a reported sentence) or term."""
    body = text[span.start : span.end]
    words = _WORD_RE.findall(body)
    sentence_like = bool(_TERMINAL_RE.search(body)) or len(words) > TERM_MAX_WORDS * 2
    title_case = all(w[:1].isupper() or len(w) <= 3 for w in words)
    named_thing = bool(_TITLE_LEAD_RE.search(masked, max(0, span.open_mark - 20), span.open_mark))
    if (
        title_case
        and (named_thing or span.how not in ("intro", "after"))
        and len(words) <= TITLE_MAX_WORDS
    ):
        span.confidence = CONFIDENCE_TERM
        return "term"
    if span.how == "partial" and len(words) < 2:
        span.confidence = CONFIDENCE_TERM
        return "term"
    if span.how == "partial":
        embedded = _embedded_in_sentence(masked, span, paragraph)
        return "partial" if embedded else "speech"
    if span.speaker is not None:
        return "speech"
    if len(words) <= TERM_MAX_WORDS and (not sentence_like or title_case):
        span.confidence = CONFIDENCE_TERM
        return "term"
    return "speech"


def _embedded_in_sentence(masked: str, span: _Span, paragraph: tuple[int, int]) -> bool:
    """Say whether the quote continues a sentence rather than opening one."""
    lo = max(paragraph[0], 0)
    pos = span.open_mark
    while pos > lo and masked[pos - 1] in " \xa0":
        pos -= 1
    return pos > lo and masked[pos - 1] not in ".!?:,\x01—–-"


def _to_quote(text: str, span: _Span) -> Quote:
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

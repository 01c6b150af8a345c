"""Speaker mentions: the name, pronoun or description a reporting verb points at.

A mention is a name ("Mr Kang"), a pronoun ("he") or a description ("one
person"); :class:`searchkit.quotes.speakers.SpeakerResolver` then turns it into
the name the article gives in full. Pure functions of text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from searchkit.quotes.lexicon import (
    DESCRIPTION_STOPS,
    DETERMINERS,
    GROUP_NOUNS,
    HONORIFICS,
    NAME_PARTICLES,
    NOT_NAMES,
    ROLES,
)

__all__ = [
    "NAME_PATTERN",
    "PARTICLE_PATTERN",
    "ROLES_PATTERN",
    "Mention",
    "at_sentences",
    "clean_name",
    "mention_after",
    "mention_at_start",
    "mention_before",
    "opening_pronoun",
    "role_apposition",
    "sentence_pieces",
]

_DETERMINERS = "|".join(DETERMINERS)
_DETERMINER_WORDS = frozenset(DETERMINERS)
# A description is a determiner and at most this many more words ("one senior aide").
DESCRIPTION_MAX_WORDS = 3
_GROUP_NOUNS = "|".join(GROUP_NOUNS)
_HONORIFICS = "|".join(HONORIFICS)

_CAP = r"(?:[A-Z]|[À-ÖØ-Þ])[\w\-]*(?:[’'][A-Za-z][\w\-]*)?"
#: Lower-case words inside a name ("von der", "bin"), as a regular expression.
PARTICLE_PATTERN = rf"(?:{'|'.join(NAME_PARTICLES)})"
_NAME_PART = rf"(?:(?:{_HONORIFICS})\.|[A-Z]\.(?=[ \xa0]+[A-Z])|{_CAP}|[A-Z]\.)"
#: A name of up to six words, titles and initials included, as a regular expression.
NAME_PATTERN = rf"{_NAME_PART}(?:[ \xa0]+(?:{PARTICLE_PATTERN}[ \xa0]+)?{_NAME_PART}){{0,5}}"
_DESCRIPTION = (
    rf"(?:(?:{_DETERMINERS}|{_CAP}[’']s?(?![A-Za-z]))\b(?:[ \xa0]+[\w\-]+){{0,4}}|"
    rf"(?:[\w\-]+[ \xa0]+)?(?:{_GROUP_NOUNS}))"
)
_PRONOUN = r"(?:he|she|they|we|I|it|who)"
#: Role nouns that sit between a descriptor and a name ("campaign manager Robby Mook").
ROLES_PATTERN = "|".join(ROLES)

_NAME_END_RE = re.compile(rf"(?:{NAME_PATTERN})$")
_DESCRIPTION_END_RE = re.compile(rf"\b(?:{_DESCRIPTION})$", re.IGNORECASE)
_PRONOUN_END_RE = re.compile(rf"\b{_PRONOUN}$", re.IGNORECASE)
_NAME_START_RE = re.compile(rf"(?:{NAME_PATTERN})")
# Words of a descriptor before a role: "Fight for $15 organizing director", "Air Force
# 1st"; never a verb or a relative pronoun (a clause of its own).
_DESCRIPTOR_WORD = (
    rf"(?:{NAME_PATTERN}|(?!(?:but|with|to|told|said|says|who|which|that)"
    r"\b)[a-z0-9$][\w\-$]*)"
)
# A name followed by a role is itself a descriptor: "the former Florida governor".
_NO_ROLE_AFTER = rf"(?![\w\-’']|(?:[ \xa0]+[A-Z][\w\-]*)*[ \xa0]+(?i:{ROLES_PATTERN})\b)"
_TENURE_BEFORE = r"(?:(?<=\d[snrt][tdh][ \xa0])|(?<=\bretired[ \xa0])|(?<=\bacting[ \xa0]))"
_DESCRIBED_NAME_RE = re.compile(
    rf"(?:{_DESCRIPTOR_WORD}[ \xa0]+){{0,5}}"
    rf"(?:(?i:(?:co-|vice[- ])?(?:{ROLES_PATTERN}))"
    # "Secretary of State Hillary Clinton" (two words at least after "of State")
    rf"(?:[ \xa0]+of[ \xa0]+[A-Z][\w\-]*(?=[ \xa0]+[A-Z][\w\-.]*[ \xa0]+[A-Z]))?"
    rf"[ \xa0]+(?P<name>{NAME_PATTERN}){_NO_ROLE_AFTER}"
    # "Air Force 1st Lt. Tyler Livingston", "retired Gen. Michael Flynn": a title after
    # a rank's ordinal or a tenure word opens the name.
    rf"|{_TENURE_BEFORE}(?P<titled>(?:{_HONORIFICS})\.?[ \xa0]+{NAME_PATTERN}))"
)
_DESCRIPTION_START_RE = re.compile(rf"(?:{_DESCRIPTION})\b", re.IGNORECASE)
_PRONOUN_START_RE = re.compile(rf"{_PRONOUN}\b", re.IGNORECASE)
# How far back a subject may start: a mention itself, or one followed by an
# appositive ("Mr Kang Chol-hwan, a defector who fled in 1992, said").
MENTION_REACH = 100
APPOSITIVE_REACH = 300
_PARENTHETICAL_END_RE = re.compile(r"[ \xa0]*\([^()]{0,40}\),?$")
# Adverbs that follow a description ("one person online", "a netizen angrily").
_ADVERB_RE = re.compile(r"online|today|yesterday|tonight|recently|again|too|\w{3,}(?<!fami)ly")
_POSSESSIVE_RE = re.compile(r"[’']s?$")
# A name may end in these and their full stop ("Robert P. Casey Jr.").
_SUFFIXES = (" Jr.", " Sr.")
# Besides letters and digits, what a name, pronoun or description can end with.
_MENTION_LAST_CHARS = "_-.’'"
_APPOSITIVE_SUBJECT_RE = re.compile(rf"(?:^|,[ \xa0]+)({NAME_PATTERN}|{_DESCRIPTION}|{_PRONOUN}),")
# When, between a subject and its verb: "Beck on Wednesday called", "Cruz last week said".
_WHEN = (
    r"(?:on[ \xa0]+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
    r"(?:[ \xa0]+(?:morning|afternoon|evening|night))?|"
    r"(?:last|this|next|that)[ \xa0]+(?:week|weekend|month|year|night|morning|afternoon|"
    r"evening|spring|summer|fall|autumn|winter)|yesterday|today|tonight"
)
# A role or kin word, its comma, then a name: "his wife, Jane Smith".
_ROLE_APPOSITION_RE = re.compile(
    rf"\b(?i:{'|'.join(ROLES)}),[ \xa0]+(?P<name>{NAME_PATTERN})(?<![,.])"
)
# Trailing adverbs, auxiliaries and times between a subject and its reporting verb.
_TRAILING_FILLER_RE = re.compile(
    r"(?:[ \xa0]+(?:also|later|then|recently|previously|once|has|had|have|would|"
    rf"will|earlier|further|simply|again|first|finally|now|still|just|had|did|"
    rf"even|once|[a-z]+ly|{_WHEN}))+$"
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A speaker mention: its text, offsets and what sort of mention it is."""

    text: str
    start: int
    end: int
    kind: str  # "name" | "pronoun" | "description"


def clean_name(text: str, start: int) -> Mention | None:
    """Trim clause words and possessives off a capitalised run; None if nothing is left."""
    words = text.split()
    offset = 0
    while words and (
        words[0].lower().rstrip(".") in NOT_NAMES
        and words[0].rstrip(".") not in {"Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov"}
    ):
        offset = text.index(words[0], offset) + len(words[0])
        words.pop(0)
    if not words:
        return None
    first = text.index(words[0], offset)
    body = text[first:]
    if _POSSESSIVE_RE.search(body) or (body.endswith(".") and not body.endswith(_SUFFIXES)):
        return None
    return Mention(body, start + first, start + len(text), "name")


def mention_before(text: str, end: int, lo: int = 0) -> Mention | None:
    """Find the subject mention that ends just before ``end`` in ``text[lo:end]``."""
    base = max(lo, end - APPOSITIVE_REACH)
    window = text[base:end].rstrip()
    # Each pattern below is tried only when the window ends as its matches do:
    # the test is free, the search is not (a sentence packed with reporting
    # verbs or quotes runs it for every one of them).
    if window.endswith((")", "),")):
        tail = max(0, len(window) - MENTION_REACH)
        parenthetical = _PARENTHETICAL_END_RE.search(window, tail)
        if parenthetical:
            window = window[: parenthetical.start()]
    if "a" <= window[-1:] <= "z":
        filler = _TRAILING_FILLER_RE.search(window, max(0, len(window) - MENTION_REACH))
        if filler:
            window = window[: filler.start()]
    if window.endswith((", who", ", which")):
        window = window[: window.rindex(",") + 1]
    if window.endswith(","):
        named = role_apposition(window, len(window) - 1, base)
        return named or _appositive_subject(window[:-1], base)
    if not window or not (window[-1].isalnum() or window[-1] in _MENTION_LAST_CHARS):
        return None
    for regex, kind in (
        (_PRONOUN_END_RE, "pronoun"),
        (_NAME_END_RE, "name"),
        (_DESCRIPTION_END_RE, "description"),
    ):
        match = regex.search(window, max(0, len(window) - MENTION_REACH))
        if match is None:
            continue
        mention = _make_mention(match.group(), base + match.start(), kind)
        if mention is not None:
            return mention
    return None


def role_apposition(text: str, end: int, base: int = 0) -> Mention | None:
    """Return the name in "his wife, Jane Smith" / "the company's spokesman, John Doe".

    ``text[:end]`` must end with the name; a role or kin word must come just
    before its comma. Offsets are shifted by ``base``.
    """
    found = _ROLE_APPOSITION_RE.search(text, max(0, end - APPOSITIVE_REACH), end)
    if found is None or found.end() != end:
        return None
    return clean_name(found.group("name"), base + found.start("name"))


def _appositive_subject(window: str, base: int) -> Mention | None:
    """Return the clause subject that an appositive (", 55, who ...,") follows."""
    for match in _APPOSITIVE_SUBJECT_RE.finditer(window):
        head = window[: match.start(1)].rstrip(", \xa0")
        if head and head.split()[-1].lower() in DESCRIPTION_STOPS:
            continue
        found = mention_at_start(window, match.start(1), base)
        if found is not None:
            return found
    return None


def mention_at_start(text: str, pos: int, base: int = 0, end: int | None = None) -> Mention | None:
    """Match a mention in ``text[pos:end]`` at ``pos``; offsets are shifted by ``base``."""
    stop = len(text) if end is None else end
    described = _DESCRIBED_NAME_RE.match(text, pos, stop)
    if described is not None:
        group = "name" if described.group("name") else "titled"
        found = clean_name(described.group(group), base + described.start(group))
        if found is not None:
            return found
    for regex, kind in (
        (_PRONOUN_START_RE, "pronoun"),
        (_DESCRIPTION_START_RE, "description"),
        (_NAME_START_RE, "name"),
    ):
        match = regex.match(text, pos, stop)
        if match is None:
            continue
        mention = _make_mention(match.group(), base + match.start(), kind)
        if mention is not None:
            return mention
    return None


def mention_after(text: str, pos: int, base: int = 0) -> Mention | None:
    """Match the mention that follows an inverted reporting verb ("said Mr Kang")."""
    while pos < len(text) and text[pos] in " \xa0":
        pos += 1
    return mention_at_start(text, pos, base)


def _make_mention(text: str, start: int, kind: str) -> Mention | None:
    """Build a mention of ``kind``, trimming descriptions at their first stop word."""
    if kind == "name":
        return clean_name(text, start)
    if kind == "pronoun":
        return Mention(text, start, start + len(text), kind)
    words = text.split()
    head = _POSSESSIVE_RE.sub("", words[0].lower()) if words else ""
    if head in NOT_NAMES and head not in _DETERMINER_WORDS:
        return None  # "That’s why", "It’s time": a clause, not a description
    keep: list[str] = []
    for word in words[: DESCRIPTION_MAX_WORDS + 1]:
        lowered = word.lower()
        if keep and (lowered in DESCRIPTION_STOPS or _ADVERB_RE.fullmatch(lowered)):
            break
        keep.append(word)
    if not keep or (len(keep) == 1 and keep[0].lower() in {"a", "an", "the"}):
        return None
    body = text[: text.index(keep[-1], len(" ".join(keep[:-1]))) + len(keep[-1])]
    return Mention(body, start, start + len(body), kind)


# A sentence whose subject is a pronoun: "He nodded …", "But she said …", "“…,” he said".
_OPENING_PRONOUN_RE = re.compile(
    r"[\s\x01“”\"]*(?:(?:But|And|Yet|Still|Then|Later|Now|So)[ \xa0]+)?(he|she)\b",
    re.IGNORECASE,
)


def opening_pronoun(text: str, start: int) -> str | None:
    """Return the he/she that is the subject of the sentence at ``start``, lower-cased."""
    opening = _OPENING_PRONOUN_RE.match(text, start)
    return opening.group(1).lower() if opening else None


# A full stop that ends a sentence inside a capitalised run: not after an initial or a title.
_RUN_STOP_RE = re.compile(
    r"(?<![A-Z])(?<!\b(?:Mr|Ms|Dr|St|Lt|Jr|Sr))(?<!\bMrs|\bSen|\bRep|\bGov|\bGen|\bCol)\."
)


def sentence_pieces(
    runs: list[tuple[int, str, frozenset[str]]],
) -> list[tuple[int, str]]:
    """Cut capitalised runs at full stops that end a sentence, not an initial or title."""
    pieces: list[tuple[int, str]] = []
    for start, run, _ in runs:
        stop = _RUN_STOP_RE.search(run) if "." in run else None
        while stop is not None:
            pieces.append((start, run[: stop.start()]))
            rest = run[stop.end() :]
            start += len(run) - len(rest.lstrip())
            run = rest.lstrip()
            stop = _RUN_STOP_RE.search(run)
        pieces.append((start, run))
    return pieces


def at_sentences(pieces: list[tuple[int, str]], starts: Sequence[int]) -> list[tuple[int, str]]:
    """Cut runs where a sentence starts (``starts``, in order): "the EU. But Mr Blair" is two."""
    cut: list[tuple[int, str]] = []
    for start, run in pieces:
        at = bisect_right(starts, start)
        while at < len(starts) and starts[at] < start + len(run):
            head = run[: starts[at] - start].rstrip()
            cut.append((start, head))
            run, start = run[starts[at] - start :], starts[at]
            at += 1
        cut.append((start, run))
    return cut

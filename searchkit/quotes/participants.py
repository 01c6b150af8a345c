"""The people of a conversation: who they are, what they are called, their gender.

:class:`Who` is a speaker as an exchange knows them; :class:`People` looks them
up by any word of their name. :func:`vocatives` finds the names a line
addresses, :func:`titled` the people a text gives a gendered title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from searchkit.quotes.lexicon import (
    FEMALE_TITLES,
    HONORIFICS,
    INTERJECTIONS,
    MALE_TITLES,
    NOT_NAMES,
)
from searchkit.quotes.marks import Span
from searchkit.quotes.mentions import Mention
from searchkit.quotes.names import first_name_genders, fold_name, name_gender, title_gender
from searchkit.quotes.speakers import SpeakerResolver

__all__ = [
    "MAX_ADDRESSED",
    "NARRATOR_WORDS",
    "PRONOUN_GENDER",
    "People",
    "Who",
    "among",
    "gender_of",
    "name_words",
    "titled",
    "two_people",
    "vocatives",
    "who_of",
]

_TITLES = "|".join(HONORIFICS)
# A name in the vocative: after the quote's start, a comma or "dear", and
# before a comma, a full stop, "!", "?" or a dash ("Come, Darcy, …", "… , Jake.").
_VOCATIVE_RE = re.compile(
    rf"(?:^|,[ \xa0]+|\b[Dd]ear[ \xa0]+)"
    rf"(?P<name>(?:(?:{_TITLES})\.?[ \xa0]+)?[A-Z][a-z’'\-]+(?:[ \xa0]+[A-Z][a-z’'\-]+)?)"
    r"(?=[ \xa0]*(?:[,!?;.]|--|—|$))(?![,;][ \xa0]*(?:and|or|[A-Z][\w’'\-]*,)[ \xa0])"
)
# Interjections and forms of address that open a line but name nobody.
_NOT_VOCATIVES = NOT_NAMES | INTERJECTIONS
_GENDERED_TITLES = "|".join(
    word.capitalize() for word in sorted(MALE_TITLES | FEMALE_TITLES, key=len, reverse=True)
)
_TITLED_RE = re.compile(rf"\b(?P<title>{_GENDERED_TITLES})\.?[ \xa0]+(?P<name>[A-Z][a-z’'\-]+)")

# Names whose folded words are remembered between calls.
NAMES_CACHED = 4096
# Vocatives kept per line: each is compared with the next line's.
MAX_ADDRESSED = 4


@dataclass(frozen=True, slots=True)
class Who:
    """A speaker as the exchange knows them: the span that names them, and how."""

    name: str
    mention: Mention
    unnamed: bool
    words: frozenset[str]
    gender: str | None

    def same(self, other: Who | None) -> bool:
        """Say whether ``other`` is the same person (one name inside the other)."""
        if other is None or not self.words or not other.words:
            return False
        if self.gender and other.gender and self.gender != other.gender:
            return False
        return self.words <= other.words or other.words <= self.words


class People:
    """Distinct speakers, looked up by any word of their name (no scan per lookup)."""

    def __init__(self, people: list[Who]) -> None:
        self._seen: set[tuple[frozenset[str], str | None]] = set()
        self._by_word: dict[str, list[Who]] = {}
        for who in people:
            key = (who.words, who.gender)
            if key not in self._seen:
                self._seen.add(key)
                for word in who.words:
                    self._by_word.setdefault(word, []).append(who)

    def _alike(self, who: Who) -> list[Who]:
        """Return the people sharing a word with ``who`` who are the same person."""
        found: list[Who] = []
        for word in who.words:
            found.extend(other for other in self._by_word.get(word, ()) if who.same(other))
        return found

    def knows(self, who: Who) -> bool:
        """Say whether ``who`` is one of the people."""
        return bool(self._alike(who))

    def gender_of(self, who: Who) -> str | None:
        """Return the gender the people's entries give ``who``, if any."""
        return next((other.gender for other in self._alike(who) if other.gender), None)


def who_of(name: str | None, mention: Mention | None, unnamed: bool) -> Who | None:
    """Build the identity for a resolved speaker, or None for no name."""
    if name is None or mention is None or unnamed:
        return None
    return Who(name, mention, unnamed, name_words(name), title_gender(mention.text))


@lru_cache(maxsize=NAMES_CACHED)
def name_words(name: str) -> frozenset[str]:
    """Return the folded words of a name (speakers recur: each is folded once)."""
    return frozenset(fold_name(name).split())


PRONOUN_GENDER = {"he": "m", "she": "f"}
# A first-person narrator the others never name is still one party of an exchange.
NARRATOR_WORDS = frozenset({"i"})


def vocatives(text: str, spans: list[Span], known: People, resolver: SpeakerResolver) -> list[Who]:
    """Return the people a line's quotes address by name."""
    found: list[Who] = []
    for span in spans:
        body = text[span.start : span.end]
        length = len(body.split())
        for match in _VOCATIVE_RE.finditer(body):
            name = match.group("name")
            words = fold_name(name).split()
            if not words or words[0] in _NOT_VOCATIVES or length <= len(words):
                continue
            start = span.start + match.start("name")
            mention = Mention(name, start, start + len(name), "name")
            who = Who(name, mention, False, frozenset(words), title_gender(name))
            titled = who.gender is not None
            if not (titled or known.knows(who) or words[0] in first_name_genders()):
                continue
            resolved, unnamed = resolver.resolve(mention)
            if not unnamed:
                found.append(Who(resolved, mention, False, who.words, who.gender))
            if len(found) >= MAX_ADDRESSED:
                return found  # a line addresses a few people; a list of names is no address
    return found


def among(who: Who, people: list[Who]) -> bool:
    """Say whether ``who`` is one of ``people``."""
    return any(who.same(other) for other in people)


def titled(text: str) -> list[Who]:
    """Return the people the text gives a gendered title ("Mr. Darcy", "Lady Brett")."""
    found: list[Who] = []
    seen: set[str] = set()
    for match in _TITLED_RE.finditer(text):
        name = match.group("name")
        gender = title_gender(match.group("title"))
        if name in seen or gender is None:
            continue
        seen.add(name)
        mention = Mention(name, match.start("name"), match.end("name"), "name")
        found.append(Who(name, mention, False, name_words(name), gender))
    return found


def gender_of(who: Who, known: People) -> str | None:
    """Guess a participant's gender: a title or a "she said" of theirs, else the first name."""
    return who.gender or known.gender_of(who) or name_gender(who.name)


def two_people(speakers: list[Who | None]) -> bool:
    """Say whether ``speakers`` (None for a line nobody is credited with) are two people or more."""
    first: Who | None = None
    for who in speakers:
        if who is None:
            continue
        if first is None:
            first = who
        elif not first.same(who):
            return True
    return False

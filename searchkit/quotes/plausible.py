"""Keep junk out of the speaker column: a speaker shown must read as one.

Attribution finds a mention and the resolver names it; some of what it finds
is no speaker at all: a capitalised common word ("Flying", "Game"), headline
words ("Guns Are", "HILLARY CLINTON IS FEELING THE BERN"), a lone initial
("U" of "U.S."), a clipped word ("don'"), or a description with no one in
it ("their", "its"). :func:`plausible_speaker` says whether a resolved
speaker may be shown; one that may not is left out, and the quote stays
unattributed unless another rule names someone: no name beats a junk one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from searchkit.quotes.lexicon import GROUP_NOUNS, HEADLINE_WORDS, HONORIFICS, ORGANISATION_WORDS
from searchkit.quotes.names import first_name_genders

if TYPE_CHECKING:
    from searchkit.quotes.mentions import Mention

__all__ = ["plausible_speaker", "repaired", "without_organisation"]

# Title-case words of a headline that no name holds: "John Leguizamo On How U…".
_HEADLINE_TITLE_WORDS = frozenset(["on", "how", "why", "what", "about", "after", "against"])
# A clause's contraction inside a "name": "It's All CNN", "Don’t Republicans".
_IS_CONTRACTION_RE = re.compile(r"(?i:it|that|there|here|what|who|let)[’']s")
_CONTRACTION_RE = re.compile(rf"{_IS_CONTRACTION_RE.pattern}|\w+n[’']t")
# A headline in capitals runs to this many words; a name in capitals ("KIM JONG UN") fewer.
HEADLINE_CAPITALS_WORDS = 4
# One-word descriptions that still name who speaks: a group ("officials") or a plural
# agent noun ("critics", "prosecutors").
_GROUP_WORDS = frozenset(GROUP_NOUNS)
_AGENT_PLURAL_RE = re.compile(r"[a-z]+(?:ers|ors|ists|ians|ics|ants|ents)$")
# Words that leave a description with no one in it ("their", "its"); quantifiers
# stand for people ("one wrote", "Another said", "three said") and are kept.
_NO_NOUN_WORDS = frozenset(["the", "a", "an", "any", "their", "his", "her", "its", "our", "my"])
_QUANTIFIERS = frozenset(
    ["one", "another", "others", "some", "several", "many", "both", "all", "two", "three"]
)
# A capitalised word after another, overlapping: "George Herbert Walker" gives both.
_AFTER_CAPITAL_RE = re.compile(r"(?<![\w’'\-])(?=[A-Z][\w’'\-]*[ \xa0]+([A-Z][\w’'\-]*))")
_LOWER_WORD_RE = re.compile(r"(?<![\w’'\-])[a-z][a-z’'\-]+")
_HONORIFIC_WORDS = frozenset(HONORIFICS)


def plausible_speaker(name: str, unnamed: bool, mention: Mention, text: str) -> bool:
    """Say whether ``name`` (resolved from ``mention`` in ``text``) may be shown as a speaker."""
    words = name.split()
    if not words or name.endswith(("’", "'")):
        return False  # "don'", "O'": a word clipped at an apostrophe
    if unnamed:
        if mention.kind == "name":
            # A capitalised word the article never uses as a name: "Flying", "Wait";
            # "Respondents" still names who speaks.
            return _has_noun(words) or not _common_word(words[-1], text)
        if mention.kind == "description":
            return _has_noun(words)
        return True
    if len(name.strip(".")) == 1:
        return False  # "U" of "U.S.", "S"
    if any(word.lower() in HEADLINE_WORDS for word in words[1:]):
        return False  # "Guns Are", "FBI Just Made An"
    if any(word.lower() in _HEADLINE_TITLE_WORDS for word in words[1:] if word[:1].isupper()):
        return False
    if any(_CONTRACTION_RE.fullmatch(word) for word in words):
        return False
    if mention.kind == "pronoun" and words[-1].lower() in ORGANISATION_WORDS:
        return False  # "he" resolved to "Trump University"
    if len(words) >= HEADLINE_CAPITALS_WORDS and name.isupper():
        return False
    if len(words) == 1 and not _titled(mention.text):
        return not _common_word(words[0], text)
    return True


def _has_noun(words: list[str]) -> bool:
    """Say whether a description ends in a noun that can speak ("a spokesman", "officials")."""
    lowered = [word.lower() for word in words]
    if all(word in _NO_NOUN_WORDS or word.isdigit() for word in lowered):
        return False  # "their", "its": no one to speak
    if len(words) == 1:
        last = lowered[0]
        return (
            last in _GROUP_WORDS or last in _QUANTIFIERS or bool(_AGENT_PLURAL_RE.fullmatch(last))
        )
    return True  # "the other", "the tall dark one", "a spokesman"


def _titled(mention: str) -> bool:
    """Say whether the mention carries a title ("Mr White"): then it names a person."""
    first = mention.split(None, 1)[0].rstrip(".") if mention else ""
    return first in _HONORIFIC_WORDS


def _common_word(word: str, text: str) -> bool:
    """Say whether a one-word name is a common word: written in lower case in the article.

    "Game", "Trade", "Flying": the article uses the word in lower case too and
    never after another capitalised word, as a surname is ("George Will"). A
    known first name or an acronym is never taken for one.
    """
    if word.isupper() or word.lower() in first_name_genders():
        return False
    if word.lower() not in _lower_words(text):
        return False
    return word not in _after_capitals(text)  # "George Will" … "Will urged": a surname


@lru_cache(maxsize=8)
def _after_capitals(text: str) -> frozenset[str]:
    """Return the capitalised words ``text`` writes right after another (read once)."""
    return frozenset(_AFTER_CAPITAL_RE.findall(text))


@lru_cache(maxsize=8)
def _lower_words(text: str) -> frozenset[str]:
    """Return the words ``text`` writes in lower case (read once per article)."""
    return frozenset(_LOWER_WORD_RE.findall(text))


def without_organisation(name: str) -> str:
    """Drop an organisation's last word: "Trump University" -> "Trump" (for a he/she)."""
    words = name.split()
    if len(words) > 1 and words[-1].lower() in ORGANISATION_WORDS:
        return " ".join(words[:-1])
    return name


def repaired(name: str) -> str:
    """Drop the clause words a name was read with: "There's Pooh" -> "Pooh"."""
    words = name.split()
    # Only "There's", "What's": "Don’t Republicans" is a clause, not a name.
    while len(words) > 1 and _IS_CONTRACTION_RE.fullmatch(words[0]):
        words.pop(0)
    return " ".join(words)

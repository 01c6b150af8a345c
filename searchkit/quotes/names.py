"""Speaker names: fold them for matching, strip their titles, guess their gender.

Light enough for the query side, which folds the name a user types the same
way the index folded the names it stores.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from functools import cache
from importlib import resources

from searchkit.quotes.lexicon import FEMALE_TITLES, HONORIFICS, MALE_TITLES

__all__ = [
    "FIRST_NAMES_RESOURCE",
    "HONORIFIC_WORDS",
    "first_name_genders",
    "fold_name",
    "from_first_name",
    "name_gender",
    "names_person",
    "strip_honorifics",
    "title_gender",
]

#: Title words dropped when speaker names are indexed and searched.
HONORIFIC_WORDS = frozenset(word.lower() for word in HONORIFICS if word not in {"Sr", "Jr"}) | {
    "former",
    "general",
    "of",
    "state",
    "the",
}
FIRST_NAMES_RESOURCE = "data/first-names.txt.gz"
_FOLD_SPLIT_RE = re.compile(r"[\W_]+")
_EDGE_PUNCTUATION = ".,;:!?’'\"()[]"
_HONORIFIC_PREFIX_RE = re.compile(
    rf"^(?:(?:[\w\-]+[ \xa0]+)*?(?:{'|'.join(HONORIFICS)})\.?[ \xa0]+)+"
)


def fold_name(name: str) -> str:
    """Fold a speaker name for matching: ``"Mr Kang Chol-hwan"`` -> ``"kang chol hwan"``."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    words = [w for w in _FOLD_SPLIT_RE.split(plain) if w]
    while len(words) > 1 and words[0] in HONORIFIC_WORDS:
        words.pop(0)
    if words and words[0] in HONORIFIC_WORDS and len(words) == 1:
        return ""
    return " ".join(words)


def strip_honorifics(name: str) -> str:
    """Drop leading titles and descriptors: "Vermont Sen. Bernie Sanders" -> "Bernie Sanders"."""
    stripped = _HONORIFIC_PREFIX_RE.sub("", name)
    return stripped or name


def title_gender(name: str) -> str | None:
    """Guess gender from a leading honorific, if any."""
    first = name.split(None, 1)[0].rstrip(".").lower() if name else ""
    if first in MALE_TITLES:
        return "m"
    if first in FEMALE_TITLES:
        return "f"
    return None


@cache
def first_name_genders() -> dict[str, str]:
    """Return the shipped first-name table: lower-case name -> "m" or "f".

    Made by tools/make_first_names.py from the 1990 US Census lists.
    """
    data = resources.files("searchkit").joinpath(FIRST_NAMES_RESOURCE).read_bytes()
    rows = gzip.decompress(data).decode("ascii").splitlines()
    return dict(row.split("\t", 1) for row in rows if "\t" in row)


def name_gender(name: str) -> str | None:
    """Guess the gender of a name from its title or its first name."""
    gender = title_gender(name)
    if gender is not None:
        return gender
    words = strip_honorifics(name).split()
    if not words:
        return None
    return first_name_genders().get(words[0].lower())


def from_first_name(words: list[str]) -> list[str]:
    """Drop the title words before a name's first name: "Mines Arturo Hernandez" -> "Arturo …".

    Only when no earlier word is a first name ("Mary Ann Smith" stays whole) and
    two words are left.
    """
    genders = first_name_genders()
    for at, word in enumerate(words[:-1]):
        if word.strip(_EDGE_PUNCTUATION).lower() in genders:
            return words[at:] if at and len(words) - at >= 2 else words
    return words


def names_person(name: str) -> bool:
    """Say whether a name reads as a person's: a title, or a first name before a surname.

    "Sam Lau", "Rep. Paul Ryan" do; "Iowa Democratic Party", "The Nation" do not.
    """
    if title_gender(name) is not None or _HONORIFIC_PREFIX_RE.match(name):
        return True
    genders = first_name_genders()
    words = name.split()
    return any(word.strip(_EDGE_PUNCTUATION).lower() in genders for word in words[:-1])

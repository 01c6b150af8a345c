"""Person lookup: match a name as a user types it to the speakers an index knows.

A quote's speaker is stored as written ("Sen. Bernie Sanders") and folded
(``speaker_key``: "bernie sanders"). A typed name matches a speaker in one of
three tiers, ranked in this order:

0. the same folded name: "Kang Chol-hwan" for "kang chol hwan";
1. a longer name holding the typed words in order: "Donald J. Trump" for
   "Donald Trump", "Kim Jong-un" for "Kim";
2. the surname alone: "Trump" for "Donald Trump" (the article never gave the
   full name, or the quote was credited by surname).

"Ivanka Trump" is no match for "Donald Trump". A name that matches nobody gets
a did-you-mean from the speaker names in the index.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from searchkit.errors import QueryError
from searchkit.quotes.names import fold_name
from searchkit.search.query import check_phrase

__all__ = [
    "EXACT",
    "SURNAME",
    "name_tier",
    "speaker_in_question",
    "speaker_matches",
    "suggest_speaker",
]

#: Tiers of :func:`name_tier`: the full name (or a longer one holding it), then the surname alone.
EXACT, LONGER, SURNAME = 0, 1, 2
# How alike a misspelt name word must be to a speaker's word to be offered instead.
SUGGEST_CUTOFF = 0.75
# Speaker-name words read for a suggestion; past this the lexicon is not read further.
SUGGEST_MAX_WORDS = 200_000


# "what did Kim say", "What has Mr Kang said about the border?": a question about a person.
_QUESTION_RE = re.compile(
    r"\bwhat\s+(?:did|does|do|has|have|had|would|will)\s+(?P<name>[^?!.,;:]{1,60}?)\s+"
    r"(?:say|said|says|tell|told|think|thinks|thought|write|wrote)\b",
    re.IGNORECASE,
)


def speaker_in_question(text: str) -> str | None:
    """Return the person a question like "what did Kim say" asks about, or None."""
    found = _QUESTION_RE.search(text)
    if found is None:
        return None
    name = found.group("name").strip()
    return name if fold_name(name) and name.lower() not in {"he", "she", "they", "it"} else None


def typed_words(name: str) -> list[str]:
    """Fold a typed name as speaker names are folded, or raise QueryError if nothing is left."""
    words = fold_name(name).split()
    if not words:
        raise QueryError(f"speaker {name!r} has no name words to match")
    return words


def name_tier(key: str, words: Sequence[str]) -> int | None:
    """Return how a speaker's folded name ``key`` matches the typed ``words`` (None: not at all)."""
    have = key.split()
    if have == list(words):
        return EXACT
    found = iter(have)
    if all(word in found for word in words):  # the typed words, in order, within the name
        return LONGER
    if len(words) > 1 and have == [words[-1]]:
        return SURNAME
    return None


def speaker_matches(searcher: Any, name: str) -> tuple[Any, list[str]]:
    """Return a query for every quote a speaker ``name`` may match, and its folded words.

    The query finds quotes whose speaker has the name's last word; which of
    them match, and in which tier, :func:`name_tier` decides on the stored key.
    """
    from whoosh.query import Term

    words = typed_words(name)
    analysed = [t.text for t in searcher.schema["speaker"].analyzer(name)]
    if not analysed:
        raise QueryError(f"speaker {name!r} has no name words to match")
    check_phrase(analysed, "the speaker's name")
    return Term("speaker", analysed[-1]), words


def suggest_speaker(searcher: Any, name: str) -> str | None:
    """Offer the speaker name nearest a misspelt ``name``, as the index writes it, or None."""
    from whoosh.query import And, Term

    words = [t.text for t in searcher.schema["speaker"].analyzer(name)]
    if not words:
        return None
    reader = searcher.reader()
    known: list[str] = []
    for term in reader.lexicon("speaker"):
        known.append(term.decode("utf-8") if isinstance(term, bytes) else str(term))
        if len(known) >= SUGGEST_MAX_WORDS:
            break
    fixed = []
    for word in words:
        close = difflib.get_close_matches(word, known, n=1, cutoff=SUGGEST_CUTOFF)
        if not close:
            return None
        fixed.append(close[0])
    if fixed == words:
        return None
    # Show the spelling the articles use most for a speaker with those words.
    folded = fold_name(" ".join(fixed)).split()
    query = And([Term("speaker", word) for word in fixed])
    written: Counter[str] = Counter()
    for hit in searcher.search(query, limit=None):
        stored = hit.fields()
        if stored.get("speaker") and name_tier(stored.get("speaker_key") or "", folded) == EXACT:
            written[stored["speaker"]] += 1
    if not written:
        return " ".join(fixed)
    return sorted(written, key=lambda spelling: (-written[spelling], spelling))[0]

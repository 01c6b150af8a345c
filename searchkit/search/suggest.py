"""Did you mean: correct misspelt query words from the index's own vocabulary.

The index holds stems, so a misspelt word is stemmed, near stems are found
with Whoosh's ``terms_within`` (a Levenshtein automaton over the lexicon), and
each candidate is turned back into a word the corpus really uses (from the
index's own ``word -> stem`` table, ``stems.json``).

Whoosh's own ``suggest()`` scores every candidate with ``maxdist`` rather than
its real distance, so a candidate two edits away can outrank one a single edit
away; here candidates are ordered by their true edit distance to the word the
user typed, then by how many articles use them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from searchkit.analysis.analyzers import STOP_WORDS, stem

__all__ = ["suggest_query"]

#: A word is suspect when this few articles contain it...
RARE_DOC_FREQUENCY = 1
#: ...and a replacement must be used by this many times more articles.
BETTER_BY = 5
MAX_EDITS = 2
_WORD = re.compile(r"(?<![\w:])([A-Za-z][a-z]{3,})(?![\w:*?])")
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})


def suggest_query(
    reader: Any, text: str, fieldname: str = "body", *, vocabulary: Mapping[str, str]
) -> str | None:
    """Return ``text`` with likely misspellings corrected, or None if nothing changes."""
    changed = False
    pieces: list[str] = []
    last = 0
    reverse: dict[str, list[str]] | None = None
    for match in _WORD.finditer(text):
        word = match.group(1)
        lower = word.lower()
        if word in _OPERATORS or lower in STOP_WORDS or _inside_quotes(text, match.start()):
            continue
        stemmed = stem(lower)
        frequency = reader.doc_frequency(fieldname, stemmed)
        if frequency > RARE_DOC_FREQUENCY:
            continue
        if reverse is None:
            reverse = _surface_words(vocabulary)
        best = _best_replacement(reader, fieldname, lower, stemmed, frequency, reverse)
        if best is not None:
            pieces += [text[last : match.start()], best]
            last = match.end()
            changed = True
    if not changed:
        return None
    pieces.append(text[last:])
    return "".join(pieces)


def _best_replacement(
    reader: Any,
    fieldname: str,
    word: str,
    stemmed: str,
    frequency: int,
    reverse: dict[str, list[str]],
) -> str | None:
    from whoosh.support.levenshtein import damerau_levenshtein

    candidates = []
    for term in reader.terms_within(fieldname, stemmed, MAX_EDITS, prefix=1):
        if term == stemmed:
            continue
        used = reader.doc_frequency(fieldname, term)
        if used < max(1, frequency * BETTER_BY):
            continue
        for surface in reverse.get(term, ()):
            distance = damerau_levenshtein(word, surface)
            if distance <= MAX_EDITS:
                candidates.append((distance, -used, surface))
    return min(candidates)[2] if candidates else None


def _surface_words(vocabulary: Mapping[str, str]) -> dict[str, list[str]]:
    """Map each stem to the words the index's articles use for it."""
    reverse: dict[str, list[str]] = {}
    for word, stemmed in vocabulary.items():
        if word.isalpha():
            reverse.setdefault(stemmed, []).append(word)
    return reverse


def _inside_quotes(text: str, position: int) -> bool:
    return text.count('"', 0, position) % 2 == 1

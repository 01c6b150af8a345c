"""Did you mean: correct misspelt query words from the index's own vocabulary.

The index holds stems, so a misspelt word is stemmed, near stems are found
with Whoosh's ``terms_within`` (a Levenshtein automaton over the lexicon), and
each candidate is turned back into a word the articles really use (read from
the stored text of the first articles, by id, that hold the stem).

Whoosh's own ``suggest()`` scores every candidate with ``maxdist`` rather than
its real distance, so a candidate two edits away can outrank one a single edit
away; here candidates are ordered by their true edit distance to the word the
user typed, then by how many articles use them.
"""

from __future__ import annotations

import re
from typing import Any

from searchkit.analysis.analyzers import STOP_WORDS, find_words
from searchkit.analysis.stems import stem

__all__ = ["suggest_query"]

#: A word is suspect when this few articles contain it...
RARE_DOC_FREQUENCY = 1
#: ...and a replacement must be used by this many times more articles.
BETTER_BY = 5
MAX_EDITS = 2
_WORD = re.compile(r"(?<![\w:])([A-Za-z][a-z]{3,})(?![\w:*?])")
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})


def suggest_query(reader: Any, text: str, fieldname: str = "body") -> str | None:
    """Return ``text`` with likely misspellings corrected, or None if nothing changes."""
    changed = False
    pieces: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        word = match.group(1)
        lower = word.lower()
        if word in _OPERATORS or lower in STOP_WORDS or _inside_quotes(text, match.start()):
            continue
        stemmed = stem(lower)
        frequency = reader.doc_frequency(fieldname, stemmed)
        if frequency > RARE_DOC_FREQUENCY:
            continue
        best = _best_replacement(reader, fieldname, lower, stemmed, frequency)
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
) -> str | None:
    from whoosh.support.levenshtein import damerau_levenshtein

    candidates = []
    for term in reader.terms_within(fieldname, stemmed, MAX_EDITS, prefix=1):
        if term == stemmed:
            continue
        used = reader.doc_frequency(fieldname, term)
        if used < max(1, frequency * BETTER_BY):
            continue
        for surface in _surfaces(reader, fieldname, term):
            distance = damerau_levenshtein(word, surface)
            if distance <= MAX_EDITS:
                candidates.append((distance, -used, surface))
    return min(candidates)[2] if candidates else None


#: Articles whose stored text is read for the words an indexed stem stands for.
SURFACE_ARTICLES = 20


def _surfaces(reader: Any, fieldname: str, term: str) -> list[str]:
    """Return the words the articles use for an indexed stem, read from their stored text.

    The articles read are the first few by id that hold the stem, so the words
    offered depend only on the articles, never on how the index was written or
    what it once held (a saved word list kept the words of deleted articles).
    """
    postings = reader.postings(fieldname, term)
    ids = reader.column_reader("id")
    chosen = sorted(postings.all_ids(), key=ids.__getitem__)[:SURFACE_ARTICLES]
    analyzer = reader.schema[fieldname].analyzer
    words: set[str] = set()
    for docnum in chosen:
        text = reader.stored_fields(docnum).get(fieldname) or ""
        for _, start, end, _ in find_words(analyzer, text, {term}):
            words.add(text[start:end].lower())
    return sorted(word for word in words if word.isalpha())


def _inside_quotes(text: str, position: int) -> bool:
    return text.count('"', 0, position) % 2 == 1

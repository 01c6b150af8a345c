"""Snowball stems, memoised, recorded per index, and shipped for common words.

``import nltk`` costs 0.15-0.3 s, longer than the rest of a CLI query put
together.  Stemming is a pure function of the word, so its results can be
memoised: while an index is written the stem of every word of its articles
is recorded (:func:`recording`), and that table, the index's own, is saved
beside it (``stems.json``).  Opening the index loads the table into the
process-wide memo, a pure cache (:func:`remember_stems`), so analysing a
query, or re-analysing a stored article to highlight it, looks words up
instead of importing NLTK.  A query word the articles never use (a user
searching "repatriation" where the articles say "repatriating") is looked up
next in a table shipped with the package: NLTK's stems of 73,000 common
English words (``data/stems/``, made by ``tools/make_stem_table.py`` from the
SCOWL word list; one small file per initial letter).  NLTK is imported only
for a word found in neither, and its answer is the same Snowball stem: the
tables can never make index and query disagree.
"""

from __future__ import annotations

import contextlib
import gzip
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

__all__ = [
    "recorded_stem",
    "recorded_stems",
    "recording",
    "remember_stems",
    "stem",
]

_memo: dict[str, str] = {}
_shipped: dict[str, dict[str, str]] = {}
_stemmer: Any = None


def stem(word: str) -> str:
    """Return the Snowball (Porter2) stem of a lowercase word, memoised."""
    try:
        return _memo[word]
    except KeyError:
        pass
    if not word or word[0].isdigit():
        return word  # numbers: Snowball leaves them alone, and they would bloat the memo
    result = _shipped_stem(word)
    if result is None:
        global _stemmer
        if _stemmer is None:
            from nltk.stem.snowball import SnowballStemmer  # slow import: see module docstring

            _stemmer = SnowballStemmer("english")
        result = str(_stemmer.stem(word))
    _memo[word] = result
    return result


def _shipped_stem(word: str) -> str | None:
    """Look a word up in the shipped table of NLTK stems of common English words."""
    initial = word[0]
    if initial not in _shipped:
        _shipped[initial] = _read_shard(initial)
    return _shipped[initial].get(word)


def _read_shard(initial: str) -> dict[str, str]:
    if not ("a" <= initial <= "z"):
        return {}
    try:
        data = resources.files("searchkit").joinpath(f"data/stems/{initial}.txt.gz").read_bytes()
    except OSError:
        return {}  # a damaged install: fall back to NLTK, which gives the same answers
    table = {}
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        word, _, stemmed = line.partition(" ")
        table[word] = stemmed or word
    return table


#: Words stemmed while an index is written (see :func:`recording`), else None.
_recorded: dict[str, str] | None = None


@contextlib.contextmanager
def recording() -> Iterator[dict[str, str]]:
    """Collect ``word -> stem`` for every word the text analyzers stem meanwhile.

    An index saves the stems of its own articles' words (``stems.json``), and
    nothing else: not the words of other indexes written or queries typed
    earlier in the same process, which the memo also holds.
    """
    global _recorded
    outer, _recorded = _recorded, {}
    try:
        yield _recorded
    finally:
        _recorded = outer


def recorded_stems() -> dict[str, str]:
    """Return what the current :func:`recording` has collected (empty outside one)."""
    return dict(_recorded or {})


def remember_stems(stems: Mapping[str, str]) -> None:
    """Add known ``word -> stem`` pairs (as saved by an index) to the memo."""
    _memo.update(stems)


def recorded_stem(word: str) -> str:
    """Return :func:`stem` of ``word``, recording it while an index is written."""
    stemmed = stem(word)
    if _recorded is not None:
        _recorded[word] = stemmed
    return stemmed

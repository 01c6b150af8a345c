"""Text analysis: tokenising, folding, stop words and stemming (NLTK's Snowball).

``analyzers`` builds the Whoosh analyzer chains the schema carries; ``stems``
keeps the stem table that lets queries run without importing NLTK.
"""

from __future__ import annotations

from searchkit.analysis.analyzers import (
    STOP_WORDS,
    TOKEN_PATTERN,
    find_words,
    fold,
    name_analyzer,
    text_analyzer,
)
from searchkit.analysis.stems import stem

__all__ = [
    "STOP_WORDS",
    "TOKEN_PATTERN",
    "find_words",
    "fold",
    "name_analyzer",
    "stem",
    "text_analyzer",
]

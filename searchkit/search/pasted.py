"""Telling pasted text from a typed query, so that a pasted sentence is searched as a passage.

Someone who wants to know where a sentence was printed pastes it into the
search box; ranked as a query (every word required, punctuation as syntax)
it finds little.  :func:`looks_pasted` recognises the shape of a sentence
from an article: at least :data:`MIN_WORDS` words, no question mark and no
none of Whoosh's syntax (``AND``, ``field:``, brackets, wildcards), and
something only prose copied from the news has: a capitalised name inside a
sentence, a number, or quotation marks; after a question or command word
first ("what", "describe"), only a name will do.  Measured on
``benchmarks/passages.py`` queries and the Cranfield and CISI questions
(README "Performance").
"""

from __future__ import annotations

import re

__all__ = ["MIN_WORDS", "looks_pasted"]

#: Fewer words than this are typed, not pasted (news searches are two to four words).
MIN_WORDS = 8
#: First words of questions and requests: a question is asked, not pasted.
QUESTION_WORDS = frozenset(
    (
        "what",
        "how",
        "why",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "whose",
        "whether",
        "is",
        "are",
        "was",
        "were",
        "can",
        "could",
        "do",
        "does",
        "did",
        "should",
        "would",
        "will",
        "shall",
        "has",
        "have",
        "had",
        "may",
        "might",
        "must",
        "describe",
        "list",
        "find",
        "give",
        "show",
        "explain",
        "define",
        "compare",
        "discuss",
        "tell",
    )
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
#: Query syntax a person types on purpose: operators, fields, groups, wildcards.
_SYNTAX = re.compile(r"\b(?:AND|OR|NOT|TO)\b|\b\w+:\S|[()\[\]{}*]")
_SENTENCE_END = ".!:;"
_QUOTES = '"“”«»'


def looks_pasted(text: str) -> bool:
    """Tell whether ``text`` has the shape of a sentence copied from an article."""
    if "?" in text or _SYNTAX.search(text):
        return False
    words = list(_WORD.finditer(text))
    if len(words) < MIN_WORDS:
        return False
    named = any(_is_name(text, word) for word in words[1:])
    if words[0].group().lower() in QUESTION_WORDS:
        return named  # "When Fightstar took to the stage", not "what problems of heat"
    return named or any(char.isdigit() for char in text) or any(m in text for m in _QUOTES)


def _is_name(text: str, word: re.Match[str]) -> bool:
    """Tell whether a word is capitalised inside a sentence (a name), not an acronym."""
    value = word.group()
    if not value[0].isupper() or value.isupper():
        return False
    before = text[: word.start()].rstrip()
    return bool(before) and before[-1] not in _SENTENCE_END

"""Fold a reporting verb to its dictionary form: "says", "saying", "said" -> "say".

A small rule set over the verbs :mod:`searchkit.quotes.lexicon` lists, rather
than a general lemmatiser: WordNet would need a download, and a cue is always
one of those verbs (or "according to").
"""

from __future__ import annotations

from searchkit.quotes.lexicon import CUE_IRREGULAR, CUE_LEMMAS, CUE_SPELLINGS

__all__ = ["cue_lemma"]


def cue_lemma(cue: str) -> str:
    """Return the dictionary form of the reporting verb ``cue`` (lower case).

    >>> cue_lemma("Admitted"), cue_lemma("replies"), cue_lemma("according to")
    ('admit', 'reply', 'according to')

    A word that is none of the known verbs comes back lower-cased, as it is;
    a cue that is punctuation (the colon of ``Kang: “…”``) is no verb: ``""``.
    """
    word = " ".join(cue.lower().split())
    if not any(character.isalpha() for character in word):
        return ""
    if word in CUE_IRREGULAR:
        return CUE_IRREGULAR[word]
    for candidate in (word, *_undone(word)):
        candidate = CUE_SPELLINGS.get(candidate, candidate)
        if candidate in CUE_LEMMAS:
            return candidate
    return word


def _undone(word: str) -> list[str]:
    """Return what ``word`` may be without its ending, likeliest first."""
    out: list[str] = []
    if word.endswith(("ies", "ied")):
        out.append(word[:-3] + "y")  # replies, replied
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) > len(ending) + 1:
            stem = word[: -len(ending)]
            out += [stem, stem + "e"]  # added, noted; adds, notes; saying, noting
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # admitted, begging, labelled
    if word.endswith("d"):
        out.append(word[:-1])  # noted -> note when "not" is no verb
    return out

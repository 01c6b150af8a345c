"""The one sentence splitter: NLTK's Punkt, trained on news, for titles, quotes and snippets.

A sentence never spans a line break: searchkit's article bodies hold one
paragraph a line (the article reader rejoins hard-wrapped wire copy), so each
line is split on its own.  Inside a line, NLTK's ``PunktSentenceTokenizer``
decides which full stops end a sentence, with parameters learned from news
text by ``tools/make_punkt.py`` (shipped in ``data/punkt/``, NLTK's own
``punkt_tab`` format, nothing downloaded): "Mr. Smith", "U.S. officials",
"Jan. 5" and "2.16 mln" stay whole, while "… in the U.S. The …" splits.
Unsupervised training misses abbreviations that also often end sentences
("Corp.", "Inc.", "Gov."), so a short list of well-known English ones is
added to what was learned (:data:`KNOWN_ABBREVIATIONS`).

Importing NLTK costs 0.2-0.5 s, so only index-time code calls this module; a
query reads the sentence ends stored with each article (see
:func:`searchkit.index.writing.article_document`).
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["KNOWN_ABBREVIATIONS", "MAX_LINE_CHARS", "first_sentence", "sentence_spans"]

#: Abbreviations (lowercase, without the final full stop) that Punkt treats as
#: such besides those it learned: titles, months, company suffixes and Latin.
KNOWN_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof rev sen rep gov gen col lt maj capt sgt cmdr adm supt insp
    st jr sr messrs mme mlle
    jan feb mar apr jun jul aug sep sept oct nov dec
    inc corp co ltd plc bros cos dept univ assn
    no nos vs etc e.g i.e cf approx est fig
    u.s u.k u.n u.s.a e.u a.m p.m""".split()  # noqa: SIM905 - a word list reads best as text
)
#: Longest line given to Punkt whole; a longer one (no real paragraph is) is
#: split in pieces of this size first, which keeps the time linear.
MAX_LINE_CHARS = 20_000


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` offsets of the sentences of ``text``, in order.

    Lines are split separately; blank lines give no sentence, and each span
    starts and ends on a non-space character.
    """
    tokenizer = _tokenizer()
    spans: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        if line.strip():
            for lo, hi in _pieces(line):
                for a, b in tokenizer.span_tokenize(line[lo:hi]):
                    a += len(line[lo + a : lo + b]) - len(line[lo + a : lo + b].lstrip())
                    if a < b:
                        spans.append((position + lo + a, position + lo + b))
        position += len(line) + 1
    return spans


def _pieces(line: str) -> list[tuple[int, int]]:
    """Cut a line into pieces of at most MAX_LINE_CHARS: after a full stop, else at a space."""
    pieces = []
    lo = 0
    while len(line) - lo > MAX_LINE_CHARS:
        window = (lo + MAX_LINE_CHARS // 2, lo + MAX_LINE_CHARS)
        stop = max(line.rfind(f"{mark} ", *window) for mark in ".!?")
        hi = stop + 1 if stop >= 0 else line.rfind(" ", *window)
        hi = hi if hi > lo else lo + MAX_LINE_CHARS
        pieces.append((lo, hi))
        lo = hi
    pieces.append((lo, len(line)))
    return pieces


def first_sentence(text: str) -> str:
    """Return the first sentence of the first non-blank line of ``text`` ('' for none)."""
    for line in text.split("\n"):
        if line.strip():
            spans = sentence_spans(line[:MAX_LINE_CHARS])
            return line[spans[0][0] : spans[0][1]] if spans else ""
    return ""


@cache
def _tokenizer() -> Any:
    from nltk.tabdata import PunktDecoder  # slow import: see module docstring
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    folder = resources.files("searchkit").joinpath("data/punkt")
    decode = PunktDecoder()
    params = PunktParameters()
    with folder.joinpath("abbrev_types.txt").open(encoding="utf-8") as lines:
        params.abbrev_types = decode.txt2set(lines) | KNOWN_ABBREVIATIONS
    with folder.joinpath("sent_starters.txt").open(encoding="utf-8") as lines:
        params.sent_starters = decode.txt2set(lines)
    with folder.joinpath("collocations.tab").open(encoding="utf-8") as lines:
        params.collocations = set(decode.tab2tups(lines))
    ortho = gzip.decompress(folder.joinpath("ortho_context.tab.gz").read_bytes())
    params.ortho_context = decode.tab2intdict(ortho.decode("utf-8").splitlines(keepends=True))
    return PunktSentenceTokenizer(params)

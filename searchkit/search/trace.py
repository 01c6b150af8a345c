"""Quote provenance: every printing of a quote, exact or reworded, ordered by date.

A quote is found by a quote id (``article-id#3``) or by words from it.  Its
printings are the quotes of the quote index whose words, case and
punctuation ignored, are the same or nearly so (a word changed, dropped or
added: :data:`REWORDED_AT_LEAST` of the words in common), or that contain it
whole or are contained in it.  Each article counts once.  Candidates are the
quotes sharing the most words with it (:data:`CANDIDATES`), so a trace costs
two searches of the quote index and a word diff per candidate.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from searchkit.engine.collector import ExactTop
from searchkit.errors import QueryError
from searchkit.search.query import bound_expansions, parse_query

__all__ = ["CANDIDATES", "REWORDED_AT_LEAST", "Printing", "Trace", "trace"]

#: Quotes sharing the most words with the one traced that are compared with it.
CANDIDATES = 100
#: Words of the quote a search for its printings uses.
CANDIDATE_WORDS = 60
#: Similarity of two quotes' word sequences (difflib's ratio) from which one is a
#: rewording of the other: one word changed in eight words is 0.875.
REWORDED_AT_LEAST = 0.75
#: Fewest words a part must have to count as a printing of the whole quote.
PART_WORDS = 6
#: Words of context before and after a change, as a reader needs to place it.
CONTEXT_BEFORE = 3
CONTEXT_AFTER = 1

_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True, slots=True)
class Printing:
    """One article's printing of a quote."""

    article_id: str
    source: str | None
    date: dt.date | None
    speaker: str | None
    text: str
    first: bool = False
    variant: bool = False
    #: Word-level changes against the first printing: ``(before, after)`` with context.
    changes: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, object]:
        """Return the printing as JSON-ready data."""
        return {
            "article_id": self.article_id,
            "source": self.source,
            "date": self.date.isoformat() if self.date else None,
            "speaker": self.speaker,
            "text": self.text,
            "first": self.first,
            "variant": self.variant,
            "changes": [{"from": before, "to": after} for before, after in self.changes],
        }


@dataclass(frozen=True, slots=True)
class Trace:
    """A quote and its printings, earliest first (undated ones last)."""

    quote: str
    printings: tuple[Printing, ...] = field(default=())

    @property
    def variants(self) -> tuple[Printing, ...]:
        return tuple(p for p in self.printings if p.variant)

    def to_dict(self) -> dict[str, object]:
        """Return the trace as JSON-ready data."""
        return {"quote": self.quote, "printings": [p.to_dict() for p in self.printings]}


def trace(searcher: Any, text: str) -> Trace:
    """Find the quote ``text`` names (a quote id or words from it) and every printing of it."""
    if not text.strip():
        raise QueryError("give words from a quote, or a quote id such as `article-id#0`")
    seed = _by_id(searcher, text.strip()) or _by_words(searcher, text)
    if seed is None:
        raise QueryError(f"no quote contains {text[:80]!r}; find one with `searchkit quotes WORDS`")
    seed_words = _folded(seed["text"])
    found: dict[str, dict[str, Any]] = {}
    for stored in _candidates(searcher, seed["text"]):
        words = _folded(stored["text"])
        if not _same_quote(seed_words, words):
            continue
        key = stored["article_id"]
        if key not in found or _order(stored) < _order(found[key]):
            found[key] = stored
    found.setdefault(seed["article_id"], seed)
    ordered = sorted(found.values(), key=_order)
    first_words = _words(ordered[0]["text"])
    printings = []
    for number, stored in enumerate(ordered):
        words = _words(stored["text"])
        changes = _changes(first_words, words) if number else ()
        date = stored.get("date")
        printings.append(
            Printing(
                article_id=stored["article_id"],
                source=stored.get("source"),
                date=date.date() if date else None,
                speaker=stored.get("speaker"),
                text=stored["text"],
                first=number == 0,
                variant=bool(changes),
                changes=changes,
            )
        )
    return Trace(quote=ordered[0]["text"], printings=tuple(printings))


def _order(stored: dict[str, Any]) -> tuple[bool, dt.datetime, str, str]:
    date = stored.get("date")
    return (date is None, date or dt.datetime.min, stored["article_id"], stored["qid"])


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _folded(text: str) -> list[str]:
    return [word.lower().replace("’", "'") for word in _WORD.findall(text)]


def _same_quote(seed: list[str], other: list[str]) -> bool:
    """Tell whether ``other`` prints the quote ``seed``: the same words, nearly, or a part."""
    if not seed or not other:
        return False
    if SequenceMatcher(None, seed, other, autojunk=False).ratio() >= REWORDED_AT_LEAST:
        return True
    shorter, longer = (seed, other) if len(seed) <= len(other) else (other, seed)
    return len(shorter) >= PART_WORDS and _contains(longer, shorter)


def _contains(longer: list[str], part: list[str]) -> bool:
    joined = " " + " ".join(longer) + " "
    return " " + " ".join(part) + " " in joined


def _changes(first: list[str], other: list[str]) -> tuple[tuple[str, str], ...]:
    """Return the word-level changes from ``first`` to ``other``, each with some context."""
    matcher = SequenceMatcher(
        None, [w.lower() for w in first], [w.lower() for w in other], autojunk=False
    )
    changes = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        before = first[max(0, i1 - CONTEXT_BEFORE) : i2 + CONTEXT_AFTER]
        after = other[max(0, j1 - CONTEXT_BEFORE) : j2 + CONTEXT_AFTER]
        changes.append((" ".join(before), " ".join(after)))
    return tuple(changes)


def _by_id(searcher: Any, text: str) -> dict[str, Any] | None:
    """Return the stored quote with the quote id ``text`` (``article-id#N``), if any."""
    from whoosh.query import Term

    article_id, hash_sign, number = text.rpartition("#")
    if not hash_sign or not number.isdigit():
        return None
    for hit in searcher.search(Term("article_id", article_id), limit=None):
        stored = dict(hit.fields())
        if stored.get("qid") == text:
            return stored
    return None


def _by_words(searcher: Any, text: str) -> dict[str, Any] | None:
    """Return the earliest quote with all of ``text``'s words, preferring them in order.

    Only the best-ranked :data:`CANDIDATES` such quotes are read.
    """
    query = parse_query(searcher.schema, text, syntax=False, fields={"text": 1.0})
    query = bound_expansions(query, searcher.reader())
    wanted = _folded(text)
    best: dict[str, Any] | None = None
    best_key: tuple[bool, tuple[bool, dt.datetime, str, str]] | None = None
    for stored in _best(searcher, query):
        key = (not _contains(_folded(stored["text"]), wanted), _order(stored))
        if best_key is None or key < best_key:
            best, best_key = stored, key
    return best


def _candidates(searcher: Any, text: str) -> list[dict[str, Any]]:
    """Return the stored quotes sharing the most words with ``text``."""
    # Its first words are enough to find its printings, and stay within the query limits.
    words = " ".join(_words(text)[:CANDIDATE_WORDS])
    query = parse_query(searcher.schema, words, match="any", syntax=False, fields={"text": 1.0})
    query = bound_expansions(query, searcher.reader())
    return _best(searcher, query)


def _best(searcher: Any, query: Any) -> list[dict[str, Any]]:
    """Return the stored fields of the best-ranked quotes, every one tied with the last kept.

    Ties are kept whole, so what is read depends on the quotes, never on how
    the index was written (an update equals a rebuild).
    """
    collector = ExactTop(CANDIDATES, _by_quote_id)
    searcher.search_with_collector(query, collector)
    return [dict(searcher.stored_fields(docnum)) for _, docnum in collector.results().top_n]


def _by_quote_id(searcher: Any) -> Any:
    def key(docnum: int) -> str:
        return str(searcher.stored_fields(docnum)["qid"])

    return key

"""Helpers for the attribution tests: find one quote of a small text, and what a reader sees."""

from __future__ import annotations

from searchkit.quotes.extract import Quote, extract_quotes


def only(text: str, prefix: str) -> Quote:
    """Return the one quote of ``text`` that starts with ``prefix``."""
    found = [q for q in extract_quotes(text) if q.text.startswith(prefix)]
    assert len(found) == 1, (prefix, [q.text for q in extract_quotes(text)])
    return found[0]


def shown(quote: Quote) -> str | None:
    """Return the name a reader would see, or None for no name."""
    return None if quote.unnamed else quote.speaker

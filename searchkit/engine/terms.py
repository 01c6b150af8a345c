"""The words a wildcard or prefix query expands to, as Whoosh lists them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["expansions"]


def expansions(query: Any, reader: Any) -> Iterator[bytes]:
    """Yield the index words a Whoosh ``MultiTerm`` query (wildcard, prefix) stands for."""
    return query._btexts(reader)  # type: ignore[no-any-return]

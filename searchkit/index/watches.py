"""Saved searches that say what is new: watches kept beside the index.

``index/watches.json`` sits beside the generations, so it survives rebuilds
and updates.  It is plain JSON::

    {"version": 1,
     "watches": {
       "NAME": {"query": "...", "match": "all", "source": ["..."] or null,
                "since": "2024" or null, "until": null,
                "added": "2026-12-02T10:00:00+00:00",
                "last_run": "2026-12-02T11:00:00+00:00" or null,
                "seen": ["ARTICLE_ID HASH", ...]}}}

``seen`` holds the id and content hash of every article that matched when the
watch was added or last run; a run shows the matching articles not in it (new
ones, and ones re-indexed with other content), then records the matches.
Runs take the index's writer lock, so two of them never record at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from searchkit.errors import IndexError_, QueryError
from searchkit.index import storage
from searchkit.search.articles import Results, filtered_query, hits_for
from searchkit.search.facets import matching_docs
from searchkit.search.filters import Filters
from searchkit.search.query import Match

if TYPE_CHECKING:
    from searchkit.index.store import Index

__all__ = ["WATCHES_FILE", "Watch", "Watches"]

WATCHES_FILE = "watches.json"
_NAME = re.compile(r"[\w.-]{1,64}")


@dataclass(frozen=True, slots=True)
class Watch:
    """A saved search: its name, query and filters, and when it was added and last run."""

    name: str
    query: str
    match: Match = "all"
    source: tuple[str, ...] | None = None
    since: str | None = None
    until: str | None = None
    added: str = ""
    last_run: str | None = None

    def to_dict(self) -> dict[str, object]:
        """Return the watch as JSON-ready data (without the ids it has seen)."""
        return {
            "name": self.name,
            "query": self.query,
            "match": self.match,
            "source": list(self.source) if self.source else None,
            "since": self.since,
            "until": self.until,
            "added": self.added,
            "last_run": self.last_run,
        }


class Watches:
    """The watches of one index: add, list, remove and run them."""

    def __init__(self, index: Index, lock_timeout: float = 30.0) -> None:
        self._index = index
        self._path = index.directory / WATCHES_FILE
        self._lock_timeout = lock_timeout

    def all(self) -> list[Watch]:
        """Return every watch, by name."""
        return [_watch(name, entry) for name, entry in sorted(self._read().items())]

    def add(
        self,
        name: str,
        query: str,
        *,
        match: Match = "all",
        source: Sequence[str] | str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> tuple[Watch, int]:
        """Save a watch; return it and how many articles match now (its first runs skip them)."""
        if not _NAME.fullmatch(name):
            raise QueryError(
                f"watch name {name[:80]!r} is not usable; use up to 64 letters, digits, "
                "'.', '-' or '_'"
            )
        sources = (source,) if isinstance(source, str) else tuple(source) if source else None
        with storage.writer_lock(self._index.directory, self._lock_timeout):
            table = self._read()
            if name in table:
                raise QueryError(
                    f"there is already a watch {name!r}; remove it first with "
                    f"`searchkit watch remove {name}`"
                )
            entry: dict[str, Any] = {
                "query": query,
                "match": match,
                "source": list(sources) if sources else None,
                "since": since,
                "until": until,
                "added": storage.now(),
                "last_run": None,
            }
            _, seen = self._matches(entry)  # a bad query or filter fails here, not at a run
            entry["seen"] = sorted(seen)
            table[name] = entry
            self._write(table)
        return _watch(name, entry), len(seen)

    def remove(self, name: str) -> None:
        """Delete a watch."""
        with storage.writer_lock(self._index.directory, self._lock_timeout):
            table = self._read()
            if name not in table:
                raise QueryError(self._unknown(name, table))
            del table[name]
            self._write(table)

    def run(self, name: str | None = None) -> list[tuple[Watch, Results]]:
        """Return each watch (or the one named) with the articles new since it last ran.

        The new articles come newest first; the watch then remembers them.
        """
        with storage.writer_lock(self._index.directory, self._lock_timeout):
            table = self._read()
            if name is not None and name not in table:
                raise QueryError(self._unknown(name, table))
            runs = []
            for key in [name] if name is not None else sorted(table):
                entry = table[key]
                docs, seen = self._matches(entry)
                known = set(entry.get("seen") or ())
                fresh = [doc for doc, mark in docs if mark not in known]
                query = self._query(entry)
                hits = hits_for(self._index.searcher, query, fresh)
                entry["seen"], entry["last_run"] = sorted(seen), storage.now()
                runs.append((_watch(key, entry), Results(entry["query"], hits, len(hits))))
            self._write(table)
        return runs

    # ------------------------------------------------------------ storage

    def _query(self, entry: dict[str, Any]) -> Any:
        searcher = self._index.searcher
        filters = Filters(entry.get("source"), entry.get("since"), entry.get("until"))
        return filtered_query(searcher, entry["query"], entry.get("match", "all"), True, filters)

    def _matches(self, entry: dict[str, Any]) -> tuple[list[tuple[int, str]], set[str]]:
        """Return the matching documents with their ``id hash`` marks, and the set of marks."""
        searcher = self._index.searcher
        docs = matching_docs(searcher, self._query(entry))
        if not docs:
            return [], set()
        reader = searcher.reader()
        ids, hashes = reader.column_reader("id"), reader.column_reader("hash")
        marked = [(doc, f"{ids[doc]} {hashes[doc].decode('ascii')}") for doc in docs]
        return marked, {mark for _, mark in marked}

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise IndexError_(self._damaged(exc.__class__.__name__)) from exc
        table = data.get("watches") if isinstance(data, dict) else None
        if not isinstance(table, dict) or not all(
            isinstance(e, dict) and isinstance(e.get("query"), str) for e in table.values()
        ):
            raise IndexError_(self._damaged("not a table of watches"))
        return table

    def _write(self, table: dict[str, dict[str, Any]]) -> None:
        storage.write_json(self._path, {"version": 1, "watches": table})

    def _damaged(self, why: str) -> str:
        return (
            f"{self._path} is damaged ({why}); fix or delete it (it holds only the "
            "watches, never the index)"
        )

    @staticmethod
    def _unknown(name: str, table: dict[str, Any]) -> str:
        names = ", ".join(sorted(table)) or "none yet; add one with `searchkit watch add`"
        return f"no watch named {name[:80]!r}; the watches are: {names}"


def _watch(name: str, entry: dict[str, Any]) -> Watch:
    source = entry.get("source")
    return Watch(
        name=name,
        query=entry["query"],
        match="any" if entry.get("match") == "any" else "all",
        source=tuple(source) if source else None,
        since=entry.get("since"),
        until=entry.get("until"),
        added=str(entry.get("added") or ""),
        last_run=entry.get("last_run"),
    )

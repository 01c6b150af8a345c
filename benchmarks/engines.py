"""The three engines measured, behind one small interface.

* ``searchkit``: the full pipeline, ``Index.build`` (parsing, quote extraction,
  Snowball stems) and ``Index.search`` (BM25F, filters, snippets).
* ``whoosh``: plain Whoosh used the documented way: a schema with
  ``StemmingAnalyzer`` text fields, one writer, ``searcher.search(q, limit=10)``
  and ``hit.highlights("body")``.
* ``fts5``: SQLite FTS5 from the standard library, ``porter unicode61``,
  ranked by ``bm25()``, with ``snippet()``.

Each engine builds from the same JSONL files and answers the same
:class:`~corpus.Query`; a hit is an ``(id, snippet)`` pair.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from corpus import Query

LIMIT = 10
ENGINES = ("searchkit", "whoosh", "fts5")

Hit = tuple[str, str]


class Searcher(Protocol):
    def search(self, query: Query) -> list[Hit]: ...

    def close(self) -> None: ...


def build(engine: str, directory: Path, corpus_dir: Path, procs: int | None = None) -> int:
    """Index the JSONL files in ``corpus_dir`` into the empty ``directory``; return the count.

    ``procs`` is passed to searchkit's ``Index.build`` when given (None: its default).
    """
    if engine == "searchkit":
        return _build_searchkit(directory, corpus_dir, procs)
    return {"whoosh": _build_whoosh, "fts5": _build_fts5}[engine](directory, corpus_dir)


def open_searcher(engine: str, directory: Path) -> Searcher:
    """Open the index an engine built in ``directory`` for querying."""
    opener = {"searchkit": SearchkitSearcher, "whoosh": WhooshSearcher, "fts5": Fts5Searcher}
    return opener[engine](directory)


def disk_size(directory: Path) -> int:
    """Return the bytes of every file below ``directory``."""
    return sum(
        os.path.getsize(os.path.join(folder, name))
        for folder, _, files in os.walk(directory)
        for name in files
    )


def _records(corpus_dir: Path) -> Iterator[dict[str, Any]]:
    for part in sorted(corpus_dir.glob("*.jsonl")):
        with open(part, encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)


# ---------------------------------------------------------------- searchkit


def _build_searchkit(directory: Path, corpus_dir: Path, procs: int | None) -> int:
    import searchkit

    options = {} if procs is None else {"procs": procs}
    index = searchkit.Index.build(directory, corpus_dir, **options)
    try:
        # Every record read: indexed, or reported and set aside (an identical copy
        # of another record, as the shared corpus has).
        assert index.report is not None
        return len(index) + index.report.skipped
    finally:
        index.close()


class SearchkitSearcher:
    def __init__(self, directory: Path) -> None:
        import searchkit

        self.index = searchkit.Index.open(directory)

    def search(self, query: Query) -> list[Hit]:
        return [(h.id, h.snippet.text) for h in self.index.search(query.text(), limit=LIMIT)]

    def close(self) -> None:
        self.index.close()


# ---------------------------------------------------------------- plain Whoosh


def whoosh_schema() -> Any:
    """Return the schema a Whoosh user would write for these articles."""
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema

    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=StemmingAnalyzer(), stored=True),
        body=TEXT(analyzer=StemmingAnalyzer(), stored=True),
        source=TEXT(stored=True),
        date=DATETIME(stored=True),
        dateline=STORED(),
    )


def _build_whoosh(directory: Path, corpus_dir: Path) -> int:
    from whoosh.index import create_in

    ix = create_in(str(directory), whoosh_schema())
    writer = ix.writer()
    for record in _records(corpus_dir):
        document = {
            "id": record["id"],
            "title": record.get("title") or "",
            "body": record.get("text") or "",
            "dateline": record.get("dateline"),
        }
        if record.get("source"):
            document["source"] = record["source"]
        if record.get("date"):
            document["date"] = dt.datetime.fromisoformat(record["date"])
        writer.add_document(**document)
    writer.commit()
    try:
        return int(ix.doc_count())
    finally:
        ix.close()


class WhooshSearcher:
    def __init__(self, directory: Path) -> None:
        from whoosh.index import open_dir
        from whoosh.qparser import MultifieldParser

        self.ix = open_dir(str(directory))
        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(["title", "body"], self.ix.schema)

    def search(self, query: Query) -> list[Hit]:
        parsed = self.parser.parse(query.text(quotes_field=False))
        results = self.searcher.search(parsed, limit=LIMIT)
        return [(hit["id"], hit.highlights("body")) for hit in results]

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()


# ---------------------------------------------------------------- SQLite FTS5

FTS5_FILE = "articles.db"
_FTS5_TABLE = """CREATE VIRTUAL TABLE articles USING fts5(
    id UNINDEXED, title, body, source, date UNINDEXED, dateline UNINDEXED,
    tokenize='porter unicode61')"""
_FTS5_BODY_COLUMN = 2
_FTS5_DATES = " AND date >= ? AND date < ?"
_FTS5_SELECT = (
    "SELECT id, snippet(articles, {body}, '<b>', '</b>', '…', 24) FROM articles"
    " WHERE articles MATCH ?{dates} ORDER BY bm25(articles) LIMIT {limit}"
)


def _build_fts5(directory: Path, corpus_dir: Path) -> int:
    connection = sqlite3.connect(directory / FTS5_FILE)
    try:
        with connection:
            connection.execute(_FTS5_TABLE)
            connection.executemany(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?)",
                (
                    tuple(
                        r.get(key) for key in ("id", "title", "text", "source", "date", "dateline")
                    )
                    for r in _records(corpus_dir)
                ),
            )
            # FTS5's documented 'optimize': merge the index b-trees into one for queries.
            connection.execute("INSERT INTO articles(articles) VALUES ('optimize')")
        (count,) = connection.execute("SELECT count(*) FROM articles").fetchone()
        return int(count)
    finally:
        connection.close()


def fts5_match(query: Query) -> tuple[str, tuple[str, ...]]:
    """Translate a workload query to an FTS5 MATCH expression and date bounds."""
    parts = []
    if query.field is not None:
        parts.append(f"{query.field[0]} : {query.field[1]}")
    if query.words:
        parts.append("{title body} : (" + " AND ".join(query.words) + ")")
    if query.phrase:
        parts.append('{title body} : "' + " ".join(query.phrase) + '"')
    if query.quote:
        parts.append('body : "' + " ".join(query.quote) + '"')
    bounds: tuple[str, ...] = ()
    if query.months is not None:
        first, last = query.months
        year, month = (int(x) for x in last.split("-"))
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        bounds = (f"{first}-01", following.isoformat())
    return " AND ".join(parts), bounds


class Fts5Searcher:
    def __init__(self, directory: Path) -> None:
        self.connection = sqlite3.connect(directory / FTS5_FILE)
        self.undated = _FTS5_SELECT.format(body=_FTS5_BODY_COLUMN, dates="", limit=LIMIT)
        self.dated = _FTS5_SELECT.format(body=_FTS5_BODY_COLUMN, dates=_FTS5_DATES, limit=LIMIT)

    def search(self, query: Query) -> list[Hit]:
        match, bounds = fts5_match(query)
        sql = self.dated if bounds else self.undated
        return [(str(i), str(s)) for i, s in self.connection.execute(sql, (match, *bounds))]

    def close(self) -> None:
        self.connection.close()

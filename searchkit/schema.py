"""The Whoosh schemas of the article index, and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh.columns import NumericColumn, PickleColumn, VarBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, STORED, TEXT, Schema

from searchkit.analysis import name_analyzer, speaker_analyzer, text_analyzer

__all__ = ["ARTICLES", "QUOTES", "article_schema", "create_indexes", "quote_schema"]

#: Names of the two Whoosh indexes in a generation directory.
ARTICLES = "articles"
QUOTES = "quotes"


def article_schema() -> Any:
    """Return the schema of the article index.

    ``source`` is searchable text (``source:"straits times"``) while
    ``outlet`` keeps the exact name for filters and facets; ``quotes`` holds
    every quoted passage, so ``quotes:"border guards"`` searches speech only.
    """
    text = text_analyzer()
    names = name_analyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        # Content hashes only answer "has this article changed?": a column, not terms.
        hash=COLUMN(VarBytesColumn()),
        root=COLUMN(VarBytesColumn()),
        path=STORED(),
        title=TEXT(analyzer=text, stored=True, multitoken_query="phrase"),
        body=TEXT(analyzer=text, stored=True, multitoken_query="phrase"),
        quotes=TEXT(analyzer=text, stored=False, multitoken_query="phrase"),
        speaker=TEXT(analyzer=speaker_analyzer(), stored=False, multitoken_query="phrase"),
        source=TEXT(analyzer=names, stored=True, multitoken_query="phrase"),
        outlet=ID(stored=False, sortable=True),
        dateline=TEXT(analyzer=names, stored=True, multitoken_query="phrase"),
        place=ID(stored=False, sortable=True),
        # Only parses ``date:`` in queries, which search the day column below
        # (see searchkit.dates): articles give it no value, so it costs no postings.
        date=DATETIME(),
        published=STORED(),
        # Canonical names of the article's named speakers, for the speaker facet.
        speakers=COLUMN(PickleColumn(VarBytesColumn())),
        # YYYYMMDD, 0 when undated: sorting newest-first puts undated articles last.
        day=COLUMN(NumericColumn("I")),
        meta=STORED(),
    )


def quote_schema() -> Any:
    """Return the schema of the quote index: one record per quote, linked to its article.

    A quote search ranks quotes, not articles, and filters by speaker, kind,
    outlet and date without touching the article index.
    """
    return Schema(
        qid=STORED(),
        article_id=ID(stored=True),
        text=TEXT(analyzer=text_analyzer(), stored=True, multitoken_query="phrase"),
        speaker=TEXT(analyzer=speaker_analyzer(), stored=True, multitoken_query="phrase"),
        kind=ID(stored=True),
        source=TEXT(analyzer=name_analyzer(), stored=True, multitoken_query="phrase"),
        # Shown with each quote, never searched: stored only.
        speaker_key=STORED(),
        cue=STORED(),
        unnamed=STORED(),
        title=STORED(),
        position=STORED(),
        # Shown with each quote; filters read the day column (see searchkit.dates).
        date=STORED(),
        day=COLUMN(NumericColumn("I")),
    )


def create_indexes(directory: Path) -> None:
    """Create the empty article and quote indexes in a new generation directory."""
    from whoosh.index import create_in

    create_in(str(directory), article_schema(), indexname=ARTICLES).close()
    create_in(str(directory), quote_schema(), indexname=QUOTES).close()

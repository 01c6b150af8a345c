"""The Whoosh schemas of the article index, and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh.analysis import RegexTokenizer
from whoosh.columns import NumericColumn, PickleColumn, VarBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, STORED, TEXT, Schema

from searchkit.analysis.analyzers import (
    TOKEN_PATTERN,
    NormaliseFilter,
    name_analyzer,
    stop_word_analyzer,
    text_analyzer,
)
from searchkit.engine.formats import OnePassPositions

__all__ = [
    "ARTICLES",
    "QUOTES",
    "STOP_WORDS_FIELD",
    "Text",
    "article_schema",
    "create_indexes",
    "quote_schema",
]

#: Names of the two Whoosh indexes in a generation directory.
ARTICLES = "articles"
QUOTES = "quotes"
#: The field of each index holding only the stop words of its text, at their
#: places among all the words: searched when a query has nothing else.
STOP_WORDS_FIELD = "stops"


class Text(TEXT):  # type: ignore[misc]
    """Whoosh's phrase-searchable ``TEXT`` field, written with :class:`OnePassPositions`."""

    format: OnePassPositions

    def __init__(self, analyzer: Any, *, stored: bool) -> None:
        super().__init__(analyzer=analyzer, stored=stored, multitoken_query="phrase")
        self.format = OnePassPositions(field_boost=self.format.field_boost)

    def index(self, value: Any, **kwargs: Any) -> Any:
        """Yield ``(word bytes, frequency, weight, positions)`` per word, as ``TEXT`` does."""
        if not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        kwargs.setdefault("mode", "index")
        for word, frequency, weight, encoded in self.format.word_values(
            value, self.analyzer, **kwargs
        ):
            yield word.encode("utf-8"), frequency, weight, encoded


def speaker_analyzer() -> Any:
    """Return the analyzer for speaker names: as names, less titles ("Mr Kang" is "kang")."""
    # Imported here: the title list lives with speaker resolution, which queries never load.
    from searchkit.quotes.names import HONORIFIC_WORDS

    return RegexTokenizer(TOKEN_PATTERN) | NormaliseFilter(HONORIFIC_WORDS)


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
        title=Text(text, stored=True),
        body=Text(text, stored=True),
        quotes=Text(text, stored=False),
        stops=Text(stop_word_analyzer(), stored=False),
        speaker=Text(speaker_analyzer(), stored=False),
        source=Text(names, stored=True),
        outlet=ID(stored=False, sortable=True),
        dateline=Text(names, stored=True),
        place=ID(stored=False, sortable=True),
        # Only parses ``date:`` in queries, which search the day column below
        # (see searchkit.engine.days): articles give it no value, so it costs no postings.
        date=DATETIME(),
        published=STORED(),
        # Canonical names of the article's named speakers, for the speaker facet.
        speakers=COLUMN(PickleColumn(VarBytesColumn())),
        # The reporting verbs of its quotes, folded ("said" is "say"), for the cue facet.
        cues=COLUMN(PickleColumn(VarBytesColumn())),
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
        text=Text(text_analyzer(), stored=True),
        stops=Text(stop_word_analyzer(), stored=False),
        speaker=Text(speaker_analyzer(), stored=True),
        kind=ID(stored=True),
        source=Text(name_analyzer(), stored=True),
        # Shown with each quote, never searched: stored only.
        speaker_key=STORED(),
        cue=STORED(),
        # The cue folded to its dictionary form ("said" is "say"), for the cue facet.
        cue_lemma=COLUMN(VarBytesColumn()),
        unnamed=STORED(),
        title=STORED(),
        position=STORED(),
        # Shown with each quote; filters read the day column (see searchkit.engine.days).
        date=STORED(),
        day=COLUMN(NumericColumn("I")),
    )


def create_indexes(directory: Path) -> None:
    """Create the empty article and quote indexes in a new generation directory."""
    from whoosh.index import create_in

    create_in(str(directory), article_schema(), indexname=ARTICLES).close()
    create_in(str(directory), quote_schema(), indexname=QUOTES).close()

"""Files and records -> :class:`Article`: decoding, parsing, walking folders.

``parse`` reads article text (header, dateline, title, body, boilerplate) and
walks folders and JSONL files; format readers for other kinds of file join
this package one module per format.
"""

from __future__ import annotations

from searchkit.articles.parse import (
    ARTICLE_SUFFIXES,
    Article,
    parse_article,
    parse_record,
    read_articles,
)

__all__ = ["ARTICLE_SUFFIXES", "Article", "parse_article", "parse_record", "read_articles"]

"""Files and records -> :class:`Article`, one module per step.

``model`` (the Article), ``decode`` (bytes -> text), ``dates``, ``parse``
(header, dateline, title, body, boilerplate of article text), ``records``
(JSONL/CSV field names, ``--map``, JSONL streaming), ``files`` (walking
folders, what is read, ``sources.csv``); ``readers/`` holds one module per
other format.
"""

from __future__ import annotations

from searchkit.articles.files import ARTICLE_SUFFIXES, read_articles
from searchkit.articles.model import Article
from searchkit.articles.parse import parse_article
from searchkit.articles.records import parse_record

__all__ = ["ARTICLE_SUFFIXES", "Article", "parse_article", "parse_record", "read_articles"]

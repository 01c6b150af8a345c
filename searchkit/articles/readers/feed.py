"""Read RSS and Atom feeds (``.rss``, ``.atom``, ``.xml``) with feedparser: one article per item.

The outlet is the channel's title, the date the item's (published, else
updated), the text the item's full content.  An item that carries only a
summary is indexed by it, and the report says so.  feedparser is given the
file's bytes, never a URL, so it reads nothing from the network.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Mapping
from typing import Any

from searchkit.articles.dates import parse_date
from searchkit.articles.model import Article
from searchkit.articles.parse import derive_title, split_authors
from searchkit.articles.readers import Source

__all__ = ["read_feed", "text_of_html"]

#: Elements that end a paragraph in an item's HTML.
BLOCKS = ("p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr")


def read_feed(source: Source) -> Iterator[Article]:
    """Read each item of an RSS or Atom feed as one article."""
    # Imported here: only feeds need it.
    import feedparser

    data = source.read_bytes()
    if data is None:
        return
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        reason = parsed.get("bozo_exception") if parsed.get("bozo") else None
        what = f"broken feed ({reason})" if reason else "no items: not an RSS or Atom feed?"
        source.skip(f"{what}; skipped")
        return
    if parsed.get("bozo"):
        exception = parsed.get("bozo_exception")
        source.warn(f"feed is not well-formed ({exception}); {len(entries)} items read")
    channel = parsed.get("feed") or {}
    for number, entry in enumerate(entries, start=1):
        problems: list[str] = []
        article = _article(entry, channel, source, number, problems)
        where = f"{source.where} item {number}"
        for problem in problems:
            source.report_at(where, problem, skipped=article is None)
        if article is not None:
            yield article


def _article(
    entry: Mapping[str, Any],
    channel: Mapping[str, Any],
    source: Source,
    number: int,
    problems: list[str],
) -> Article | None:
    contents = entry.get("content") or []
    html = "\n".join(str(part.get("value") or "") for part in contents)
    if not html.strip() and entry.get("summary"):
        html = str(entry["summary"])
        problems.append("item has only a summary; the summary is indexed")
    body = text_of_html(html)
    title = _plain(entry, "title")
    if not body and not title:
        problems.append("item has no title and no text; skipped")
        return None
    if not body:
        problems.append("item has no text; indexed by its title only")
    author = entry.get("author") or "; ".join(
        str(a.get("name")) for a in entry.get("authors") or [] if a.get("name")
    )
    link = entry.get("link") or None
    return Article(
        id=str(entry.get("id") or link or f"{source.article_id}#{number}"),
        path=f"{source.where} item {number}",
        title=title or derive_title(body),
        body=body,
        date=_date(entry, problems),
        source=source.meta.get("source") or _plain(channel, "title") or None,
        url=link,
        author=author or None,
        authors=split_authors(author),
        language=entry.get("language") or channel.get("language") or None,
        problems=tuple(problems),
    )


def _plain(element: Mapping[str, Any], key: str) -> str:
    """Return a title on one line, as text: feedparser says when a feed wrote it in HTML."""
    value = str(element.get(key) or "")
    detail = element.get(f"{key}_detail") or {}
    if detail.get("type") in ("text/html", "application/xhtml+xml"):
        value = text_of_html(value)
    return " ".join(value.split())


def _date(entry: Mapping[str, Any], problems: list[str]) -> dt.date | None:
    for key in ("published", "updated", "created"):
        written = entry.get(key)
        if not written:
            continue
        parsed: time.struct_time | None = entry.get(f"{key}_parsed")
        if parsed is not None:
            return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        return parse_date(str(written), problems)
    return None


def text_of_html(html: str) -> str:
    """Return the text of an HTML fragment, a blank line between paragraphs."""
    if not html.strip():
        return ""
    if "<" not in html:
        return "\n\n".join(" ".join(p.split()) for p in html.split("\n\n") if p.strip())
    # Imported here: lxml comes with trafilatura, and only feeds with HTML items need it.
    import lxml.html

    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.iter(*BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
    paragraphs = (" ".join(part.split()) for part in root.text_content().split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)

"""Read saved web pages (``.html``/``.htm``) with trafilatura.

trafilatura finds the main text and leaves out menus, cookie banners,
comments and related links; it reads the title, author, site name, canonical
URL and (through htmldate) the publication date.  The language is the one the
page declares (``<html lang>`` or a ``Content-Language`` meta tag).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from searchkit.articles.dates import date_order, parse_date
from searchkit.articles.model import Article
from searchkit.articles.parse import derive_title, split_authors
from searchkit.articles.readers import Source

__all__ = ["article_from_html", "read_html"]

#: A page whose main text is shorter than this many characters (a list of links,
#: a page that needs JavaScript, a paywall stub) is still indexed, with a warning.
MIN_MAIN_TEXT_CHARS = 200


def read_html(source: Source) -> Iterator[Article]:
    """Read one saved page as one article."""
    data = source.read_bytes()
    if data is None:
        return
    problems: list[str] = []
    article = article_from_html(
        data, id=source.article_id, path=source.where, meta=source.meta, problems=problems
    )
    if article is None:
        source.skip("no main text found (a list of links, or a page that needs JavaScript?)")
        return
    for problem in problems:
        source.warn(problem)
    yield article


def article_from_html(
    data: bytes | str,
    *,
    id: str,
    path: str = "",
    meta: Mapping[str, str] | None = None,
    problems: list[str] | None = None,
) -> Article | None:
    """Return the article a web page holds, or None when it has no main text.

    ``meta`` (``sources.csv`` fields, or a WARC record's URL as ``url``)
    overrides what the page says; problems are appended to ``problems``.
    """
    # Imported here: trafilatura and lxml take ~0.3 s to load, and only pages need them.
    import trafilatura
    from trafilatura.utils import load_html

    meta = meta or {}
    problems = problems if problems is not None else []
    tree = load_html(data)
    if tree is None:
        return None
    language = meta.get("language") or _declared_language(tree)
    document = trafilatura.bare_extraction(
        tree,
        url=meta.get("url") or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
    )
    text = getattr(document, "text", None) or ""
    paragraphs = [" ".join(line.split()) for line in text.split("\n")]
    body = "\n\n".join(p for p in paragraphs if p)
    if not body:
        return None
    if len(body) < MIN_MAIN_TEXT_CHARS:
        problems.append(f"main text only {len(body)} characters; is the page complete?")
    author = meta.get("author") or getattr(document, "author", None) or None
    title = meta.get("title") or " ".join((getattr(document, "title", None) or "").split())
    return Article(
        id=id,
        path=path,
        title=title or derive_title(body),
        body=body,
        date=_date(meta, document, problems),
        source=meta.get("source") or _outlet(document, title),
        url=meta.get("url") or getattr(document, "url", None) or None,
        author=author,
        authors=split_authors(author),
        language=language,
        section=meta.get("section") or None,
        problems=tuple(problems),
    )


def _date(meta: Mapping[str, str], document: Any, problems: list[str]) -> dt.date | None:
    if meta.get("date"):
        return parse_date(meta["date"], problems, order=date_order(meta, problems))
    found = getattr(document, "date", None)
    return parse_date(found, problems) if found else None


def _outlet(document: Any, title: str) -> str | None:
    """Return the site's name, or its host name when the page gives its title as its name."""
    for name in (getattr(document, "sitename", None), getattr(document, "hostname", None)):
        name = " ".join(str(name or "").split())
        if name and name.casefold() != title.casefold():
            return name
    return None


def _declared_language(tree: Any) -> str | None:
    """Return the language a page declares for itself, as written (``en``, ``en-GB``)."""
    declared = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not declared:
        tags = tree.xpath(
            "//meta[translate(@http-equiv,'CONTENT-LANGUAGE','content-language')"
            "='content-language']/@content|//meta[@property='og:locale']/@content"
        )
        declared = tags[0] if tags else None
    return str(declared).strip().replace("_", "-") or None if declared else None

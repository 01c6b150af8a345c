"""Read article files and records into :class:`Article` objects.

An article file is plain text (``.txt``/``.md``) as a reader sees it: maybe a
``key: value`` header block or a ``date YYYY-MM-DD PLACE –`` line, a few short
heading lines, the body, and publisher boilerplate at the end.  A record file
(``.jsonl``) holds one article per line as a JSON object with ``id``, ``title``,
``text`` and optional ``date``, ``source``, ``url``, ``dateline``, ``author``.

Where the text does not name its outlet, a ``sources.csv`` file in the same
folder supplies it (and any other header field) per file::

    file,source
    000_f4a1817f0992edb7.txt,The Straits Times

Parsing (:func:`parse_article`, :func:`parse_record`) is pure; reading files
(:func:`read_articles`) lives at the edge and reports each bad file through a
callback so one bad article never spoils the rest.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import errno
import hashlib
import json
import os
import re
import stat
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from searchkit.analysis.sentences import first_sentence
from searchkit.errors import ArticleError

__all__ = ["ARTICLE_SUFFIXES", "Article", "parse_article", "parse_record", "read_articles"]

#: Bumped whenever parsing (or quote extraction) changes what an article looks
#: like, so an incremental update re-indexes every article parsed the old way.
#: 2: outlet names and quote attribution bounded on hostile text (issue 10);
#: 3: speaker attribution with gender, addressees and dialogue turns (issue 13),
#: written dates (``Published: March 3, 2024``), authors and language (issue 12);
#: 4: single, German and French quote marks; partial quotes kept from scare quotes;
#: attribution reads sentences from the shared splitter (issue 13).
PARSER_VERSION = 4

ARTICLE_SUFFIXES = frozenset({".txt", ".md"})
RECORD_SUFFIXES = frozenset({".jsonl"})
METADATA_FILE = "sources.csv"
HEADER_KEYS = frozenset(
    {"title", "source", "date", "url", "author", "dateline", "section", "language", "date-order"}
)
#: Header keys that name the date under another word.
DATE_KEYS = frozenset({"published", "posted", "updated", "dated", "pubdate"})
#: How a numeric date such as 03/04/2024 is read unless a header or ``sources.csv``
#: says ``date-order: MDY``: day first, as in most of the world's press.
DEFAULT_DATE_ORDER = "DMY"
DATE_ORDERS = frozenset({"DMY", "MDY", "YMD"})
#: A date written out (``3 March 2024``) is looked for in this many first lines.
MAX_DATE_LINES = 3
MAX_DATE_LINE_CHARS = 80
MAX_HEADINGS = 4
MAX_HEADING_CHARS = 140
MAX_DERIVED_TITLE_CHARS = 90
#: A .jsonl file larger than this is skipped; it is read into memory whole.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: One article (a .txt/.md file, a JSONL record) larger than this is skipped: no news
#: story is that long, and a 50 MB one takes minutes and ~600 MB of memory to index.
MAX_ARTICLE_BYTES = 8 * 1024 * 1024
#: A text file may hold this many NUL bytes (padding, a botched export) and still be text.
MAX_STRAY_NULS = 8
#: Text that is not UTF-8 is read as Windows-1252 (a superset of Latin-1 for printable
#: text, the encoding of most older Western news exports) unless charset-normalizer
#: clearly finds another encoding: on a few lines it cannot tell French from Latvian.
FALLBACK_ENCODING = "cp1252"
#: A note about lines that were repaired names at most this many of them.
MAX_LINES_NAMED = 10
FUTURE_DATE_SLACK = dt.timedelta(days=2)

OnProblem = Callable[[ArticleError], None]
_HASHED_FIELDS = (
    "id",
    "title",
    "body",
    "path",
    "date",
    "dateline",
    "source",
    "url",
    "author",
    "authors",
    "language",
    "section",
    "kicker",
    "boilerplate",
)


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as searchkit indexes it."""

    id: str
    title: str
    body: str
    path: str = ""
    date: dt.date | None = None
    dateline: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    #: Each author named, where the source lists them (``author`` joins them with "; ").
    authors: tuple[str, ...] = ()
    #: The language the source declares (``<html lang>``, a feed's or record's), as given.
    language: str | None = None
    section: str | None = None
    kicker: str | None = None
    boilerplate: str = ""
    problems: tuple[str, ...] = field(default=(), compare=False)
    #: The line of a JSONL record in its file when read (0 for an article file);
    #: not part of ``path`` or the content hash, since records move between lines.
    line: int = 0

    @property
    def location(self) -> str:
        """Where the article was read: its file, and for a JSONL record its line."""
        return f"{self.path}:{self.line}" if self.line else self.path

    @property
    def content_hash(self) -> str:
        """Return a digest of everything indexed about the article.

        A record's line number is left out: a line added above it does not change it.
        """
        # Field by field rather than dataclasses.asdict, whose deep copy cost
        # more than the hashing on a 21k-article build.
        digest = hashlib.blake2b(digest_size=16)
        digest.update(f"searchkit-article-{PARSER_VERSION}".encode())
        for name in _HASHED_FIELDS:
            value = getattr(self, name)
            text = value.isoformat() if isinstance(value, dt.date) else str(value)
            digest.update(f"\x00{name}\x00{len(text)}\x00{text}".encode())
        return digest.hexdigest()

    def to_dict(self) -> dict[str, object]:
        """Return the article as JSON-ready data."""
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        data["problems"] = list(self.problems)
        data["authors"] = list(self.authors)
        data["content_hash"] = self.content_hash
        return data


# ---------------------------------------------------------------- text parsing

_DATE_LINE = re.compile(r"\A[ \t]*date[ \t]+(\S+)[ \t]*(.*)", re.IGNORECASE)
_HEADER_LINE = re.compile(r"\A([A-Za-z][\w-]{0,30})[ \t]*:[ \t]*(.*)\Z")
# A dateline is the place name in capitals before a dash: "SEOUL –",
# "NEW YORK, Jan 2 (Reuters) -", "SALVADOR, Feb 26 -".
_DATELINE = re.compile(
    r"\A(?P<place>[A-Z][A-Z .'’&/-]*?[A-Z.])(?:,[^–—\n-]{0,40})?[ \t]*[–—-]+(?:[ \t]+|\Z)"
)
# On a ``date`` header line whatever stands before the dash is the dateline.
_HEADER_DATELINE = re.compile(r"\A(?P<place>[^–—\n]{1,40}?)[ \t]+[–—-]+(?:[ \t]+|\Z)")
_ISO_DATE = re.compile(r"\A(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?\Z")
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")
_WIRE_SIGNOFF = re.compile(r"\n?[ \t]*(REUTER|Reuter|REUTERS)[ \t]*\Z")
# Closing paragraphs a publisher adds that are not part of the story.
_BOILERPLATE = re.compile(
    r"©|\(c\) ?\d{4}|\bcopyright\b|all rights reserved|\bsponsored by\b|\bdisclaimer\b"
    r"|views expressed|no responsibility|\bendorses?\b|owned and (?:maintained|operated) by"
    r"|\breporting by\b|\bediting by\b|\bsubscribe\b|\bterms of (?:use|service)\b",
    re.IGNORECASE,
)
# Every _BOILERPLATE match contains one of these (lowercased); checking for them
# first is ten times faster than the case-blind alternation on most paragraphs.
_BOILERPLATE_HINTS = (
    "©", "(c)", "copyright", "all rights", "sponsored", "disclaimer", "views expressed",
    "no responsibility", "endorse", "owned and", "reporting by", "editing by", "subscribe",
    "terms of",
)  # fmt: skip
# An outlet's name has at most this many words after its first; unbounded, the
# pattern reread the rest of a footer from every "The" in it (quadratic).
OUTLET_MAX_WORDS = 8
_OUTLET_IN_FOOTER = re.compile(
    r"\b[Tt]he ((?:[A-Z][\w&’'.-]*)"
    rf"(?: (?:(?:in|of|the|and|on|for) ){{0,{OUTLET_MAX_WORDS}}}[A-Z][\w&’'.-]*)"
    rf"{{0,{OUTLET_MAX_WORDS}}})"
    r" (?:website|web site|newspaper|magazine|news ?paper)\b"
)
_COPYRIGHT_HOLDER = re.compile(
    r"(?:©|\(c\)|copyright)[ \t]*(?:\d{4}[ \t]*)?([A-Z][\w&’'. -]{1,60}?)\.?[ \t]*"
    r"(?:All rights reserved|$)",
    re.IGNORECASE | re.MULTILINE,
)


def parse_article(
    text: str, *, id: str, path: str = "", meta: Mapping[str, str] | None = None
) -> Article:
    """Parse an article file's text; ``meta`` (from ``sources.csv``) overrides the text."""
    problems: list[str] = []
    text = _normalise_newlines(_scrub(text, "text", problems))
    id, path = _scrub(id, "id", problems), _scrub(path, "path", problems)
    meta = {key: _scrub(value, key, problems) for key, value in (meta or {}).items()}
    header, text, unknown = _split_header(text)
    for line, key in unknown:
        known = ", ".join(sorted(HEADER_KEYS))
        problems.append(f"line {line}: unknown header key {key!r} ignored (known: {known})")
    first, _, rest = text.lstrip(" \t\n").partition("\n")
    date_match = _DATE_LINE.match(first)
    if date_match:
        header.setdefault("date", date_match.group(1))
        remainder = date_match.group(2)
        place = _DATELINE.match(remainder) or _HEADER_DATELINE.match(remainder)
        if place:
            header.setdefault("dateline", place.group("place"))
            remainder = remainder[place.end() :]
        text = remainder + "\n" + rest if remainder.strip() else rest
    header.update({k: v for k, v in meta.items() if v})
    order = date_order(header, problems)
    if "date" not in header:
        text, written = _take_date_line(text, order or DEFAULT_DATE_ORDER)
        if written:
            header["date"] = written

    paragraphs = _paragraphs(text)
    headings: list[str] = []
    while len(paragraphs) > 1 and len(headings) < MAX_HEADINGS and _is_heading(paragraphs[0]):
        headings.append(paragraphs.pop(0))
    if paragraphs and "dateline" not in header:
        place = _DATELINE.match(paragraphs[0])
        if place:
            header["dateline"] = place.group("place")
            paragraphs[0] = paragraphs[0][place.end() :]
    body_paragraphs, boilerplate, signoff = _split_boilerplate(paragraphs)
    body = "\n\n".join(body_paragraphs)

    title = header.get("title") or (headings[-1] if headings else derive_title(body))
    kicker = " / ".join(headings[1:-1] if len(headings) > 2 else headings[:-1]) or None
    section = header.get("section") or (headings[0] if len(headings) > 2 else None)
    source = header.get("source") or _outlet_from_text(boilerplate) or signoff
    return Article(
        id=id,
        path=path,
        title=title,
        body=body,
        date=parse_date(header.get("date"), problems, order=order)
        or _date_in_url(header.get("url")),
        dateline=header.get("dateline") or None,
        source=source,
        url=header.get("url") or None,
        author=header.get("author") or None,
        authors=split_authors(header.get("author")),
        language=header.get("language") or None,
        section=section,
        kicker=kicker,
        boilerplate="\n\n".join(boilerplate),
        problems=tuple(problems),
    )


#: The names crawlers and exporters give each article field, tried in this order:
#: searchkit's own, then news-please, trafilatura, Media Cloud and GDELT.
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "stories_id", "guid", "fingerprint"),
    "title": ("title", "headline", "title_page", "title_rss"),
    "text": ("text", "body", "maintext", "content", "raw_text", "article_text", "full_text"),
    "date": (
        "date", "publish_date", "date_publish", "published", "publication_date",
        "published_at", "pubdate", "datePublished", "seendate",
    ),
    "source": (
        "source", "media_name", "sitename", "source_domain", "source-hostname", "outlet",
        "publisher", "domain", "hostname",
    ),
    "url": ("url", "link", "canonical_url", "source"),
    "dateline": ("dateline",),
    "author": ("author", "authors", "byline", "creator"),
    "language": ("language", "lang"),
    "date-order": ("date-order",),
}  # fmt: skip
_URL = re.compile(r"\Ahttps?://", re.IGNORECASE)


def check_field_map(field_map: Mapping[str, str] | None) -> dict[str, str]:
    """Return ``field_map`` (article field -> column or key) checked against the fields known."""
    for name, column in (field_map or {}).items():
        if name not in RECORD_FIELDS:
            known = ", ".join(sorted(RECORD_FIELDS))
            raise ArticleError("field map", f"unknown article field {name!r} (known: {known})")
        if not isinstance(column, str) or not column:
            raise ArticleError("field map", f"field {name!r} needs a column name")
    return dict(field_map or {})


def parse_record(
    record: object,
    *,
    path: str = "",
    line: int = 0,
    field_map: Mapping[str, str] | None = None,
    warn_no_text: bool = True,
) -> Article:
    """Build an article from one JSONL record or CSV row, checking each field's type.

    Each field is read from the first key of :data:`RECORD_FIELDS` the record
    has (``body`` or ``maintext`` for ``text``, say), or from the key
    ``field_map`` names for it.  A record with a title but no text is indexed
    by its title, with a warning in its ``problems`` (unless not ``warn_no_text``:
    a CSV reader says it once for all its rows).
    """
    where = f"{path}:{line}" if line else path
    if not isinstance(record, dict):
        raise ArticleError(where, "expected a JSON object with id, title and text")
    problems: list[str] = []
    values = {
        name: _record_value(record, name, field_map or {}, where, problems)
        for name in RECORD_FIELDS
    }
    values["id"] = values["id"] or values["url"]
    if not values["id"]:
        raise ArticleError(where, "missing field 'id' (and no 'url'): give every record an id")
    if not values["text"] and not values["title"]:
        raise ArticleError(where, f"record {values['id']!r} has no text and no title; skipped")
    if not values["text"] and warn_no_text:
        names = ", ".join(RECORD_FIELDS["text"][:4])
        problems.append(f"record {values['id']!r} has no text ({names}); indexed by its title only")
    paragraphs = _paragraphs(_normalise_newlines(values["text"] or ""))
    body_paragraphs, boilerplate, signoff = _split_boilerplate(paragraphs)
    body = "\n\n".join(body_paragraphs)
    dateline = values["dateline"]
    if dateline:
        place = _DATELINE.match(dateline.strip() + " ")
        dateline = place.group("place") if place else dateline.strip(" -–—")
    order = date_order({"date-order": values["date-order"] or ""}, problems)
    return Article(
        id=str(values["id"]),
        # The file, not the line: lines move when records are added above, and an
        # update must leave the index as a rebuild would (the id finds the record).
        path=path or where,
        title=_clean_line(values["title"] or "") or derive_title(body),
        body=body,
        date=parse_date(values["date"], problems, order=order) or _date_in_url(values["url"]),
        dateline=dateline or None,
        source=values["source"] or _outlet_from_text(boilerplate) or signoff,
        url=values["url"],
        author=values["author"],
        authors=split_authors(values["author"]),
        language=values["language"],
        boilerplate="\n\n".join(boilerplate),
        problems=tuple(problems),
        line=line,
    )


def _record_value(
    record: dict[str, object],
    name: str,
    field_map: Mapping[str, str],
    where: str,
    problems: list[str],
) -> str | None:
    """Return field ``name`` of a record: the first of its names that holds a value."""
    keys = (field_map[name],) if name in field_map else RECORD_FIELDS[name]
    for key in keys:
        value = record.get(key)
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, int) and not isinstance(value, bool) and name == "id":
            value = str(value)
        if isinstance(value, list) and name == "author":
            if not all(isinstance(item, str) for item in value):
                raise ArticleError(where, f"field {key!r} must be a list of names")
            value = "; ".join(value)
        if not isinstance(value, str):
            kind = type(value).__name__
            raise ArticleError(where, f"field {key!r} must be a string, not {kind}")
        # trafilatura's JSON calls the page's URL "source": it is no outlet name.
        if name == "source" and key == "source" and _URL.match(value):
            continue
        if name == "url" and not _URL.match(value) and key == "source":
            continue
        return _scrub(value, f"field {key!r}", problems)
    return None


# JSON's "\ud83d" escape (half an emoji, cut by a truncating exporter) decodes to a
# lone surrogate, which cannot be encoded as UTF-8: Whoosh would fail on it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _scrub(text: str, what: str, problems: list[str]) -> str:
    """Replace lone surrogates in ``text`` with U+FFFD, noting it in ``problems``."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    text, count = _SURROGATE.subn("\ufffd", text)
    problems.append(f"{what}: {count} lone surrogate(s) (half an emoji?) replaced with U+FFFD")
    return text


def _normalise_newlines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text


def _split_header(text: str) -> tuple[dict[str, str], str, list[tuple[int, str]]]:
    """Split off a ``key: value`` block (or ``---`` front matter) that names a known key.

    Also return the (line number, key) of each header line whose key is unknown.
    """
    stripped = text.lstrip("\n")
    fenced = stripped.startswith("---\n")
    first_line = len(text) - len(stripped) + 1 + fenced
    if fenced:
        end = stripped.find("\n---", 4)
        if end < 0:
            return {}, text, []
        block, rest = stripped[4:end], stripped[end + 4 :].lstrip("-")
    else:
        block, _, rest = stripped.partition("\n\n")
    header: dict[str, str] = {}
    unknown: list[tuple[int, str]] = []
    for number, line in enumerate(block.split("\n"), start=first_line):
        match = _HEADER_LINE.match(line.strip())
        if not match:
            return {}, text, []
        key = match.group(1).lower()
        key = "date" if key in DATE_KEYS else key
        if key in HEADER_KEYS:
            header[key] = match.group(2).strip()
        else:
            unknown.append((number, match.group(1)))
    if not header:
        return {}, text, []
    return header, rest, unknown


def _paragraphs(text: str) -> list[str]:
    """Split text into paragraphs, rejoining hard-wrapped lines.

    Wire copy (Reuters) wraps lines at 65 columns and starts each paragraph
    with an indent instead of a blank line, so an indented line starts a
    paragraph too.
    """
    paragraphs: list[str] = []
    for block in _BLANK_LINES.split(text):
        current: list[str] = []
        for line in block.split("\n"):
            if current and line[:1] in (" ", "\t") and line.strip():
                paragraphs.append(" ".join(current))
                current = []
            if line.strip():
                current.append(line.strip())
        if current:
            paragraphs.append(" ".join(current))
    return [re.sub(r"[ \t]{2,}", " ", p) for p in paragraphs]


def _is_heading(paragraph: str) -> bool:
    if len(paragraph) > MAX_HEADING_CHARS or paragraph[:1] in "“\"‘'(":
        return False
    return not paragraph.rstrip("”\"’' ").endswith((".", ",", ";", ":"))


def _split_boilerplate(paragraphs: list[str]) -> tuple[list[str], list[str], str | None]:
    """Split trailing publisher paragraphs (and a wire sign-off) from the story."""
    body = list(paragraphs)
    signoff = None
    if body:
        match = _WIRE_SIGNOFF.search(body[-1])
        if match:
            signoff = "Reuters"
            body[-1] = body[-1][: match.start()].rstrip()
            if not body[-1]:
                body.pop()
    boilerplate: list[str] = []
    while len(body) > 1 and _is_boilerplate(body[-1]):
        boilerplate.append(body.pop())
    boilerplate.reverse()
    return body, boilerplate, signoff


def _is_boilerplate(paragraph: str) -> bool:
    lower = paragraph.lower()
    return any(hint in lower for hint in _BOILERPLATE_HINTS) and bool(
        _BOILERPLATE.search(paragraph)
    )


def _outlet_from_text(boilerplate: list[str]) -> str | None:
    text = "\n".join(boilerplate)
    match = _OUTLET_IN_FOOTER.search(text)
    if match:
        return match.group(1)
    match = _COPYRIGHT_HOLDER.search(text)
    return match.group(1).strip() if match else None


def derive_title(body: str) -> str:
    """Use the lead sentence as the title of an article that has no headline."""
    lead = first_sentence(body)
    if len(lead) <= MAX_DERIVED_TITLE_CHARS:
        return lead
    return lead[:MAX_DERIVED_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:–- ") + "…"


def _clean_line(text: str) -> str:
    return " ".join(text.split())


def split_authors(value: str | None) -> tuple[str, ...]:
    """Split an author line ("A; B", "A and B", "By A, B") into names."""
    if not value:
        return ()
    value = _BYLINE.sub("", value.strip())
    names = (" ".join(name.split()) for name in _AUTHOR_SEPARATOR.split(value))
    return tuple(name for name in names if name)


_BYLINE = re.compile(r"\A(?:by|von|par|por)\s+", re.IGNORECASE)
_AUTHOR_SEPARATOR = re.compile(r"\s*(?:;|,|\||\band\b|&)\s*")


def parse_date(
    value: str | None, problems: list[str], *, order: str | None = None
) -> dt.date | None:
    """Read a written date: ISO, ``3 March 2024``, ``March 3, 2024``, ``03/03/2024``, RFC 2822.

    A numeric date is read in ``order`` (``DMY``, ``MDY`` or ``YMD``); without
    one, day first, and where both orders give a real date a warning says so.  Problems are
    appended to ``problems``; the date is then None.
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    match = _ISO_DATE.match(value)
    if match:
        try:
            date = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            problems.append(f"date {value!r} does not exist; indexed without a date")
            return None
    else:
        written = _written_date(value, order or DEFAULT_DATE_ORDER)
        if written is None:
            problems.append(
                f"date {value!r} is not a date searchkit can read (2024-03-03, 3 March 2024, "
                "03/03/2024, RFC 2822); indexed without a date"
            )
            return None
        date = written
        numeric = _NUMERIC_DATE.match(value)
        if numeric and order is None:
            first, second = int(numeric.group(1)), int(numeric.group(2))
            if first != second and first <= 12 and second <= 12:
                problems.append(
                    f"date {value!r} read as {date.isoformat()} ({DEFAULT_DATE_ORDER}); "
                    "add 'date-order: MDY' to the header or sources.csv if that is wrong"
                )
    if date > dt.date.today() + FUTURE_DATE_SLACK:
        problems.append(f"date {value!r} is in the future; kept as written")
    return date


# A numeric date: two numbers and a year, e.g. 03/04/2024 or 3.4.24.
_NUMERIC_DATE = re.compile(r"\A(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# What a line must hold to be worth asking the date parser about: a year and a
# month name, or a numeric date.  "2024 Olympics" and "1984" are headlines.
_DATE_HINT = re.compile(
    r"\A(?:19|20)\d{6}T\d|"  # GDELT's 20240303T120000Z
    rf"(?:\b(?:{_MONTH})\b.*\b(?:1[89]|20)\d\d\b|\b(?:1[89]|20)\d\d\b.*\b(?:{_MONTH})\b)"
    r"|\A\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\A\d{4}[/.-]\d{1,2}[/.-]\d{1,2}\b",
    re.IGNORECASE,
)
# "Published on", "Posted:", "Last updated" before a date line.
_DATE_LABEL = re.compile(
    r"\A(?:(?:first |last )?(?:published|posted|updated|dated?|pubdate)(?: on)?[ \t]*:?[ \t]*)",
    re.IGNORECASE,
)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:/|-|\b)")


def _written_date(value: str, order: str) -> dt.date | None:
    """Parse a date written out in full with python-dateutil, or return None."""
    # Imported here: only dates that are not ISO need it.
    import warnings

    from dateutil import parser

    value = _DATE_LABEL.sub("", value)
    if len(value) > MAX_DATE_LINE_CHARS or not _DATE_HINT.search(value):
        return None
    dates = []
    # Parsed against two different defaults: a date that names no day ("March
    # 2024") takes the default's, so the two parses differ and it is refused.
    for default in (dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2)):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # unknown time zones ("ET"): only the day matters
                moment = parser.parse(
                    value,
                    default=default,
                    dayfirst=order == "DMY",
                    yearfirst=order == "YMD",
                    ignoretz=True,
                )
        except (ValueError, OverflowError):
            return None
        dates.append(moment.date())
    return dates[0] if dates[0] == dates[1] else None


def _take_date_line(text: str, order: str) -> tuple[str, str | None]:
    """Take a date written on one of the first lines (``Published: March 3, 2024``) off ``text``."""
    lines = text.split("\n")
    seen = 0
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        if seen == MAX_DATE_LINES or len(line) > MAX_HEADING_CHARS:
            break
        seen += 1
        if _written_date(line.strip(), order) is not None:
            return "\n".join(lines[:number] + lines[number + 1 :]), line.strip()
    return text, None


def date_order(header: Mapping[str, str], problems: list[str]) -> str | None:
    """Return the date order a header or ``sources.csv`` gives, or None."""
    order = header.get("date-order", "").strip().upper()
    if order and order not in DATE_ORDERS:
        known = ", ".join(sorted(DATE_ORDERS))
        problems.append(f"date-order {order!r} unknown (known: {known}); ignored")
        return None
    return order or None


def _date_in_url(url: str | None) -> dt.date | None:
    """Return the date a URL path holds (``/2024/03/03/``), a fallback for undated articles."""
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


# ---------------------------------------------------------------- file reading


def read_articles(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    on_problem: OnProblem | None = None,
    follow_links: bool = False,
    field_map: Mapping[str, str] | None = None,
) -> Iterator[Article]:
    """Yield the articles in files and folders (recursively), in a stable order.

    Besides text and JSONL, the formats of :data:`searchkit.articles.readers.READERS` are
    read (web pages, feeds, WARC, CSV, PDF).  ``field_map`` (article field ->
    column or key, e.g. ``{"text": "story"}``) says where CSV and JSONL records
    keep a field whose name searchkit does not know.

    A file or record that cannot be read is reported to ``on_problem`` and
    skipped; without a callback the first problem raises :class:`ArticleError`.
    Warnings about an article that was still read (an impossible date, say)
    are reported with ``skipped=False``, and so is each symlink not followed:
    one that leads outside the folder given (unless ``follow_links``), a loop,
    or a second way into a folder read already.
    """

    def report(problem: ArticleError) -> None:
        if on_problem is None:
            raise problem
        on_problem(problem)

    fields = check_field_map(field_map)
    metadata: dict[Path, dict[str, dict[str, str]]] = {}
    for root in _as_paths(paths):
        if not root.exists():
            raise ArticleError(str(root), "no such file or folder; check the path")
        # A link into another folder given is not followed either: that folder is read itself.
        bound = None if follow_links else os.path.realpath(root)
        for file, article_id in _walk(root, report, bound):
            if file.parent not in metadata:
                metadata[file.parent] = _folder_metadata(file.parent, report, bound)
            meta = metadata[file.parent].get(file.name, {})
            yield from _read_file(file, article_id, meta, report, fields)


def _as_paths(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    return [Path(p) for p in paths]


def _walk(root: Path, report: OnProblem, bound: str | None) -> Iterator[tuple[Path, str]]:
    """Yield (file, id) pairs: the id is the path below ``root`` without its suffix.

    Every folder is read once, however many links lead to it: real folders
    first, so their files keep the ids of their real paths, then folders
    reached through symlinks.  With ``bound`` (a real path), a symlink whose
    target lies outside it is not followed.
    """
    if not root.is_dir():
        yield root, root.stem
        return
    suffixes = ARTICLE_SUFFIXES | RECORD_SUFFIXES
    seen: set[tuple[int, int]] = set()
    pending, linked = [root], deque[Path]()
    while pending or linked:
        folder = pending.pop() if pending else linked.popleft()
        try:
            info = folder.stat()
            if (info.st_dev, info.st_ino) in seen:
                report(ArticleError(_printable(str(folder)), _revisit(folder), skipped=False))
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            hint = _OS_HINTS.get(exc.errno or 0, "skipped")
            where = _printable(str(exc.filename or folder))
            report(ArticleError(where, f"cannot read folder ({exc.strerror}); {hint}"))
            continue
        folders: list[Path] = []
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()  # follows symlinks; False for a broken one
            except OSError:  # a symlink loop: reading it as a file reports it
                is_dir = False
            if not is_dir and not _is_article_file(path, suffixes):
                continue
            if bound is not None and entry.is_symlink():
                target = os.path.realpath(entry.path)
                if not _is_within(target, bound):
                    message = (
                        f"symlink to {_printable(target)}, outside the folder indexed; "
                        "not followed (--follow-links follows it)"
                    )
                    report(ArticleError(_printable(entry.path), message, skipped=False))
                    continue
            if not is_dir:
                yield path, path.relative_to(root).with_suffix("").as_posix()
            elif entry.is_symlink():
                linked.append(path)
            else:
                folders.append(path)
        pending.extend(reversed(folders))  # depth first, in name order


def _is_article_file(path: Path, suffixes: frozenset[str]) -> bool:
    if path.suffix.lower() in suffixes:
        return True
    from searchkit.articles.readers import reader_for

    return path.name != METADATA_FILE and reader_for(path) is not None


def _revisit(folder: Path) -> str:
    """Say why a folder reached a second time is not read again."""
    target = os.path.realpath(folder)
    parents = (os.path.abspath(folder.parent), os.path.realpath(folder.parent))
    if any(_is_within(parent, target) for parent in parents):
        return "symlink loop; not followed"
    return f"symlink to {_printable(target)}, a folder read already; not followed"


def _is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


# What to do about an OSError, by errno; the rest are just skipped.
_OS_HINTS = {
    errno.EACCES: "check its permissions; skipped",
    errno.EPERM: "check its permissions; skipped",
    errno.ENOENT: "a broken symlink, or deleted while reading; skipped",
    errno.ELOOP: "a symlink loop; skipped",
}


def _printable(text: str) -> str:
    r"""Return a path with bytes that are not UTF-8 shown as ``\xNN``, so it can be stored."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _read_file(
    file: Path,
    article_id: str,
    meta: dict[str, str],
    report: OnProblem,
    field_map: Mapping[str, str],
) -> Iterator[Article]:
    where, article_id = _printable(str(file)), _printable(article_id)
    if where != str(file):
        message = f"file name is not UTF-8; indexed as id '{article_id}', rename the file"
        report(ArticleError(where, message, skipped=False))
    try:
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):
            report(ArticleError(where, "not a regular file (a pipe or device?); skipped"))
            return
        if file.suffix.lower() in RECORD_SUFFIXES:
            yield from _stream_records(file, where, report, field_map)
            return
        if file.suffix.lower() not in ARTICLE_SUFFIXES:
            from searchkit.articles.readers import Source, read_source, reader_for

            kind = reader_for(file)
            if kind is not None:
                source = Source(file, where, article_id, report, meta, field_map)
                yield from read_source(kind, source)
                return
        if info.st_size > MAX_ARTICLE_BYTES:
            size, most = info.st_size / 2**20, MAX_ARTICLE_BYTES // 2**20
            message = f"{size:.1f} MB, over the {most} MB limit for an article; split it; skipped"
            report(ArticleError(where, message))
            return
        data = file.read_bytes()
    except OSError as exc:
        hint = _OS_HINTS.get(exc.errno or 0, "skipped")
        report(ArticleError(where, f"cannot read ({exc.strerror}); {hint}"))
        return
    try:
        text, notes = _decode(data)
    except ValueError as exc:
        report(ArticleError(where, str(exc)))
        return
    article = parse_article(text, id=article_id, path=where, meta=meta)
    if not article.body.strip() and not article.title.strip():
        report(ArticleError(where, "empty article (no title, no text); skipped"))
        return
    for problem in [*notes, *article.problems]:
        report(ArticleError(where, problem, skipped=False))
    yield article


def _stream_records(
    file: Path, where: str, report: OnProblem, field_map: Mapping[str, str]
) -> Iterator[Article]:
    """Read a JSONL file line by line, so an export of any size needs little memory.

    JSON is UTF-8 (RFC 8259); a UTF-16 file, which cannot be split on newline
    bytes, is decoded whole instead, within the article size limit.
    """
    with open(file, "rb") as handle:
        head = handle.read(8192)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            if file.stat().st_size > MAX_FILE_BYTES:
                most = MAX_FILE_BYTES // 2**20
                report(ArticleError(where, f"UTF-16 .jsonl over {most} MB; save it as UTF-8"))
                return
            yield from _read_records(where, head + handle.read(), report, field_map)
            return
        try:
            _refuse_binary(head.removeprefix(b"\xef\xbb\xbf"))
        except ValueError as exc:
            report(ArticleError(where, str(exc)))
            return
        handle.seek(0)
        for number, raw in enumerate(handle, start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            line, bad = _decode_line(raw)
            if bad:
                note = (
                    "not UTF-8; read as Windows-1252"
                    if bad == READ_AS_FALLBACK
                    else f"invalid UTF-8; {bad} bad byte(s) replaced with U+FFFD"
                )
                report(ArticleError(f"{where}:{number}", note, skipped=False))
            yield from _parse_line(where, number, line, report, field_map)


def _parse_line(
    file: str, number: int, line: str, report: OnProblem, field_map: Mapping[str, str]
) -> Iterator[Article]:
    where = f"{file}:{number}"
    if len(line) > MAX_ARTICLE_BYTES:
        most = MAX_ARTICLE_BYTES // 2**20
        report(ArticleError(where, f"record over the {most} MB limit for an article; skipped"))
        return
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        report(ArticleError(where, f"broken JSON ({exc.msg} at column {exc.colno}); skipped"))
        return
    try:
        article = parse_record(record, path=file, line=number, field_map=field_map)
    except ArticleError as exc:
        report(exc)
        return
    for problem in article.problems:
        report(ArticleError(where, problem, skipped=False))
    yield article


def _read_records(
    file: str, data: bytes, report: OnProblem, field_map: Mapping[str, str]
) -> Iterator[Article]:
    try:
        text, notes = _decode(data)
    except ValueError as exc:
        report(ArticleError(file, str(exc)))
        return
    for note in notes:
        report(ArticleError(file, note, skipped=False))
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield from _parse_line(file, number, line, report, field_map)


def decode(data: bytes) -> str:
    """Decode an article file's bytes, recognising BOMs, legacy encodings and mixed files.

    Text that is not UTF-8 at all is read in the encoding charset-normalizer
    detects, Windows-1252 where it cannot tell.  In a UTF-8 file, a line that
    is not UTF-8 (Latin-1 pasted into UTF-8 text) is read as Windows-1252 when
    it decodes as that and holds nothing like a UTF-8 sequence; other bad bytes
    are replaced by U+FFFD.
    """
    return _decode(data)[0]


def decode_with_notes(data: bytes) -> tuple[str, list[str]]:
    """Decode like :func:`decode`; also return notes on what was guessed or repaired.

    Raises ValueError, saying why, for bytes that are not text.
    """
    return _decode(data)


def _decode(data: bytes) -> tuple[str, list[str]]:
    """Decode like :func:`decode`; also return notes on what was guessed or repaired."""
    if not data.strip():
        raise ValueError("empty file; skipped")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise ValueError(f"broken UTF-16 at byte {exc.start}; skipped") from exc
    data = data.removeprefix(b"\xef\xbb\xbf")
    _refuse_binary(data)
    notes: list[str] = []
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        notes.append(f"line {line}: {data.count(0)} NUL byte(s) removed")
        data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError:
        pass
    # Windows-1252 text hardly ever holds a valid multi-byte UTF-8 sequence ("Ã©" is
    # mojibake), so one is enough to call the file UTF-8 and repair it line by line.
    if not _UTF8_SEQUENCE.search(data):
        encoding = _detect_encoding(data)
        legacy = [n for n, raw in enumerate(data.split(b"\n"), start=1) if not raw.isascii()]
        notes.append(f"{line_list(legacy)}: not UTF-8; read as {_encoding_name(encoding)}")
        return data.decode(encoding, errors="replace"), notes
    lines: list[str] = []
    repaired: list[int] = []
    replaced: list[int] = []
    bad_bytes = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        text, bad = _decode_line(raw)
        lines.append(text)
        if bad == READ_AS_FALLBACK:
            repaired.append(number)
        elif bad:
            replaced.append(number)
            bad_bytes += bad
    if repaired:
        notes.append(f"{line_list(repaired)}: not UTF-8; read as Windows-1252")
    if replaced:
        notes.append(
            f"{line_list(replaced)}: invalid UTF-8; {bad_bytes} bad byte(s) replaced with U+FFFD"
        )
    return "\n".join(lines), notes


#: What :func:`_decode_line` returns for a line it read as Windows-1252.
READ_AS_FALLBACK = -1


def _decode_line(raw: bytes) -> tuple[str, int]:
    """Decode one line of a UTF-8 file, repairing it where that is unambiguous.

    Return the text and 0 for a UTF-8 line, :data:`READ_AS_FALLBACK` for a line
    read as Windows-1252, else the number of bad bytes replaced by U+FFFD.
    """
    try:
        return raw.decode("utf-8"), 0
    except UnicodeDecodeError:
        pass
    # A lead byte followed by a continuation byte is UTF-8, whole or cut short (an
    # emoji split by a truncating exporter), not a Latin-1 letter; so is that line.
    if not _UTF8_LEAD_AND_CONTINUATION.search(raw):
        try:
            return raw.decode(FALLBACK_ENCODING), READ_AS_FALLBACK
        except UnicodeDecodeError:  # one of the five bytes Windows-1252 leaves undefined
            pass
    text = raw.decode("utf-8", errors="surrogateescape")
    return _SURROGATE.subn("\ufffd", text)


def _detect_encoding(data: bytes) -> str:
    """Name the Python codec of text that is not UTF-8."""
    # Imported here: it costs ~20 ms, and only files that are not UTF-8 need it.
    from charset_normalizer import from_bytes
    from charset_normalizer.utils import is_multi_byte_encoding

    matches = from_bytes(data)
    if any(FALLBACK_ENCODING in match.could_be_from_charset for match in matches):
        return FALLBACK_ENCODING
    best = matches.best()
    # Without letters to recognise a language by (coherence) or multi-byte structure,
    # charset-normalizer's guess is one of many code pages that decode equally well.
    if best is not None and (best.coherence > 0 or is_multi_byte_encoding(best.encoding)):
        return best.encoding
    return FALLBACK_ENCODING


def _encoding_name(codec: str) -> str:
    name = codecs.lookup(codec).name
    return f"Windows-{name[2:]}" if name.startswith("cp125") else name.upper()


def line_list(numbers: list[int]) -> str:
    """Name line numbers for a note: ``line 3``, or ``lines 3, 7, … (12 lines)``."""
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    shown = ", ".join(str(n) for n in numbers[:MAX_LINES_NAMED])
    more = f", … ({len(numbers)} lines)" if len(numbers) > MAX_LINES_NAMED else ""
    return f"lines {shown}{more}"


def _refuse_binary(data: bytes) -> None:
    """Raise ValueError, saying what it looks like, for bytes that are not text."""
    head = data[:8192]
    nuls = head.count(b"\x00")
    binary = ValueError("binary file, not text (is it a PDF, image or archive?); skipped")
    if head.startswith(_BINARY_MAGIC):
        raise binary
    if nuls > len(head) // 3 and max(head[::2].count(0), head[1::2].count(0)) > len(head) * 0.45:
        raise ValueError("looks like UTF-16 without a byte-order mark; save it as UTF-8; skipped")
    if (nuls > len(head) // 100 and nuls > MAX_STRAY_NULS) or _looks_binary(head):
        raise binary


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_UTF8_LEAD_AND_CONTINUATION = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b")


def _looks_binary(head: bytes) -> bool:
    if head.startswith(_BINARY_MAGIC):
        return True
    # NUL is counted (or forgiven) by the caller: a few stray ones occur in text exports.
    controls = sum(1 for byte in head if 0 < byte < 9 or 13 < byte < 32)
    return controls > len(head) // 20


def _folder_metadata(
    folder: Path, report: OnProblem, bound: str | None
) -> dict[str, dict[str, str]]:
    """Read a folder's ``sources.csv``: file name -> header fields."""
    table: dict[str, dict[str, str]] = {}
    csv_path = folder / METADATA_FILE
    where = _printable(str(csv_path))
    if csv_path.is_symlink() and bound is not None:
        target = os.path.realpath(csv_path)
        if not _is_within(target, bound):
            message = f"symlink to {_printable(target)}, outside the folder indexed; ignored"
            report(ArticleError(where, message, skipped=False))
            return table
    if csv_path.is_file():
        try:
            rows = list(csv.DictReader(decode(csv_path.read_bytes()).splitlines()))
        except (OSError, ValueError, csv.Error) as exc:
            report(ArticleError(where, f"cannot read metadata ({exc}); ignored"))
            rows = []
        for number, row in enumerate(rows, start=2):
            name = (row.get("file") or "").strip()
            if not name:
                report(ArticleError(f"{where}:{number}", "no 'file' column value; row ignored"))
                continue
            fields = {
                k.strip().lower(): unicodedata.normalize("NFC", v.strip())
                for k, v in row.items()
                if k and v and k.strip().lower() in HEADER_KEYS
            }
            table[name] = fields
    return table

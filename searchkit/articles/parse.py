"""Article text -> :class:`Article`: header, dateline, title, body and boilerplate.

An article file is plain text (``.txt``/``.md``) as a reader sees it: maybe a
``key: value`` header block or a ``date YYYY-MM-DD PLACE –`` line, a few short
heading lines, the body, and publisher boilerplate at the end.  Parsing is pure;
reading files is :mod:`searchkit.articles.files`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from searchkit.analysis.sentences import first_sentence
from searchkit.articles.dates import (
    DEFAULT_DATE_ORDER,
    date_in_url,
    date_order,
    parse_date,
    written_date,
)
from searchkit.articles.decode import normalise_newlines, scrub
from searchkit.articles.model import Article

__all__ = ["derive_title", "is_heading", "parse_article", "split_authors"]

HEADER_KEYS = frozenset(
    {"title", "source", "date", "url", "author", "dateline", "section", "language", "date-order"}
)
#: Header keys that name the date under another word.
DATE_KEYS = frozenset({"published", "posted", "updated", "dated", "pubdate"})
#: A date written out (``3 March 2024``) is looked for in this many first lines.
MAX_DATE_LINES = 3
MAX_HEADINGS = 4
MAX_HEADING_CHARS = 140
MAX_DERIVED_TITLE_CHARS = 90
#: An author line longer than this is no single "Surname, Given" name.
MAX_NAME_CHARS = 80

_DATE_LINE = re.compile(r"\A[ \t]*date[ \t]+(\S+)[ \t]*(.*)", re.IGNORECASE)
_HEADER_LINE = re.compile(r"\A([A-Za-z][\w-]{0,30})[ \t]*:[ \t]*(.*)\Z")
# A dateline is the place name in capitals before a dash: "SEOUL –",
# "NEW YORK, Jan 2 (Reuters) -", "SALVADOR, Feb 26 -".
DATELINE = re.compile(
    r"\A(?P<place>[A-Z][A-Z .'’&/-]*?[A-Z.])(?:,[^–—\n-]{0,40})?[ \t]*[–—-]+(?:[ \t]+|\Z)"
)
# On a ``date`` header line whatever stands before the dash is the dateline.
_HEADER_DATELINE = re.compile(r"\A(?P<place>[^–—\n]{1,40}?)[ \t]+[–—-]+(?:[ \t]+|\Z)")
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
    text = normalise_newlines(scrub(text, "text", problems))
    id, path = scrub(id, "id", problems), scrub(path, "path", problems)
    meta = {key: scrub(value, key, problems) for key, value in (meta or {}).items()}
    header, text, unknown = _split_header(text)
    for line, key in unknown:
        known = ", ".join(sorted(HEADER_KEYS))
        problems.append(f"line {line}: unknown header key {key!r} ignored (known: {known})")
    first, _, rest = text.lstrip(" \t\n").partition("\n")
    date_match = _DATE_LINE.match(first)
    if date_match:
        header.setdefault("date", date_match.group(1))
        remainder = date_match.group(2)
        place = DATELINE.match(remainder) or _HEADER_DATELINE.match(remainder)
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

    paragraphs = split_paragraphs(text)
    headings: list[str] = []
    while len(paragraphs) > 1 and len(headings) < MAX_HEADINGS and is_heading(paragraphs[0]):
        headings.append(paragraphs.pop(0))
    if paragraphs and "dateline" not in header:
        place = DATELINE.match(paragraphs[0])
        if place:
            header["dateline"] = place.group("place")
            paragraphs[0] = paragraphs[0][place.end() :]
    body_paragraphs, boilerplate, signoff = split_boilerplate(paragraphs)
    body = "\n\n".join(body_paragraphs)

    title = header.get("title") or (headings[-1] if headings else derive_title(body))
    kicker = " / ".join(headings[1:-1] if len(headings) > 2 else headings[:-1]) or None
    section = header.get("section") or (headings[0] if len(headings) > 2 else None)
    source = header.get("source") or outlet_from_text(boilerplate) or signoff
    return Article(
        id=id,
        path=path,
        title=title,
        body=body,
        date=parse_date(header.get("date"), problems, order=order)
        or date_in_url(header.get("url")),
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


def split_paragraphs(text: str) -> list[str]:
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


def is_heading(paragraph: str) -> bool:
    """Say whether a paragraph reads as a heading: short, not a sentence, not a quote."""
    if len(paragraph) > MAX_HEADING_CHARS or paragraph[:1] in "“\"‘'(":
        return False
    return not paragraph.rstrip("”\"’' ").endswith((".", ",", ";", ":"))


def split_boilerplate(paragraphs: list[str]) -> tuple[list[str], list[str], str | None]:
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


def outlet_from_text(boilerplate: list[str]) -> str | None:
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


def clean_line(text: str) -> str:
    return " ".join(text.split())


def split_authors(value: str | None) -> tuple[str, ...]:
    """Split an author line ("A; B", "A and B", "By A, B") into names.

    One surname, a comma and a given name ("Smith, John", as catalogues and PDF
    metadata write them) is one name, kept as written.
    """
    if not value:
        return ()
    value = _BYLINE.sub("", value.strip())
    if len(value) <= MAX_NAME_CHARS and _SURNAME_FIRST.fullmatch(value):
        return (" ".join(value.split()),)
    names = (" ".join(name.split()) for name in _AUTHOR_SEPARATOR.split(value))
    return tuple(name for name in names if name)


_BYLINE = re.compile(r"\A(?:by|von|par|por)\s+", re.IGNORECASE)
_AUTHOR_SEPARATOR = re.compile(r"\s*(?:;|,|\||\band\b|&)\s*")
# "Smith, John", "O'Neill, Mary J.": one capitalised word each side of one comma.
# Capitals alone ("Reuters, AFP") are agencies; two words a side ("Jane Doe,
# John Smith") are two names.
_NAME = r"[A-Z][\w'’-]*[a-z][\w'’-]*"
_SURNAME_FIRST = re.compile(rf"{_NAME}\s*,\s*{_NAME}(?:\s+[A-Z]\.)?")


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
        if written_date(line.strip(), order) is not None:
            return "\n".join(lines[:number] + lines[number + 1 :]), line.strip()
    return text, None

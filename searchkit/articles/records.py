"""JSONL records and CSV rows -> :class:`Article`: field aliases, ``--map``, JSONL streaming.

A record holds one article as an object with ``id``, ``title``, ``text`` and
optional ``date``, ``source``, ``url``, ``dateline``, ``author``, or the names
crawlers and exporters give them (:data:`RECORD_FIELDS`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from searchkit.articles.dates import date_in_url, date_order, parse_date
from searchkit.articles.decode import (
    READ_AS_FALLBACK,
    decode_line,
    decode_with_notes,
    line_list,
    normalise_newlines,
    refuse_binary,
    scrub,
)
from searchkit.articles.model import MAX_ARTICLE_BYTES, Article, OnProblem
from searchkit.articles.parse import (
    DATELINE,
    clean_line,
    derive_title,
    outlet_from_text,
    split_authors,
    split_boilerplate,
    split_paragraphs,
)
from searchkit.errors import ArticleError

__all__ = [
    "MADE_ID",
    "RECORD_FIELDS",
    "check_field_map",
    "made_id_note",
    "parse_record",
    "stream_records",
]

#: A UTF-16 .jsonl file larger than this is skipped: it cannot be split on newline
#: bytes, so it is decoded whole (UTF-8 files are streamed line by line).
MAX_FILE_BYTES = 64 * 1024 * 1024

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
        "publisher", "publication", "domain", "hostname",
    ),
    "url": ("url", "link", "canonical_url", "source"),
    "dateline": ("dateline",),
    "author": ("author", "authors", "byline", "creator"),
    "language": ("language", "lang"),
    "date-order": ("date-order",),
}  # fmt: skip
_URL = re.compile(r"\Ahttps?://", re.IGNORECASE)

#: The problem a record with neither an id nor a URL carries: its id is made from
#: its content.  Readers gather these into one note per file (:func:`made_id_note`).
MADE_ID = "no id or url; id made from its content"


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
    # Keys match whatever their case (Title, pubDate); an exact match comes first.
    folded: dict[str, str] = {}
    for key in record:
        if isinstance(key, str):
            folded.setdefault(key.casefold(), key)
    values = {
        name: _record_value(record, folded, name, field_map or {}, where, problems)
        for name in RECORD_FIELDS
    }
    values["id"] = values["id"] or values["url"]
    if not values["text"] and not values["title"]:
        named = f"record {values['id']!r}" if values["id"] else "record"
        raise ArticleError(where, f"{named} has no text and no title; skipped")
    if not values["id"]:
        values["id"] = _content_id(path or where, values)
        problems.append(MADE_ID)
    if not values["text"] and warn_no_text:
        names = ", ".join(RECORD_FIELDS["text"][:4])
        problems.append(f"record {values['id']!r} has no text ({names}); indexed by its title only")
    paragraphs = split_paragraphs(normalise_newlines(values["text"] or ""))
    body_paragraphs, boilerplate, signoff = split_boilerplate(paragraphs)
    body = "\n\n".join(body_paragraphs)
    dateline = values["dateline"]
    if dateline:
        place = DATELINE.match(dateline.strip() + " ")
        dateline = place.group("place") if place else dateline.strip(" -–—")
    order = date_order({"date-order": values["date-order"] or ""}, problems)
    return Article(
        id=str(values["id"]),
        # The file, not the line: lines move when records are added above, and an
        # update must leave the index as a rebuild would (the id finds the record).
        path=path or where,
        title=clean_line(values["title"] or "") or derive_title(body),
        body=body,
        date=parse_date(values["date"], problems, order=order) or date_in_url(values["url"]),
        dateline=dateline or None,
        source=values["source"] or outlet_from_text(boilerplate) or signoff,
        url=values["url"],
        author=values["author"],
        authors=split_authors(values["author"]),
        language=values["language"],
        boilerplate="\n\n".join(boilerplate),
        problems=tuple(problems),
        line=line,
    )


def _content_id(path: str, values: Mapping[str, str | None]) -> str:
    """Name a record that has no id by its file and a digest of its fields.

    The same record gets the same id in an update as in a rebuild, wherever it
    moves within its file; an edited record is a new one.
    """
    digest = hashlib.blake2b(digest_size=8)
    digest.update(json.dumps(sorted(values.items()), ensure_ascii=False).encode())
    return f"{Path(path).stem or 'record'}-{digest.hexdigest()}"


def made_id_note(lines: list[int], noun: str = "record") -> str:
    """Say once for a file which of its records got ids made from their content."""
    names = ", ".join(RECORD_FIELDS["id"])
    return (
        f"{line_list(lines)}: no id ({names}) and no url; each {noun}'s id is made from its "
        f"content, so an edited {noun} is indexed as a new one; name the {noun}s' own id with "
        f"--map id={'COLUMN' if noun == 'row' else 'KEY'}"
    )


def _record_value(
    record: dict[str, object],
    folded: Mapping[str, str],
    name: str,
    field_map: Mapping[str, str],
    where: str,
    problems: list[str],
) -> str | None:
    """Return field ``name`` of a record: the first of its names that holds a value."""
    names = (field_map[name],) if name in field_map else RECORD_FIELDS[name]
    for known in names:
        key = known if known in record else folded.get(known.casefold())
        if key is None:
            continue
        value = record[key]
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
        if name == "source" and known == "source" and _URL.match(value):
            continue
        if name == "url" and not _URL.match(value) and known == "source":
            continue
        return scrub(value, f"field {key!r}", problems)
    return None


def stream_records(
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
            refuse_binary(head.removeprefix(b"\xef\xbb\xbf"))
        except ValueError as exc:
            report(ArticleError(where, str(exc)))
            return
        handle.seek(0)
        made: list[int] = []
        for number, raw in enumerate(handle, start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            line, bad = decode_line(raw)
            if bad:
                note = (
                    "not UTF-8; read as Windows-1252"
                    if bad == READ_AS_FALLBACK
                    else f"invalid UTF-8; {bad} bad byte(s) replaced with U+FFFD"
                )
                report(ArticleError(f"{where}:{number}", note, skipped=False))
            yield from _parse_line(where, number, line, report, field_map, made)
    if made:
        report(ArticleError(where, made_id_note(made), skipped=False))


def _parse_line(
    file: str,
    number: int,
    line: str,
    report: OnProblem,
    field_map: Mapping[str, str],
    made: list[int],
) -> Iterator[Article]:
    """Parse one JSONL line; its number goes to ``made`` if its id is made from its content."""
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
        if problem == MADE_ID:
            made.append(number)
        else:
            report(ArticleError(where, problem, skipped=False))
    yield article


def _read_records(
    file: str, data: bytes, report: OnProblem, field_map: Mapping[str, str]
) -> Iterator[Article]:
    try:
        text, notes = decode_with_notes(data)
    except ValueError as exc:
        report(ArticleError(file, str(exc)))
        return
    for note in notes:
        report(ArticleError(file, note, skipped=False))
    made: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield from _parse_line(file, number, line, report, field_map, made)
    if made:
        report(ArticleError(file, made_id_note(made), skipped=False))

"""Read CSV exports (Media Cloud, spreadsheets): one article per row.

The columns are matched like JSONL keys (:data:`searchkit.articles.RECORD_FIELDS`):
Media Cloud's ``id, indexed_date, language, media_name, media_url,
publish_date, title, url, text`` are understood as they are; ``--map
text=story`` names any other column.  Media Cloud exports often come without
the text: such rows are indexed by their title and said so once per file.
Rows with no id and no url are named by their content (said once per file).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from searchkit.articles.decode import decode_with_notes, line_list
from searchkit.articles.model import Article
from searchkit.articles.readers import Source
from searchkit.articles.records import MADE_ID, RECORD_FIELDS, made_id_note, parse_record
from searchkit.errors import ArticleError

__all__ = ["read_csv"]

#: What :func:`searchkit.articles.parse_date` says when a numeric date reads both ways.
_ORDER_ASSUMED = "add 'date-order: MDY'"


def read_csv(source: Source) -> Iterator[Article]:
    """Read each row of a CSV file with a header line as one article."""
    data = source.read_bytes()
    if data is None:
        return
    try:
        text, notes = decode_with_notes(data)
    except ValueError as exc:
        source.skip(str(exc))
        return
    for note in notes:
        source.warn(note)
    rows = csv.DictReader(io.StringIO(text, newline=""))
    try:
        columns = [name for name in rows.fieldnames or () if name]
    except csv.Error as exc:
        source.skip(f"broken CSV header ({exc}); skipped")
        return
    if not _has_columns(columns, source):
        return
    # sources.csv fields (an outlet, a date-order) apply to every row that lacks them.
    defaults = {key: value for key, value in source.meta.items() if key not in ("title", "url")}
    untexted: list[int] = []
    guessed: list[int] = []
    made: list[int] = []
    line = 1
    try:
        for row in rows:
            line = rows.line_num
            record = {**defaults, **{key: value for key, value in row.items() if value}}
            try:
                article = parse_record(
                    record,
                    path=source.where,
                    line=line,
                    field_map=source.field_map,
                    warn_no_text=False,
                )
            except ArticleError as exc:
                source.report(exc)
                continue
            for problem in article.problems:
                if _ORDER_ASSUMED in problem:  # said once for the file, below
                    guessed.append(line)
                elif problem == MADE_ID:
                    made.append(line)
                else:
                    source.warn(problem, line)
            if not article.body:
                untexted.append(line)
            yield article
    except csv.Error as exc:
        source.skip(f"broken CSV after line {line} ({exc}); the rest of the file skipped")
    if made:
        source.warn(made_id_note(made, "row"))
    if untexted:
        source.warn(f"{line_list(untexted)}: no text; indexed by title only")
    if guessed:
        source.warn(
            f"{line_list(guessed)}: dates such as 05/03/2024 read day first (DMY); if they are "
            "month first, give this file 'date-order' MDY in a sources.csv beside it"
        )


def _has_columns(columns: list[str], source: Source) -> bool:
    """Report (and return False for) a header that lacks what every row needs."""
    shown = ", ".join(columns) or "none"
    present = {name.casefold() for name in columns}
    for field, column in source.field_map.items():
        if column.casefold() not in present:
            source.skip(f"no column {column!r} for {field} (--map); columns: {shown}; skipped")
            return False
    wanted = {source.field_map.get("text", ""), source.field_map.get("title", "")}
    wanted |= {*RECORD_FIELDS["text"], *RECORD_FIELDS["title"]}
    if not {name.casefold() for name in wanted} & present:
        source.skip(
            f"no text column ({', '.join(RECORD_FIELDS['text'][:4])}, or title); "
            f"columns: {shown}; name one with --map text=COLUMN; skipped"
        )
        return False
    return True

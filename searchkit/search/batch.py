"""Batch questions: many queries at once, each counted per outlet or period.

The questions come one per line, or as a CSV with a ``query`` column and an
optional ``label`` column (:func:`read_questions`).  :func:`count_batch`
counts each question's matching articles per bucket, and again with wire
copies collapsed; a question that cannot be parsed is reported with its line
and the rest still run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from searchkit.errors import QueryError

__all__ = [
    "BATCH_BUCKETS",
    "BatchError",
    "BatchResult",
    "BatchRow",
    "Question",
    "bucket_reader",
    "count_batch",
    "questions_of",
    "read_questions",
]

#: What a batch can count by (None: one total per question).
BATCH_BUCKETS = ("source", "year", "month", "week", "day")
UNKNOWN_OUTLET = "(unknown)"
UNDATED = "(undated)"


@dataclass(frozen=True, slots=True)
class Question:
    """One question of a batch: its line in the file, the query and an optional label."""

    line: int
    query: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class BatchRow:
    """The matches of one question in one bucket, with copies and collapsed."""

    query: str
    label: str
    bucket: str
    count: int
    collapsed: int

    def to_dict(self, by: str | None = None) -> dict[str, object]:
        """Return the row as JSON-ready data, the bucket named by what it counts by."""
        row: dict[str, object] = {"query": self.query, "label": self.label}
        if by:
            row[by] = self.bucket
        row.update(count=self.count, collapsed=self.collapsed)
        return row


@dataclass(frozen=True, slots=True)
class BatchError:
    """A question that could not run, and why."""

    line: int
    query: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Every question's rows, in the order asked, and the questions that failed."""

    by: str | None
    rows: tuple[BatchRow, ...]
    errors: tuple[BatchError, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """Return the result as JSON-ready data."""
        return {
            "by": self.by,
            "rows": [row.to_dict(self.by) for row in self.rows],
            "errors": [
                {"line": e.line, "query": e.query, "message": e.message} for e in self.errors
            ],
        }


def questions_of(questions: str | Iterable[str | Question]) -> list[Question]:
    """Return the questions of a questions file's text, or of a list of queries."""
    if isinstance(questions, str):
        return read_questions(questions)
    return [q if isinstance(q, Question) else Question(n, q) for n, q in enumerate(questions, 1)]


def read_questions(text: str) -> list[Question]:
    """Read one question per line, or a CSV whose header has a ``query`` column.

    Blank lines are skipped; a CSV's ``label`` column, when there is one,
    names each question in the output.
    """
    lines = text.splitlines()
    header = next(csv.reader([lines[0]])) if lines else []
    folded = [name.strip().lower() for name in header]
    if "query" not in folded:
        return [Question(n, line.strip()) for n, line in enumerate(lines, 1) if line.strip()]
    at, label_at = folded.index("query"), folded.index("label") if "label" in folded else None
    questions = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), 1):
        if number == 1 or not any(cell.strip() for cell in row):
            continue
        query = row[at].strip() if at < len(row) else ""
        label = row[label_at].strip() if label_at is not None and label_at < len(row) else ""
        questions.append(Question(number, query, label))
    return questions


def count_batch(
    questions: Iterable[Question],
    matches: Callable[[str], Sequence[int]],
    collapse: Callable[[Sequence[int]], Sequence[int]],
    bucket_of: Callable[[int], str] | None,
    by: str | None,
) -> BatchResult:
    """Count each question's matches (``matches(query)``) per bucket, with and without copies."""
    rows: list[BatchRow] = []
    errors: list[BatchError] = []
    for question in questions:
        if not question.query:
            errors.append(BatchError(question.line, "", "no query on this line"))
            continue
        try:
            docs = matches(question.query)
        except QueryError as error:
            errors.append(BatchError(question.line, question.query, str(error)))
            continue
        kept = collapse(docs)
        if bucket_of is None:
            rows.append(BatchRow(question.query, question.label, "", len(docs), len(kept)))
            continue
        every = Counter(bucket_of(doc) for doc in docs)
        once = Counter(bucket_of(doc) for doc in kept)
        if not every:  # every question has a row, a question without matches too
            rows.append(BatchRow(question.query, question.label, "", 0, 0))
        for bucket in sorted(every, key=lambda b: (b.startswith("("), b)):
            rows.append(
                BatchRow(question.query, question.label, bucket, every[bucket], once[bucket])
            )
    return BatchResult(by, tuple(rows), tuple(errors))


def bucket_reader(searcher: Any, by: str | None) -> Callable[[int], str] | None:
    """Return the function naming a document's bucket, read from the index's columns."""
    if by is None:
        return None
    if by not in BATCH_BUCKETS:
        raise QueryError(f"unknown bucket {by!r}; use one of {', '.join(BATCH_BUCKETS)}")
    reader = searcher.reader()
    if not reader.doc_count_all():
        return lambda doc: ""
    if by == "source":
        outlets = reader.column_reader("outlet")
        return lambda doc: outlets[doc] or UNKNOWN_OUTLET
    days = reader.column_reader("day")
    return lambda doc: _period(days[doc], by)


def _period(day: int, by: str) -> str:
    if not day:
        return UNDATED
    text = str(day)
    if by == "year":
        return text[:4]
    if by == "month":
        return f"{text[:4]}-{text[4:6]}"
    try:
        date = dt.date(day // 10000, day // 100 % 100, day % 100)
    except ValueError:
        return UNDATED
    if by == "week":
        date -= dt.timedelta(days=date.weekday())
    return date.isoformat()

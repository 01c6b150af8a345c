"""Read PDFs (press releases, e-paper clippings) with pypdf: one article per file.

The text layer is read page by page and then parsed like a text file (headline,
date line, body, boilerplate); the PDF's own author fills in a missing one.
The PDF's creation date is not taken as the publication date: it is the day
the file was made.  A PDF without a text layer (a scan) is reported: run OCR
first.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator

from searchkit.articles.model import Article
from searchkit.articles.parse import MAX_HEADING_CHARS, is_heading, parse_article
from searchkit.articles.readers import Source

__all__ = ["read_pdf", "set_off_title"]


def read_pdf(source: Source) -> Iterator[Article]:
    """Read a PDF's text layer as one article."""
    # Imported here: only PDFs need it.
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    data = source.read_bytes()
    if data is None:
        return
    notes: list[str] = []
    logger = logging.getLogger("pypdf")
    handler = _Collect(notes)
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                source.skip("encrypted PDF; save an unlocked copy to index it; skipped")
                return
            pages = [page.extract_text() or "" for page in reader.pages]
            author = reader.metadata.author if reader.metadata else None
        notes += [str(warning.message) for warning in caught]
    except (PyPdfError, OSError, ValueError, KeyError, TypeError) as exc:
        source.skip(f"broken PDF ({type(exc).__name__}: {exc}); skipped")
        return
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if not text:
        source.skip(f"no text layer in {len(pages)} page(s) (a scan?); run OCR first; skipped")
        return
    meta = dict(source.meta)
    if author and author.strip() and "author" not in meta:
        meta["author"] = author.strip()
    text = set_off_title(text)
    article = parse_article(text, id=source.article_id, path=source.where, meta=meta)
    for note in dict.fromkeys(notes):
        source.warn(f"pypdf: {note}")
    for problem in article.problems:
        source.warn(problem)
    yield article


#: Lines after the first that show the width of the body's lines.
WIDTH_LINES = 5
#: A first line shorter than this share of the body's widest line is set apart: a
#: wrapped body line is about as wide as the lines after it.
TITLE_WIDTH_RATIO = 0.9


def set_off_title(text: str) -> str:
    """Put a blank line after a PDF's first line when it reads as the title.

    pypdf gives a page's lines with no blank line between headline and body,
    so the headline would run into the first paragraph.  The first line is a
    title when it reads as a heading, the next line starts a sentence, and it
    is narrower than the body's lines (a wrapped body line is as wide).  Font
    sizes are not used: a headline in the body's size and weight is common in
    press releases.
    """
    first, newline, rest = text.partition("\n")
    following = [line.strip() for line in rest.split("\n", WIDTH_LINES)[:WIDTH_LINES]]
    following = [line for line in following if line]
    if not newline or not following or len(first) > MAX_HEADING_CHARS:
        return text
    start = following[0][0]
    if not is_heading(first.strip()) or not (start.isupper() or start in _SENTENCE_STARTS):
        return text
    if len(first.strip()) >= TITLE_WIDTH_RATIO * max(len(line) for line in following):
        return text
    return f"{first}\n\n{rest}"


_SENTENCE_STARTS = "0123456789\"“‘'("


class _Collect(logging.Handler):
    """Keep pypdf's log messages for the build report: the library never prints."""

    def __init__(self, notes: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.notes = notes

    def emit(self, record: logging.LogRecord) -> None:
        self.notes.append(record.getMessage())

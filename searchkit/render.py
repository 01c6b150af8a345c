"""Turn results into text, JSON, JSON Lines, CSV or HTML strings for the CLI.

Pure functions: nothing here prints.  Every format uses the field names of the
objects' ``to_dict()``, so an export reads the same as the Python API.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from searchkit.facets import Timeline
    from searchkit.search import Results
    from searchkit.snippets import Snippet
    from searchkit.speech import QuoteResults, Speaker

__all__ = [
    "facets_text",
    "hits_html",
    "hits_text",
    "quotes_html",
    "quotes_text",
    "rows",
    "snippet_text",
    "speakers_text",
    "timeline_text",
]

Style = Callable[[str, str], str]
BAR_WIDTH = 50
BAR = "█"


def plain(text: str, role: str) -> str:
    """Return ``text`` unstyled (the style for pipes, files and NO_COLOR)."""
    return text


def rows(records: Iterable[Mapping[str, Any]], fmt: str) -> str:
    """Render dicts as ``json`` (an array), ``jsonl`` or ``csv`` (flat fields only)."""
    records = list(records)
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r}")
    columns = [
        k for k, v in (records[0] if records else {}).items() if not isinstance(v, (list, dict))
    ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()


def _count(total: int, noun: str) -> str:
    return f"{total:,} {noun} matches" if total == 1 else f"{total:,} {noun}s match"


def snippet_text(snippet: Snippet, style: Style = plain) -> str:
    """Return a snippet with its matches styled (``match`` or ``quoted-match``)."""
    out, last = [], 0
    quoted = set(snippet.quoted)
    for start, end in snippet.highlights:
        role = "quoted-match" if (start, end) in quoted else "match"
        out += [snippet.text[last:start], style(snippet.text[start:end], role)]
        last = end
    out.append(snippet.text[last:])
    return "".join(out)


def hits_text(results: Results, style: Style = plain) -> str:
    """Render article hits for a terminal."""
    lines = []
    shown = len(results.hits)
    summary = f"{_count(results.total, 'article')} {results.query!r}"
    if shown and shown < results.total:
        first = results.hits[0].rank
        summary += f" (showing {first}-{first + shown - 1})"
    lines.append(summary)
    if results.suggestion:
        lines.append(f"Did you mean: {style(results.suggestion, 'title')}?")
    for hit in results:
        facts = [hit.source or "unknown outlet", hit.date.isoformat() if hit.date else "undated"]
        if hit.dateline:
            facts.append(hit.dateline)
        lines += [
            "",
            f"{hit.rank}. {style(hit.title, 'title')}",
            f"   {' · '.join(facts)} · score {hit.score:.2f} · id {hit.id}",
            f"   {snippet_text(hit.snippet, style)}",
        ]
    if results.facets:
        lines += ["", facets_text(results.facets)]
    return "\n".join(lines) + "\n"


def facets_text(facets: Mapping[str, Mapping[str, int]]) -> str:
    """Render facet counts as indented lists."""
    lines = []
    for name, counts in facets.items():
        lines.append(f"{name}:")
        lines += [f"  {count:>7,}  {value}" for value, count in counts.items()]
    return "\n".join(lines)


def quotes_text(results: QuoteResults, style: Style = plain) -> str:
    """Render quote hits for a terminal."""
    lines = [_count(results.total, "quote") + (f" {results.query!r}" if results.query else "")]
    for hit in results:
        who = hit.speaker or "unattributed"
        if hit.unnamed:
            who += " (unnamed)"
        date = hit.date.isoformat() if hit.date else "undated"
        lines += [
            "",
            f"{hit.rank}. “{snippet_text(hit.snippet, style)}”",
            f"   — {style(who, 'title')}, {hit.source or 'unknown outlet'}, {date}",
            f"   in “{hit.title}” · id {hit.article_id}",
        ]
    return "\n".join(lines) + "\n"


def speakers_text(speakers: list[Speaker], query: str = "") -> str:
    """Render a speaker listing, one line each."""
    if not speakers:
        return "no named speakers" + (f" quoted on {query!r}" if query else "") + "\n"
    lines = []
    for s in speakers:
        span = ""
        if s.first_date:
            span = f", {s.first_date}"
            if s.last_date != s.first_date:
                span += f" to {s.last_date}"
        noun = "article" if s.articles == 1 else "articles"
        lines.append(
            f"{s.quotes:>6}  {s.name}  ({s.articles} {noun}; {', '.join(s.outlets)}{span})"
        )
    return "\n".join(lines) + "\n"


def timeline_text(timeline: Timeline, query: str) -> str:
    """Render a timeline as a terminal bar chart, one bar per period."""
    lines = [f"{_count(timeline.total, 'article')} {query!r}, by {timeline.by}"]
    peak = max((count for _, count in timeline.buckets), default=0)
    width = max((len(label) for label, _ in timeline.buckets), default=0)
    for label, count in timeline.buckets:
        bar = BAR * round(BAR_WIDTH * count / peak) if peak else ""
        if count and not bar:
            bar = "▏"
        lines.append(f"{label:<{width}}  {bar} {count}")
    if timeline.undated:
        lines.append(f"({timeline.undated} undated)")
    return "\n".join(lines) + "\n"


def _escaped_marks(snippet: Snippet) -> str:
    out, last = [], 0
    quoted = set(snippet.quoted)
    for start, end in snippet.highlights:
        css = "quoted-match" if (start, end) in quoted else "match"
        out += [
            html.escape(snippet.text[last:start]),
            f'<mark class="{css}">{html.escape(snippet.text[start:end])}</mark>',
        ]
        last = end
    out.append(html.escape(snippet.text[last:]))
    return "".join(out)


def hits_html(results: Results) -> str:
    """Render article hits as a safe HTML fragment: all article text is escaped."""
    e = html.escape
    items = []
    for hit in results:
        facts = " · ".join(
            e(x)
            for x in (
                hit.source or "unknown outlet",
                str(hit.date or "undated"),
                hit.dateline or "",
            )
            if x
        )
        items.append(
            f'  <li data-id="{e(hit.id)}">\n'
            f'    <h3 class="title">{e(hit.title)}</h3>\n'
            f'    <p class="meta">{facts}</p>\n'
            f'    <p class="snippet">{_escaped_marks(hit.snippet)}</p>\n'
            "  </li>"
        )
    summary = f"{_count(results.total, 'article')} {results.query!r}"
    header = f'<p class="summary">{e(summary)}</p>'
    return header + '\n<ol class="searchkit-hits">\n' + "\n".join(items) + "\n</ol>\n"


def quotes_html(results: QuoteResults) -> str:
    """Render quote hits as a safe HTML fragment."""
    e = html.escape
    items = []
    for hit in results:
        who = e(hit.speaker or "unattributed")
        items.append(
            f'  <li data-article="{e(hit.article_id)}">\n'
            f"    <blockquote>{_escaped_marks(hit.snippet)}</blockquote>\n"
            f'    <p class="meta">{who}, {e(hit.source or "unknown outlet")}, '
            f"{e(str(hit.date or 'undated'))} — {e(hit.title)}</p>\n"
            "  </li>"
        )
    return '<ol class="searchkit-quotes">\n' + "\n".join(items) + "\n</ol>\n"

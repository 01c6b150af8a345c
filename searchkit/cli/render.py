"""Turn results into text, JSON, JSON Lines, CSV or HTML strings for the CLI.

Pure functions: nothing here prints.  Every format uses the field names of the
objects' ``to_dict()``, so an export reads the same as the Python API.

Nothing from a collection reaches a terminal raw: text and HTML show control
characters, escape sequences and bidi overrides as inert escapes (``\\x1b``,
see :func:`searchkit.cli.escape.printable`); JSON escapes them; CSV cells that a spreadsheet would
evaluate as a formula start with ``'``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from searchkit.cli.escape import printable, quoted
from searchkit.search.facets import UNKNOWN

if TYPE_CHECKING:
    from searchkit.search.articles import Results
    from searchkit.search.facets import Timeline
    from searchkit.search.quotes import QuoteResults, Speaker
    from searchkit.search.snippets import Snippet
    from searchkit.search.stats import IndexStats

__all__ = [
    "HIT_COLUMNS",
    "QUOTE_COLUMNS",
    "SPEAKER_COLUMNS",
    "TIMELINE_COLUMNS",
    "article_text",
    "facets_text",
    "hits_text",
    "json_text",
    "quotes_text",
    "rows",
    "snippet_text",
    "speakers_text",
    "stats_text",
    "timeline_text",
]

Style = Callable[[str, str], str]
BAR_WIDTH = 50
BAR = "█"

# The CSV columns when nothing matches (otherwise they come from the records):
# the flat fields of each kind of record's to_dict().
#: List fields that CSV shows, joined with "; "; other lists and dicts are left out.
LIST_COLUMNS = frozenset({"authors", "copies"})
HIT_COLUMNS = (
    *("rank", "id", "score", "title", "source", "date", "dateline", "path", "url", "authors"),
    *("language", "snippet", "copies"),
)
QUOTE_COLUMNS = (
    *("rank", "text", "speaker", "unnamed", "cue", "kind", "article_id", "title", "source"),
    *("date", "score", "confidence", "start", "end", "id"),
)
SPEAKER_COLUMNS = ("name", "quotes", "articles", "first_date", "last_date", "unnamed")
TIMELINE_COLUMNS = ("period", "count")

_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Cells a spreadsheet evaluates (OWASP CSV injection): these first characters.
# Tab and CR are listed by OWASP too; printable() has already made them a space
# and a visible "\r".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


#: Values of each facet a terminal listing shows (JSON and CSV carry them all).
FACET_LIMIT = 10


def plain(text: str, role: str) -> str:
    """Return ``text`` unstyled (the style for pipes, files and NO_COLOR)."""
    return text


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """Return ``data`` as JSON that escapes everything :func:`printable` would."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)  # escapes C0 itself
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _cell(value: Any) -> Any:
    """Return a CSV cell: numbers as they are, text printable and never a formula."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        value = "; ".join(value)  # authors
    elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
        value = "; ".join(copy_text(item) for item in value)  # a hit's wire copies
    if not isinstance(value, str):
        return value
    text = printable(value, multiline=True)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def rows(records: Iterable[Mapping[str, Any]], fmt: str, columns: Sequence[str] = ()) -> str:
    """Render dicts as ``json`` (an array), ``jsonl`` or ``csv`` (flat fields only).

    ``csv-excel`` is CSV starting with a UTF-8 byte-order mark, which Excel
    needs to read accented letters; ``columns`` is the header when there are
    no records.
    """
    records = list(records)
    if fmt == "json":
        return json_text(records) + "\n"
    if fmt == "jsonl":
        return "".join(json_text(r, indent=None) + "\n" for r in records)
    if fmt not in ("csv", "csv-excel"):
        raise ValueError(f"unknown format {fmt!r}")
    if records:
        columns = [
            k for k, v in records[0].items() if k in LIST_COLUMNS or not isinstance(v, (list, dict))
        ]
    buffer = io.StringIO()
    buffer.write("\ufeff" if fmt == "csv-excel" else "")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(record.get(name)) for name in columns] for record in records)
    return buffer.getvalue()


def counted(total: int, noun: str, *, exact: bool = True) -> str:
    about = "" if exact else "about "
    return f"{about}{total:,} {noun} matches" if total == 1 else f"{about}{total:,} {noun}s match"


def copy_text(copy: Mapping[str, Any]) -> str:
    """Name one wire copy: ``id (outlet, date)``."""
    return (
        f"{copy['id']} ({copy.get('source') or 'unknown outlet'}, {copy.get('date') or 'undated'})"
    )


def collapsed_summary(results: Results) -> str:
    """Return ``, N after collapsing wire copies`` when collapsing took any away."""
    collapsed = results.collapsed_total
    if collapsed is None or collapsed == results.total:
        return ""
    return f", {collapsed:,} after collapsing wire copies"


def snippet_text(snippet: Snippet, style: Style = plain) -> str:
    """Return a snippet with its matches styled (``match`` or ``quoted-match``)."""
    out, last = [], 0
    in_quotes = set(snippet.quoted)
    for start, end in snippet.highlights:
        role = "quoted-match" if (start, end) in in_quotes else "match"
        out += [
            printable(snippet.text[last:start]),
            style(printable(snippet.text[start:end]), role),
        ]
        last = end
    out.append(printable(snippet.text[last:]))
    return "".join(out)


def hits_text(
    results: Results,
    style: Style = plain,
    *,
    width: int | None = None,
    facet_limit: int | None = FACET_LIMIT,
) -> str:
    """Render article hits for a terminal ``width`` columns wide (None: do not wrap)."""
    lines = []
    shown = len(results.hits)
    summary = f"{counted(results.total, 'article', exact=results.total_is_exact)}"
    summary += f" {quoted(results.query)}"
    summary += collapsed_summary(results)
    if results.passage:
        summary += ", as a pasted passage"
    if shown and shown < (results.collapsed_total or results.total):
        first = results.hits[0].rank
        summary += f" (showing {first}-{first + shown - 1})"
    lines.append(summary)
    if results.suggestion:
        lines.append(f"Did you mean: {style(printable(results.suggestion), 'title')}?")
    for hit in results:
        facts = [hit.source or "unknown outlet", hit.date.isoformat() if hit.date else "undated"]
        if hit.dateline:
            facts.append(hit.dateline)
        if hit.url:
            facts.append(hit.url)
        lines += [
            "",
            f"{hit.rank}. {style(printable(hit.title), 'title')}",
            f"   {printable(' · '.join(facts))} · score {hit.score:.2f} · id {printable(hit.id)}",
            wrap(snippet_text(hit.snippet, style), width, "   "),
        ]
        if hit.copies:
            copies = "; ".join(copy_text(copy.to_dict()) for copy in hit.copies)
            lines.append(wrap(printable(f"also printed as: {copies}"), width, "   "))
    if results.facets:
        lines += ["", facets_text(results.facets, facet_limit)]
    return "\n".join(lines) + "\n"


def facets_text(facets: Mapping[str, Mapping[str, int]], limit: int | None = FACET_LIMIT) -> str:
    """Render facet counts as indented lists, the ``limit`` most frequent of each (None: all)."""
    lines = []
    for name, counts in facets.items():
        lines.append(f"{printable(name)}:")
        items = list(counts.items())
        shown = items if limit is None else items[:limit]
        lines += [f"  {count:>7,}  {printable(value)}" for value, count in shown]
        if len(shown) < len(items):
            rest = sum(count for _, count in items[len(shown) :])
            lines.append(f"  {rest:>7,}  … in {len(items) - len(shown):,} more (--facet-limit)")
    return "\n".join(lines)


_STYLE_CODE = re.compile(r"\x1b\[[0-9;]*m")


def wrap(text: str, width: int | None, indent: str, first: str | None = None) -> str:
    """Wrap ``text`` at spaces to ``width`` columns after ``indent`` (colour codes take none).

    ``first`` starts the first line instead of ``indent`` (a rank, say).
    """
    start = indent if first is None else first
    if not width:
        return start + text
    lines: list[str] = []
    line: list[str] = []
    size = len(start)
    for word in text.split(" "):
        seen = len(_STYLE_CODE.sub("", word))
        if line and size + 1 + seen > width:
            lines.append((indent if lines else start) + " ".join(line))
            line, size = [], len(indent)
        size += seen + (1 if line else 0)
        line.append(word)
    lines.append((indent if lines else start) + " ".join(line))
    return "\n".join(lines)


def quotes_text(
    results: QuoteResults,
    style: Style = plain,
    *,
    width: int | None = None,
    facet_limit: int | None = FACET_LIMIT,
) -> str:
    """Render quote hits for a terminal ``width`` columns wide (None: do not wrap)."""
    lines = [
        counted(results.total, "quote") + (f" {quoted(results.query)}" if results.query else "")
    ]
    full = results.by_full_name
    if full is not None and full < results.total:
        lines[0] += f": {full} by the full name, then {results.total - full} by the surname alone"
    if results.suggestion:
        lines.append(f"Did you mean: {style(printable(results.suggestion), 'title')}?")
    for hit in results:
        who = hit.speaker or "unattributed"
        if hit.unnamed:
            who += " (unnamed)"
        date = hit.date.isoformat() if hit.date else "undated"
        lines += [
            "",
            wrap(f"“{snippet_text(hit.snippet, style)}”", width, "   ", f"{hit.rank}. "),
            f"   — {style(printable(who), 'title')}, {printable(hit.source or 'unknown outlet')}, "
            f"{date}",
            f"   in “{printable(hit.title)}” · id {printable(hit.article_id)}",
        ]
    if results.facets:
        lines += ["", facets_text(results.facets, facet_limit)]
    return "\n".join(lines) + "\n"


def speakers_text(speakers: list[Speaker], query: str = "") -> str:
    """Render a speaker listing, one line each."""
    if not speakers:
        return "no named speakers" + (f" quoted on {quoted(query)}" if query else "") + "\n"
    lines = []
    for s in speakers:
        span = ", undated"
        if s.first_date:
            span = f", {s.first_date}"
            if s.last_date != s.first_date:
                span += f" to {s.last_date}"
        noun = "article" if s.articles == 1 else "articles"
        outlets = printable(", ".join("unknown outlet" if o == UNKNOWN else o for o in s.outlets))
        lines.append(f"{s.quotes:>6}  {printable(s.name)}  ({s.articles} {noun}; {outlets}{span})")
    return "\n".join(lines) + "\n"


def timeline_text(timeline: Timeline, query: str) -> str:
    """Render a timeline as a terminal bar chart, one bar per period."""
    lines = [f"{counted(timeline.total, 'article')} {quoted(query)}, by {timeline.by}"]
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


ARTICLE_FIELDS = (
    *("id", "source", "date", "dateline", "section", "kicker", "author", "language", "url"),
    "path",
)


def article_text(article: Mapping[str, Any], style: Style = plain) -> str:
    """Render one article (``Index.article()``): title, metadata, body and quotes."""
    lines = [style(printable(article["title"]), "title")]
    for key in ARTICLE_FIELDS:
        if article.get(key):
            lines.append(f"{key + ':':10}{printable(str(article[key]))}")
    lines += ["", printable(article["body"], multiline=True)]
    if article["quotes"]:
        lines += ["", f"Quotes ({len(article['quotes'])}):"]
        for q in article["quotes"]:
            who = q.get("speaker") or "unattributed"
            if q.get("unnamed"):
                who += " (unnamed)"
            lines.append(f"  - “{printable(q['text'])}” — {printable(who)} [{q.get('kind')}]")
    return "\n".join(lines) + "\n"


def stats_text(stats: IndexStats) -> str:
    """Render index statistics for a terminal."""
    first, last = stats.first_date, stats.last_date
    lines = [
        f"index:    {printable(stats.path)}",
        f"articles: {stats.articles:,}",
        f"quotes:   {stats.quotes:,}",
        f"dates:    {f'{first} to {last}' if first else 'no dates'}",
        f"size:     {stats.size_bytes / 2**20:.1f} MiB",
        f"outlets:  {len(stats.outlets)}",
    ]
    lines += [f"  {count:>8,}  {printable(name)}" for name, count in stats.outlets.items()]
    return "\n".join(lines) + "\n"

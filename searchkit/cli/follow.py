"""Commands that follow coverage: ``trace`` (who printed a quote first, and its echoes),
``timeline`` (matching articles per period),
``batch`` (many questions counted at once) and ``watch`` (:mod:`searchkit.cli.watch`).

Registered on the ``searchkit`` group by :mod:`searchkit.cli.commands`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from searchkit.cli.escape import message, printable, shorten
from searchkit.cli.options import (
    collapse_option,
    echo,
    filter_options,
    format_option,
    index_option,
    open_index,
    plain_option,
    text_or_json_option,
    utf8_text,
)
from searchkit.cli.watch import watch
from searchkit.search.facets import PERIODS

if TYPE_CHECKING:
    from searchkit.search.batch import BatchResult
    from searchkit.search.trace import Trace

__all__ = [
    "COMMANDS",
    "batch",
    "batch_text",
    "timeline",
    "trace",
    "trace_summary",
    "trace_text",
]


@click.command()
@click.argument("text", callback=utf8_text)
@index_option
@text_or_json_option
def trace(text: str, index_dir: Path, fmt: str) -> None:
    """Follow a quote: who printed it first, who echoed it, and how it was reworded.

    TEXT is words from the quote, or a quote id (ARTICLE_ID#N, the N-th quote
    that `searchkit show ARTICLE_ID` lists, counting from 0).  Printings that
    differ by a word changed, dropped or added (case and punctuation ignored)
    are variants, shown with their changes against the first printing.
    """
    from searchkit.cli import render

    with open_index(index_dir) as index:
        history = index.trace(text)
    if fmt == "json":
        click.echo(render.json_text(history.to_dict()))
    else:
        echo(trace_text(history))


def trace_summary(history: Trace) -> str:
    """Say in one line who printed a quote first, who echoed it, over how long, and its variants."""
    first, *later = history.printings
    when = f" on {first.date.isoformat()}" if first.date else " (undated)"
    who = f" ({first.speaker})" if first.speaker else ""
    summary = f"first printed by {first.source or 'an unknown outlet'}{when}{who}"
    if later:
        # The first outlet's own reprints are not echoes by other outlets.
        own = sum(1 for p in later if first.source and p.source == first.source)
        outlets = {p.source or "an unknown outlet" for p in later}
        if own:
            outlets.discard(first.source or "")
            summary += f"; reprinted by {first.source} {_times(own)}"
        if outlets:
            summary += f"; echoed by {len(outlets)} outlet{'s' if len(outlets) != 1 else ''}"
        else:
            summary += "; echoed by no other outlet"
        dates = [p.date for p in history.printings if p.date]
        if first.date and len(dates) > 1:
            days = (max(dates) - first.date).days
            summary += f" over {days} day{'s' if days != 1 else ''}"
    else:
        summary += "; printed nowhere else in this index"
    variants = history.variants
    if variants:
        shown = "; ".join(
            f"'{before}' → '{after}'" for p in variants[:3] for before, after in p.changes[:1]
        )
        summary += f"; {len(variants)} variant{'s' if len(variants) != 1 else ''}: {shown}"
    return summary


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def trace_text(history: Trace) -> str:
    """Render a quote's printings as a short history, then one line per printing."""
    lines = [printable(f"“{shorten(history.quote)}”"), printable(trace_summary(history)), ""]
    for printing in history.printings:
        mark = " (first)" if printing.first else " (variant)" if printing.variant else ""
        facts = [
            printing.date.isoformat() if printing.date else "undated",
            printing.source or "unknown outlet",
            printing.speaker or "unattributed",
            f"id {printing.article_id}",
        ]
        lines.append(printable(f"  {' · '.join(facts)}{mark}"))
        for before, after in printing.changes:
            lines.append(printable(f"      '{before}' → '{after}'"))
    return "\n".join(lines) + "\n"


@click.command()
@click.argument("text", callback=utf8_text)
@index_option
@format_option()
@click.option(
    "--by",
    type=click.Choice(PERIODS),
    default="month",
    show_default=True,
    help="Count per day, week, month or year (coarser when the span is long).",
)
@click.option("--any", "match_any", is_flag=True, help="Match any word, not all of them.")
@plain_option
@filter_options
@collapse_option
def timeline(
    text: str,
    index_dir: Path,
    fmt: str,
    by: str,
    match_any: bool,
    plain: bool,
    source: tuple[str, ...],
    since: str | None,
    until: str | None,
    no_collapse: bool,
) -> None:
    """Show how many matching articles appeared per day, week, month or year.

    See when a story broke and how coverage moved, e.g.
    searchkit timeline "trade deficit" --by week.  Dates spanning more than
    1,000 periods are counted by a longer period, with a note on stderr.
    """
    from searchkit.cli import render

    with open_index(index_dir) as index:
        counts = index.timeline(
            text,
            by=by,
            match="any" if match_any else "all",
            source=source or None,
            since=since,
            until=until,
            syntax=not plain,
            collapse=not no_collapse,
        )
    if counts.coarsened_from:
        from searchkit.search.facets import MAX_BUCKETS

        click.echo(
            f"note: the matching articles span more than {MAX_BUCKETS:,} "
            f"{counts.coarsened_from}s; counted by {counts.by} instead",
            err=True,
        )
    if fmt == "text":
        echo(render.timeline_text(counts, text))
    elif fmt == "json":
        click.echo(render.json_text(counts.to_dict()))
    else:
        echo(render.rows(counts.rows(), fmt, render.TIMELINE_COLUMNS))


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@index_option
@click.option(
    "--by",
    type=click.Choice(["source", "year", "month", "week", "day"]),
    default=None,
    help="Count per outlet or period (default: one total per query).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "csv-excel", "json"]),
    default="text",
    show_default=True,
    help="A table to read, CSV for a spreadsheet, or JSON for scripts.",
)
@click.option("--any", "match_any", is_flag=True, help="Match any word, not all of them.")
@plain_option
@filter_options
def batch(
    file: Path,
    index_dir: Path,
    by: str | None,
    fmt: str,
    match_any: bool,
    plain: bool,
    source: tuple[str, ...],
    since: str | None,
    until: str | None,
) -> None:
    """Run many queries at once and count each one's matches, per outlet or period.

    FILE (- for standard input) has one query per line, or is a CSV with a
    `query` column and an optional `label` column.  Each output row is
    query, label, bucket, count, and collapsed (wire copies counted once).  A
    query that cannot run is reported with its line on stderr; the others
    still run, and the exit status is then 1.
    """
    from searchkit.cli import render

    text = _read_text(file)
    with open_index(index_dir) as index:
        result = index.batch(
            text,
            by=by,
            match="any" if match_any else "all",
            source=source or None,
            since=since,
            until=until,
            syntax=not plain,
        )
    if fmt == "json":
        click.echo(render.json_text(result.to_dict()))
    elif fmt == "text":
        echo(batch_text(result))
    else:
        columns = ["query", "label", *([by] if by else []), "count", "collapsed"]
        echo(render.rows([row.to_dict(by) for row in result.rows], fmt, columns))
    for error in result.errors:
        click.echo(f"error: {message(f'{file}: {error}')}", err=True)
    if result.errors:
        raise SystemExit(1)


def _read_text(file: Path) -> str:
    """Return a questions file's text (standard input for ``-``), or say why it cannot be read."""
    import sys

    try:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException(
            f"{file}: not UTF-8 text (byte {exc.start}); save it as UTF-8 and try again"
        ) from exc


def batch_text(result: BatchResult) -> str:
    """Render a batch as a table: count, collapsed count, query (label) and bucket."""
    lines = []
    for row in result.rows:
        name = f"{row.query} [{row.label}]" if row.label else row.query
        bucket = f"  {row.bucket}" if result.by else ""
        lines.append(printable(f"{row.count:>7,} {row.collapsed:>7,}  {name}{bucket}".rstrip()))
    header = f"{'count':>7} {'once':>7}  query" + (f"  {result.by}" if result.by else "")
    return "\n".join([header, *lines]) + "\n"


COMMANDS = (trace, timeline, batch, watch)

"""Commands that follow coverage: ``trace`` (who printed a quote first, and its echoes).

Registered on the ``searchkit`` group by :mod:`searchkit.cli.commands`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from searchkit.cli.options import echo, index_option, open_index, text_or_json_option, utf8_text

if TYPE_CHECKING:
    from searchkit.search.trace import Trace

__all__ = ["COMMANDS", "trace", "trace_text"]


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


def trace_text(history: Trace) -> str:
    """Render a quote's printings as a short history, then one line per printing."""
    from searchkit.cli.render import printable, shorten

    first, *later = history.printings
    when = f" on {first.date.isoformat()}" if first.date else " (undated)"
    who = f" ({first.speaker})" if first.speaker else ""
    summary = f"first printed by {first.source or 'an unknown outlet'}{when}{who}"
    if later:
        outlets = {p.source or "an unknown outlet" for p in later}
        summary += f"; echoed by {len(outlets)} outlet{'s' if len(outlets) != 1 else ''}"
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
    lines = [printable(f"“{shorten(history.quote)}”"), printable(summary), ""]
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


COMMANDS = (trace,)

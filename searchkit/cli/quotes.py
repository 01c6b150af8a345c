"""Commands on who said what: ``quotes`` (quotes ranked as quotes) and ``speakers``
(who is quoted, or who is named so).

Registered on the ``searchkit`` group by :mod:`searchkit.cli.commands`.
"""

from __future__ import annotations

from pathlib import Path

import click

from searchkit.cli.options import (
    echo,
    facet_options,
    filter_options,
    format_option,
    index_option,
    limit_option,
    limit_options,
    open_index,
    plain_option,
    render_listing,
    utf8_text,
)
from searchkit.quotes import KINDS

__all__ = ["COMMANDS", "quotes", "speakers_command"]


@click.command()
@click.argument("text", default="", callback=utf8_text)
@index_option
@format_option("html")
@limit_options(10)
@plain_option
@filter_options
@click.option(
    "--speaker",
    callback=utf8_text,
    help="Only quotes by this person: the full name first, then the surname alone; "
    "counts as in `speakers --name`.",
)
@click.option(
    "--kind",
    type=click.Choice([*KINDS, "all"]),
    default=None,
    help="Quoted speech, partial quotes in reported speech, scare quotes and titles, or all "
    "[default: speech; with --speaker, all].",
)
@facet_options("cue,year,month", "quotes")
def quotes(
    text: str,
    index_dir: Path,
    fmt: str,
    limit: int,
    page: int,
    plain: bool,
    source: tuple[str, ...],
    since: str | None,
    until: str | None,
    speaker: str | None,
    kind: str | None,
    facets: str,
    facet_limit: int,
) -> None:
    """Search quotes: who said what, ranked as quotes, with speaker, outlet and date.

    With no TEXT, list the newest quotes that match the options, e.g.
    searchkit quotes --speaker "Kang Chol-hwan".
    """
    from searchkit.cli import html, render

    with open_index(index_dir) as index:
        results = index.quotes(
            text,
            speaker=speaker,
            source=source or None,
            since=since,
            until=until,
            kind=None if kind == "all" or (kind is None and speaker) else kind or "speech",
            limit=limit,
            page=page,
            syntax=not plain,
            facets=facets.split(",") if facets else (),
        )
    render_listing(
        results,
        fmt,
        render.quotes_text,
        html.quotes_html,
        render.QUOTE_COLUMNS,
        facet_limit=facet_limit or None,
    )


@click.command("speakers")
@click.argument("text", default="", callback=utf8_text)
@index_option
@format_option()
@plain_option
@filter_options
@limit_option(20, "How many speakers to list.")
@click.option(
    "--name",
    callback=utf8_text,
    help="Only speakers whose own name matches (speakers --name kim: Kim Jong-un, Kim "
    "Darroch), where TEXT means speakers quoted in articles about it.",
)
def speakers_command(
    text: str,
    index_dir: Path,
    fmt: str,
    plain: bool,
    source: tuple[str, ...],
    since: str | None,
    until: str | None,
    limit: int,
    name: str | None,
) -> None:
    """List who is quoted (in quotes about TEXT, if given), most quoted first.

    `speakers Kim` lists who is quoted in quotes that mention Kim; `speakers
    --name kim` finds the people named Kim, with their counts, outlets and dates.
    """
    from searchkit.cli import render

    with open_index(index_dir) as index:
        found = index.speakers(
            text,
            source=source or None,
            since=since,
            until=until,
            limit=limit,
            syntax=not plain,
            name=name,
        )
    if fmt == "text":
        echo(render.speakers_text(found, text))
    else:
        echo(render.rows([s.to_dict() for s in found], fmt, render.SPEAKER_COLUMNS))


COMMANDS = (quotes, speakers_command)

"""The ``searchkit`` command: parse options, call the library, render.

Heavy modules (Whoosh, NLTK) are imported inside the commands, so that
``searchkit --help`` starts instantly.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from searchkit.cli.articles import COMMANDS as ARTICLE_COMMANDS
from searchkit.cli.escape import printable
from searchkit.cli.follow import COMMANDS as FOLLOW_COMMANDS
from searchkit.cli.options import (
    Group,
    ProgressBar,
    collapse_option,
    facet_options,
    filter_options,
    format_option,
    index_option,
    limit_options,
    open_index,
    os_error,
    parse_field_map,
    plain_option,
    print_report,
    render_listing,
    utf8_text,
)
from searchkit.cli.quotes import COMMANDS as QUOTE_COMMANDS
from searchkit.cli.serve import serve


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="searchkit", prog_name="searchkit")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour: on a terminal unless NO_COLOR is set (auto), always (for less -R), never.",
)
def cli(color: str) -> None:
    """Search collected news coverage: what was reported, who said what, when, and where.

    Build an index from a folder of article files, then query it:

    \b
        searchkit index seeds/
        searchkit query "repatriation"
    """


@cli.command("index")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@index_option
@click.option("--rebuild", is_flag=True, help="Rebuild from scratch instead of updating.")
@click.option("--strict", is_flag=True, help="Treat any bad article as fatal; write nothing.")
@click.option("--follow-links", is_flag=True, default=None, help="Follow symlinks out of PATHS.")
@click.option(
    "--map",
    "field_map",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Read an article field from this CSV column or JSONL key (repeatable).",
)
@click.option(
    "--shards",
    type=click.IntRange(1, 256),
    help="Build a sharded index of N shards (an index stays sharded; --rebuild to change N).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Write the shards on a local Dask cluster of N processes (searchkit[cluster]).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Write the shards on the Dask cluster at ADDRESS (tcp://host:8786; shared disk).",
)
def index_command(
    paths: tuple[Path, ...],
    index_dir: Path,
    rebuild: bool,
    strict: bool,
    follow_links: bool | None,
    field_map: tuple[str, ...],
    shards: int | None,
    workers: int | None,
    scheduler: str | None,
) -> None:
    """Index article files and folders (.txt, .md, .jsonl, .html, .csv, …), updating the index.

    --map text=story reads the text of CSV rows and JSONL records from their
    "story" column; updates use the same map.

    With no PATHS, re-read the folders the index was built from.  Unchanged
    articles are not re-indexed; --rebuild writes the whole index anew.  The
    old index stays searchable until the new one is complete.

    --shards 8 splits the index into 8 shards by a hash of each article's id,
    written one after another, or in parallel on a Dask cluster with
    --workers 4 (a local one) or --scheduler tcp://host:8786; queries are
    unchanged and answer as one index would.
    """
    from searchkit.index import storage
    from searchkit.index.store import Index

    if not paths and not Index.exists(index_dir):
        raise click.UsageError("give the article files or folders to index, e.g. seeds/")

    def waiting() -> None:
        click.echo(f"waiting for another searchkit index on {printable(str(index_dir))}…", err=True)

    before = storage.live_version(index_dir)
    try:
        with ProgressBar() as progress:
            index = Index.index(
                index_dir,
                paths or None,
                rebuild=rebuild,
                progress=progress,
                strict=strict,
                follow_links=follow_links,
                on_wait=waiting,
                field_map=parse_field_map(field_map),
                shards=shards,
                workers=workers,
                scheduler=scheduler,
            )
    except KeyboardInterrupt:
        if storage.live_version(index_dir) != before:
            click.echo("Interrupted after the new index was written; it is live.", err=True)
        else:
            click.echo("Interrupted; the index was left as it was.", err=True)
        sys.exit(130)
    except OSError as exc:  # the index folder is read-only, not ours, or full
        raise click.ClickException(os_error(exc, writing=index_dir)) from exc
    report = index.report
    assert report is not None
    print_report(report, index_dir, len(index))
    if report.skipped:
        sys.exit(1)


@cli.command()
@click.argument("text", callback=utf8_text)
@index_option
@format_option("html")
@limit_options(10)
@click.option("--any", "match_any", is_flag=True, help="Match any word, not all of them.")
@plain_option
@click.option(
    "--passage/--no-passage",
    default=None,
    help="TEXT is (or is not) a passage pasted from an article: rank the article it comes "
    "from first.  Default: decide from its shape (8+ words of a sentence, not a question).",
)
@click.option(
    "--exact-count",
    is_flag=True,
    help="Count every match exactly (a passage search otherwise estimates, and is faster).",
)
@filter_options
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date"]),
    default="relevance",
    show_default=True,
    help="Best matches first, or newest first.",
)
@facet_options("source,year,month,dateline,speaker,cue", "articles")
@collapse_option
def query(
    text: str,
    index_dir: Path,
    fmt: str,
    limit: int,
    page: int,
    match_any: bool,
    plain: bool,
    passage: bool | None,
    exact_count: bool,
    source: tuple[str, ...],
    since: str | None,
    until: str | None,
    sort: str,
    facets: str,
    facet_limit: int,
    no_collapse: bool,
) -> None:
    """Search the index and print ranked hits with highlighted snippets.

    TEXT uses Whoosh query syntax: words, "exact phrases", AND/OR/NOT,
    field:value (title, body, quotes, speaker, source, dateline),
    date:[2024-01-01 TO 2024-06-30] and wildcards (wom?n, repatri*);
    punctuation ending a word (rising?) is punctuation.  --plain takes TEXT
    as plain words, for questions pasted from elsewhere; --passage takes it
    as a passage copied from an article, to find where it was printed (its
    total is "about N" unless --exact-count); a pasted sentence is noticed.
    Wire copies (near-duplicate articles) are one hit, the earliest, listing
    the others.
    """
    from searchkit.cli import html, render

    with open_index(index_dir) as index:
        results = index.search(
            text,
            limit=limit,
            page=page,
            match="any" if match_any else "all",
            source=source or None,
            since=since,
            until=until,
            sort="date" if sort == "date" else "relevance",
            syntax=not plain,
            facets=facets.split(",") if facets else (),
            collapse=not no_collapse,
            passage=passage,
            exact_total=exact_count,
        )
    render_listing(
        results,
        fmt,
        render.hits_text,
        html.hits_html,
        render.HIT_COLUMNS,
        facet_limit=facet_limit or None,
    )
    if not results.total:
        from searchkit.search.people import speaker_in_question

        person = speaker_in_question(text)
        if person:
            hint = f"To see what {person} said: searchkit quotes --speaker {shlex.quote(person)}"
            click.echo(printable(hint), err=True)


for command in (*QUOTE_COMMANDS, *FOLLOW_COMMANDS, *ARTICLE_COMMANDS, serve):
    cli.add_command(command)


def main() -> None:
    """Run the command line."""
    cli(prog_name="searchkit")

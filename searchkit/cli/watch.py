"""``searchkit watch``: saved searches that print only what is new since they last ran."""

from __future__ import annotations

from pathlib import Path

import click

from searchkit.cli.escape import printable
from searchkit.cli.options import (
    echo,
    filter_options,
    index_option,
    open_index,
    render_listing,
    utf8_text,
)

__all__ = ["watch"]


@click.group()
def watch() -> None:
    """Saved searches that say what is new: add, list, remove and run watches.

    Watches are kept beside the index in watches.json (plain JSON), so they
    survive rebuilds and updates.  `searchkit watch run` prints only the
    articles that entered the index since each watch last ran.
    """


@watch.command("add")
@click.argument("name", callback=utf8_text)
@click.argument("query", callback=utf8_text)
@index_option
@click.option("--any", "match_any", is_flag=True, help="Match any word, not all of them.")
@filter_options
def add(
    name: str,
    query: str,
    index_dir: Path,
    match_any: bool,
    source: tuple[str, ...],
    since: str | None,
    until: str | None,
) -> None:
    """Save QUERY (with its filters) as the watch NAME.

    Articles that match now count as seen: the first run shows what is
    indexed after this.
    """
    with open_index(index_dir) as index:
        saved, now = index.watches.add(
            name,
            query,
            match="any" if match_any else "all",
            source=source or None,
            since=since,
            until=until,
        )
    click.echo(
        printable(
            f"watch {saved.name!r} added: {now:,} "
            f"{'article matches' if now == 1 else 'articles match'} now; "
            f"`searchkit watch run {saved.name}` shows those indexed from now on"
        ),
        err=True,
    )


@watch.command("list")
@index_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Text for reading, JSON for scripts.",
)
def list_(index_dir: Path, fmt: str) -> None:
    """List the watches: name, query, filters and when each last ran."""
    from searchkit.cli.render import json_text

    with open_index(index_dir) as index:
        watches = index.watches.all()
    if fmt == "json":
        click.echo(json_text([w.to_dict() for w in watches]))
        return
    lines = []
    for w in watches:
        filters = [f"--source {s!r}" for s in w.source or ()]
        filters += [f"--{key} {value}" for key, value in (("since", w.since), ("until", w.until))]
        filters += ["--any"] if w.match == "any" else []
        shown = " ".join([repr(w.query), *[f for f in filters if not f.endswith(" None")]])
        ran = f"last run {w.last_run}" if w.last_run else "not run yet"
        lines.append(printable(f"{w.name}  {shown}  ({ran})"))
    echo("\n".join(lines) + "\n" if lines else "no watches; add one with `searchkit watch add`\n")


@watch.command("remove")
@click.argument("name", callback=utf8_text)
@index_option
def remove(name: str, index_dir: Path) -> None:
    """Delete the watch NAME."""
    with open_index(index_dir) as index:
        index.watches.remove(name)


@watch.command("run")
@click.argument("name", required=False, callback=utf8_text)
@index_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl", "csv", "csv-excel"]),
    default="text",
    show_default=True,
    help="Output format (csv-excel: CSV with a byte-order mark for Excel).",
)
def run(name: str | None, index_dir: Path, fmt: str) -> None:
    """Print the articles new since each watch (or NAME) last ran, then remember them.

    Run `searchkit index` first to pick up new files.  JSON is one object per
    watch; JSONL and CSV rows carry the watch's name in a `watch` field.
    """
    from searchkit.cli import html, render

    with open_index(index_dir) as index:
        runs = index.watches.run(name)
    if fmt == "json":
        click.echo(
            render.json_text([{"watch": w.to_dict(), **results.to_dict()} for w, results in runs])
        )
    elif fmt == "text":
        for number, (w, results) in enumerate(runs):
            echo(("\n" if number else "") + printable(f"watch {w.name}: "))
            render_listing(results, fmt, render.hits_text, html.hits_html, render.HIT_COLUMNS)
    else:
        records = [{"watch": w.name, **hit.to_dict()} for w, results in runs for hit in results]
        echo(render.rows(records, fmt, ("watch", *render.HIT_COLUMNS)))

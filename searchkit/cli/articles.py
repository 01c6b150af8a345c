"""Commands about one article or the whole index: ``similar``, ``show`` and ``stats``."""

from __future__ import annotations

from pathlib import Path

import click

from searchkit.cli.options import (
    echo,
    format_option,
    index_option,
    limit_option,
    open_index,
    render_listing,
    style,
    text_or_json_option,
    utf8_text,
)

__all__ = ["COMMANDS", "show", "similar", "stats"]


@click.command()
@click.argument("article_id", metavar="ID", callback=utf8_text)
@index_option
@format_option("html")
@limit_option(10, "How many similar articles to show.")
def similar(article_id: str, index_dir: Path, fmt: str, limit: int) -> None:
    """List the articles most like article ID (more like this)."""
    from searchkit.cli import html, render

    with open_index(index_dir) as index:
        results = index.similar(article_id, limit=limit)
    render_listing(results, fmt, render.hits_text, html.hits_html, render.HIT_COLUMNS)


@click.command()
@click.argument("article_id", metavar="ID", callback=utf8_text)
@index_option
@text_or_json_option
def show(article_id: str, index_dir: Path, fmt: str) -> None:
    """Print one article with its metadata and quotes."""
    from searchkit.cli import render

    with open_index(index_dir) as index:
        article = index.article(article_id)
    if fmt == "json":
        click.echo(render.json_text(article))
    else:
        echo(render.article_text(article, style()))


@click.command()
@index_option
@text_or_json_option
def stats(index_dir: Path, fmt: str) -> None:
    """Print the number of articles and quotes, the outlets, the date span and size."""
    from searchkit.cli import render

    with open_index(index_dir) as index:
        numbers = index.stats()
    if fmt == "json":
        click.echo(render.json_text(numbers.to_dict()))
    else:
        echo(render.stats_text(numbers))


COMMANDS = (similar, show, stats)

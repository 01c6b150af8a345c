"""The ``searchkit`` command: parse options, call the library, render.

Heavy modules (Whoosh, NLTK) are imported inside the commands, so that
``searchkit --help`` starts instantly.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from searchkit.errors import SearchkitError

if TYPE_CHECKING:
    from searchkit.index import BuildReport, Index

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("text", "json", "jsonl", "csv")
STYLES: dict[str, dict[str, Any]] = {
    "match": {"fg": "yellow", "bold": True},
    "quoted-match": {"fg": "cyan", "bold": True},
    "title": {"bold": True},
}


def index_option(func: F) -> F:
    """Add ``--index DIR`` (default ``$SEARCHKIT_INDEX`` or ``./index``)."""
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="SEARCHKIT_INDEX",
        default="index",
        show_default=True,
        help="Index directory (or set SEARCHKIT_INDEX).",
    )(func)


def format_option(*extra: str) -> Callable[[F], F]:
    """Add ``--format text|json|jsonl|csv`` (and any ``extra`` formats)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS + extra),
        default="text",
        show_default=True,
        help="Output format.",
    )


def filter_options(func: F) -> F:
    """Add ``--source``, ``--since`` and ``--until``."""
    func = click.option(
        "--until", metavar="DATE", help="Only on or before DATE (2024, 2024-03, 2024-03-05)."
    )(func)
    func = click.option(
        "--since", metavar="DATE", help="Only on or after DATE (2024, 2024-03, 2024-03-05)."
    )(func)
    return click.option("--source", help="Only this outlet (words of its name).")(func)


def plain_option(func: F) -> F:
    """Add ``--plain``: take TEXT as plain words, never as query syntax."""
    return click.option(
        "--plain",
        is_flag=True,
        help="Take TEXT as plain words: no fields, phrases, operators or wildcards.",
    )(func)


def limit_options(default: int) -> Callable[[F], F]:
    """Add ``--limit N`` and ``--page N``."""

    def decorate(func: F) -> F:
        func = click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)(
            func
        )
        return click.option(
            "-n", "--limit", type=click.IntRange(min=1), default=default, show_default=True
        )(func)

    return decorate


def _open(index_dir: Path) -> Index:
    from searchkit.index import Index

    return Index.open(index_dir)


def _fail(exc: SearchkitError) -> click.ClickException:
    return click.ClickException(str(exc))


def _style() -> Callable[[str, str], str]:
    """Colour on a terminal only, and never with NO_COLOR set."""
    from searchkit.render import plain

    if not sys.stdout.isatty() or "NO_COLOR" in os.environ:
        return plain
    return lambda text, role: click.style(text, **STYLES.get(role, {}))


def _echo(text: str) -> None:
    click.echo(text, nl=False)


def _render_listing(results: Any, fmt: str, as_text: Any, as_html: Any) -> None:
    """Print hits as text (styled on a terminal), HTML, or rows of their ``to_dict()``."""
    from searchkit import render

    if fmt == "text":
        _echo(as_text(results, _style()))
    elif fmt == "html":
        _echo(as_html(results))
    else:
        _echo(render.rows([hit.to_dict() for hit in results], fmt))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="searchkit", prog_name="searchkit")
def cli() -> None:
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
def index_command(paths: tuple[Path, ...], index_dir: Path, rebuild: bool, strict: bool) -> None:
    """Index article files and folders (.txt, .md, .jsonl), updating the index.

    With no PATHS, re-read the folders the index was built from.  Unchanged
    articles are not re-indexed; --rebuild writes the whole index anew.  The
    old index stays searchable until the new one is complete.
    """
    from searchkit.index import Index

    try:
        exists = Index.exists(index_dir)
        if not paths and not exists:
            raise click.UsageError("give the article files or folders to index, e.g. seeds/")
        with _progress_bar() as progress:
            if rebuild or not exists:
                sources: Sequence[Path] | list[str] = paths or _recorded_roots(index_dir)
                index = Index.build(index_dir, sources, progress=progress, strict=strict)
            else:
                index = Index.open(index_dir).update(
                    paths or None, progress=progress, strict=strict
                )
    except SearchkitError as exc:
        raise _fail(exc) from exc
    report = index.report
    assert report is not None
    _print_report(report, index_dir, len(index))
    if report.skipped:
        sys.exit(1)


def _recorded_roots(index_dir: Path) -> list[str]:
    from searchkit.index import Index

    return list(Index.open(index_dir).meta.get("roots", []))


class _progress_bar:
    """A progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __enter__(self) -> Callable[[int, int], None] | None:
        if not sys.stderr.isatty():
            return None
        return self.update

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Indexing", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _print_report(report: BuildReport, index_dir: Path, total: int) -> None:
    for problem in report.problems:
        label = "skipped" if problem.skipped else "warning"
        click.echo(f"{label}: {problem}", err=True)
    click.echo(
        f"{total} articles in {index_dir}: {report.added} added, {report.updated} updated, "
        f"{report.removed} removed, {report.unchanged} unchanged, {report.skipped} skipped "
        f"({report.seconds:.1f}s)",
        err=True,
    )


@cli.command()
@click.argument("text")
@index_option
@format_option("html")
@limit_options(10)
@click.option("--any", "match_any", is_flag=True, help="Match any word, not all of them.")
@plain_option
@filter_options
@click.option(
    "--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True
)
@click.option(
    "--facets",
    metavar="NAMES",
    default="",
    help="Count all matches by source,year,month,dateline,speaker (comma-separated).",
)
def query(
    text: str,
    index_dir: Path,
    fmt: str,
    limit: int,
    page: int,
    match_any: bool,
    plain: bool,
    source: str | None,
    since: str | None,
    until: str | None,
    sort: str,
    facets: str,
) -> None:
    """Search the index and print ranked hits with highlighted snippets.

    TEXT uses Whoosh query syntax: words, "exact phrases", AND/OR/NOT,
    field:value (title, body, quotes, speaker, source, dateline),
    date:[2024-01-01 TO 2024-06-30] and wildcards (wom?n, repatri*);
    punctuation ending a word (rising?) is punctuation.  --plain takes TEXT
    as plain words, for questions pasted from elsewhere.
    """
    from searchkit import render

    try:
        results = _open(index_dir).search(
            text,
            limit=limit,
            page=page,
            match="any" if match_any else "all",
            source=source,
            since=since,
            until=until,
            sort="date" if sort == "date" else "relevance",
            syntax=not plain,
            facets=facets.split(",") if facets else (),
        )
    except SearchkitError as exc:
        raise _fail(exc) from exc
    if fmt == "json" and results.facets:
        click.echo(json.dumps(results.to_dict(), ensure_ascii=False, indent=2))
    else:
        _render_listing(results, fmt, render.hits_text, render.hits_html)


@cli.command()
@click.argument("text")
@index_option
@format_option()
@click.option(
    "--by",
    type=click.Choice(["day", "week", "month", "year"]),
    default="month",
    show_default=True,
)
@click.option("--any", "match_any", is_flag=True, help="Match any word, not all of them.")
@plain_option
@filter_options
def timeline(
    text: str,
    index_dir: Path,
    fmt: str,
    by: str,
    match_any: bool,
    plain: bool,
    source: str | None,
    since: str | None,
    until: str | None,
) -> None:
    """Show how many matching articles appeared per day, week, month or year.

    See when a story broke and how coverage moved, e.g.
    searchkit timeline "trade deficit" --by week.  Dates spanning more than
    1,000 periods are counted by a longer period, with a note on stderr.
    """
    from searchkit import render

    try:
        counts = _open(index_dir).timeline(
            text,
            by=by,
            match="any" if match_any else "all",
            source=source,
            since=since,
            until=until,
            syntax=not plain,
        )
    except SearchkitError as exc:
        raise _fail(exc) from exc
    if counts.coarsened_from:
        from searchkit.facets import MAX_BUCKETS

        click.echo(
            f"note: the matching articles span more than {MAX_BUCKETS:,} "
            f"{counts.coarsened_from}s; counted by {counts.by} instead",
            err=True,
        )
    if fmt == "text":
        _echo(render.timeline_text(counts, text))
    elif fmt == "json":
        click.echo(json.dumps(counts.to_dict(), ensure_ascii=False, indent=2))
    else:
        _echo(render.rows(counts.rows(), fmt))


@cli.command()
@click.argument("article_id", metavar="ID")
@index_option
@format_option("html")
@click.option("-n", "--limit", type=click.IntRange(min=1), default=10, show_default=True)
def similar(article_id: str, index_dir: Path, fmt: str, limit: int) -> None:
    """List the articles most like article ID (more like this)."""
    from searchkit import render

    try:
        results = _open(index_dir).similar(article_id, limit=limit)
    except SearchkitError as exc:
        raise _fail(exc) from exc
    _render_listing(results, fmt, render.hits_text, render.hits_html)


@cli.command()
@click.argument("text", default="")
@index_option
@format_option("html")
@limit_options(10)
@plain_option
@filter_options
@click.option("--speaker", help="Only quotes by this speaker (any spelling of the name).")
@click.option(
    "--kind",
    type=click.Choice(["speech", "partial", "term", "all"]),
    default="speech",
    show_default=True,
    help="Quoted speech, partial quotes in reported speech, scare quotes and titles, or all.",
)
def quotes(
    text: str,
    index_dir: Path,
    fmt: str,
    limit: int,
    page: int,
    plain: bool,
    source: str | None,
    since: str | None,
    until: str | None,
    speaker: str | None,
    kind: str,
) -> None:
    """Search quotes: who said what, ranked as quotes, with speaker, outlet and date.

    With no TEXT, list the newest quotes that match the options, e.g.
    searchkit quotes --speaker "Kang Chol-hwan".
    """
    from searchkit import render

    if not text.strip() and not (speaker or source or since or until):
        raise click.UsageError("give words to search for, or a filter such as --speaker")
    try:
        results = _open(index_dir).quotes(
            text,
            speaker=speaker,
            source=source,
            since=since,
            until=until,
            kind=None if kind == "all" else kind,
            limit=limit,
            page=page,
            syntax=not plain,
        )
    except SearchkitError as exc:
        raise _fail(exc) from exc
    _render_listing(results, fmt, render.quotes_text, render.quotes_html)


@cli.command("speakers")
@click.argument("text", default="")
@index_option
@format_option()
@plain_option
@filter_options
@click.option("-n", "--limit", type=click.IntRange(min=1), default=20, show_default=True)
def speakers_command(
    text: str,
    index_dir: Path,
    fmt: str,
    plain: bool,
    source: str | None,
    since: str | None,
    until: str | None,
    limit: int,
) -> None:
    """List who is quoted (about TEXT, if given), most quoted first."""
    from searchkit import render

    try:
        found = _open(index_dir).speakers(
            text, source=source, since=since, until=until, limit=limit, syntax=not plain
        )
    except SearchkitError as exc:
        raise _fail(exc) from exc
    if fmt == "text":
        _echo(render.speakers_text(found, text))
    else:
        _echo(render.rows([s.to_dict() for s in found], fmt))


@cli.command()
@click.argument("article_id", metavar="ID")
@index_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def show(article_id: str, index_dir: Path, fmt: str) -> None:
    """Print one article with its metadata and quotes."""
    try:
        article = _open(index_dir).article(article_id)
    except SearchkitError as exc:
        raise _fail(exc) from exc
    if fmt == "json":
        click.echo(json.dumps(article, ensure_ascii=False, indent=2))
        return
    click.echo(_style()(article["title"], "title"))
    for key in ("id", "source", "date", "dateline", "section", "kicker", "author", "url", "path"):
        if article.get(key):
            click.echo(f"{key + ':':10}{article[key]}")
    click.echo()
    click.echo(article["body"])
    if article["quotes"]:
        click.echo()
        click.echo(f"Quotes ({len(article['quotes'])}):")
        for q in article["quotes"]:
            who = q.get("speaker") or "unattributed"
            if q.get("unnamed"):
                who += " (unnamed)"
            click.echo(f"  - “{q['text']}” — {who} [{q.get('kind')}]")


@cli.command()
@index_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def stats(index_dir: Path, fmt: str) -> None:
    """Print the number of articles and quotes, the outlets, the date span and size."""
    try:
        numbers = _open(index_dir).stats()
    except SearchkitError as exc:
        raise _fail(exc) from exc
    data = numbers.to_dict()
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    span = f"{data['first_date']} to {data['last_date']}" if data["first_date"] else "no dates"
    click.echo(f"index:    {data['path']}")
    click.echo(f"articles: {numbers.articles:,}")
    click.echo(f"quotes:   {numbers.quotes:,}")
    click.echo(f"dates:    {span}")
    click.echo(f"size:     {numbers.size_bytes / 2**20:.1f} MiB")
    click.echo(f"outlets:  {len(numbers.outlets)}")
    for name, count in numbers.outlets.items():
        click.echo(f"  {count:>8,}  {name}")


def main() -> None:
    """Run the command line."""
    cli(prog_name="searchkit")

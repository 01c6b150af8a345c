"""The ``searchkit`` command: parse options, call the library, render.

Heavy modules (Whoosh, NLTK) are imported inside the commands, so that
``searchkit --help`` starts instantly.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from searchkit.errors import SearchkitError

if TYPE_CHECKING:
    from searchkit.index import BuildReport, Index
    from searchkit.search import Results, Snippet

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("text", "json", "jsonl", "csv")


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


def format_option(func: F) -> F:
    """Add ``--format text|json|jsonl|csv``."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help="Output format.",
    )(func)


def filter_options(func: F) -> F:
    """Add ``--source``, ``--since`` and ``--until``."""
    func = click.option(
        "--until", metavar="DATE", help="Only on or before DATE (2024, 2024-03, 2024-03-05)."
    )(func)
    func = click.option(
        "--since", metavar="DATE", help="Only on or after DATE (2024, 2024-03, 2024-03-05)."
    )(func)
    return click.option("--source", help="Only this outlet (words of its name).")(func)


def _open(index_dir: Path) -> Index:
    from searchkit.index import Index

    return Index.open(index_dir)


def _fail(exc: SearchkitError) -> click.ClickException:
    return click.ClickException(str(exc))


def _colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


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
@format_option
@click.option("-n", "--limit", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--any", "match_any", is_flag=True, help="Match any word, not all of them.")
@filter_options
@click.option(
    "--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True
)
def query(
    text: str,
    index_dir: Path,
    fmt: str,
    limit: int,
    page: int,
    match_any: bool,
    source: str | None,
    since: str | None,
    until: str | None,
    sort: str,
) -> None:
    """Search the index and print ranked hits with highlighted snippets.

    TEXT uses Whoosh query syntax: words, "exact phrases", AND/OR/NOT,
    field:value (title, body, quotes, speaker, source, dateline) and
    date:[2024-01-01 TO 2024-06-30].
    """
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
        )
    except SearchkitError as exc:
        raise _fail(exc) from exc
    if fmt == "text":
        _render_hits(results)
    else:
        _emit([hit.to_dict() for hit in results], fmt)


def _render_hits(results: Results) -> None:
    colour = _colour()
    shown = len(results.hits)
    first = results.hits[0].rank if shown else 0
    noun = "article" if results.total == 1 else "articles"
    summary = f"{results.total} {noun} match {results.query!r}"
    if shown and shown < results.total:
        summary += f" (showing {first}-{first + shown - 1})"
    click.echo(summary)
    for hit in results:
        facts = [hit.source or "unknown outlet", hit.date.isoformat() if hit.date else "undated"]
        if hit.dateline:
            facts.append(hit.dateline)
        click.echo()
        click.echo(
            f"{hit.rank}. " + click.style(hit.title, bold=True)
            if colour
            else f"{hit.rank}. {hit.title}"
        )
        click.echo(f"   {' · '.join(facts)} · score {hit.score:.2f} · id {hit.id}")
        click.echo(f"   {_highlight(hit.snippet, colour)}")


def _highlight(snippet: Snippet, colour: bool) -> str:
    if not colour:
        return snippet.text
    out, last = [], 0
    for start, end in snippet.highlights:
        out += [
            snippet.text[last:start],
            click.style(snippet.text[start:end], fg="yellow", bold=True),
        ]
        last = end
    out.append(snippet.text[last:])
    return "".join(out)


def _emit(rows: Iterable[dict[str, Any]], fmt: str) -> None:
    rows = list(rows)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        buffer = io.StringIO()
        columns = [k for k in (rows[0] if rows else {}) if not isinstance(rows[0][k], (list, dict))]
        writer = csv.DictWriter(
            buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)


@cli.command()
@click.argument("text", default="")
@index_option
@format_option
@filter_options
@click.option("--speaker", help="Only quotes by this speaker (any spelling of the name).")
@click.option(
    "--kind",
    type=click.Choice(["speech", "partial", "term", "all"]),
    default="speech",
    show_default=True,
    help="Quoted speech, partial quotes in reported speech, scare quotes and titles, or all.",
)
@click.option("-n", "--limit", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
def quotes(
    text: str,
    index_dir: Path,
    fmt: str,
    source: str | None,
    since: str | None,
    until: str | None,
    speaker: str | None,
    kind: str,
    limit: int,
    page: int,
) -> None:
    """Search quotes: who said what, ranked as quotes, with speaker, outlet and date.

    With no TEXT, list the newest quotes that match the options, e.g.
    searchkit quotes --speaker "Kang Chol-hwan".
    """
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
        )
    except SearchkitError as exc:
        raise _fail(exc) from exc
    if fmt != "text":
        _emit([hit.to_dict() for hit in results], fmt)
        return
    colour = _colour()
    noun = "quote" if results.total == 1 else "quotes"
    click.echo(f"{results.total} {noun} match" + (f" {text!r}" if text else ""))
    for hit in results:
        who = hit.speaker or "unattributed"
        if hit.unnamed:
            who += " (unnamed)"
        date = hit.date.isoformat() if hit.date else "undated"
        click.echo()
        click.echo(f"{hit.rank}. “{_highlight(hit.snippet, colour)}”")
        click.echo(f"   — {who}, {hit.source or 'unknown outlet'}, {date}")
        click.echo(f"   in “{hit.title}” · id {hit.article_id}")


@cli.command("speakers")
@click.argument("text", default="")
@index_option
@format_option
@filter_options
@click.option("-n", "--limit", type=click.IntRange(min=1), default=20, show_default=True)
def speakers_command(
    text: str,
    index_dir: Path,
    fmt: str,
    source: str | None,
    since: str | None,
    until: str | None,
    limit: int,
) -> None:
    """List who is quoted (about TEXT, if given), most quoted first."""
    try:
        found = _open(index_dir).speakers(
            text, source=source, since=since, until=until, limit=limit
        )
    except SearchkitError as exc:
        raise _fail(exc) from exc
    if fmt != "text":
        _emit([s.to_dict() for s in found], fmt)
        return
    if not found:
        click.echo("no named speakers" + (f" quoted on {text!r}" if text else ""))
    for s in found:
        span = ""
        if s.first_date:
            span = f", {s.first_date}" + (
                f" to {s.last_date}" if s.last_date != s.first_date else ""
            )
        outlets = ", ".join(s.outlets)
        click.echo(f"{s.quotes:>6}  {s.name}  ({s.articles} articles; {outlets}{span})")


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
    click.echo(click.style(article["title"], bold=True) if _colour() else article["title"])
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

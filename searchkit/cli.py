"""The ``searchkit`` command: parse options, call the library, render.

Heavy modules (Whoosh, NLTK) are imported inside the commands, so that
``searchkit --help`` starts instantly.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from searchkit.errors import SearchkitError

if TYPE_CHECKING:
    from searchkit.index import BuildReport, Index

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("text", "json", "jsonl", "csv", "csv-excel")
STYLES: dict[str, dict[str, Any]] = {
    "match": {"fg": "yellow", "bold": True},
    "quoted-match": {"fg": "cyan", "bold": True},
    "title": {"bold": True},
}


def _utf8(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Refuse words typed on the command line that are not UTF-8.

    The bytes could be Latin-1, Windows-1252 or any other legacy encoding, and
    a wrong guess would search for the wrong words without a sign; so say so.
    """
    from searchkit.render import printable, shorten

    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            byte = ord(value[exc.start]) & 0xFF
            raise click.BadParameter(
                f"'{printable(shorten(value))}' is not UTF-8 (byte 0x{byte:02x}); "
                "type it again, or set the terminal or script to UTF-8",
                ctx,
                param,
            ) from None
    return value


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """Make every error one printable line: no raw escapes, no huge echoes, no traceback."""
    from searchkit.render import message

    try:
        yield
    except click.ClickException as exc:
        setattr(exc, "message", message(exc.message))  # noqa: B010 (typed Final, set once)
        raise
    except OSError as exc:
        if exc.errno == errno.EPIPE:  # click itself quietens a closed pipe
            raise
        raise click.ClickException(message(_os_error(exc))) from exc


def _os_error(exc: OSError, writing: Path | None = None) -> str:
    """Say which file failed and why; for the index being written, what to do."""
    reason = exc.strerror or str(exc)
    reason = reason[:1].lower() + reason[1:]
    name = Path(os.fsdecode(exc.filename)) if exc.filename is not None else None
    if writing is not None and (name is None or _related(name, writing)):
        hint = (
            "free some space" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else "make it writable"
        )
        return f"cannot write {writing}: {reason}; choose another --index or {hint}"
    return f"cannot use {name or 'a file'}: {reason}"


def _related(path: Path, directory: Path) -> bool:
    path, directory = path.absolute(), directory.absolute()
    return path == directory or directory in path.parents or path in directory.parents


class _Group(click.Group):
    """The ``searchkit`` group: every error, click's own included, is one printable line."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with _one_line_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        with _one_line_errors():
            return super().invoke(ctx)


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
        "--until",
        callback=_utf8,
        metavar="DATE",
        help="Only on or before DATE (2024, 2024-03, 2024-03-05).",
    )(func)
    func = click.option(
        "--since",
        callback=_utf8,
        metavar="DATE",
        help="Only on or after DATE (2024, 2024-03, 2024-03-05).",
    )(func)
    return click.option("--source", callback=_utf8, help="Only this outlet (words of its name).")(
        func
    )


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


def _render_listing(
    results: Any, fmt: str, as_text: Any, as_html: Any, columns: Sequence[str]
) -> None:
    """Print hits as text (styled on a terminal), HTML, or rows of their ``to_dict()``."""
    from searchkit import render

    if fmt == "text":
        _echo(as_text(results, _style()))
    elif fmt == "html":
        _echo(as_html(results))
    else:
        _echo(render.rows([hit.to_dict() for hit in results], fmt, columns))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option("--follow-links", is_flag=True, default=None, help="Follow symlinks out of PATHS.")
@click.option(
    "--map",
    "field_map",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Read an article field from this CSV column or JSONL key (repeatable).",
)
def index_command(
    paths: tuple[Path, ...],
    index_dir: Path,
    rebuild: bool,
    strict: bool,
    follow_links: bool | None,
    field_map: tuple[str, ...],
) -> None:
    """Index article files and folders (.txt, .md, .jsonl, .html, .csv, …), updating the index.

    --map text=story reads the text of CSV rows and JSONL records from their
    "story" column; updates use the same map.

    With no PATHS, re-read the folders the index was built from.  Unchanged
    articles are not re-indexed; --rebuild writes the whole index anew.  The
    old index stays searchable until the new one is complete.
    """
    from searchkit import storage
    from searchkit.index import Index
    from searchkit.render import printable

    if not paths and not Index.exists(index_dir):
        raise click.UsageError("give the article files or folders to index, e.g. seeds/")

    def waiting() -> None:
        click.echo(f"waiting for another searchkit index on {printable(str(index_dir))}…", err=True)

    before = storage.pointer_name(index_dir)
    try:
        with _progress_bar() as progress:
            index = Index.index(
                index_dir,
                paths or None,
                rebuild=rebuild,
                progress=progress,
                strict=strict,
                follow_links=follow_links,
                on_wait=waiting,
                field_map=_field_map(field_map),
            )
    except KeyboardInterrupt:
        if storage.pointer_name(index_dir) != before:
            click.echo("Interrupted after the new index was written; it is live.", err=True)
        else:
            click.echo("Interrupted; the index was left as it was.", err=True)
        sys.exit(130)
    except SearchkitError as exc:
        raise _fail(exc) from exc
    except OSError as exc:  # the index folder is read-only, not ours, or full
        raise click.ClickException(_os_error(exc, writing=index_dir)) from exc
    report = index.report
    assert report is not None
    _print_report(report, index_dir, len(index))
    if report.skipped:
        sys.exit(1)


def _field_map(pairs: tuple[str, ...]) -> dict[str, str] | None:
    """Parse ``--map FIELD=COLUMN`` options."""
    if not pairs:
        return None
    mapping: dict[str, str] = {}
    for pair in pairs:
        name, equals, column = pair.partition("=")
        if not equals or not name.strip() or not column.strip():
            raise click.BadParameter(
                f"{pair!r} is not FIELD=COLUMN, e.g. text=story", param_hint="--map"
            )
        mapping[name.strip()] = column.strip()
    from searchkit.articles import check_field_map

    try:
        return check_field_map(mapping)
    except SearchkitError as exc:
        message = str(exc).removeprefix("field map: ")
        raise click.BadParameter(message, param_hint="--map") from exc


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
    from searchkit.render import message, printable

    for problem in report.problems:
        label = "skipped" if problem.skipped else "warning"
        click.echo(f"{label}: {message(str(problem))}", err=True)
    click.echo(
        f"{total} articles in {printable(str(index_dir))}: {report.added} added, "
        f"{report.updated} updated, {report.removed} removed, {report.unchanged} unchanged, "
        f"{report.skipped} skipped ({report.seconds:.1f}s)",
        err=True,
    )


@cli.command()
@click.argument("text", callback=_utf8)
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
    callback=_utf8,
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
        click.echo(render.json_text(results.to_dict()))
    else:
        _render_listing(results, fmt, render.hits_text, render.hits_html, render.HIT_COLUMNS)


@cli.command()
@click.argument("text", callback=_utf8)
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
        click.echo(render.json_text(counts.to_dict()))
    else:
        _echo(render.rows(counts.rows(), fmt, render.TIMELINE_COLUMNS))


@cli.command()
@click.argument("article_id", metavar="ID", callback=_utf8)
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
    _render_listing(results, fmt, render.hits_text, render.hits_html, render.HIT_COLUMNS)


@cli.command()
@click.argument("text", default="", callback=_utf8)
@index_option
@format_option("html")
@limit_options(10)
@plain_option
@filter_options
@click.option(
    "--speaker", callback=_utf8, help="Only quotes by this speaker (any spelling of the name)."
)
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
    _render_listing(results, fmt, render.quotes_text, render.quotes_html, render.QUOTE_COLUMNS)


@cli.command("speakers")
@click.argument("text", default="", callback=_utf8)
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
        _echo(render.rows([s.to_dict() for s in found], fmt, render.SPEAKER_COLUMNS))


@cli.command()
@click.argument("article_id", metavar="ID", callback=_utf8)
@index_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def show(article_id: str, index_dir: Path, fmt: str) -> None:
    """Print one article with its metadata and quotes."""
    from searchkit import render

    try:
        article = _open(index_dir).article(article_id)
    except SearchkitError as exc:
        raise _fail(exc) from exc
    if fmt == "json":
        click.echo(render.json_text(article))
    else:
        _echo(render.article_text(article, _style()))


@cli.command()
@index_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def stats(index_dir: Path, fmt: str) -> None:
    """Print the number of articles and quotes, the outlets, the date span and size."""
    from searchkit import render

    try:
        numbers = _open(index_dir).stats()
    except SearchkitError as exc:
        raise _fail(exc) from exc
    if fmt == "json":
        click.echo(render.json_text(numbers.to_dict()))
    else:
        _echo(render.stats_text(numbers))


def main() -> None:
    """Run the command line."""
    cli(prog_name="searchkit")

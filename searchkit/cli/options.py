"""What the commands share: options, argument checks, error handling and output helpers."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from searchkit.cli.escape import message, printable, shorten
from searchkit.errors import SearchkitError

if TYPE_CHECKING:
    from searchkit.index.store import BuildReport, Index

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("text", "json", "jsonl", "csv", "csv-excel")
STYLES: dict[str, dict[str, Any]] = {
    "match": {"fg": "yellow", "bold": True},
    "quoted-match": {"fg": "cyan", "bold": True},
    "title": {"bold": True},
}


def utf8_text(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Refuse words typed on the command line that are not UTF-8.

    The bytes could be Latin-1, Windows-1252 or any other legacy encoding, and
    a wrong guess would search for the wrong words without a sign; so say so.
    """
    if isinstance(value, tuple):
        return tuple(utf8_text(ctx, param, item) for item in value)
    if value == "-" and param.name == "text":  # the text itself comes on standard input
        value = sys.stdin.read().strip()
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
def one_line_errors() -> Iterator[None]:
    """Make every error one printable line: no raw escapes, no huge echoes, no traceback."""
    try:
        yield
    except click.ClickException as exc:
        setattr(exc, "message", message(exc.message))  # noqa: B010 (typed Final, set once)
        raise
    except SearchkitError as exc:  # the library's errors say what to do: one line, exit 1
        raise click.ClickException(message(str(exc))) from exc
    except OSError as exc:
        if exc.errno == errno.EPIPE:  # click itself quietens a closed pipe
            raise
        raise click.ClickException(message(os_error(exc))) from exc


def os_error(exc: OSError, writing: Path | None = None) -> str:
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


class Group(click.Group):
    """The ``searchkit`` group: every error, click's own included, is one printable line."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with one_line_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        with one_line_errors():
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
        callback=utf8_text,
        metavar="DATE",
        help="Only on or before DATE (2024, 2024-03, 2024-03-05).",
    )(func)
    func = click.option(
        "--since",
        callback=utf8_text,
        metavar="DATE",
        help="Only on or after DATE (2024, 2024-03, 2024-03-05).",
    )(func)
    return click.option(
        "--source",
        callback=utf8_text,
        multiple=True,
        help="Only this outlet (words of its name); repeat for any of several.",
    )(func)


def collapse_option(func: F) -> F:
    """Add ``--no-collapse``: show and count every wire copy, not one per group."""
    return click.option(
        "--no-collapse",
        "no_collapse",
        is_flag=True,
        help="Show and count every wire copy (near-duplicate article) on its own.",
    )(func)


def facet_options(names: str, counted: str) -> Callable[[F], F]:
    """Add ``--facets NAMES`` (counts over every match, of ``names``) and ``--facet-limit N``."""

    def decorate(func: F) -> F:
        func = click.option(
            "--facet-limit",
            type=click.IntRange(min=0),
            default=10,
            show_default=True,
            help="Values of each facet to print as text (0: all; JSON and CSV have all).",
        )(func)
        return click.option(
            "--facets",
            callback=utf8_text,
            metavar="NAMES",
            default="",
            help=f"Count all matching {counted} by {names} (comma-separated); cue counts "
            "the reporting verbs, folded ('said', 'says' are 'say').",
        )(func)

    return decorate


def plain_option(func: F) -> F:
    """Add ``--plain``: take TEXT as plain words, never as query syntax."""
    return click.option(
        "--plain",
        is_flag=True,
        help="Take TEXT as plain words: no fields, phrases, operators or wildcards.",
    )(func)


def limit_option(default: int, help: str = "How many results a page holds.") -> Callable[[F], F]:
    """Add ``-n/--limit N``."""
    return click.option(
        "-n", "--limit", type=click.IntRange(min=1), default=default, show_default=True, help=help
    )


def limit_options(default: int) -> Callable[[F], F]:
    """Add ``--limit N`` and ``--page N``."""

    def decorate(func: F) -> F:
        func = click.option(
            "--page",
            type=click.IntRange(min=1),
            default=1,
            show_default=True,
            help="Which page of results to show.",
        )(func)
        return limit_option(default)(func)

    return decorate


def text_or_json_option(func: F) -> F:
    """Add ``--format text|json``, for commands that print one record."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Text for reading, JSON for scripts.",
    )(func)


def open_index(index_dir: Path) -> Index:
    from searchkit.index.store import Index

    return Index.open(index_dir)


def style() -> Callable[[str, str], str]:
    """Colour as ``--color`` says; by default on a terminal only, and never with NO_COLOR set."""
    from searchkit.cli.render import plain

    choice = colour_choice()
    if choice == "never":
        return plain
    if choice == "auto" and (not sys.stdout.isatty() or os.environ.get("NO_COLOR")):
        return plain  # no-color.org: only a non-empty NO_COLOR turns colour off
    return lambda text, role: click.style(text, **STYLES.get(role, {}))


def echo(text: str) -> None:
    # click strips colour codes when stdout is not a terminal, unless told otherwise.
    click.echo(text, nl=False, color=True if colour_choice() == "always" else None)


def colour_choice() -> str:
    context = click.get_current_context(silent=True)
    return str((context.find_root().params.get("color") if context else None) or "auto")


def render_listing(
    results: Any,
    fmt: str,
    as_text: Any,
    as_html: Any,
    columns: Sequence[str],
    **text_options: Any,
) -> None:
    """Print hits as text (styled and wrapped on a terminal), HTML, or rows of ``to_dict()``."""
    from searchkit.cli import html, render

    if fmt == "text":
        echo(as_text(results, style(), width=terminal_width(), **text_options))
    elif fmt == "html":
        title = f"searchkit: {results.query}" if results.query else "searchkit"
        echo(html.html_page(title, as_html(results)))
    elif fmt == "json":  # one shape everywhere: {query, total, page, ..., hits}
        click.echo(render.json_text(results.to_dict()))
    else:
        echo(render.rows([hit.to_dict() for hit in results], fmt, columns))


def terminal_width() -> int | None:
    """Return the terminal's width in columns, or None when output goes to a pipe or file."""
    if not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


class ProgressBar:
    """Progress on stderr, shown only when stderr is a terminal: each phase as it happens.

    Reading counts the articles read; writing (quote extraction, analysis and
    the segment files) is a bar; committing (merging segments, often several
    seconds) says so instead of sitting at 100 %.
    """

    def __init__(self) -> None:
        self.bar: Any = None
        self.phase = ""

    def __enter__(self) -> Callable[[str, int, int], None] | None:
        if not sys.stderr.isatty():
            return None
        return self.update

    def update(self, phase: str, done: int, total: int) -> None:
        if phase == "writing":
            if self.bar is None:
                self._end_line()
                self.bar = click.progressbar(length=total, label="Writing", file=sys.stderr)
                self.bar.__enter__()
            self.bar.update(done - self.bar.pos)
        elif phase == "reading":
            click.echo(f"\rReading articles… {done:,}", nl=False, err=True)
        elif phase != self.phase:
            self._close_bar()
            self._end_line()
            click.echo(f"{phase.capitalize()}…", nl=False, err=True)
        self.phase = phase

    def _end_line(self) -> None:
        if self.phase in ("reading", "committing"):
            click.echo("", err=True)

    def _close_bar(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
            self.phase = "writing-done"

    def __exit__(self, *exc: object) -> None:
        self._close_bar()
        self._end_line()


def print_report(report: BuildReport, index_dir: Path, total: int) -> None:
    for problem in report.problems:
        label = "skipped" if problem.skipped else "warning"
        click.echo(f"{label}: {message(str(problem))}", err=True)
    click.echo(
        f"{total} articles in {printable(str(index_dir))}: {report.added} added, "
        f"{report.updated} updated, {report.removed} removed, {report.unchanged} unchanged, "
        f"{report.skipped} skipped ({report.seconds:.1f}s)",
        err=True,
    )


def parse_field_map(pairs: tuple[str, ...]) -> dict[str, str] | None:
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
    from searchkit.articles.records import check_field_map
    from searchkit.errors import SearchkitError

    try:
        return check_field_map(mapping)
    except SearchkitError as exc:
        reason = str(exc).removeprefix("field map: ")
        raise click.BadParameter(reason, param_hint="--map") from exc

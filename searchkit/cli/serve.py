"""``searchkit serve``: the local web page (the web stack is imported only when it runs)."""

from __future__ import annotations

from pathlib import Path

import click

from searchkit.cli.escape import printable
from searchkit.cli.options import index_option, open_index

__all__ = ["serve"]


@click.command()
@index_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but this machine's loopback is open to others.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port."
)
def serve(index_dir: Path, host: str, port: int) -> None:
    """Browse the index in a web browser: search, articles, quotes and speakers (read-only).

    Opens http://127.0.0.1:8765/ on this machine only; stop with Ctrl-C.
    Needs the web extra: pip install "searchkit[web]".
    """
    try:
        import searchkit.web as web
    except ImportError as exc:
        raise click.ClickException(
            f'the web page needs the web extra ({exc}): pip install "searchkit[web]"'
        ) from exc
    with open_index(index_dir) as index:
        if not web.is_loopback(host):
            click.echo(
                f"warning: serving on {printable(host)}: anyone who can reach this machine "
                "can read the index; use --host 127.0.0.1 to keep it to yourself",
                err=True,
            )
        shown = f"[{host}]" if ":" in host else host
        click.echo(
            f"Serving {printable(str(index_dir))} at http://{printable(shown)}:{port}/ "
            "(Ctrl-C to stop)",
            err=True,
        )
        web.serve(index, host, port)

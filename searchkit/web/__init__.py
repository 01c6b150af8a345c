"""``searchkit serve``: a local, read-only web page over an index.

Pages: ``/search`` (hits, facets, a timeline, paging), ``/article/ID``,
``/quotes``, ``/speakers`` and ``/speaker/NAME``; every listing links to its
CSV and JSON.  Built on Starlette and Jinja2 and served by uvicorn, from the
``web`` extra (``pip install "searchkit[web]"``).  Like the command line, it
calls the public API only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from searchkit.web.app import create_app
from searchkit.web.headers import LOCAL_HOSTS

if TYPE_CHECKING:
    from searchkit import Index

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "create_app", "is_loopback", "running", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def is_loopback(host: str) -> bool:
    """Tell whether ``host`` is reachable from this machine only."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to any interface
        return False


def serve(index: Index, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve ``index`` at http://host:port/ until interrupted (Ctrl-C)."""
    import uvicorn

    uvicorn.run(create_app(index, hosts=_hosts(host)), host=host, port=port, log_level="warning")


def _hosts(host: str) -> tuple[str, ...] | None:
    """Return the names a server on ``host`` answers to: this machine's, or any when open."""
    return LOCAL_HOSTS if is_loopback(host) else None


@contextmanager
def running(index: Index, host: str = DEFAULT_HOST, port: int = 0) -> Iterator[str]:
    """Serve ``index`` from a background thread while the block runs; yield its base URL.

    Port 0 takes a free port.  For tests and scripts that drive a browser.
    """
    import uvicorn

    app = create_app(index, hosts=_hosts(host))
    config = uvicorn.Config(app, host=host, port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="searchkit-web", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise OSError(f"the web server could not start on {host}:{port}")
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)

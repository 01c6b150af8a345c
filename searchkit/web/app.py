"""The Starlette application: one read-only Index, pages rendered from Jinja2 templates.

Handlers are ``async`` on purpose: they call the library directly on the event
loop, so requests are served one at a time and the Index's Whoosh searchers,
opened once and reused, are never used by two threads at once.  A local page
for one person needs no more, and a search page on 21k articles takes tens of milliseconds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import jinja2
import markupsafe
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

import searchkit
from searchkit.cli import escape, render
from searchkit.cli.follow import trace_summary
from searchkit.web import views
from searchkit.web.headers import SecurityHeaders
from searchkit.web.memo import REMEMBER, Remembered
from searchkit.web.params import (
    KINDS,
    SORTS,
    ArticleQuery,
    ParamError,
    QuoteQuery,
    SpeakerQuery,
    export_format,
    speaker_path,
)

if TYPE_CHECKING:
    from searchkit import Index

__all__ = ["create_app"]

#: Facets counted on the search page, in the order shown.
FACETS = ("source", "year", "month", "dateline", "speaker", "cue")
#: Facets counted on the quotes page.
QUOTE_FACETS = ("cue",)
#: Similar articles listed on an article page.
SIMILAR = 5
#: The pages whose query box an error page shows again, to mend the query.
FORMS = ("/search", "/quotes", "/speakers", "/trace")
#: Longest quote text or id the trace page takes.
MAX_TRACE = 1_000
CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json"


def _shown(value: Any) -> Any:
    """Show control characters and bidi overrides in collection text as inert escapes.

    Markup (a macro's output) is made of values that were shown this way already.
    """
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return escape.printable(value, multiline=True)
    return value


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("searchkit.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_shown,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        speaker_path=speaker_path,
        chart_width=views.CHART_WIDTH,
        chart_height=views.CHART_HEIGHT,
        kinds=KINDS,
        sorts=SORTS,
    )
    environment.filters["web_link"] = _web_link
    environment.filters["path_part"] = _path_part
    return environment


def _path_part(value: str) -> str:
    """Return ``value`` percent-encoded as one segment of a path (an id may hold ``/``)."""
    return quote(value, safe="")


def _web_link(url: str | None) -> str | None:
    """Return ``url`` if a browser may follow it (http or https), else None."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


class Pages:
    """The pages of one open Index."""

    def __init__(self, index: Index, remember: int = REMEMBER) -> None:
        self.index = index
        self.ask = Remembered(remember)
        self.templates = _environment()
        self.stylesheet = (
            resources.files("searchkit.web").joinpath("static/style.css").read_text("utf-8")
        )

    @property
    def stats(self) -> searchkit.IndexStats:
        return self.ask(self.index.stats)

    def page(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.templates.get_template(template).render(**context)
        return HTMLResponse(html, status_code=status)

    # ------------------------------------------------------------ search

    async def search(self, request: Request) -> Response:
        query = ArticleQuery.read(request.query_params)
        fmt = export_format(request.query_params)
        if not query.q:
            if fmt:
                raise ParamError("give a query (q=…) to export its results")
            return self.page("home.html", query=query, stats=self.stats, nav="search")
        results = self.ask(
            self.index.search,
            query.q,
            limit=query.limit,
            page=query.page,
            match="any" if query.any else "all",
            source=query.source or None,
            since=query.since or None,
            until=query.until or None,
            sort="date" if query.sort == "date" else "relevance",
            syntax=not query.plain,
            facets=() if fmt else FACETS,
            collapse=query.collapse,
        )
        if fmt:
            return _listing_export(results, fmt, render.HIT_COLUMNS, "search")
        shown = results.total if results.collapsed_total is None else results.collapsed_total
        return self.page(
            "search.html",
            query=query,
            results=results,
            shown=shown,
            facets=views.facet_links(results, query),
            timeline=self._timeline(query, results.facets["month"]),
            pages=views.page_count(shown, query.limit),
            nav="search",
        )

    def _timeline(
        self, query: ArticleQuery, months: Mapping[str, int] | None = None
    ) -> dict[str, Any]:
        """Count the query's articles over time; each bar links to its period.

        ``months``, the search's month facet, are the counts by month already;
        a span of a month or two is counted again by day, a long one by year.
        """
        ask: dict[str, Any] = {
            "match": "any" if query.any else "all",
            "source": query.source or None,
            "since": query.since or None,
            "until": query.until or None,
            "syntax": not query.plain,
        }
        if months is None:
            counted = self.ask(self.index.timeline, query.q, by="month", **ask)
            by, buckets, undated = counted.by, list(counted.buckets), counted.undated
        else:
            by = "month"
            buckets, undated = views.month_buckets(months)
        if by == "month" and len(buckets) > views.MAX_BARS:
            by, buckets = "year", views.merge_years(buckets)
        elif by == "month" and 0 < len(buckets) < views.FEW_BARS:
            counted = self.ask(self.index.timeline, query.q, by="day", **ask)
            by, buckets = counted.by, list(counted.buckets)

        def link(since: str, until: str) -> str:
            return query.link(since=since, until=until)

        return {"by": by, "bars": views.bars(buckets, by, link), "undated": undated}

    # ------------------------------------------------------------ articles

    async def article(self, request: Request) -> Response:
        article_id = request.path_params["article_id"]
        try:
            article = self.ask(self.index.article, article_id)
        except searchkit.QueryError:
            raise HTTPException(404, f"There is no article with id {article_id!r}.") from None
        similar = self.ask(self.index.similar, article["id"], limit=SIMILAR)
        return self.page(
            "article.html",
            article=article,
            paragraphs=views.paragraphs(article["body"], article["quotes"]),
            quotes=article["quotes"],
            similar=similar,
            url=_web_link(article.get("url")),
            nav="search",
        )

    # ------------------------------------------------------------ quotes and speakers

    async def quotes(self, request: Request) -> Response:
        query = QuoteQuery.read(request.query_params)
        fmt = export_format(request.query_params)
        results = self._quotes(query, () if fmt else QUOTE_FACETS)
        if fmt:
            return _listing_export(results, fmt, render.QUOTE_COLUMNS, "quotes")
        return self.page(
            "quotes.html",
            query=query,
            results=results,
            facets=views.facet_links(results, query),
            pages=views.page_count(results.total, query.limit),
            nav="quotes",
        )

    def _quotes(self, query: QuoteQuery, facets: Sequence[str] = ()) -> searchkit.QuoteResults:
        return self.ask(
            self.index.quotes,
            query.q,
            speaker=query.speaker or None,
            source=query.source or None,
            since=query.since or None,
            until=query.until or None,
            kind=None if query.kind == "all" else query.kind,
            limit=query.limit,
            page=query.page,
            syntax=not query.plain,
            facets=facets,
        )

    async def speakers(self, request: Request) -> Response:
        query = SpeakerQuery.read(request.query_params)
        fmt = export_format(request.query_params)
        found = self.ask(
            self.index.speakers,
            query.q,
            source=query.source or None,
            since=query.since or None,
            until=query.until or None,
            limit=query.limit,
            syntax=not query.plain,
        )
        if fmt:
            rows = [speaker.to_dict() for speaker in found]
            return _export(render.rows(rows, fmt, render.SPEAKER_COLUMNS), fmt, "speakers")
        return self.page("speakers.html", query=query, speakers=found, nav="speakers")

    async def speaker(self, request: Request) -> Response:
        name = request.path_params["name"]
        query = dataclasses.replace(QuoteQuery.read(request.query_params), speaker=name, kind="all")
        results = self._quotes(query)
        if not results.total and query.page == 1:
            raise HTTPException(404, f"No quotes by {name!r} are in this index.")
        timeline = None
        if '"' not in name:  # a name with a double quote cannot be one phrase of query syntax
            timeline = self._timeline(ArticleQuery(q=f'speaker:"{name}"'))
        return self.page(
            "speaker.html",
            name=name,
            query=query,
            results=results,
            timeline=timeline,
            path=speaker_path(name),
            pages=views.page_count(results.total, query.limit),
            nav="speakers",
        )

    # ------------------------------------------------------------ trace

    async def trace(self, request: Request) -> Response:
        text = str(request.query_params.get("q") or "").strip()
        if not text:
            raise ParamError("give words from a quote, or a quote id such as article-id#0 (q=…)")
        if len(text) > MAX_TRACE:
            raise ParamError(f"q is longer than {MAX_TRACE:,} characters; shorten it")
        history = self.ask(self.index.trace, text)
        return self.page(
            "trace.html", q=text, trace=history, summary=trace_summary(history), nav="quotes"
        )

    # ------------------------------------------------------------ the rest

    async def stylesheet_file(self, request: Request) -> Response:
        return Response(
            self.stylesheet,
            media_type="text/css",
            headers={"cache-control": "max-age=3600"},
        )

    async def home(self, request: Request) -> Response:
        return self.page("home.html", query=ArticleQuery(), stats=self.stats, nav="search")

    async def bad_request(self, request: Request, exc: Exception) -> Response:
        return self.page(
            "message.html",
            400,
            heading="That search could not be run",
            message=str(exc),
            form=request.url.path if request.url.path in FORMS else None,
            q=str(request.query_params.get("q") or "")[:1000],
            nav="",
        )

    async def http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        found = exc.status_code != 404
        detail = exc.detail if exc.status_code == 404 else "This page does not take that request."
        if exc.status_code == 404 and detail == "Not Found":
            detail = "There is no such page here."
        return self.page(
            "message.html",
            exc.status_code,
            heading="Not found" if not found else "Not allowed",
            message=detail,
            form=None,
            q="",
            nav="",
        )

    async def server_error(self, request: Request, exc: Exception) -> Response:
        return self.page(
            "message.html",
            500,
            heading="Something went wrong",
            message="This page could not be made; the server's log says why.",
            form=None,
            q="",
            nav="",
        )


def _listing_export(results: Any, fmt: str, columns: Sequence[str], name: str) -> Response:
    """Export a listing as ``searchkit ... --format csv|json`` prints it."""
    if fmt == "json":
        return _export(render.json_text(results.to_dict()) + "\n", fmt, name)
    return _export(render.rows([hit.to_dict() for hit in results], fmt, columns), fmt, name)


def _export(text: str, fmt: str, name: str) -> Response:
    media = CSV_TYPE if fmt == "csv" else JSON_TYPE
    headers = {"content-disposition": f'attachment; filename="searchkit-{name}.{fmt}"'}
    return Response(text, media_type=media, headers=headers)


def create_app(
    index: Index, *, hosts: Sequence[str] | None = None, remember: int = REMEMBER
) -> Starlette:
    """Return the web application over an open ``index``, read-only.

    ``hosts``, if given, are the only names a request may address the server by
    (its ``Host`` header): serving on this machine, that is :data:`LOCAL_HOSTS`,
    so that a web page elsewhere cannot reach the index through a name it made
    point here (DNS rebinding).  ``remember`` answers are kept for pages asked
    again (0: none, as the benchmark measures).
    """
    pages = Pages(index, remember)
    routes = [
        Route("/", pages.home),
        Route("/search", pages.search),
        Route("/article/{article_id:path}", pages.article),
        Route("/quotes", pages.quotes),
        Route("/speakers", pages.speakers),
        Route("/speaker/{name:path}", pages.speaker),
        Route("/trace", pages.trace),
        Route("/static/style.css", pages.stylesheet_file),
    ]
    handlers: Mapping[Any, Callable[..., Any]] = {
        ParamError: pages.bad_request,
        searchkit.SearchkitError: pages.bad_request,
        HTTPException: pages.http_error,
        Exception: pages.server_error,
    }
    app = Starlette(routes=routes, exception_handlers=handlers)
    if hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts), www_redirect=False)
    app.add_middleware(SecurityHeaders)
    return app

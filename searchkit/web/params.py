"""The query parameters of each page, read from a URL and written back into links.

Every view is a link: the query, filters, sort and page travel as query
parameters, so a page can be bookmarked or sent.  Reading is strict (a page
number that is not a number is a :class:`ParamError` with a hint), and a
link that changes a filter goes back to the first page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, TypeVar
from urllib.parse import quote, urlencode

__all__ = [
    "EXPORT_LIMIT",
    "KINDS",
    "PAGE_SIZE",
    "SORTS",
    "ArticleQuery",
    "ParamError",
    "QuoteQuery",
    "SpeakerQuery",
    "export_format",
    "speaker_path",
]

SORTS = ("relevance", "date")
KINDS = ("speech", "partial", "term", "all")
#: Longest query or filter value read from a URL; longer ones are refused, not cut.
MAX_VALUE = 1_000
#: The most outlets one link may filter on.
MAX_SOURCES = 20
MAX_PAGE = 10_000
#: Results on one page, and the most an export link asks for.
PAGE_SIZE = 10
EXPORT_LIMIT = 1_000
EXPORT_FORMATS = ("csv", "json")
#: Speakers listed on the speakers page.
SPEAKERS_PAGE = 50


class ParamError(ValueError):
    """A query parameter that cannot be read; the message says what to do."""


class QueryParams(Protocol):
    """What the pages need of a request's query string (Starlette's ``QueryParams``)."""

    def get(self, key: str, /) -> str | None: ...

    def getlist(self, key: str) -> list[str]: ...


def _text(params: QueryParams, name: str) -> str:
    value = str(params.get(name) or "").strip()
    if len(value) > MAX_VALUE:
        raise ParamError(f"{name} is longer than {MAX_VALUE:,} characters; shorten it")
    return value


def _page(params: QueryParams) -> int:
    raw = _text(params, "page") or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise ParamError(f"page must be a whole number from 1 to {MAX_PAGE:,}, not {raw[:20]!r}")
    return int(raw)


def _limit(params: QueryParams, default: int) -> int:
    raw = _text(params, "limit") or str(default)
    if not raw.isdigit() or not 1 <= int(raw) <= EXPORT_LIMIT:
        raise ParamError(
            f"limit must be a whole number from 1 to {EXPORT_LIMIT:,}, not {raw[:20]!r}"
        )
    return int(raw)


def export_format(params: QueryParams) -> str | None:
    """Return the export asked for (``format=csv`` or ``json``), or None for the page."""
    value = _text(params, "format")
    if value and value not in EXPORT_FORMATS:
        raise ParamError(f"format must be csv or json, not {value[:20]!r}")
    return value or None


def _choice(params: QueryParams, name: str, choices: Sequence[str]) -> str:
    value = _text(params, name) or choices[0]
    if value not in choices:
        raise ParamError(f"{name} must be one of {', '.join(choices)}, not {value[:20]!r}")
    return value


def _sources(params: QueryParams) -> tuple[str, ...]:
    sources = tuple(dict.fromkeys(s.strip() for s in params.getlist("source") if s.strip()))
    if len(sources) > MAX_SOURCES:
        raise ParamError(f"at most {MAX_SOURCES} outlets can be chosen at once")
    if any(len(s) > MAX_VALUE for s in sources):
        raise ParamError(f"an outlet name is longer than {MAX_VALUE:,} characters")
    return sources


def _flag(params: QueryParams, name: str) -> bool:
    return _text(params, name) in ("1", "on", "true", "yes")


Q = TypeVar("Q", bound="_Query")


@dataclass(frozen=True)
class _Query:
    """What every listing shares: query text, outlet and date filters, page."""

    q: str = ""
    source: tuple[str, ...] = ()
    since: str = ""
    until: str = ""
    plain: bool = False
    page: int = 1
    limit: int = PAGE_SIZE

    #: The page these parameters belong to, and how many results it lists.
    path: ClassVar[str] = "/search"
    default_limit: ClassVar[int] = PAGE_SIZE

    def pairs(self) -> list[tuple[str, str]]:
        """Return the parameters that differ from the defaults, in a stable order."""
        out: list[tuple[str, str]] = []
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if value == item.default:
                continue
            if isinstance(value, tuple):
                out += [(item.name, v) for v in value]
            elif isinstance(value, bool):
                out.append((item.name, "1" if value else "0"))
            else:
                out.append((item.name, str(value)))
        return out

    def link(self: Q, *, path: str | None = None, **changes: Any) -> str:
        """Return the URL of these parameters with ``changes`` (back to page 1 unless given)."""
        changed = dataclasses.replace(self, **{"page": 1, **changes})
        query = urlencode(changed.pairs())
        return (path or self.path) + ("?" + query if query else "")

    def export(self, fmt: str) -> str:
        """Return the link to the listing's first :data:`EXPORT_LIMIT` results as ``fmt``."""
        everything = dataclasses.replace(self, page=1, limit=EXPORT_LIMIT)
        return f"{self.path}?{urlencode([*everything.pairs(), ('format', fmt)])}"

    def without_source(self: Q, source: str) -> str:
        return self.link(source=tuple(s for s in self.source if s != source))

    def with_source(self: Q, source: str) -> str:
        return self.link(
            source=(*self.source, source) if source not in self.source else self.source
        )

    @property
    def filtered(self) -> bool:
        return bool(self.source or self.since or self.until)

    @classmethod
    def common(cls, params: QueryParams) -> dict[str, Any]:
        return {
            "limit": _limit(params, cls.default_limit),
            "q": _text(params, "q"),
            "source": _sources(params),
            "since": _text(params, "since"),
            "until": _text(params, "until"),
            "plain": _flag(params, "plain"),
            "page": _page(params),
        }


@dataclass(frozen=True)
class ArticleQuery(_Query):
    """``/search``: articles, with match, sort and page."""

    any: bool = False
    sort: str = "relevance"
    #: Wire copies shown as one hit (``collapse=0``: every copy, as ``--no-collapse``).
    collapse: bool = True

    @classmethod
    def read(cls, params: QueryParams) -> ArticleQuery:
        return cls(
            **cls.common(params),
            any=_flag(params, "any"),
            sort=_choice(params, "sort", SORTS),
            collapse=_text(params, "collapse") not in ("0", "off", "false", "no"),
        )


@dataclass(frozen=True)
class QuoteQuery(_Query):
    """``/quotes``: quotes, by speaker and kind."""

    speaker: str = ""
    kind: str = "speech"

    path: ClassVar[str] = "/quotes"

    @classmethod
    def read(cls, params: QueryParams) -> QuoteQuery:
        return cls(
            **cls.common(params),
            speaker=_text(params, "speaker"),
            kind=_choice(params, "kind", KINDS),
        )


@dataclass(frozen=True)
class SpeakerQuery(_Query):
    """``/speakers``: who is quoted."""

    limit: int = SPEAKERS_PAGE
    path: ClassVar[str] = "/speakers"
    default_limit: ClassVar[int] = SPEAKERS_PAGE

    @classmethod
    def read(cls, params: QueryParams) -> SpeakerQuery:
        return cls(**cls.common(params))


def speaker_path(name: str) -> str:
    """Return the path of a speaker's page (every character of the name percent-encoded)."""
    return "/speaker/" + quote(name, safe="")

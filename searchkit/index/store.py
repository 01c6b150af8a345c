"""The index: build, open, update, and every way of reading it.

An index directory holds generations of a Whoosh index and a pointer to the
live one (see :mod:`searchkit.index.storage`).  Every write, a full build or an
incremental update, produces a new generation beside the live one and then
swaps ``CURRENT`` with one ``os.replace``.  A build that fails or is killed
leaves the live generation untouched; readers that opened it keep reading it.
An update starts from hard links to the live generation's segment files:
Whoosh never rewrites a segment file in place, so the live generation cannot
be changed through its links.  The previous generation is kept for readers
still using it; older ones are deleted.

Opening an index unpickles its Whoosh table of contents, and reading it
unpickles stored fields and postings; every such pickle goes through
:mod:`searchkit.engine.unpickling`, which admits only the classes an index holds, so
an index folder from elsewhere cannot run code.  searchkit reads its own
``searchkit.json`` first and refuses directories it did not write.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shlex
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from searchkit.analysis.analyzers import remember_stems
from searchkit.engine.codec import open_searcher
from searchkit.engine.ranking import weighting
from searchkit.engine.unpickling import check_toc
from searchkit.errors import (
    ArticleError,
    IndexError_,
    NoIndexError,
    UntrustedIndexError,
)
from searchkit.index import storage
from searchkit.index.build import (
    BuildReport,
    Progress,
    checked_field_map,
    roots_of,
    write_generation,
)
from searchkit.index.copies import read_groups
from searchkit.index.watches import Watches
from searchkit.schema import ARTICLES, QUOTES
from searchkit.search.articles import (
    Results,
    Sort,
    article_number,
    filtered_query,
    search,
    similar,
)
from searchkit.search.batch import (
    BatchResult,
    Question,
    bucket_reader,
    count_batch,
    questions_of,
)
from searchkit.search.copies import CopyGroups
from searchkit.search.facets import Timeline, count_facets, matching_docs, timeline
from searchkit.search.filters import Filters, Outlets
from searchkit.search.query import Match
from searchkit.search.quotes import QuoteResults, Speaker, search_quotes, speakers
from searchkit.search.trace import Trace, trace

if TYPE_CHECKING:  # parsing articles is for writing; queries never import it
    pass

__all__ = ["DEFAULT_INDEX_DIR", "BuildReport", "Index", "IndexStats", "default_index_dir"]

DEFAULT_INDEX_DIR = "index"
LOCK_TIMEOUT = 30.0


def default_index_dir() -> Path:
    """Return ``$SEARCHKIT_INDEX`` or ``./index``."""
    return Path(os.environ.get("SEARCHKIT_INDEX") or DEFAULT_INDEX_DIR)


@dataclass(frozen=True, slots=True)
class IndexStats:
    """Size and coverage of an index."""

    articles: int
    quotes: int
    outlets: dict[str, int]
    first_date: dt.date | None
    last_date: dt.date | None
    size_bytes: int
    roots: tuple[str, ...]
    path: str

    def to_dict(self) -> dict[str, object]:
        """Return the statistics as JSON-ready data."""
        return {
            "articles": self.articles,
            "quotes": self.quotes,
            "outlets": self.outlets,
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "size_bytes": self.size_bytes,
            "roots": list(self.roots),
            "path": self.path,
        }


class Index:
    """A searchkit index directory; open one with :meth:`open` or :meth:`build`."""

    def __init__(self, directory: Path, generation: Path, meta: dict[str, Any]) -> None:
        from whoosh.index import open_dir

        self.directory = directory
        self.generation = generation
        self.meta = meta
        #: The stems of this index's words, ``stems.json`` (queries need no NLTK).
        self.stems: dict[str, str] = {}
        self.report: BuildReport | None = None
        self._copies: CopyGroups | None = None
        try:
            for toc in sorted(generation.glob("*.toc")):
                check_toc(str(toc))  # before Whoosh unpickles it
            self._whoosh = open_dir(str(generation), indexname=ARTICLES)
            self._quotes_whoosh = open_dir(str(generation), indexname=QUOTES)
            # Open the segment files now: a damaged one fails here, not mid-query, and
            # the open files keep answering after a later write deletes this generation.
            self._searcher: Any = open_searcher(self._whoosh, weighting())
            self._quote_searcher: Any = open_searcher(self._quotes_whoosh, weighting())
            self._size = sum(f.stat().st_size for f in generation.iterdir() if f.is_file())
        except UntrustedIndexError:
            raise
        except PermissionError as exc:
            raise IndexError_(
                f"cannot read {exc.filename or generation}: permission denied; "
                "ask the index's owner for read access, or build your own with "
                "`searchkit index --index DIR PATH...`"
            ) from exc
        except Exception as exc:  # Whoosh raises bare Exceptions, pickle and OS errors
            raise IndexError_(
                f"{directory}: the index is damaged ({exc.__class__.__name__}); "
                "rebuild it with `searchkit index --rebuild`"
            ) from exc

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, directory: str | os.PathLike[str] | None = None) -> Index:
        """Open the index in ``directory`` (default: :func:`default_index_dir`)."""
        directory = Path(directory) if directory is not None else default_index_dir()
        generation = storage.live_generation(directory)
        meta = storage.read_meta(directory, generation)
        index = cls(directory, generation, meta)
        stems = generation / storage.STEMS_FILE
        with contextlib.suppress(OSError, ValueError):
            table = json.loads(stems.read_text(encoding="utf-8"))
            if isinstance(table, dict):
                index.stems = {str(k): str(v) for k, v in table.items()}
                remember_stems(index.stems)  # a cache: stemming is a pure function
        return index

    @classmethod
    def exists(cls, directory: str | os.PathLike[str]) -> bool:
        """Tell whether ``directory`` holds a searchkit index."""
        return (Path(directory) / storage.POINTER).is_file()

    # ------------------------------------------------------------ writing

    @classmethod
    def build(
        cls,
        directory: str | os.PathLike[str],
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        *,
        progress: Progress | None = None,
        strict: bool = False,
        lock_timeout: float = LOCK_TIMEOUT,
        procs: int | None = None,
        follow_links: bool = False,
        on_wait: Callable[[], None] | None = None,
        field_map: Mapping[str, str] | None = None,
    ) -> Index:
        """Build a fresh index of the articles in ``paths``, replacing any old one.

        The returned index's :attr:`report` says what was indexed and which
        files were skipped.  With ``strict``, any problem raises
        :class:`ArticleError` before anything is written.  Symlinks that lead
        outside ``paths`` are followed only with ``follow_links``.  ``on_wait``
        is called once if another process is writing the index first.
        ``field_map`` (article field -> column or key, e.g. ``{"text": "story"}``)
        says where CSV and JSONL records keep fields of other names; updates
        use it again.
        """
        directory = Path(directory)
        roots = roots_of(paths)
        fields = checked_field_map(field_map)
        with storage.writer_lock(directory, lock_timeout, on_wait):
            return cls._write(directory, roots, None, progress, strict, procs, follow_links, fields)

    @classmethod
    def index(
        cls,
        directory: str | os.PathLike[str],
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
        *,
        rebuild: bool = False,
        progress: Progress | None = None,
        strict: bool = False,
        lock_timeout: float = LOCK_TIMEOUT,
        procs: int | None = None,
        follow_links: bool | None = None,
        on_wait: Callable[[], None] | None = None,
        field_map: Mapping[str, str] | None = None,
    ) -> Index:
        """Build the index in ``directory`` if there is none (or with ``rebuild``), else update it.

        One writer lock covers the choice and the write, so two of these
        started together give what running them one after the other gives.
        Without ``paths``, the folders the index was built from are read again.
        """
        directory = Path(directory)
        with storage.writer_lock(directory, lock_timeout, on_wait):
            # A rebuild from given paths need not (and for a damaged index cannot) open it.
            needed = cls.exists(directory) and not (rebuild and paths is not None)
            live = cls.open(directory) if needed else None
            if paths is None and live is None:
                raise NoIndexError(
                    f"no index at {directory} yet; give the article files or folders "
                    "to index, e.g. `searchkit index seeds/`"
                )
            roots, follow_links, fields = _settings(live, paths, follow_links, field_map)
            if rebuild or live is None:
                if live is not None:
                    live.close()
                return cls._write(
                    directory, roots, None, progress, strict, procs, follow_links, fields
                )
            return cls._write(directory, roots, live, progress, strict, procs, follow_links, fields)

    def update(
        self,
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
        *,
        progress: Progress | None = None,
        strict: bool = False,
        lock_timeout: float = LOCK_TIMEOUT,
        procs: int | None = None,
        follow_links: bool | None = None,
        on_wait: Callable[[], None] | None = None,
        field_map: Mapping[str, str] | None = None,
    ) -> Index:
        """Add new, re-index changed and remove deleted articles below ``paths``.

        Without ``paths``, the folders and files the index was built from are
        read again.  Articles are compared by content hash, so unchanged input
        writes nothing.  ``follow_links`` and ``field_map`` default to what the
        index was built with.  Returns the updated index; :attr:`report` says what changed.
        """
        with storage.writer_lock(self.directory, lock_timeout, on_wait):
            # The live index, read under the lock: another writer may have changed it.
            live = Index.open(self.directory)
            roots, follow_links, fields = _settings(live, paths, follow_links, field_map)
            return Index._write(
                self.directory, roots, live, progress, strict, procs, follow_links, fields
            )

    def _recorded_roots(self) -> list[Path]:
        """Return the folders and files the index was built from; all must still exist."""
        roots = [Path(p) for p in self.meta.get("roots", [])]
        missing = [root for root in roots if not os.path.lexists(root)]
        if missing:
            kept = [str(root) for root in roots if root not in missing]
            others = " ".join(shlex.quote(root) for root in kept)
            fix = (
                f"`searchkit index --rebuild {others} [NEW_PATH]`"
                if kept
                else ("`searchkit index --rebuild NEW_PATH`")
            )
            raise ArticleError(
                str(missing[0]),
                "this folder was indexed but no longer exists (moved, renamed or deleted), "
                f"so {self.directory} cannot be brought up to date; its old articles are "
                f"still searchable. Rebuild without it (and with its new place): {fix}",
            )
        return roots

    @classmethod
    def _write(
        cls,
        directory: Path,
        roots: list[Path],
        live: Index | None,
        progress: Progress | None,
        strict: bool,
        procs: int | None,
        follow_links: bool,
        field_map: dict[str, str],
    ) -> Index:
        report, written = write_generation(
            directory,
            roots,
            live,
            progress=progress,
            strict=strict,
            procs=procs,
            follow_links=follow_links,
            field_map=field_map,
        )
        if written:
            if live is not None:
                live.close()
            index = cls.open(directory)
        else:
            assert live is not None
            index = live
        index.report = report
        return index

    def _catalogue(self) -> dict[str, tuple[str, str]]:
        """Map each indexed article id to its (content hash, root)."""
        reader = self.searcher.reader()
        if not reader.doc_count_all():  # Whoosh's EmptyReader has no columns
            return {}
        ids = reader.column_reader("id")
        hashes = reader.column_reader("hash")
        roots = reader.column_reader("root")
        return {
            ids[n]: (hashes[n].decode("ascii"), roots[n].decode("utf-8", "surrogateescape"))
            for n in reader.all_doc_ids()
        }

    # ------------------------------------------------------------ reading

    @property
    def searcher(self) -> Any:
        """The Whoosh searcher, opened once and reused across queries."""
        if self._searcher is None:
            self._searcher = open_searcher(self._whoosh, weighting())
        return self._searcher

    @property
    def quote_searcher(self) -> Any:
        """The Whoosh searcher of the quote index, opened once."""
        if self._quote_searcher is None:
            self._quote_searcher = open_searcher(self._quotes_whoosh, weighting())
        return self._quote_searcher

    @property
    def copy_groups(self) -> CopyGroups:
        """The groups of wire copies (near-duplicate articles), read once when first needed."""
        if self._copies is None:
            self._copies = CopyGroups(self.searcher, read_groups(self.generation))
        return self._copies

    @property
    def watches(self) -> Watches:
        """The saved searches kept beside this index (``watches.json``): add, list, remove, run."""
        return Watches(self)

    def close(self) -> None:
        """Release the searchers' open files."""
        for searcher in (self._searcher, self._quote_searcher):
            if searcher is not None:
                searcher.close()
        self._searcher = self._quote_searcher = None
        self._whoosh.close()
        self._quotes_whoosh.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        # The searcher's count: FileIndex.doc_count() re-reads the TOC from disk.
        return int(self.searcher.doc_count())

    def stats(self) -> IndexStats:
        """Count articles, quotes and outlets, and find the date span."""
        reader = self.searcher.reader()
        docs = list(reader.all_doc_ids())
        # Whoosh's EmptyReader (an index without articles) has no columns to read.
        outlets = count_facets(self.searcher, docs, ["source"])["source"] if docs else {}
        days = reader.column_reader("day") if docs else {}
        dated = [days[doc] for doc in docs if days[doc]]
        size = self._size
        return IndexStats(
            articles=len(docs),
            quotes=int(self.quote_searcher.doc_count()),
            outlets=outlets,
            first_date=_day_to_date(min(dated)) if dated else None,
            last_date=_day_to_date(max(dated)) if dated else None,
            size_bytes=size,
            roots=tuple(self.meta.get("roots", [])),
            path=str(self.directory),
        )

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        page: int = 1,
        match: Match = "all",
        source: Outlets = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        sort: Sort = "relevance",
        syntax: bool = True,
        facets: Sequence[str] = (),
        collapse: bool = True,
    ) -> Results:
        """Search the articles; see the README for the query syntax.

        ``match="all"`` requires every word (the CLI default); ``"any"`` ranks
        articles matching more words higher, for long natural-language queries.
        ``source`` keeps one outlet's articles, ``since``/``until`` a date span
        (``2024``, ``2024-03`` or ``2024-03-05``), and ``sort="date"`` puts the
        newest first. ``syntax=False`` takes the text as plain words, never
        as query syntax: for questions pasted from elsewhere.  ``facets``
        (any of source, year, month, dateline, speaker, cue) adds counts over
        all matches to :attr:`Results.facets`; ``cue`` counts the articles
        quoting with each reporting verb, folded ("said" is "say").  A query with (almost) no hits
        carries a corrected :attr:`Results.suggestion` when one looks likely.
        Wire copies (near-duplicate articles) are one hit, the earliest, with
        the others in :attr:`Hit.copies`, and count once in the facets;
        ``collapse=False`` shows and counts every copy.
        """
        return search(
            self.searcher,
            text,
            limit=limit,
            page=page,
            match=match,
            filters=Filters(source, since, until),
            sort=sort,
            syntax=syntax,
            facets=facets,
            copies=self.copy_groups if collapse else None,
        )

    def timeline(
        self,
        text: str,
        *,
        by: str = "month",
        match: Match = "all",
        source: Outlets = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        syntax: bool = True,
        collapse: bool = True,
    ) -> Timeline:
        """Count the matching articles per day, week, month or year: how coverage moved.

        ``syntax=False`` takes the text as plain words, as :meth:`search` does.
        Wire copies count once, on the day of the earliest (``collapse=False``:
        every copy counts).
        """
        query = filtered_query(self.searcher, text, match, syntax, Filters(source, since, until))
        docs = matching_docs(self.searcher, query)
        return timeline(self.searcher, self.copy_groups.collapse(docs) if collapse else docs, by)

    def similar(self, article_id: str, *, limit: int = 10) -> Results:
        """Find the articles most like the one with ``article_id`` (more like this)."""
        return similar(self.searcher, article_id, limit=limit)

    def quotes(
        self,
        text: str = "",
        *,
        speaker: str | None = None,
        source: Outlets = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        kind: str | None = "speech",
        limit: int = 10,
        page: int = 1,
        syntax: bool = True,
        facets: Sequence[str] = (),
    ) -> QuoteResults:
        """Search quotes: who said what, ranked as quotes rather than articles.

        ``speaker`` matches folded names ("kang", "Mr Kang", "Kang Chol Hwan"):
        quotes by the full name first, then those credited to its surname alone;
        ``kind`` is ``"speech"``, ``"partial"``, ``"term"`` or None for all.
        With an empty ``text``, the newest quotes matching the filters come first.
        ``syntax=False`` takes the text as plain words, as :meth:`search` does.
        ``facets`` (any of cue, year, month) adds counts over every matching
        quote to :attr:`QuoteResults.facets`: ``cue`` counts the reporting
        verbs, folded to their dictionary form ("said", "says" are "say").
        """
        return search_quotes(
            self.quote_searcher,
            text,
            speaker=speaker,
            filters=Filters(source, since, until),
            kind=kind,
            limit=limit,
            page=page,
            syntax=syntax,
            facets=facets,
        )

    def speakers(
        self,
        text: str = "",
        *,
        source: Outlets = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        limit: int | None = 20,
        named_only: bool = True,
        syntax: bool = True,
        name: str | None = None,
    ) -> list[Speaker]:
        """List who is quoted (on ``text``, if given, as plain words with ``syntax=False``).

        ``name`` keeps the speakers whose own name matches it ("kim": Kim
        Jong-un, Kim Darroch, and "Kim" where only the surname was written).
        """
        return speakers(
            self.quote_searcher,
            text,
            filters=Filters(source, since, until),
            limit=limit,
            named_only=named_only,
            syntax=syntax,
            name=name,
        )

    def batch(
        self,
        questions: str | Iterable[str | Question],
        *,
        by: str | None = None,
        match: Match = "all",
        source: Outlets = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        syntax: bool = True,
    ) -> BatchResult:
        """Count the matches of many queries, per outlet or period, with copies and collapsed.

        ``questions`` is the text of a questions file (one query per line, or
        a CSV with a ``query`` and an optional ``label`` column) or a list of
        queries.  ``by`` is ``"source"``, ``"year"``, ``"month"``, ``"week"``,
        ``"day"`` or None (one total per query).  A query that cannot be
        parsed is reported in :attr:`BatchResult.errors` with its line; the
        others still run.
        """
        asked = questions_of(questions)
        filters = Filters(source, since, until)
        filters.queries(self.searcher)  # a bad filter is the whole batch's error, raised once

        def matches(text: str) -> list[int]:
            query = filtered_query(self.searcher, text, match, syntax, filters)
            return matching_docs(self.searcher, query)

        buckets = bucket_reader(self.searcher, by)
        return count_batch(asked, matches, self.copy_groups.collapse, buckets, by)

    def trace(self, text: str) -> Trace:
        """Follow a quote: its every printing, exact or reworded, earliest first.

        ``text`` is words from the quote or a quote id (``article-id#N``, as
        ``searchkit quotes --format json`` shows).  Reworded printings (a word
        changed, dropped or added) are marked ``variant`` with their changes
        against the first printing.
        """
        return trace(self.quote_searcher, text)

    def article(self, article_id: str) -> dict[str, Any]:
        """Return one article's stored text, metadata and quotes as JSON-ready data."""
        docnum = article_number(self.searcher, article_id, f" in {self.directory}")
        stored = self.searcher.stored_fields(docnum)
        content_hash = self.searcher.reader().column_reader("hash")[docnum].decode("ascii")
        meta = stored.get("meta") or {}
        date = stored.get("published")
        return {
            "id": stored["id"],
            "title": stored.get("title", ""),
            "source": stored.get("source"),
            "date": date.date().isoformat() if date else None,
            "dateline": stored.get("dateline"),
            "section": meta.get("section"),
            "kicker": meta.get("kicker"),
            "author": meta.get("author"),
            "authors": list(meta.get("authors") or ()),
            "language": meta.get("language"),
            "url": meta.get("url"),
            "path": stored.get("path"),
            "body": stored.get("body", ""),
            "boilerplate": meta.get("boilerplate", ""),
            "quotes": meta.get("quotes", []),
            "content_hash": content_hash,
        }


def _settings(
    live: Index | None,
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None,
    follow_links: bool | None,
    field_map: Mapping[str, str] | None,
) -> tuple[list[Path], bool, dict[str, str]]:
    """Return a write's roots, link policy and field map: as given, else as ``live`` was built."""
    if paths is not None:
        roots = roots_of(paths)
    else:
        assert live is not None  # callers refuse a first build without paths
        roots = live._recorded_roots()
    if follow_links is None:
        follow_links = bool(live is not None and live.meta.get("follow_links"))
    if field_map is None and live is not None:
        field_map = live.meta.get("field_map")
    return roots, follow_links, checked_field_map(field_map)


def _day_to_date(day: int) -> dt.date:
    return dt.date(day // 10000, day // 100 % 100, day % 100)

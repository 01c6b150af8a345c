"""The index: :class:`Index`, every way of reading it.

Opening, writing and closing (generations, atomic swaps, the restricted
unpickler) are :class:`searchkit.index.handle.IndexHandle`'s, which it extends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from searchkit.index.build import (
    BuildReport,
)
from searchkit.index.copies import read_groups
from searchkit.index.handle import DEFAULT_INDEX_DIR, IndexHandle, default_index_dir
from searchkit.index.watches import Watches
from searchkit.search.articles import (
    Results,
    Sort,
    filtered_query,
    search,
    similar,
    stored_article,
)
from searchkit.search.batch import (
    BatchResult,
    Question,
    bucket_reader,
    count_batch,
    questions_of,
)
from searchkit.search.copies import CopyGroups
from searchkit.search.facets import Timeline, matching_docs, timeline
from searchkit.search.filters import Filters, Outlets
from searchkit.search.query import Match
from searchkit.search.quotes import QuoteResults, Speaker, search_quotes, speakers
from searchkit.search.stats import IndexStats, index_stats
from searchkit.search.trace import Trace, trace

__all__ = ["DEFAULT_INDEX_DIR", "BuildReport", "Index", "IndexStats", "default_index_dir"]


class Index(IndexHandle):
    """A searchkit index: open one with :meth:`open`, write one with :meth:`build` or :meth:`index`.

    The reading half (search, quotes, speakers, timelines, traces, ...); opening,
    writing and closing are :class:`~searchkit.index.handle.IndexHandle`'s.
    """

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

    def stats(self) -> IndexStats:
        """Count articles, quotes and outlets, and find the date span."""
        roots = self.meta.get("roots", [])
        return index_stats(self.searcher, self.quote_searcher, self._size, roots, self.directory)

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
        passage: bool | None = None,
        exact_total: bool = False,
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
        ``passage=True`` takes the text as a passage pasted from an article
        (plain words, any of them) and ranks the article it comes from first
        (``None``: when it looks pasted, in the default syntax and "all" mode);
        it scores only the articles that can reach the page, so its total is
        an estimate (:attr:`Results.total_is_exact` is False) unless
        ``exact_total=True`` or facets or copies are asked for.
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
            passage=passage,
            exact_total=exact_total,
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
        return stored_article(self.searcher, article_id, f" in {self.directory}")

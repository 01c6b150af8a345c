"""Query parsing, filters, ranking, and :class:`Hit` objects with snippets."""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from whoosh.collectors import TopCollector

from searchkit.analysis import TOKEN_PATTERN
from searchkit.dates import DayRange, day_number, use_day_column
from searchkit.errors import QueryError
from searchkit.facets import check_facets, count_facets, matching_docs
from searchkit.listing import AllOf, SortedIds, Unscored
from searchkit.ranking import ANY_MATCH_BONUS, FIELD_BOOSTS, FieldsPhrase, FieldsTerm, words_query
from searchkit.schema import STOP_WORDS_FIELD
from searchkit.snippets import Snippet, Terms, highlight_terms, make_snippet, walk
from searchkit.suggest import suggest_query

__all__ = ["Hit", "Results", "Snippet", "parse_date_bound", "search"]

Match = Literal["all", "any"]
Sort = Literal["relevance", "date"]

MAX_QUERY_CHARS = 10_000
#: Bounds on the work a query asks for, not only on its length: different
#: words (phrase words included) in all, words in one phrase (a phrase reads
#: every word's positions: 0.15 s a word on the 21k-article news corpus),
#: wildcard words, and the index words they stand for (about 1 ms each).
MAX_QUERY_TERMS = 128
MAX_PHRASE_WORDS = 16
MAX_WILDCARDS = 4
MAX_EXPANSIONS = 1_000
#: Fields whose clauses filter rather than rank.
FILTER_FIELDS = frozenset({"source", "dateline"})
#: Offer a corrected query when this few articles match.
SUGGEST_BELOW = 2
#: Distinctive words of an article that make up a "more like this" query.
SIMILAR_TERMS = 12

DATE_EXAMPLES = "date:2024, date:2024-03-05 or date:[2023-10 TO 2024-01]"
_FIELD_PREFIX = re.compile(r"(?:^|[\s(+-])([A-Za-z_]\w*):(?=[^\s:])")
_QUOTED = re.compile(r'"[^"]*"')
#: Sentence punctuation at a word's end (or standing alone): ``rising?`` is a
#: question, not Whoosh's one-letter wildcard, whose question marks these include.
_SENTENCE_PUNCTUATION = re.compile(r'("[^"]*")|[?!.,;:\u055e\u061f\u1367]+(?=[\s)]|\Z)')
SEARCHABLE_FIELDS = (
    "title",
    "body",
    "quotes",
    "speaker",
    "source",
    "dateline",
    "date",
    "id",
)
_PARTIAL_DATE = re.compile(r"\A(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\Z")


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked article in a result list."""

    id: str
    title: str
    score: float
    snippet: Snippet
    path: str = ""
    source: str | None = None
    date: dt.date | None = None
    dateline: str | None = None
    rank: int = 0
    quotes: tuple[dict[str, Any], ...] = ()
    url: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None

    def to_dict(self) -> dict[str, object]:
        """Return the hit as JSON-ready data."""
        return {
            "rank": self.rank,
            "id": self.id,
            "score": round(self.score, 4),
            "title": self.title,
            "source": self.source,
            "date": self.date.isoformat() if self.date else None,
            "dateline": self.dateline,
            "path": self.path,
            "url": self.url,
            "authors": list(self.authors),
            "language": self.language,
            "snippet": self.snippet.text,
            "highlights": [list(span) for span in self.snippet.highlights],
            "quotes": list(self.quotes),
        }


@dataclass(frozen=True, slots=True)
class Results:
    """A page of hits; ``len()`` is the total number of matching articles."""

    query: str
    hits: tuple[Hit, ...]
    total: int
    page: int = 1
    suggestion: str | None = None
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __getitem__(self, position: int) -> Hit:
        return self.hits[position]

    def to_dict(self) -> dict[str, object]:
        """Return the results as JSON-ready data."""
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "suggestion": self.suggestion,
            "facets": self.facets,
            "hits": [hit.to_dict() for hit in self.hits],
        }


def search(
    searcher: Any,
    text: str,
    *,
    limit: int = 10,
    page: int = 1,
    match: Match = "all",
    source: str | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    sort: Sort = "relevance",
    syntax: bool = True,
    facets: Sequence[str] = (),
) -> Results:
    """Run a query string against a Whoosh searcher and build the hits.

    ``syntax=False`` takes the text as plain words (see :func:`parse_query`);
    ``facets`` names counts to make over all matches (see :mod:`searchkit.facets`).
    """
    if limit < 1 or page < 1:
        raise QueryError("limit and page must be positive whole numbers")
    if sort not in ("relevance", "date"):
        raise QueryError(f"unknown sort {sort!r}; use 'relevance' or 'date'")
    names = check_facets(facets)
    query = filtered_query(searcher, text, match, syntax, source, since, until)
    page_results = run_page(searcher, query, page, limit, by_date=sort == "date")
    total = page_results.total
    docs = matching_docs(searcher, query) if names else None
    suggestion = None
    if syntax and total <= SUGGEST_BELOW:
        suggestion = suggest_query(searcher.reader(), text)
    return Results(
        query=text,
        hits=make_hits(searcher, page_results, query),
        total=total,
        page=page,
        suggestion=suggestion,
        facets=count_facets(searcher, docs, names) if names and docs is not None else {},
    )


def run_page(
    searcher: Any,
    query: Any,
    page: int,
    limit: int,
    *,
    by_date: bool = False,
    tiebreak: TieBreak | None = None,
) -> Any:
    """Score every match once and return one page, with an exact total.

    Whoosh's default collector skips blocks it judges unable to reach the top
    hits and swaps matchers for cheaper ones; both leave its count short (an
    ``AND NOT`` query under-counts), and the count it then falls back to walks
    all matches a second time.  On news text the skipping rarely pays (common
    words are in every block), so one exact scoring pass is the faster way.
    Ties go to the smaller article id (``tiebreak``), never to the order in
    which documents happen to sit in the index.
    """
    from whoosh.searching import ResultsPage

    collector = ExactTop(page * limit, tiebreak or by_article_id, by_day=by_date)
    searcher.search_with_collector(query, collector)
    results = collector.results()
    if page > 1 and (page - 1) * limit >= len(results):
        raise QueryError(f"page {page} is past the last page of {len(results)} hits")
    return ResultsPage(results, page, limit)


#: Given a searcher, return a function from document number to a sort key that
#: orders tied documents the same way in every index of the same articles.
TieBreak = Callable[[Any], Callable[[int], Any]]


def by_article_id(searcher: Any) -> Callable[[int], Any]:
    """Order tied articles by id."""
    return searcher.reader().column_reader("id").__getitem__  # type: ignore[no-any-return]


class ExactTop(TopCollector):  # type: ignore[misc]
    """Whoosh's ``TopCollector`` with exact totals and ties broken by a stable key.

    Whoosh keeps the best ``limit`` documents and breaks ties by document
    number, which depends on how the index was written (an update appends, a
    parallel build interleaves).  This collector also keeps every document
    tied with the worst kept one, and orders ties by ``tiebreak``, so a page
    depends only on the articles.  A matcher that lists its documents (a bare
    word, an AND of words and filters) hands over all its scores at once.
    With ``by_day``, the newest come first, then the best scored.
    """

    def __init__(self, limit: int, tiebreak: TieBreak = by_article_id, by_day: bool = False):
        super().__init__(limit=limit, usequality=False, replace=0)
        self._tiebreak = tiebreak
        self._by_day = by_day
        self._days: Any = None
        self._ties: list[tuple[Any, int]] = []

    def prepare(self, top_searcher: Any, q: Any, context: Any) -> None:
        super().prepare(top_searcher, q, context)
        self._ties = []
        reader = top_searcher.reader()
        if self._by_day and reader.doc_count_all():
            self._days = reader.column_reader("day")

    def collect_matches(self) -> None:
        matcher = self.matcher
        if (
            self._by_day
            or not isinstance(matcher, SortedIds)
            or self.final_fn
            or not matcher.is_active()
        ):
            super().collect_matches()
            return
        ids, scores = matcher.remaining()
        self.total += len(ids)
        offset = self.offset
        if len(scores) > self.limit:
            least = heapq.nlargest(self.limit, scores)[-1]
            for score, docnum in zip(scores, ids, strict=True):
                if score >= least:
                    self._offer(score, offset + docnum)
        else:
            for score, docnum in zip(scores, ids, strict=True):
                self._offer(score, offset + docnum)

    def _collect(self, global_docnum: int, score: float) -> float:
        self.total += 1
        key = (self._days[global_docnum], score) if self._by_day else score
        self._offer(key, global_docnum)
        return 0 - score

    def _offer(self, key: Any, docnum: int) -> None:
        """Keep the best ``limit`` keys in the heap and the ties with its least one aside."""
        items = self.items
        if len(items) < self.limit:
            heapq.heappush(items, (key, -docnum))
        elif key > items[0][0]:
            dropped, negated = heapq.heapreplace(items, (key, -docnum))
            if dropped == items[0][0]:
                self._ties.append((dropped, -negated))
            else:
                self._ties = []
        elif key == items[0][0]:
            self._ties.append((key, docnum))
        if len(items) == self.limit:
            least = items[0][0]
            self.minscore = least[1] if self._by_day else least

    def results(self) -> Any:
        ranked = [(key, -negated) for key, negated in self.items] + self._ties
        if len(ranked) > 1:
            tiebreak = self._tiebreak(self.top_searcher)
            ranked.sort(key=lambda item: tiebreak(item[1]))
        ranked.sort(key=lambda item: item[0], reverse=True)  # stable: ties keep their order
        items = [(key[1] if self._by_day else key, docnum) for key, docnum in ranked[: self.limit]]
        return self._results(items)


def filtered_query(
    searcher: Any,
    text: str,
    match: Match = "all",
    syntax: bool = True,
    source: str | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
) -> Any:
    """Parse ``text`` and add the outlet and date filters."""
    query = parse_query(searcher.schema, text, match=match, syntax=syntax)
    bound_expansions(query, searcher.reader())
    filters = source_filter(searcher.schema, source) + date_filter(since, until)
    if filters:
        from whoosh.query import And

        query = And([query, *filters])
    return query


def make_hits(searcher: Any, page_results: Any, query: Any) -> tuple[Hit, ...]:
    """Build the hits of a page of Whoosh results, with snippets for these hits only."""
    terms, analyzer = highlighting(query, searcher)
    hits = []
    for offset, hit in enumerate(page_results):
        stored = hit.fields()
        date = stored.get("published")
        meta = stored.get("meta") or {}
        quotes = tuple(meta.get("quotes", ()))
        hits.append(
            Hit(
                id=stored["id"],
                title=stored.get("title", ""),
                score=_score(hit.score),
                snippet=make_snippet(stored.get("body", ""), terms, analyzer, quotes=quotes),
                path=stored.get("path", ""),
                source=stored.get("source"),
                date=date.date() if date else None,
                dateline=stored.get("dateline"),
                rank=page_results.offset + offset + 1,
                quotes=quotes,
                url=meta.get("url"),
                authors=tuple(meta.get("authors") or ()),
                language=meta.get("language"),
            )
        )
    return tuple(hits)


#: Characters of a user's value an error message repeats.
ECHO_CHARS = 80


def article_number(searcher: Any, article_id: str, where: str = "") -> int:
    """Return the document number of the article with ``article_id``, or raise QueryError."""
    try:
        docnum = searcher.document_number(id=article_id)
    except UnicodeEncodeError:  # not text (an undecodable command-line argument)
        docnum = None
    if docnum is None:
        shown = article_id if len(article_id) <= ECHO_CHARS else article_id[:ECHO_CHARS] + "…"
        raise QueryError(f"no article with id {shown!r}{where}; ids are shown by `searchkit query`")
    return int(docnum)


def highlighting(
    query: Any, searcher: Any, fields: Sequence[str] = tuple(FIELD_BOOSTS), text: str = "body"
) -> tuple[Terms, Any]:
    """Return what to highlight in the ``text`` field, and the analyzer that finds it.

    A query of nothing but stop words highlights them as the stop-word field found them.
    """
    terms = highlight_terms(query, searcher, fields)
    schema = searcher.schema
    if terms.all or STOP_WORDS_FIELD not in schema:
        return terms, schema[text].analyzer
    return highlight_terms(query, searcher, (STOP_WORDS_FIELD,)), schema[STOP_WORDS_FIELD].analyzer


def similar(searcher: Any, article_id: str, *, limit: int = 10) -> Results:
    """Find the articles most like one article, by its most distinctive words."""
    from whoosh.query import Or, Term

    docnum = article_number(searcher, article_id)
    words = searcher.key_terms([docnum], "body", numterms=SIMILAR_TERMS)
    query = Or([Term("body", word, boost=weight) for word, weight in words])
    if not words:
        return Results(query=f"like:{article_id}", hits=(), total=0)
    from whoosh.query import Not

    query = query & Not(Term("id", article_id))
    page_results = run_page(searcher, query, 1, limit)
    return Results(
        query=f"like:{article_id}",
        hits=make_hits(searcher, page_results, query),
        total=page_results.total,
    )


def _score(value: Any) -> float:
    return float(value or 0.0)


def parse_query(
    schema: Any,
    text: str,
    *,
    match: Match = "all",
    syntax: bool = True,
    fields: dict[str, float] | None = None,
) -> Any:
    """Parse Whoosh query syntax, turning every complaint into :class:`QueryError`.

    ``syntax=False`` takes the text as plain words, for natural-language
    questions: fields, phrases, operators, wildcards and brackets are not
    syntax but punctuation, and AND/OR/NOT are words.  A query of nothing but
    stop words (``The Who``) searches the schema's stop-word field instead.
    """
    from whoosh.qparser import AndGroup, OrGroup

    if match not in ("all", "any"):
        raise QueryError(f"unknown match mode {match!r}; use 'all' or 'any'")
    if not text.strip():
        raise QueryError("empty query; give words to search for, e.g. searchkit query repatriation")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}"
        )
    group = AndGroup if match == "all" else OrGroup.factory(ANY_MATCH_BONUS)
    options: dict[str, Any] = {"group": group}
    if syntax:
        text = drop_sentence_punctuation(text)
    else:
        # Lower-cased words joined by spaces, parsed with no syntax plugins at
        # all: nothing a user types can become an operator or a field.
        text = " ".join(re.findall(TOKEN_PATTERN, text.lower()))
        options["plugins"] = []
        if not text:
            raise QueryError("query has no words to search for; give words, not only punctuation")
        if fields is None:
            query = words_query(schema, text.split(), match=match)
            if not _is_null(query) or STOP_WORDS_FIELD not in schema:
                return _bound(_check(query, text, schema))
            fields = {STOP_WORDS_FIELD: 1.0}
    fields = fields or FIELD_BOOSTS
    query = _parse(schema, text, fields, options)
    if fields is FIELD_BOOSTS:
        query = query.accept(_as_fields_term)
    stops = STOP_WORDS_FIELD in schema and STOP_WORDS_FIELD not in fields
    if stops and _is_null(query.normalize()):
        query = _parse(schema, text, {STOP_WORDS_FIELD: 1.0}, options)
    query = _check(query, text, schema).accept(_every_article)
    query = query.accept(use_day_column).accept(_as_filter)
    return _bound(query.accept(_all_of))


def _parse(schema: Any, text: str, fields: dict[str, float], options: dict[str, Any]) -> Any:
    """Parse with Whoosh's parser over ``fields``, unnormalised."""
    from whoosh.qparser import MultifieldParser

    parser = MultifieldParser(list(fields), schema, fieldboosts=fields, **options)
    try:
        return parser.parse(text, normalize=False)
    except Exception as exc:  # Whoosh raises plain Exceptions for bad ranges and dates
        hint = f"; write dates as {DATE_EXAMPLES}" if "date" in text else ""
        raise QueryError(f"cannot parse query {text!r}: {exc}{hint}") from exc


def _is_null(query: Any) -> bool:
    from whoosh.query import NullQuery

    return query is NullQuery or type(query).__name__ == "_NullQuery"


def drop_sentence_punctuation(text: str) -> str:
    """Remove ``?!.,;:`` at word ends outside quoted phrases; keep ``wom?n`` and ``repatri*``.

    A question pasted as a query (``Why are oil prices rising?``) would
    otherwise search for the wildcard ``rising?`` and find nothing.
    """
    return _SENTENCE_PUNCTUATION.sub(lambda found: found.group(1) or "", text)


def _all_of(query: Any) -> Any:
    """Intersect an ``AND``'s listed clauses as sets (see :class:`~searchkit.listing.AllOf`)."""
    from whoosh.query import And

    return AllOf(query.subqueries, boost=query.boost) if type(query) is And else query


def _as_fields_term(query: Any) -> Any:
    """Score a bare word or phrase once by BM25F across the text fields (see ``ranking``).

    The parser spreads a word over the fields as ``title:w OR quotes:w OR
    body:w`` (and merges those into the Or of an explicit ``OR``), and a
    phrase likewise; Whoosh would score each field as its own BM25 and add
    the scores up.
    """
    from whoosh.query import Or

    if type(query) is not Or:
        return query
    keys = [_spread_key(child) for child in query.subqueries]
    spread: dict[tuple[str, ...], set[str]] = {}
    for child, key in zip(query.subqueries, keys, strict=True):
        if key is not None:
            spread.setdefault(key, set()).add(child.fieldname)
    spread_keys = {key for key, fields in spread.items() if fields == set(FIELD_BOOSTS)}
    if not spread_keys:
        return query
    children: list[Any] = []
    for child, key in zip(query.subqueries, keys, strict=True):
        if key not in spread_keys:
            children.append(child)
        elif child.fieldname == next(iter(FIELD_BOOSTS)):
            children.append(FieldsTerm(key[0]) if len(key) == 1 else FieldsPhrase(key))
    if len(children) == 1:
        return children[0] if query.boost == 1.0 else children[0].with_boost(query.boost)
    return Or(children, boost=query.boost)


def _spread_key(query: Any) -> tuple[str, ...] | None:
    """Return the words of a term or plain phrase the parser spread over a text field."""
    from whoosh.query import Phrase, Term

    if query.boost != FIELD_BOOSTS.get(getattr(query, "fieldname", None) or ""):
        return None
    if type(query) is Term:
        return (query.text,)
    if type(query) is Phrase and query.slop == 1:
        return tuple(query.words)
    return None


def _every_article(query: Any) -> Any:
    """Turn ``*`` alone (every word in every text field) into every article.

    Whoosh would gather the documents of each word of each field, all of them.
    """
    from whoosh.query import Every, Or

    if (
        type(query) is Or
        and {type(child) for child in query.subqueries} == {Every}
        and {child.fieldname for child in query.subqueries} == set(FIELD_BOOSTS)
    ):
        return Every(boost=query.boost)
    return query


def _bound(query: Any) -> Any:
    """Raise when a query asks for too much work (see :data:`MAX_QUERY_TERMS`)."""
    from whoosh.query import Every, MultiTerm

    words: set[tuple[str, str]] = set()
    wildcards: set[str] = set()
    for sub in walk(query):
        if isinstance(sub, MultiTerm | Every) and sub.field():
            wildcards.add(_wildcard(sub))
        elif isinstance(getattr(sub, "words", None), list):
            check_phrase(sub.words, "a phrase")
            words.update((sub.fieldname, word) for word in sub.words)
        elif sub.is_leaf() and isinstance(getattr(sub, "text", None), str):
            words.add((sub.fieldname, sub.text))
    if len(words) > MAX_QUERY_TERMS:
        raise QueryError(
            f"query has {len(words):,} different words; the limit is {MAX_QUERY_TERMS:,}: "
            "search for the most telling of them"
        )
    if len(wildcards) > MAX_WILDCARDS:
        raise QueryError(
            f"query has {len(wildcards)} wildcard words ({', '.join(sorted(wildcards))}); "
            f"the limit is {MAX_WILDCARDS}"
        )
    return query


def check_phrase(words: Sequence[str], what: str) -> None:
    """Raise when a phrase (or a name matched as one) has more than :data:`MAX_PHRASE_WORDS`."""
    if len(words) > MAX_PHRASE_WORDS:
        raise QueryError(
            f"{what} has {len(words):,} words; the limit is {MAX_PHRASE_WORDS}: "
            "give a shorter part of it"
        )


def bound_expansions(query: Any, reader: Any) -> None:
    """Raise when the wildcards of a query stand for more than :data:`MAX_EXPANSIONS` words."""
    from itertools import islice

    from whoosh.query import Every, MultiTerm

    left = MAX_EXPANSIONS
    for sub in walk(query):
        if type(sub) is Every and sub.field():
            left = -1  # every word of a field
        elif isinstance(sub, MultiTerm):
            left -= sum(1 for _ in islice(sub._btexts(reader), left + 1))
        if left < 0:
            raise QueryError(
                f"{_wildcard(sub)!r} matches more than {MAX_EXPANSIONS:,} different words "
                "in the index; give more letters before the wildcard"
            )


def _wildcard(query: Any) -> str:
    """Return a wildcard clause as the user wrote it (``repatri*``, ``quotes:*``)."""
    from whoosh.query import Prefix

    text = getattr(query, "text", None)
    if text is None:
        return f"{query.field()}:*"
    return f"{text}*" if type(query) is Prefix else str(text)


def _as_filter(query: Any) -> Any:
    """Give outlet and dateline clauses a constant score: they select, they do not rank.

    BM25 over a two-word outlet name says nothing about relevance, and scoring
    it costs as much as the rest of the query when the outlet is most of the
    collection (``source:reuters`` matches 90% of the news corpus).
    """
    from whoosh.query import Phrase, Term

    if type(query) in (Term, Phrase) and query.fieldname in FILTER_FIELDS:
        return Unscored(query, score=query.boost)
    return query


def _check(query: Any, text: str, schema: Any) -> Any:
    """Raise for what Whoosh would drop silently; return the normalised query."""
    for name in _FIELD_PREFIX.findall(_QUOTED.sub(" ", text)):
        if name not in schema:
            known = ", ".join(SEARCHABLE_FIELDS)
            raise QueryError(f"unknown field {name!r} in query {text!r}; fields are {known}")
    for sub in walk(query):
        error = getattr(sub, "error", None)
        if error:
            hint = f"; write dates as {DATE_EXAMPLES}" if "date" in text else ""
            raise QueryError(f"in query {text!r}: {error}{hint}")
    query = query.normalize()
    if _is_null(query):
        raise QueryError(f"query {text!r} has only stop words or punctuation; add a search term")
    return query


def source_filter(schema: Any, source: str | None) -> list[Any]:
    """Return a filter keeping one outlet's documents (by the words of its name)."""
    from whoosh.query import Phrase, Term

    if not source:
        return []
    words = [t.text for t in schema["source"].analyzer(source)]
    if not words:
        raise QueryError(f"source {source!r} has no words to match")
    check_phrase(words, "the source name")
    clause = Phrase("source", words) if len(words) > 1 else Term("source", words[0])
    return [Unscored(clause)]


def date_filter(since: str | dt.date | None, until: str | dt.date | None) -> list[Any]:
    """Return a filter keeping documents dated within ``since``..``until`` (inclusive)."""
    if not since and not until:
        return []
    first = day_number(parse_date_bound(since, end=False)) if since else None
    last = day_number(parse_date_bound(until, end=True)) if until else None
    return [DayRange(first, last)]


def parse_date_bound(value: str | dt.date, *, end: bool) -> dt.datetime:
    """Turn ``2024``, ``2024-03`` or ``2024-03-05`` into the first (or last) moment it covers."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        day = value
    else:
        match = _PARTIAL_DATE.match(value.strip())
        if not match:
            raise QueryError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024-03-01)")
        year, month, dayno = (int(g) if g else None for g in match.groups())
        assert year is not None
        try:
            if month is None:
                day = dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
            elif dayno is None:
                first = dt.date(year, month, 1)
                following = dt.date(year + month // 12, month % 12 + 1, 1)
                day = following - dt.timedelta(days=1) if end else first
            else:
                day = dt.date(year, month, dayno)
        except ValueError as exc:
            raise QueryError(f"date {value!r} does not exist ({exc})") from exc
    if end:
        return dt.datetime.combine(day, dt.time.max)
    return dt.datetime.combine(day, dt.time.min)

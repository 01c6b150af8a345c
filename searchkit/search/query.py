"""Query text -> Whoosh query: parsing, sentence punctuation, bounds, outlet and date filters."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from searchkit.analysis.analyzers import TOKEN_PATTERN
from searchkit.engine.days import use_day_column
from searchkit.engine.listing import AllOf, Unscored
from searchkit.engine.questions import words_query
from searchkit.engine.ranking import (
    ANY_MATCH_BONUS,
    FIELD_BOOSTS,
    FieldsPhrase,
    FieldsTerm,
)
from searchkit.engine.terms import expansions
from searchkit.errors import QueryError
from searchkit.schema import STOP_WORDS_FIELD
from searchkit.search.snippets import walk

__all__ = [
    "MAX_EXPANSIONS",
    "MAX_PHRASE_WORDS",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_TERMS",
    "MAX_WILDCARDS",
    "Match",
    "bound_expansions",
    "check_phrase",
    "parse_query",
]

Match = Literal["all", "any"]

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


def parse_query(
    schema: Any,
    text: str,
    *,
    match: Match = "all",
    syntax: bool = True,
    fields: dict[str, float] | None = None,
    passage: bool = False,
) -> Any:
    """Parse Whoosh query syntax, turning every complaint into :class:`QueryError`.

    ``syntax=False`` takes the text as plain words, for natural-language
    questions: fields, phrases, operators, wildcards and brackets are not
    syntax but punctuation, and AND/OR/NOT are words.  A query of nothing but
    stop words (``The Who``) searches the schema's stop-word field instead.
    ``passage=True`` takes the text as plain words pasted from an article
    (see :func:`~searchkit.engine.questions.words_query`).
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
    if passage:
        match, syntax = "any", False
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
            query = words_query(schema, text.split(), match=match, passage=passage)
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
    """Intersect an ``AND``'s listed clauses as sets (see :class:`~.listing.AllOf`)."""
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


def bound_expansions(query: Any, reader: Any) -> Any:
    """Return ``query`` with each wildcard replaced by the words it stands for in ``reader``.

    Raise when the wildcards stand for more than :data:`MAX_EXPANSIONS` words.
    Whoosh expands a wildcard segment by segment and scores it one way in a
    segment where it stands for one word and another where it stands for
    several, so its scores would depend on how the articles were split into
    segments (by updates, or into shards); expanded once over the whole index,
    they do not.
    """
    from itertools import islice

    from whoosh.query import Every, MultiTerm

    left = MAX_EXPANSIONS
    for sub in walk(query):
        if type(sub) is Every and sub.field():
            left = -1  # every word of a field
        elif isinstance(sub, MultiTerm):
            left -= sum(1 for _ in islice(expansions(sub, reader), left + 1))
        if left < 0:
            raise QueryError(
                f"{_wildcard(sub)!r} matches more than {MAX_EXPANSIONS:,} different words "
                "in the index; give more letters before the wildcard"
            )
    return query.accept(
        lambda sub: _expanded(sub, reader) if isinstance(sub, MultiTerm) and sub.field() else sub
    )


def _expanded(wildcard: Any, reader: Any) -> Any:
    """Return the query a wildcard stands for over all of ``reader``, scored as Whoosh scores it.

    That is: no word matches nothing, one word is that word (BM25, without the
    wildcard's boost), several words match with a constant score of 1 (unless
    the wildcard was made with ``constantscore=False``).
    """
    from whoosh.query import ConstantScoreQuery, NullQuery, Or, Term

    name = wildcard.field()
    field = reader.schema[name]
    terms = [
        Term(name, field.from_bytes(word))
        for word in sorted({word for word in expansions(wildcard, reader) if word})
    ]
    if len(terms) <= 1:
        return terms[0] if terms else NullQuery
    either = Or(terms, boost=wildcard.boost)
    return ConstantScoreQuery(either, score=1.0) if wildcard.constantscore else either


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
        if getattr(sub, "fieldname", None) == "date" and (
            hasattr(sub, "text") or hasattr(sub, "words")
        ):
            # A date the parser could not read stays a word, which Whoosh fails on later.
            written = getattr(sub, "text", None) or " ".join(getattr(sub, "words", []))
            raise QueryError(
                f"in query {text!r}: {written!r} is not a date; write dates as {DATE_EXAMPLES}"
            )
    query = query.normalize()
    if _is_null(query):
        raise QueryError(f"query {text!r} has only stop words or punctuation; add a search term")
    return query

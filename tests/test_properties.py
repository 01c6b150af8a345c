"""Property tests: parsers, quote extraction and queries never crash on arbitrary input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchkit
from searchkit.articles.dates import parse_date
from searchkit.articles.decode import decode
from searchkit.articles.parse import parse_article
from searchkit.articles.records import parse_record
from searchkit.cli.commands import cli
from searchkit.quotes.extract import extract_quotes

# Modest example counts keep the whole file to a few seconds; no deadline, as CI
# machines are loaded and a slow example is not a failure here.
FAST = settings(max_examples=200, deadline=None)
SLOW = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Pieces of article text: quote marks of every kind, cue verbs, names, headers, datelines.
ARTICLE_TOKENS = [
    "“", "”", '"', "'", "‘", "’", "«", "»", "„", "‹", "›", "said", "says", "told", "added",
    "according to", "Mr Kang", "Kim Jong Un", "He", "she", "the minister", ",", ".", ":", ";",
    " ", " ", " ", "\n", "\n\n", "\r\n", "\r", "\t", "—", "–", "-", "(Reuters)", "SEOUL –",
    "date 2024-02-30 PARIS –", "title: ", "source: ", "date: ", "---\n", "REUTER", "©", "\x00",
    "\ufeff", "\u00a0", "word", "Word", "WORD", "é", "😀", "a" * 200,
    "Published: ", "March 3, 2024", "3 March 2024", "03/04/2024", "31/02/2024", "Mar.",
    "Sun, 03 Mar 2024 10:00:00 +0000", "date-order: MDY", "date-order: XYZ", "99/99/9999",
    "url: https://x.example/2024/02/30/", "language: ", "author: ",
]  # fmt: skip
# Pieces of query syntax, balanced and not.
QUERY_TOKENS = [
    "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "(", ")", '"', "'", ":", "title:", "body:",
    "quotes:", "speaker:", "source:", "dateline:", "date:", "year:", "id:", "nofield:", "_x:",
    "[", "]", "{", "}", "TO", "*", "?", "~", "~2", "^", "^3", "+", "-", "\\", "/", "<", ">",
    "=", "2024", "2024-02-30", "2024-13", "0000-00-00", "99999", "china", "the", "a", " ",
    "  ", "\t", "\n", "é", "😀", "\x00", "korea*", "*korea", "border guards",
]  # fmt: skip


def composed(tokens: list[str]) -> st.SearchStrategy[str]:
    """Text made of syntax-laden tokens, sometimes mixed with arbitrary characters."""
    pieces = st.one_of(st.sampled_from(tokens), st.text(max_size=8))
    return st.lists(pieces, max_size=40).map("".join)


article_text = st.one_of(st.text(), composed(ARTICLE_TOKENS))
query_text = st.one_of(st.text(max_size=200), composed(QUERY_TOKENS))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children),
    max_leaves=10,
)
record_keys = st.sampled_from(
    [
        *("id", "title", "text", "date", "source", "url", "dateline", "x", "body", "maintext"),
        *("publish_date", "authors", "media_name", "language", "date-order", "seendate"),
    ]
)


# ---------------------------------------------------------------- articles


@FAST
@given(text=article_text, meta=st.dictionaries(st.sampled_from(["title", "source"]), st.text()))
def test_parse_article_never_raises(text: str, meta: dict[str, str]) -> None:
    article = parse_article(text, id="x", path="x.txt", meta=meta)
    assert isinstance(article.title, str) and isinstance(article.body, str)
    assert "\r" not in article.body and "\x00" not in article.body
    assert all(isinstance(p, str) and "\n" not in p for p in article.problems)
    json.dumps(article.to_dict())  # every field serialises


@FAST
@given(record=st.one_of(json_values, st.dictionaries(record_keys, json_values)))
def test_parse_record_raises_only_article_error(record: Any) -> None:
    try:
        article = parse_record(record, path="r.jsonl", line=3)
    except searchkit.ArticleError as exc:
        assert str(exc).startswith("r.jsonl:3: ") and "\n" not in str(exc)
    else:
        assert article.id and isinstance(article.body, str)


@FAST
@given(value=article_text, order=st.sampled_from([None, "DMY", "MDY", "YMD"]))
def test_parse_date_gives_a_date_or_one_line_problems(value: str, order: str | None) -> None:
    problems: list[str] = []
    date = parse_date(value, problems, order=order)
    assert date is None or isinstance(date, dt.date)
    assert all("\n" not in p for p in problems)


@FAST
@given(data=st.binary(max_size=2000))
def test_decode_returns_text_or_refuses_with_value_error(data: bytes) -> None:
    try:
        text = decode(data)
    except ValueError as exc:
        assert str(exc).endswith("; skipped")
    else:
        assert isinstance(text, str)


printable = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff") | st.just("\n"),
    min_size=1,
).filter(lambda text: text.strip() != "")


@FAST
@given(text=printable, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_decode_round_trips_unicode_encodings(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding)) == text


# ---------------------------------------------------------------- quotes


@FAST
@given(text=article_text)
def test_extract_quotes_offsets_point_at_the_text(text: str) -> None:
    for quote in extract_quotes(text):
        assert 0 <= quote.start <= quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.text
        if quote.speaker_start is not None:
            assert quote.speaker_end is not None
            assert 0 <= quote.speaker_start < quote.speaker_end <= len(text)
        assert 0.0 <= quote.confidence <= 1.0


# ---------------------------------------------------------------- queries


@SLOW
@given(
    text=query_text,
    match=st.sampled_from(["all", "any"]),
    sort=st.sampled_from(["relevance", "date"]),
    since=st.none() | st.sampled_from(["2024", "2024-02-30", "x", "", "2024-01"]) | st.text(),
)
def test_search_gives_results_or_query_error(
    seed_index: searchkit.Index, text: str, match: Any, sort: Any, since: str | None
) -> None:
    try:
        results = seed_index.search(text, match=match, sort=sort, since=since)
    except searchkit.QueryError as exc:
        assert str(exc) and "\n" not in str(exc).strip("\n")
    else:
        assert len(results) >= len(results.hits)
        for hit in results:
            for start, end in hit.snippet.highlights:
                assert 0 <= start < end <= len(hit.snippet.text)


@pytest.fixture(scope="module")
def cli_index(seed_index: searchkit.Index) -> Path:
    return seed_index.directory


def query_cli(index_dir: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["query", "--index", str(index_dir), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


@SLOW
@given(text=query_text)
def test_cli_query_exits_0_or_1_with_one_error_line(cli_index: Path, text: str) -> None:
    code, stderr = query_cli(cli_index, "--", text)
    assert code in (0, 1)
    if code == 1:
        assert stderr.startswith("Error: ") and stderr.endswith("\n")
        assert stderr.count("\n") == 1 and "\r" not in stderr, stderr


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced',
        "(unbalanced",
        "unbalanced)",
        "AND",
        "OR",
        "NOT",
        "AND OR NOT",
        "nofield:china",
        "date:2024-02-30",
        "date:[2024 TO",
        "title:",
        "*",
        "",
        "   ",
        "x" * 10_001,
        "china " * 200_000,
    ],
)
def test_cli_query_edge_cases(cli_index: Path, text: str) -> None:
    code, stderr = query_cli(cli_index, text)
    assert code in (0, 1)
    if code == 1:
        assert stderr.startswith("Error: ") and stderr.count("\n") == 1
        assert len(stderr) < 400  # a huge query is not echoed back whole

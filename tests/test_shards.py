"""A sharded index answers exactly as one index of the same articles.

One index and a 3-shard index are built from the same 3,000 articles (every
seventh record of the shared news corpus, Reuters and BBC; generated articles
when the corpus is absent) and compared on everything a user can observe:
hits with scores, ranks and snippets, totals, facets, suggestions, timelines,
quotes, speakers, similar articles and stored articles, for fixed queries of
every class and for queries hypothesis composes from the corpus's words.
The only differences allowed are the index's path and its size on disk.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

import searchkit
from searchkit.errors import IndexError_, QueryError
from searchkit.index.build import catalogue
from searchkit.index.shards import ShardedIndex, read_manifest, shard_of
from searchkit.search.facets import FACETS
from tests.conftest import NEWS_JSONL

ARTICLES = 3000
SHARDS = 3

#: Queries of every class: words, AND/OR/NOT, phrases, fields, dates, wildcards.
QUERIES = [
    "oil",
    "oil prices",
    "bank interest rates",
    '"interest rates"',
    '"crude oil" OR coffee',
    "oil AND NOT opec",
    "(coffee OR cocoa) exports",
    "title:oil",
    'source:"bbc news" minister',
    "source:reuters shares",
    "quotes:market",
    "speaker:smith",
    "date:1987",
    "date:[1987-03-01 TO 1987-03-15] trade",
    "dateline:tokyo",
    "export*",
    "wom?n",
    "the",
    "repatriation",
    "exprots",
]
WORDS = [
    "oil", "prices", "bank", "rates", "trade", "exports", "coffee", "government",
    "minister", "shares", "market", "dollar", "tokyo", "strike", "profit", "the",
    "election", "growth", "police", "said",
]  # fmt: skip


def _corpus(folder: Path) -> Path:
    """Write the articles both indexes are built from; return the file."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "articles.jsonl"
    if NEWS_JSONL.is_file():
        with open(NEWS_JSONL, encoding="utf-8") as source:
            lines = [line for n, line in enumerate(source) if n % 7 == 0][:ARTICLES]
        # Wire copies (another outlet, a new first line) that hash to other shards.
        for n, line in enumerate(lines[:40]):
            record = json.loads(line)
            record.update(id=f"copy-{n}", source="Wire Copy", text="UPDATED. " + record["text"])
            lines.append(json.dumps(record) + "\n")
        target.write_text("".join(lines), encoding="utf-8")
        return target
    rng = random.Random(16)
    records = []
    for n in range(ARTICLES // 10):
        words = rng.choices(WORDS, k=60)
        quote = " ".join(rng.choices(WORDS, k=8))
        records.append(
            {
                "id": f"gen-{n}",
                "title": " ".join(rng.choices(WORDS, k=5)),
                "text": " ".join(words) + f'. "{quote}," said Jane Smith.',
                "source": rng.choice(["Reuters", "BBC News"]),
                "date": f"1987-03-{rng.randint(1, 28):02d}",
            }
        )
    target.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[searchkit.Index, searchkit.Index]:
    base = tmp_path_factory.mktemp("shards")
    corpus = _corpus(base / "corpus")
    one = searchkit.Index.build(base / "one", corpus)
    sharded = searchkit.Index.index(base / "sharded", corpus, shards=SHARDS)
    yield one, sharded
    one.close()
    sharded.close()


def answers(index: searchkit.Index, query: str) -> dict[str, Any]:
    """Everything a user sees of one query, in a form two indexes can be compared by."""
    seen: dict[str, Any] = {}
    for match in ("all", "any"):
        for sort in ("relevance", "date"):
            try:
                results = index.search(query, limit=8, match=match, sort=sort, facets=list(FACETS))
            except QueryError as error:
                seen[f"search {match} {sort}"] = str(error)
                continue
            seen[f"search {match} {sort}"] = (
                len(results),
                results.collapsed_total,
                [(h.id, h.score, h.rank, h.snippet.text, h.snippet.highlights) for h in results],
                [h.copies for h in results],
                results.facets,
                results.suggestion,
            )
    try:
        seen["timeline"] = index.timeline(query, by="week").to_dict()
        quotes = index.quotes(query, kind=None, limit=8)
        seen["quotes"] = (len(quotes), [q.to_dict() for q in quotes])
        seen["speakers"] = [s.to_dict() for s in index.speakers(query, limit=10)]
    except QueryError as error:
        seen["error"] = str(error)
    return seen


def test_a_sharded_index_is_split_by_the_hash_of_each_id(
    pair: tuple[searchkit.Index, searchkit.Index],
) -> None:
    one, sharded = pair
    assert isinstance(sharded, ShardedIndex) and not isinstance(one, ShardedIndex)
    assert read_manifest(sharded.directory)["shards"] == SHARDS
    counts = [shard._whoosh.doc_count() for shard in sharded.shards]
    assert sum(counts) == len(one) and min(counts) > 0
    for shard_number, shard in enumerate(sharded.shards):
        assert all(shard_of(i, SHARDS) == shard_number for i in catalogue(shard.searcher))


@pytest.mark.parametrize("query", QUERIES)
def test_every_class_of_query_answers_as_one_index(
    pair: tuple[searchkit.Index, searchkit.Index], query: str
) -> None:
    one, sharded = pair
    expected, found = answers(one, query), answers(sharded, query)
    for key in expected:
        assert found[key] == expected[key], key


def test_stats_articles_and_similar_are_those_of_one_index(
    pair: tuple[searchkit.Index, searchkit.Index],
) -> None:
    one, sharded = pair
    expected, found = one.stats().to_dict(), sharded.stats().to_dict()
    for differs in ("path", "size_bytes"):  # where it is, and N folders of files
        expected.pop(differs), found.pop(differs)
    assert found == expected
    assert [s.to_dict() for s in sharded.speakers(limit=None, named_only=False)] == [
        s.to_dict() for s in one.speakers(limit=None, named_only=False)
    ]
    assert sharded.quotes("").to_dict() == one.quotes("").to_dict()
    ids = [hit.id for hit in one.search("oil OR bank OR minister", limit=12, match="any")]
    for article_id in ids:
        assert sharded.article(article_id) == one.article(article_id)
        expected_like = [(h.id, h.score, h.rank) for h in one.similar(article_id, limit=5)]
        assert [(h.id, h.score, h.rank) for h in sharded.similar(article_id, limit=5)] == (
            expected_like
        )


@st.composite
def queries(draw: st.DrawFn) -> str:
    """Draw a query: words joined by AND/OR/NOT, phrases, field prefixes and wildcards."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        word = draw(st.sampled_from(WORDS))
        form = draw(st.integers(0, 6))
        if form == 1:
            word = f'"{word} {draw(st.sampled_from(WORDS))}"'
        elif form == 2:
            word = f"{draw(st.sampled_from(['title', 'quotes', 'body']))}:{word}"
        elif form == 3:
            word = word[: max(2, len(word) - 2)] + "*"
        if parts and form == 4:
            parts.append(draw(st.sampled_from(["AND", "OR", "AND NOT"])))
        parts.append(word)
    return " ".join(parts)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=queries())
def test_composed_queries_answer_as_one_index(
    pair: tuple[searchkit.Index, searchkit.Index], query: str
) -> None:
    one, sharded = pair
    assert answers(sharded, query) == answers(one, query)


def test_three_word_queries_from_the_articles_score_to_the_last_bit(
    pair: tuple[searchkit.Index, searchkit.Index],
) -> None:
    """AND sums its clauses' scores; the sum's order must not depend on the shards."""
    one, sharded = pair
    rng = random.Random(3)
    ids = [hit.id for hit in one.search("*", limit=3000, sort="date")]
    for article_id in rng.sample(ids, 40):
        words = [w for w in one.article(article_id)["body"].split() if w.isalpha() and len(w) > 4]
        if len(words) < 3:
            continue
        query = " ".join(rng.sample(words, 3))
        for match in ("all", "any"):
            expected = [(h.id, h.score) for h in one.search(query, match=match)]
            assert [(h.id, h.score) for h in sharded.search(query, match=match)] == expected


def test_wire_copies_group_across_shards_as_in_one_index(
    pair: tuple[searchkit.Index, searchkit.Index],
) -> None:
    one, sharded = pair

    def listing(index: searchkit.Index) -> list[tuple[str, object]]:
        return [(h.id, h.copies) for h in index.search("*", limit=5000, sort="date")]

    expected = listing(one)
    assert sum(1 for _, copies in expected if copies) >= 10  # the planted copies, at least
    assert listing(sharded) == expected
    assert sharded.timeline("*").to_dict() == one.timeline("*").to_dict()


def test_a_missing_shard_is_named(tmp_path: Path, seeds_copy: Path) -> None:
    searchkit.Index.index(tmp_path / "ix", seeds_copy, shards=2).close()
    manifest = read_manifest(tmp_path / "ix")
    shutil.rmtree(tmp_path / "ix" / manifest["generations"][1])
    with pytest.raises(IndexError_, match="shard shard-001 is missing"):
        searchkit.Index.open(tmp_path / "ix")

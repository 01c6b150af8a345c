"""The query engine's fast paths give what Whoosh's own matchers and BM25F give.

searchkit reads postings block by block, lists a word's documents across
fields, caches filters and intersects listed clauses as sets.  Each of these
is checked against the straightforward computation on an index whose common
words span many postings blocks.
"""

from __future__ import annotations

from math import isclose
from pathlib import Path
from typing import Any

import pytest
from whoosh.query import And, ConstantScoreQuery, Or, Phrase, Term

import searchkit
from searchkit.analysis.stems import stem
from searchkit.engine.codec import Codec
from searchkit.engine.days import DayRange
from searchkit.engine.listing import AllOf, Unscored
from searchkit.engine.ranking import FIELD_BOOSTS, FIELDS_K1, B, FieldsPhrase, FieldsTerm, idf

ARTICLES = 700


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Articles where "harbour" is in every body, "ferry" in every third, and so on.

    "ferry" is also in every ninth title and in every seventh article's quote.
    """
    folder = tmp_path_factory.mktemp("ranking-corpus")
    for n in range(ARTICLES):
        title = "Ferry timetable" if n % 9 == 0 else f"Local story {n}"
        words = ["harbour"] * (1 + n % 4)
        if n % 3 == 0:
            words.append("ferry")
        if n % 5 == 0:
            words.append("storm")
        filler = " ".join(f"word{n % (k + 7)}" for k in range(n % 40))
        quote = '"The ferry is late," said Ann Lee.' if n % 7 == 0 else ""
        source = "Harbour Times" if n % 2 else "Coast News"
        (folder / f"a{n:04}.txt").write_text(
            f"title: {title}\nsource: {source}\ndate: 2024-{n % 12 + 1:02}-15\n\n"
            f"The {' '.join(words)} news. {filler}.\n\n{quote}",
            encoding="utf-8",
        )
    return folder


@pytest.fixture(scope="module")
def index(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> searchkit.Index:
    return searchkit.Index.build(tmp_path_factory.mktemp("ranking-index"), folder)


def _scores(index: searchkit.Index, query: Any) -> dict[int, float]:
    results = index.searcher.search(query, limit=None)
    return {hit.docnum: hit.score for hit in results}


def _same(found: dict[int, float], expected: dict[int, float]) -> None:
    assert found.keys() == expected.keys()
    for docnum, score in expected.items():
        assert isclose(found[docnum], score, rel_tol=1e-9), docnum


def test_index_is_written_with_searchkits_codec(index: searchkit.Index) -> None:
    segments = index.searcher.reader().leaf_readers()
    assert segments and all(isinstance(r.codec(), Codec) for r, _ in segments)


def _postings(directory: Path, codec: Any) -> list[tuple[Any, ...]]:
    """Write the documents of ``directory``'s articles with ``codec``; read every posting back."""
    from whoosh.index import open_dir

    from searchkit.index.writing import article_document
    from searchkit.quotes.extract import extract_quotes
    from searchkit.schema import ARTICLES, create_indexes

    generation = directory.parent / f"{directory.name}-{type(codec).__name__}"
    generation.mkdir()
    create_indexes(generation)
    with open_dir(str(generation), indexname=ARTICLES).writer(codec=codec) as writer:
        for article in searchkit.read_articles(directory):
            writer.add_document(**article_document(article, "root", extract_quotes(article.body)))
    reader = open_dir(str(generation), indexname=ARTICLES).reader()
    found = []
    for fieldname in reader.indexed_field_names():
        for text in reader.lexicon(fieldname):
            info = reader.term_info(fieldname, text)
            postings = reader.postings(fieldname, text)
            found.append((fieldname, text, info.doc_frequency(), info.weight()))
            found.append((info.min_length(), info.max_length(), info.max_weight()))
            while postings.is_active():
                found.append((postings.id(), postings.weight(), postings.value()))
                postings.next()
    reader.close()
    return found


def test_codec_writes_the_postings_whooshs_codec_writes(folder: Path) -> None:
    from whoosh.codec.whoosh3 import W3Codec

    ours = _postings(folder, Codec())
    assert len(ours) > 10_000
    assert ours == _postings(folder, W3Codec(compression=1))


def test_postings_span_several_blocks(index: searchkit.Index) -> None:
    """Whoosh writes 128 postings per block: these words need the block-reading paths."""
    reader = index.searcher.reader()
    assert reader.doc_frequency("body", "harbour") == ARTICLES
    assert reader.doc_frequency("body", "ferri") > 128


def test_skip_to_lands_on_the_first_posting_at_or_after_the_target(
    index: searchkit.Index,
) -> None:
    reader = index.searcher.reader()
    every = {}
    postings = reader.postings("body", "ferri")
    while postings.is_active():
        every[postings.id()] = postings.weight()
        postings.next()
    for target in range(0, ARTICLES + 1, 13):
        postings = reader.postings("body", "ferri")
        postings.skip_to(target)
        expected = [d for d in every if d >= target]
        if expected:
            assert postings.is_active() and postings.id() == expected[0]
            assert postings.weight() == every[expected[0]]
        else:
            assert not postings.is_active()


@pytest.mark.parametrize("word", ["harbour", "ferri", "storm", "ann"])
def test_fields_term_scores_are_bm25f(index: searchkit.Index, word: str) -> None:
    """Each document's score, worked out from Whoosh's own postings and lengths."""
    searcher = index.searcher
    reader = searcher.reader()
    sums: dict[int, float] = {}
    frequencies = []
    for fieldname, boost in FIELD_BOOSTS.items():
        if (fieldname, word) not in reader:
            continue
        frequencies.append(reader.doc_frequency(fieldname, word))
        average = searcher.avg_field_length(fieldname)
        postings = reader.postings(fieldname, word)
        while postings.is_active():
            docnum = postings.id()
            length = reader.doc_field_length(docnum, fieldname)
            norm = postings.weight() * boost / (1 - B + B * length / average)
            sums[docnum] = sums.get(docnum, 0.0) + norm
            postings.next()
    weight = idf(reader.doc_count_all(), max(frequencies))
    expected = {
        docnum: weight * total * (FIELDS_K1 + 1) / (FIELDS_K1 + total)
        for docnum, total in sums.items()
    }
    assert expected
    _same(_scores(index, FieldsTerm(word)), expected)


PHRASES = [
    ["harbour", "harbour"],  # a repeated word: k in a row make k - 1 occurrences
    [stem("ferry"), stem("timetable")],  # in titles
    [stem("ferry"), stem("late")],  # in quotes, across the stop word "is"
    ["harbour", stem("news")],
]


@pytest.mark.parametrize("words", PHRASES, ids=" ".join)
def test_fields_phrase_finds_what_whooshs_phrases_find(
    index: searchkit.Index, words: list[str]
) -> None:
    expected = Or([Phrase(fieldname, words) for fieldname in FIELD_BOOSTS])
    found = set(index.searcher.docs_for_query(FieldsPhrase(words)))
    assert found and found == set(index.searcher.docs_for_query(expected))


@pytest.mark.parametrize("words", PHRASES, ids=" ".join)
def test_fields_phrase_scores_are_bm25f_of_the_phrase_count(
    index: searchkit.Index, words: list[str]
) -> None:
    searcher = index.searcher
    reader = searcher.reader()
    sums: dict[int, float] = {}
    for fieldname, boost in FIELD_BOOSTS.items():
        if any((fieldname, word) not in reader for word in words):
            continue
        average = searcher.avg_field_length(fieldname)
        positions = []
        for word in words:
            postings = reader.postings(fieldname, word)
            positions.append(dict(postings.items_as("positions")))
        for docnum in set(positions[0]).intersection(*positions[1:]):
            count = sum(
                all(start + k in positions[k][docnum] for k in range(len(words)))
                for start in positions[0][docnum]
            )
            if count:
                length = reader.doc_field_length(docnum, fieldname)
                norm = count * boost / (1 - B + B * length / average)
                sums[docnum] = sums.get(docnum, 0.0) + norm
    weight = sum(
        idf(reader.doc_count_all(), max(reader.doc_frequency(f, w) for f in FIELD_BOOSTS))
        for w in words
    )
    expected = {
        docnum: weight * total * (FIELDS_K1 + 1) / (FIELDS_K1 + total)
        for docnum, total in sums.items()
    }
    assert expected
    _same(_scores(index, FieldsPhrase(words)), expected)


def test_query_syntax_phrases_become_fields_phrases(index: searchkit.Index) -> None:
    from searchkit.search.query import parse_query

    query = parse_query(index.searcher.schema, '"ferry timetable" harbour')
    assert query == AllOf([FieldsPhrase(PHRASES[1]), FieldsTerm("harbour")])
    assert index.search('"ferry timetable"').total == len(range(0, ARTICLES, 9))


@pytest.mark.parametrize(
    "clauses",
    [
        [FieldsTerm("ferri"), FieldsTerm("storm")],
        [FieldsTerm("harbour"), FieldsTerm("ferri"), FieldsTerm("storm")],
        [FieldsTerm("ferri"), Term("title", stem("timetable"))],
        [FieldsTerm("harbour"), Unscored(Term("source", "coast"))],
        [FieldsTerm("ferri"), DayRange(20240301, 20240630)],
    ],
    ids=["two words", "three words", "word and title", "word and outlet", "word and dates"],
)
def test_all_of_finds_and_scores_what_whooshs_and_does(
    index: searchkit.Index, clauses: list[Any]
) -> None:
    found = _scores(index, AllOf(clauses))
    assert found
    _same(found, _scores(index, And(clauses)))


def test_unscored_filter_matches_constant_score_query(index: searchkit.Index) -> None:
    for _ in range(2):  # the second time from the cached document list
        found = _scores(index, Unscored(Term("source", "harbour"), score=0.5))
        assert len(found) == ARTICLES // 2
        _same(found, _scores(index, ConstantScoreQuery(Term("source", "harbour"), score=0.5)))


def test_search_totals_through_the_fast_paths(index: searchkit.Index) -> None:
    """What a user sees: exact totals for words, outlets and dates combined."""
    ferry = [n for n in range(ARTICLES) if n % 3 == 0 or n % 7 == 0]  # in body or quote
    assert index.search("ferry").total == len(ferry)
    assert index.search("ferry storm").total == len([n for n in ferry if n % 5 == 0])
    assert index.search("ferry source:coast").total == len([n for n in ferry if n % 2 == 0])
    march_to_june = [n for n in ferry if 3 <= n % 12 + 1 <= 6]
    assert index.search("ferry date:[2024-03 TO 2024-06]").total == len(march_to_june)


def test_a_deleted_article_leaves_every_path(index: searchkit.Index, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for n in range(300):
        (folder / f"b{n:03}.txt").write_text(
            f"title: Story {n}\nsource: Coast News\ndate: 2024-05-01\n\nThe ferry sailed.",
            encoding="utf-8",
        )
    built = searchkit.Index.build(tmp_path / "ix", folder)
    assert built.search("ferry source:coast date:2024-05").total == 300
    (folder / "b007.txt").unlink()
    updated = built.update()
    # The segment that lost an article is rewritten without it, as a fresh build has it.
    assert not updated.searcher.reader().has_deletions()
    for query in ("ferry", "ferry source:coast", "ferry date:2024-05", "sailed ferry"):
        results = updated.search(query, limit=400)
        assert results.total == 299, query
        assert "b007" not in {hit.id for hit in results}


@pytest.mark.parametrize("limit", [1, 10, 300, 1000])
@pytest.mark.parametrize(
    "text",
    ["harbour", "ferry storm", "ferry source:coast", "ferry date:2024-03", '"ferry timetable"'],
)
def test_bulk_scoring_collector_picks_what_whooshs_collector_picks(
    index: searchkit.Index, text: str, limit: int
) -> None:
    """The best ``limit`` of all of Whoosh's scored matches, ties by article id, and the total."""
    from whoosh.collectors import UnlimitedCollector

    from searchkit.engine.collector import ExactTop
    from searchkit.search.query import parse_query

    searcher = index.searcher
    query = parse_query(searcher.schema, text)
    ids = searcher.reader().column_reader("id")
    collector = ExactTop(limit)
    searcher.search_with_collector(query, collector)
    results = collector.results()
    everything = UnlimitedCollector()
    searcher.search_with_collector(query, everything)
    expected = [(hit.score, hit.docnum) for hit in everything.results()]
    expected.sort(key=lambda sd: ids[sd[1]])
    expected.sort(key=lambda sd: sd[0], reverse=True)
    assert [(hit.score, hit.docnum) for hit in results] == expected[:limit]
    assert len(results) == len(expected) > 0


def test_positions_decode_as_whoosh_decodes_them(index: searchkit.Index) -> None:
    from searchkit.engine.formats import decode_positions

    reader = index.searcher.reader()
    decode = index.searcher.schema["body"].format.decode_positions
    checked = 0
    for word in ("harbour", stem("ferry"), stem("news")):
        postings = reader.postings("body", word)
        while postings.is_active():
            assert list(decode_positions(postings.value())) == decode(postings.value())
            checked += 1
            postings.next()
    assert checked > ARTICLES

"""Searching: ranking, filters, query syntax and snippets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import searchkit
from searchkit.analysis.analyzers import text_analyzer
from searchkit.search import query as search
from searchkit.search.query import MAX_PHRASE_WORDS, MAX_QUERY_TERMS, MAX_WILDCARDS, parse_query
from tests.conftest import SEED_000, SEED_004


def highlighted(hit: searchkit.Hit) -> list[str]:
    return [hit.snippet.text[a:b] for a, b in hit.snippet.highlights]


def test_repatriation_finds_both_seeds_with_outlets(seed_index: searchkit.Index) -> None:
    results = seed_index.search("repatriation")
    assert len(results) == 2
    by_id = {hit.id: hit for hit in results}
    assert by_id[SEED_000].source == "The Straits Times"
    assert by_id[SEED_000].date == dt.date(2024, 1, 1)
    assert by_id[SEED_004].source == "Week in China"
    stem = [t.text for t in text_analyzer()("repatriate")]
    for hit in results:
        words = highlighted(hit)
        assert words, hit.snippet
        assert all([t.text for t in text_analyzer()(w)] == stem for w in words), words
        assert all(w.lower().startswith("repatria") for w in words)


def test_quote_field_search(seed_index: searchkit.Index) -> None:
    results = seed_index.search('quotes:"border guards"')
    assert [hit.id for hit in results] == [SEED_000]
    assert highlighted(results[0]) == ["Border guards"]
    assert len(seed_index.search('quotes:"sky news"')) == 0  # in 004's body, not in a quote


def test_phrase_highlighted_whole(seed_index: searchkit.Index) -> None:
    (hit,) = seed_index.search('"theft of state secrets"')
    assert highlighted(hit) == ["theft of state secrets"]


def test_source_filter_and_field(seed_index: searchkit.Index) -> None:
    assert [h.id for h in seed_index.search("repatriation", source="straits times")] == [SEED_000]
    assert [h.id for h in seed_index.search("repatriation", source="Week in China")] == [SEED_004]
    assert [h.id for h in seed_index.search('repatriation source:"week in china"')] == [SEED_004]
    both = seed_index.search("repatriation", source=["straits times", "week in china"])
    assert {h.id for h in both} == {SEED_000, SEED_004}
    # An outlet no article has is an error naming the outlets there are, not a silent 0.
    with pytest.raises(searchkit.QueryError, match="no outlet named 'Reuters'; outlets are The"):
        seed_index.search("repatriation", source="Reuters")
    with pytest.raises(searchkit.QueryError, match="no outlet named 'Reuters'"):
        seed_index.quotes("border", source="Reuters")


def test_date_filters(seed_index: searchkit.Index) -> None:
    assert [h.id for h in seed_index.search("china", since="2024-01")] == [SEED_000]
    assert [h.id for h in seed_index.search("china", until="2023-12-31")] == []
    assert [h.id for h in seed_index.search("china", since="2023", until="2024")] == [SEED_000]
    assert [h.id for h in seed_index.search("china date:[2023-10 TO 2024-01]")] == [SEED_000]


def test_sort_by_date_puts_dated_newest_first(sample_index: searchkit.Index) -> None:
    hits = list(sample_index.search("said", sort="date", limit=50, match="any"))
    dates = [h.date for h in hits if h.date]
    assert dates == sorted(dates, reverse=True) and len(dates) > 5


def test_match_any_versus_all(seed_index: searchkit.Index) -> None:
    assert len(seed_index.search("weibo zeppelin")) == 0
    assert [h.id for h in seed_index.search("weibo zeppelin", match="any")] == [SEED_004]


def test_boolean_and_not_count_is_exact(seed_index: searchkit.Index) -> None:
    assert [h.id for h in seed_index.search("repatriation AND NOT weibo")] == [SEED_000]
    assert len(seed_index.search("repatriation AND NOT weibo")) == 1


def test_hyphenated_name_queries(seed_index: searchkit.Index) -> None:
    for query in ("Chol-hwan", "kang chol hwan", '"Kang Chol-hwan"'):
        assert [h.id for h in seed_index.search(query)] == [SEED_000], query


def test_paging(sample_index: searchkit.Index) -> None:
    first = sample_index.search("said", limit=3, match="any")
    second = sample_index.search("said", limit=3, page=2, match="any")
    assert len(first) == len(second) > 6
    assert [h.rank for h in second] == [4, 5, 6]
    assert not {h.id for h in first} & {h.id for h in second}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("foo:bar", "unknown field 'foo'"),
        ("date:2024-02-30", "day is out of range"),
        ("date:someday", "write dates as date:2024"),
        ("title:the", "only stop words"),
        ("?!", "only stop words or punctuation"),
        ("", "empty query"),
        ("date:[2024-13 TO 2025]", "month must be in 1..12"),
    ],
)
def test_bad_queries_raise_query_error(
    seed_index: searchkit.Index, query: str, message: str
) -> None:
    with pytest.raises(searchkit.QueryError, match=message):
        seed_index.search(query)


@pytest.mark.parametrize("value", ["yesterday", "2024-02-30", "24-01-01"])
def test_bad_filter_dates(seed_index: searchkit.Index, value: str) -> None:
    with pytest.raises(searchkit.QueryError, match="date"):
        seed_index.search("china", since=value)


def test_hit_to_dict_keys(seed_index: searchkit.Index) -> None:
    data = seed_index.search("repatriation")[0].to_dict()
    assert {"id", "path", "title", "source", "date", "dateline", "score", "snippet"} <= set(data)
    assert data["date"] == "2024-01-01"


def test_sample_corpus_metadata(sample_index: searchkit.Index) -> None:
    (hit,) = sample_index.search('title:"export drive"')
    assert (hit.title, hit.source, hit.date, hit.dateline) == (
        "SPAIN TO LAUNCH EXPORT DRIVE",
        "Reuters",
        dt.date(1987, 3, 4),
        "MADRID",
    )


def test_snippet_sentences_do_not_break_at_decimals_or_abbreviations(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Title: Otters\n\nImports rose to 2.16 mln tonnes, U.S. officials said. "
        "Otters were unaffected.\nMr. Smith and Dr. Jones said on Jan. 5 that tonnes "
        "of fish went to St. Paul Corp. The otters were fed.\n",
        encoding="utf-8",
    )
    index = searchkit.Index.build(tmp_path / "index", folder)
    [hit] = index.search("tonnes")
    assert hit.snippet.text == (
        "Imports rose to 2.16 mln tonnes, U.S. officials said. … Mr. Smith and Dr. Jones "
        "said on Jan. 5 that tonnes of fish went to St. Paul Corp."
    )
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.highlights] == ["tonnes", "tonnes"]


def test_sentence_punctuation_is_not_a_wildcard(seed_index: searchkit.Index) -> None:
    both = {SEED_000, SEED_004}
    asked = seed_index.search("Why is China repatriating defectors?")
    assert {h.id for h in asked} == both
    assert len(asked) == len(seed_index.search("Why is China repatriating defectors"))
    for query in ("china?", "china?!", "China, Korea; defectors.", "china ? defectors", "(china?)"):
        assert {h.id for h in seed_index.search(query)} == both, query
    assert len(seed_index.search('"north korean defectors?"')) == 2  # inside a phrase: text
    assert [h.id for h in seed_index.search('quotes:"border guards"?')] == [SEED_000]


def test_wildcards_inside_words_stay_wildcards(seed_index: searchkit.Index) -> None:
    assert {h.id for h in seed_index.search("kor?a")} == {SEED_000, SEED_004}
    assert {h.id for h in seed_index.search("repatri*?")} == {SEED_000, SEED_004}
    assert (
        len(seed_index.search("qqq?")) == 0
    )  # a question mark ending a word is not "qqq" + one letter
    assert len(seed_index.search("qqq*")) == 0


def test_plain_words_for_quotes_timeline_and_speakers(seed_index: searchkit.Index) -> None:
    # As syntax, NOT excludes the quote about fleeing; as plain words, "not" is a stop word.
    (quote,) = seed_index.quotes("border NOT flee")
    assert quote.text.startswith("That means the collapse of the border")
    (quote,) = seed_index.quotes("border NOT flee?", syntax=False)
    assert quote.text == "Border guards would be among the first to flee,"
    timeline = seed_index.timeline("repatriation AND", syntax=False, by="year")
    assert timeline.buckets == (("2024", 1),)
    assert [s.name for s in seed_index.speakers("flee OR", syntax=False)] == ["Kang Chol-hwan"]


def test_repeated_words_are_searched_once(seed_index: searchkit.Index) -> None:
    schema = seed_index.searcher.schema
    repeated = " ".join(["china"] * 1_500)
    assert repr(parse_query(schema, repeated)) == "FieldsTerm('china', boost=1.0)"
    assert repr(parse_query(schema, f"title:({repeated})")) == "Term('title', 'china')"
    assert len(seed_index.search(repeated)) == len(seed_index.search("china")) == 2


def test_queries_with_too_many_words_are_refused(seed_index: searchkit.Index) -> None:
    words = [f"zqx{n}" for n in range(MAX_QUERY_TERMS + 1)]
    assert len(seed_index.search(" ".join([*words[:-2], "china"]), match="any")) == 2
    message = f"query has {MAX_QUERY_TERMS + 1} different words; the limit is {MAX_QUERY_TERMS}"
    for text in (" ".join(words), " ".join(f"body:{w}" for w in words)):
        with pytest.raises(searchkit.QueryError, match=message):
            seed_index.search(text, match="any")
    with pytest.raises(searchkit.QueryError, match=message):
        seed_index.search(" ".join(words), match="any", syntax=False)
    with pytest.raises(searchkit.QueryError, match=message):
        seed_index.timeline(" ".join(words), match="any")


def test_long_phrases_and_names_are_refused(seed_index: searchkit.Index) -> None:
    longest = " ".join(["border"] * MAX_PHRASE_WORDS)
    assert len(seed_index.search(f'quotes:"{longest}"')) == 0
    too_long = f"has {MAX_PHRASE_WORDS + 1} words; the limit is {MAX_PHRASE_WORDS}"
    with pytest.raises(searchkit.QueryError, match=f"a phrase {too_long}"):
        seed_index.search(f'quotes:"{longest} border"')
    with pytest.raises(searchkit.QueryError, match="the source name has 800 words"):
        seed_index.search("china", source=" ".join(["straits"] * 800))
    with pytest.raises(searchkit.QueryError, match=f"the speaker's name {too_long}"):
        seed_index.quotes("border", speaker=f"{longest} kang")
    with pytest.raises(searchkit.QueryError, match=f"a phrase {too_long}"):
        seed_index.quotes(f'"{longest} border"')


def test_wildcards_are_bounded(
    seed_index: searchkit.Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(seed_index.search("*")) == 2  # every article, not every word of every field
    assert len(seed_index.search("wom?n repatri* kor?a defect*", match="any")) == 2
    with pytest.raises(searchkit.QueryError, match=rf"5 wildcard words .*limit is {MAX_WILDCARDS}"):
        seed_index.search("wom?n repatri* kor?a defect* chin*", match="any")
    monkeypatch.setattr(search, "MAX_EXPANSIONS", 3)
    assert len(seed_index.search("repatri*")) == 2  # repatri(at), repatri(ation)...
    with pytest.raises(searchkit.QueryError, match="'c\\*' matches more than 3 different words"):
        seed_index.search("c*")
    with pytest.raises(searchkit.QueryError, match="'quotes:\\*' matches more than 3"):
        seed_index.search("quotes:*")
    with pytest.raises(searchkit.QueryError, match="'c\\*' matches more than 3"):
        seed_index.quotes("c*")


def test_queries_of_stop_words_only_are_answered(seed_index: searchkit.Index) -> None:
    (hit,) = seed_index.search("more")
    assert hit.id == SEED_004 and set(highlighted(hit)) == {"more"}
    assert {h.id for h in seed_index.search("The Who")} == {SEED_000, SEED_004}
    assert {h.id for h in seed_index.search("the of and", syntax=False)} == {SEED_000, SEED_004}
    # A phrase of stop words matches only where they stand together, in order.
    (hit,) = seed_index.search('"that when they"')
    assert hit.id == SEED_000 and highlighted(hit) == ["that when they"]
    assert len(seed_index.search('"they when that"')) == 0
    assert len(seed_index.search('"to be or not to be"')) == 0
    assert len(seed_index.search("that when they", syntax=False)) == 2
    # Stop words still add nothing to a query with other words.
    assert len(seed_index.search("the repatriation")) == len(seed_index.search("repatriation"))


def test_quotes_of_stop_words_only(seed_index: searchkit.Index) -> None:
    found = seed_index.quotes('"of the"')
    assert len(found) == 2 and all("of the" in q.text for q in found)
    assert all("[of the]" in q.snippet.marked() for q in found)
    assert len(seed_index.quotes('"the of"')) == 0


def test_a_date_the_parser_cannot_read_is_a_query_error(seed_index: searchkit.Index) -> None:
    """Found by the property test: ``date:""`` reached Whoosh's matcher and raised Exception."""
    for text in ('date:""', 'date:"2024 01"', "china date:xyz"):
        with pytest.raises(searchkit.QueryError, match="date"):
            seed_index.search(text)


# --- person lookup (issue 13) ----------------------------------------------------------


def test_speaker_full_name_first_then_surname_alone(seed_index: searchkit.Index) -> None:
    results = seed_index.quotes(speaker="Kang Chol-hwan", kind=None, limit=50)
    listed = {s.name: s.quotes for s in seed_index.speakers(limit=None)}
    assert results.by_full_name == listed["Kang Chol-hwan"]
    assert all(hit.speaker == "Kang Chol-hwan" for hit in results.hits[: results.by_full_name])


def test_speaker_counts_agree_with_speakers_by_name(seed_index: searchkit.Index) -> None:
    for person in seed_index.speakers(limit=None):
        found = seed_index.quotes(speaker=person.name, kind=None, limit=1)
        assert found.by_full_name == person.quotes, person.name


def test_misspelt_speaker_gets_a_did_you_mean(seed_index: searchkit.Index) -> None:
    results = seed_index.quotes(speaker="Kang Chol-hwon", kind=None)
    assert results.total == 0
    assert results.suggestion == "Kang Chol-hwan"


def test_speakers_by_name_are_the_people_so_named(seed_index: searchkit.Index) -> None:
    assert [s.name for s in seed_index.speakers(name="kim")] == ["Kim Tae-hoon"]
    assert [s.name for s in seed_index.speakers(name="Chol-hwan Kang")] == []
    assert seed_index.speakers(name="nobody at all") == []

"""Facets, timelines, suggestions, more-like-this, paging, HTML and exports."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli.commands import cli
from searchkit.search.facets import MAX_BUCKETS
from searchkit.search.query import parse_query
from tests.conftest import SAMPLE_TXT, SEED_000, SEED_004, need


def test_facets_count_all_matches(sample_index: searchkit.Index) -> None:
    results = sample_index.search("said", match="any", limit=2, facets=["source", "year"])
    assert len(results.hits) == 2
    assert sum(results.facets["source"].values()) == len(results)
    everything = sample_index.search("said", match="any", limit=100)
    by_outlet = Counter(hit.source or "(unknown)" for hit in everything)
    assert results.facets["source"] == dict(by_outlet)
    assert results.facets["year"]["1987"] == sum(1 for h in everything if h.date)


def test_speaker_and_dateline_facets(seed_index: searchkit.Index) -> None:
    facets = seed_index.search("china", facets=["speaker", "dateline", "month"]).facets
    assert facets["speaker"] == {"Kang Chol-hwan": 1, "Kim Tae-hoon": 1}
    assert facets["dateline"] == {"(unknown)": 1, "SEOUL": 1}
    assert facets["month"] == {"2024-01": 1, "(undated)": 1}
    with pytest.raises(searchkit.QueryError, match="unknown facet 'colour'"):
        seed_index.search("china", facets=["colour"])


def test_timeline_month_counts_match_the_files(sample_index: searchkit.Index) -> None:
    reuters = sorted(p.name for p in need(SAMPLE_TXT).glob("1987-*.txt"))
    expected = Counter(name[:7] for name in reuters)
    timeline = sample_index.timeline("date:1987", by="month")
    assert {period: count for period, count in timeline.buckets if count} == expected
    assert [period for period, _ in timeline.buckets] == [f"1987-{m:02}" for m in range(3, 11)]
    assert timeline.undated == 0
    assert sample_index.timeline("said", match="any").undated == 6  # the BBC files are undated


def test_timeline_by_week_and_year(seed_index: searchkit.Index) -> None:
    weekly = seed_index.timeline("repatriation", by="week")
    assert weekly.buckets == (("2024-01-01", 1),) and weekly.undated == 1
    assert seed_index.timeline("repatriation", by="year").buckets == (("2024", 1),)
    with pytest.raises(searchkit.QueryError, match="unknown period"):
        seed_index.timeline("china", by="decade")


def dated_index(directory: Path, *dates: str) -> searchkit.Index:
    """Build an index of one article about otters per date."""
    articles = directory / "articles"
    articles.mkdir()
    for number, date in enumerate(dates):
        text = f"title: Otters {number}\ndate: {date}\n\nOtters were seen on the river."
        (articles / f"{number}.txt").write_text(text)
    return searchkit.Index.build(directory / "index", articles)


def test_timeline_at_the_ends_of_the_calendar(tmp_path: Path) -> None:
    index = dated_index(tmp_path, "9999-12-31", "9999-01-01")
    for by in ("day", "week", "month", "year"):
        timeline = index.timeline("otters", by=by)
        assert timeline.total == 2 and timeline.coarsened_from is None, by
    assert index.timeline("otters", by="year").buckets == (("9999", 2),)
    assert index.timeline("otters", by="week").buckets[-1] == ("9999-12-27", 1)
    assert len(index.timeline("otters", by="day").buckets) == 365


def test_timeline_coarsens_a_long_span(tmp_path: Path) -> None:
    # Mondays, so that weeks start on them: 2000-01-03 to 2001-12-31 is 729 days,
    # to 2010-12-27 574 weeks; to 2079-06-26, 954 months.
    index = dated_index(tmp_path, "2000-01-03", "2001-12-31", "2010-12-27", "2079-06-26")
    by_day = index.timeline("otters", by="day", until="2001")
    assert (by_day.by, by_day.coarsened_from, len(by_day.buckets)) == ("day", None, 729)
    by_day = index.timeline("otters", by="day", until="2010")
    assert (by_day.by, by_day.coarsened_from, len(by_day.buckets)) == ("week", "day", 574)
    assert by_day.buckets[0] == ("2000-01-03", 1) and by_day.buckets[-1] == ("2010-12-27", 1)
    by_day = index.timeline("otters", by="day")
    assert (by_day.by, by_day.coarsened_from) == ("month", "day")
    assert len(by_day.buckets) == 954 <= MAX_BUCKETS and by_day.total == 4
    assert by_day.buckets[0] == ("2000-01", 1) and by_day.buckets[-1] == ("2079-06", 1)
    assert by_day.to_dict()["coarsened_from"] == "day"
    by_week = index.timeline("otters", by="week")
    assert (by_week.by, by_week.coarsened_from) == ("month", "week")
    assert index.timeline("otters", by="month").coarsened_from is None


def test_timeline_spanning_millennia_is_refused(tmp_path: Path) -> None:
    index = dated_index(tmp_path, "0001-01-01", "9998-12-31")
    with pytest.raises(searchkit.QueryError, match="0001-01-01 to 9998-12-31, more than 1,000"):
        index.timeline("otters", by="day")
    assert index.timeline("otters", by="day", since="9000").buckets == (("9998-12-31", 1),)


def test_timeline_cli_says_when_it_coarsens(tmp_path: Path) -> None:
    index = dated_index(tmp_path, "2000-01-03", "2079-06-26", "0001-01-01")
    args = ["timeline", "otters", "--index", str(index.directory), "--by", "day"]
    result = CliRunner().invoke(cli, [*args, "--since", "1900"])
    assert result.exit_code == 0
    assert result.stdout.startswith("2 articles match 'otters', by month\n2000-01  ")
    assert len(result.stdout.splitlines()) == 1 + 954
    assert result.stderr == (
        "note: the matching articles span more than 1,000 days; counted by month instead\n"
    )
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and "more than 1,000 years apart" in result.stderr
    assert "--since/--until" in result.stderr and result.stdout == ""


def test_did_you_mean(seed_index: searchkit.Index) -> None:
    results = seed_index.search("defecters")
    assert len(results) == 0
    assert results.suggestion == "defectors"
    assert seed_index.search("defectors").suggestion is None
    assert len(seed_index.search(results.suggestion)) == 2


def test_similar(seed_index: searchkit.Index) -> None:
    results = seed_index.similar(SEED_000)
    assert [hit.id for hit in results] == [SEED_004]
    with pytest.raises(searchkit.QueryError, match="no article with id"):
        seed_index.similar("nope")


@pytest.mark.parametrize(
    "query",
    ["said AND NOT pct", "said NOT (oil OR bank)", "company NOT said", "pct OR said", "market"],
)
def test_totals_are_exact(sample_index: searchkit.Index, query: str) -> None:
    parsed = parse_query(sample_index.searcher.schema, query)
    exact = sum(1 for _ in sample_index.searcher.docs_for_query(parsed))
    assert len(sample_index.search(query, limit=1)) == exact


def test_quoted_matches_are_marked(seed_index: searchkit.Index) -> None:
    (hit,) = seed_index.search('"border guards"')
    assert hit.snippet.quoted == hit.snippet.highlights
    (hit,) = seed_index.search("laos")
    assert hit.snippet.highlights and not hit.snippet.quoted


def test_html_output_escapes_article_text(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "evil.txt").write_text(
        "Evil <script>alert(1)</script> headline\n\n"
        'The <b>otter</b> said "<img src=x onerror=alert(1)>".'
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["index", str(docs), "--index", str(tmp_path / "ix")]).exit_code == 0
    result = runner.invoke(
        cli, ["query", "otter", "--format", "html", "--index", str(tmp_path / "ix")]
    )
    assert result.exit_code == 0
    assert (
        "<script>" not in result.stdout
        and "<img" not in result.stdout
        and "<b>" not in result.stdout
    )
    assert "&lt;script&gt;" in result.stdout and '<mark class="match">otter</mark>' in result.stdout


def test_exports_share_field_names(seed_index_dir: Path, seed_index: searchkit.Index) -> None:
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, [*args, "--index", str(seed_index_dir)])
        assert result.exit_code == 0, result.output
        return result.stdout

    hit_keys = set(seed_index.search("china")[0].to_dict())
    assert set(json.loads(run("query", "china", "--format", "json"))["hits"][0]) == hit_keys
    quote_keys = set(seed_index.quotes("border")[0].to_dict())
    assert (
        set(json.loads(run("quotes", "border", "--format", "jsonl").splitlines()[0])) == quote_keys
    )
    speakers = list(csv.DictReader(io.StringIO(run("speakers", "--format", "csv"))))
    assert speakers[0]["name"] == "Kang Chol-hwan" and speakers[0]["quotes"] == "5"
    timeline = list(csv.DictReader(io.StringIO(run("timeline", "china", "--format", "csv"))))
    assert timeline == [{"period": "2024-01", "count": "1"}]
    data = json.loads(run("timeline", "china", "--format", "json"))
    assert data == {
        "by": "month",
        "buckets": [{"period": "2024-01", "count": 1}],
        "undated": 1,
        "coarsened_from": None,
    }
    text = run("timeline", "china")
    assert text.splitlines()[1].startswith("2024-01  ██") and "(1 undated)" in text
    faceted = json.loads(run("query", "china", "--facets", "source", "--format", "json"))
    assert faceted["facets"]["source"] == {"The Straits Times": 1, "Week in China": 1}


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [("2024-01", None, [SEED_000]), ("2023-10-01", "2024", [SEED_000]), ("2024-02", None, [])],
)
def test_date_forms(
    seed_index: searchkit.Index, since: str, until: str | None, expected: list[str]
) -> None:
    assert [h.id for h in seed_index.search("china", since=since, until=until)] == expected


@pytest.mark.parametrize(
    ("word", "clause", "first", "last"),
    [
        ("", "date:[1987-03 TO 1987-04]", "1987-03-01", "1987-04-30"),
        ("said", "date:[1987-03-10 TO 1987-03-31]", "1987-03-10", "1987-03-31"),
        ("", "date:1987", "1987-01-01", "1987-12-31"),
        ("", "date:1987-03-17", "1987-03-17", "1987-03-17"),
    ],
)
def test_date_queries_find_the_articles_dated_in_range(
    sample_index: searchkit.Index, word: str, clause: str, first: str, last: str
) -> None:
    query = f"{word} {clause}".strip()
    words = word.split()
    dated = {
        a.id
        for a in searchkit.read_articles(SAMPLE_TXT)
        if a.date
        and first <= a.date.isoformat() <= last
        and all(w in a.body.lower() for w in words)
    }
    assert dated
    assert {h.id for h in sample_index.search(query, limit=100)} == dated

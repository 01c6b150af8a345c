"""What the web page computes for its templates: timeline bars, quote-marked paragraphs."""

from __future__ import annotations

import pytest

import searchkit
from searchkit.web import views
from searchkit.web.params import ArticleQuery, ParamError, QuoteQuery


def test_month_buckets_fill_the_gaps_across_a_year_end_and_count_the_undated() -> None:
    buckets, undated = views.month_buckets({"2023-11": 2, "2024-02": 1, "(undated)": 4})
    assert buckets == [("2023-11", 2), ("2023-12", 0), ("2024-01", 0), ("2024-02", 1)]
    assert undated == 4
    assert views.month_buckets({"(undated)": 3}) == ([], 3)


@pytest.mark.parametrize("text", ["border", "china", "police", "minister"])
def test_month_buckets_from_the_facet_are_the_librarys_timeline(
    sample_index: searchkit.Index, text: str
) -> None:
    results = sample_index.search(text, facets=["month"])
    timeline = sample_index.timeline(text, by="month")
    assert timeline.by == "month"
    buckets, undated = views.month_buckets(results.facets["month"])
    assert (tuple(buckets), undated) == (timeline.buckets, timeline.undated)


def test_years_merge_months_and_a_week_bar_spans_seven_days() -> None:
    assert views.merge_years([("2023-12", 2), ("2024-01", 1), ("2024-02", 3)]) == [
        ("2023", 2),
        ("2024", 4),
    ]
    bars = views.bars([("2024-01-01", 2), ("2024-01-08", 0)], "week", lambda a, b: f"{a}..{b}")
    assert [bar.href for bar in bars] == ["2024-01-01..2024-01-07", "2024-01-08..2024-01-14"]
    assert bars[0].height == views.CHART_HEIGHT and bars[1].height == 0
    assert bars[0].x + bars[0].width <= bars[1].x  # side by side, never overlapping


def test_a_bar_is_never_wider_than_a_twelfth_nor_invisible_when_it_counts() -> None:
    bars = views.bars([("2024", 1), ("2025", 1000)], "year", lambda a, b: a)
    assert all(bar.width <= views.CHART_WIDTH / views.MIN_SLOTS for bar in bars)
    assert bars[0].height >= 2


def test_paragraphs_mark_quotes_even_across_a_paragraph_break() -> None:
    body = 'He said "one two.\n\nThree four" and left. Then "five".'
    quotes = [
        {"text": "one two.\n\nThree four", "start": 9, "end": 29, "speaker": "Ann"},
        {"text": "five", "start": 47, "end": 51, "speaker": None},
    ]
    assert body[9:29] == "one two.\n\nThree four" and body[47:51] == "five"
    paragraphs = views.paragraphs(body, quotes)
    assert [[(p.text, p.quote is not None) for p in para] for para in paragraphs] == [
        [('He said "', False), ("one two.", True)],
        [("Three four", True), ('" and left. Then "', False), ("five", True), ('".', False)],
    ]


def test_paragraphs_leave_out_overlapping_and_out_of_range_quotes() -> None:
    body = "abcdefghij"
    quotes = [
        {"start": 0, "end": 5},
        {"start": 3, "end": 8},  # overlaps the first
        {"start": 8, "end": 99},  # past the end
        {"start": "x", "end": 2},  # not offsets
    ]
    pieces = views.paragraphs(body, quotes)[0]
    assert [(p.text, p.quote is not None) for p in pieces] == [("abcde", True), ("fghij", False)]


def test_links_keep_the_filters_and_go_back_to_the_first_page() -> None:
    query = ArticleQuery(q="oil", source=("Reuters",), since="2024", page=3)
    assert query.link(sort="date") == "/search?q=oil&source=Reuters&since=2024&sort=date"
    assert query.link(page=4) == "/search?q=oil&source=Reuters&since=2024&page=4"
    assert query.without_source("Reuters") == "/search?q=oil&since=2024"
    assert query.export("csv") == "/search?q=oil&source=Reuters&since=2024&limit=1000&format=csv"
    assert QuoteQuery(speaker="Ann").link() == "/quotes?speaker=Ann"


class Params(dict[str, list[str]]):
    def get(self, key: str, /) -> str | None:  # type: ignore[override]
        return self[key][-1] if key in self else None

    def getlist(self, key: str) -> list[str]:
        return self.get_all(key)

    def get_all(self, key: str) -> list[str]:
        return list(super().get(key) or [])


def test_parameters_are_read_strictly() -> None:
    query = ArticleQuery.read(Params(q=[" oil "], source=["A", "B", "A", " "], page=["2"]))
    assert (query.q, query.source, query.page) == ("oil", ("A", "B"), 2)
    for bad in ({"page": ["0"]}, {"page": ["-1"]}, {"limit": ["1001"]}, {"sort": ["up"]}):
        with pytest.raises(ParamError):
            ArticleQuery.read(Params(bad))
    with pytest.raises(ParamError, match="at most 20 outlets"):
        ArticleQuery.read(Params(source=[f"s{n}" for n in range(21)]))

"""The web page's wire copies and quote traces, on a small collection with copies and echoes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import searchkit
from searchkit.web import create_app

STORY = (
    "The harbour authority said on Monday that the new ferry terminal would open in the "
    "spring, after two years of delays caused by funding disputes and a legal fight with "
    "residents of the old dock district. The terminal will handle four sailings a day to "
    "the islands, and the authority expects the number of passengers to double by the end "
    "of the decade."
)
MAYOR = "This library stays open while I am mayor, whatever the council decides,"


def _write(folder: Path, name: str, source: str, date: str, body: str, title: str = "") -> None:
    text = f"title: {title or name}\nsource: {source}\ndate: {date}\n\n{body}\n"
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("follow")
    # Three printings of one wire story, and one other ferry article.
    _write(folder, "ferry", "Harbour Times", "2024-03-03", STORY, "Ferry terminal to open")
    _write(folder, "ferry-wire", "Wire Daily", "2024-03-04", STORY, "Ferry set for spring")
    _write(folder, "ferry-post", "Island <b>Post</b>", "2024-03-05", STORY, "Islands get ferry")
    _write(
        folder,
        "fees",
        "Harbour Times",
        "2024-03-04",
        "The ferry operator will raise fares next year, its chairman told the council.",
    )
    # A quote, its echo and a reworded printing.
    _write(
        folder, "first", "Harbour Times", "2021-04-10", f"At the quay. “{MAYOR}” said Elena Brooks."
    )
    _write(folder, "echo", "Coast Gazette", "2021-04-12", f"“{MAYOR}” Elena Brooks said.")
    reworded = MAYOR.replace("I am mayor", "I am the mayor")
    _write(folder, "variant", "Wire Daily", "2021-04-17", f"“{reworded}” Elena Brooks said.")
    index = searchkit.Index.build(tmp_path_factory.mktemp("follow-index"), folder)
    with TestClient(create_app(index)) as test_client:
        yield test_client
    index.close()


def hit_ids(page: str) -> list[str]:
    return re.findall(r'<li class="hit">\s*<h2><a href="/article/([^"]+)"', page)


def link_of(page: str, text: str) -> str:
    found = re.search(r'<a [^>]*?href="([^"]*)"[^>]*>' + re.escape(text) + "</a>", page)
    assert found, text
    return unescape(found.group(1))


def text_of(page: str) -> str:
    """Return a page's text without tags or repeated white space."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", page)).split())


# ---------------------------------------------------------------- wire copies


def test_a_hit_lists_its_copies_linked_and_the_totals_say_both_counts(client: TestClient) -> None:
    page = client.get("/search", params={"q": "ferry"}).text
    assert hit_ids(page) == ["ferry", "fees"] or hit_ids(page) == ["fees", "ferry"]
    words = text_of(page)
    assert "4 articles match, 2 after collapsing wire copies" in words
    assert "also in Wire Daily, Island <b>Post</b> — 2 copies" in words
    assert link_of(page, "Wire Daily") == "/article/ferry-wire"
    assert link_of(page, "Island &lt;b&gt;Post&lt;/b&gt;") == "/article/ferry-post"
    assert "<b>Post</b>" not in page


def test_collapse_0_shows_every_copy_and_links_back(client: TestClient) -> None:
    page = client.get("/search", params={"q": "ferry"}).text
    every = link_of(page, "show every copy")
    assert every == "/search?q=ferry&collapse=0"
    page = client.get(every).text
    assert sorted(hit_ids(page)) == ["fees", "ferry", "ferry-post", "ferry-wire"]
    assert "4 articles match" in text_of(page)
    assert "after collapsing" not in page and 'class="copies"' not in page
    assert link_of(page, "collapse wire copies") == "/search?q=ferry"


def test_a_search_without_copies_offers_no_toggle(client: TestClient) -> None:
    page = client.get("/search", params={"q": "fares"}).text
    assert "1 article matches" in text_of(page)
    assert "show every copy" not in page and "after collapsing" not in page


def test_paging_counts_collapsed_hits(client: TestClient) -> None:
    page = client.get("/search", params={"q": "ferry", "limit": "1"}).text
    assert "(showing 1–1)" in text_of(page)
    assert "page 1 of 2" in text_of(page)


# ---------------------------------------------------------------- trace


def test_the_trace_page_tells_the_history_and_lists_every_printing(client: TestClient) -> None:
    response = client.get("/trace", params={"q": "while I am mayor"})
    assert response.status_code == 200
    words = text_of(response.text)
    assert (
        "first printed by Harbour Times on 2021-04-10 (Elena Brooks); echoed by 2 outlets "
        "over 7 days; 1 variant: 'while I am mayor' → 'while I am the mayor'"
    ) in words
    rows = re.findall(r"<tr class=\"(\w+)\">(.*?)</tr>", response.text, re.S)
    assert [(kind, text_of(row).split()[0]) for kind, row in rows] == [
        ("first", "2021-04-10"),
        ("echo", "2021-04-12"),
        ("variant", "2021-04-17"),
    ]
    assert "the same words" in text_of(rows[1][1])
    assert "<del>while I am mayor</del> → <ins>while I am the mayor</ins>" in rows[2][1]
    assert link_of(rows[2][1], "variant") == "/article/variant"


def test_a_quote_id_traces_that_quote(client: TestClient) -> None:
    by_words = client.get("/trace", params={"q": "while I am mayor"}).text
    by_id = client.get("/trace", params={"q": "echo#0"}).text
    assert by_id == by_words.replace('value="while I am mayor"', 'value="echo#0"').replace(
        "Trace: while I am mayor", "Trace: echo#0"
    )


def test_every_quote_on_the_article_and_quotes_pages_links_to_its_trace(
    client: TestClient,
) -> None:
    article = client.get("/article/echo").text
    assert link_of(article, "trace") == "/trace?q=echo%230"
    quotes = client.get("/quotes", params={"q": "mayor"}).text
    traces = re.findall(r'<a class="trace" href="([^"]+)"', quotes)
    assert sorted(unescape(t) for t in traces) == [
        "/trace?q=echo%230",
        "/trace?q=first%230",
        "/trace?q=variant%230",
    ]
    speaker = client.get("/speaker/Elena Brooks").text
    assert len(re.findall(r'<a class="trace" href="/trace\?q=', speaker)) == 3
    assert client.get(unescape(traces[0])).status_code == 200


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({}, "give words from a quote"),
        ({"q": "   "}, "give words from a quote"),
        ({"q": "zebra crossing"}, "no quote contains 'zebra crossing'"),
        ({"q": "x" * 1001}, "shorten it"),
    ],
)
def test_empty_or_unknown_input_is_a_friendly_page(
    client: TestClient, params: dict[str, str], words: str
) -> None:
    response = client.get("/trace", params=params)
    assert response.status_code == 400
    assert words in unescape(response.text)
    assert "Traceback" not in response.text
    assert 'action="/trace"' in response.text  # the box to try again


def test_a_hostile_quote_renders_as_text_on_the_trace_page(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("hostile-trace")
    _write(
        folder,
        "bad",
        "<script>x()</script>",
        "2024-01-01",
        "“We will never <script>steal()</script> anything at all,” said Mallory Knight.",
    )
    with searchkit.Index.build(tmp_path_factory.mktemp("hostile-trace-ix"), folder) as index:
        page = TestClient(create_app(index)).get("/trace", params={"q": "bad#0"}).text
    assert "<script>" not in page
    assert "&lt;script&gt;steal()&lt;/script&gt;" in page

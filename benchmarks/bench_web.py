"""Server-side render times of the web page (``searchkit serve``), as its user waits for them.

Each request goes through the whole application (routing, the library calls,
the templates, the security headers) with Starlette's test client, on the
benchmark corpus's searchkit index opened once, as ``searchkit serve`` keeps
it.  A search page is a search with five facets, a timeline (two when it
draws days) and a page of ten hits with snippets; the workload's 1-word,
2-word, phrase and ``source:`` queries take turns.  The article page adds
quote marking and five similar articles.  The network and the browser's own
drawing are not counted.  Benchmarks disabled, these check that each page
answers 200 with what it should show.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import pytest
from starlette.testclient import TestClient

import searchkit
from searchkit.web import create_app

if TYPE_CHECKING:
    from conftest import Indexes, Measurements
    from corpus import Workload

#: The query classes a person types into a search box.
PAGE_QUERY_CLASSES = ("1 word", "2 words", "phrase", "source: + word")
PAGES = ("search", "article", "quotes")


@pytest.fixture(scope="module")
def index(indexes: Indexes) -> Iterator[searchkit.Index]:
    opened = searchkit.Index.open(indexes.directory("searchkit"))
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def client(index: searchkit.Index) -> Iterator[TestClient]:
    with TestClient(create_app(index, remember=0)) as test_client:  # every request asks anew
        yield test_client


def page_urls(page: str, workload: Workload, index: searchkit.Index) -> list[str]:
    """Return the URLs one benchmark requests in turn."""
    texts = [q.text() for kind in PAGE_QUERY_CLASSES for q in workload.of(kind)]
    if page == "search":
        return ["/search?" + urlencode({"q": text}) for text in texts]
    if page == "quotes":
        return ["/quotes?" + urlencode({"q": q.text()}) for q in workload.of("1 word")]
    ids = [hit.id for text in texts[:10] for hit in index.search(text, limit=1)]
    return ["/article/" + quote(article_id, safe="") for article_id in ids]


@pytest.mark.parametrize("page", PAGES)
def test_web_page_render(
    benchmark: Any,
    page: str,
    client: TestClient,
    index: searchkit.Index,
    workload: Workload,
    measurements: Measurements,
    pytestconfig: pytest.Config,
) -> None:
    urls = page_urls(page, workload, index)
    assert urls, f"the workload gave no {page} URLs"
    for url in urls:  # every page answers, and shows what it should
        response = client.get(url)
        assert response.status_code == 200, url
        expected = {"search": 'class="hit"', "article": "<h1>", "quotes": "match"}[page]
        assert expected in response.text, url
    upcoming = itertools.cycle(urls)

    def next_url() -> tuple[tuple[str], dict[str, Any]]:
        return (next(upcoming),), {}

    benchmark.group = f"web {page} page"
    benchmark.extra_info["urls"] = urls
    repeat = pytestconfig.getoption("bench_repeat")
    benchmark.pedantic(client.get, setup=next_url, rounds=len(urls) * repeat, warmup_rounds=2)
    seconds = measurements.timings(benchmark)
    if seconds:
        measurements.web[page] = seconds

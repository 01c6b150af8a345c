"""The web page (``searchkit serve``) through Starlette's test client: pages, exports, errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

import searchkit
from searchkit.cli import cli
from searchkit.web import create_app, is_loopback
from searchkit.web.headers import CONTENT_SECURITY_POLICY, LOCAL_HOSTS
from tests.conftest import ROOT, SEED_000, SEED_004


@pytest.fixture(scope="module")
def client(seed_index: searchkit.Index) -> Iterator[TestClient]:
    with TestClient(create_app(seed_index)) as test_client:
        yield test_client


def links(page: str) -> list[str]:
    """Return every href of a page, unescaped, in order."""
    return [unescape(href) for href in re.findall(r'href="([^"]*)"', page)]


def link_of(page: str, text: str) -> str:
    """Return the href of the link whose text is ``text``."""
    found = re.search(r'<a [^>]*?href="([^"]*)"[^>]*>' + re.escape(text) + "</a>", page)
    assert found, text
    return unescape(found.group(1))


def hit_ids(page: str) -> list[str]:
    return re.findall(r'<li class="hit">\s*<h2><a href="/article/([^"]+)"', page)


def cli_output(*args: str, index_dir: Path) -> str:
    result = CliRunner().invoke(cli, [*args, "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    return result.stdout


# ---------------------------------------------------------------- the search page


def test_search_page_shows_hits_with_marked_snippets_and_their_facts(client: TestClient) -> None:
    response = client.get("/search", params={"q": "repatriation"})
    assert response.status_code == 200
    page = response.text
    assert hit_ids(page) == [SEED_000, SEED_004]
    assert "2 articles match" in page
    assert "The Straits Times · 2024-01-01 · SEOUL" in page
    assert "Week in China · undated" in page
    assert "<mark>repatriating</mark>" in page
    assert 'value="repatriation" autofocus' in page  # the query box, focused


def test_the_home_page_counts_the_collection_and_links_each_outlet(client: TestClient) -> None:
    page = client.get("/").text
    assert "2 articles, 14 quotes" in page
    outlet = client.get(link_of(page, "Week in China")).text
    assert hit_ids(outlet) == [SEED_004]


def test_an_outlet_facet_filters_on_click_and_its_chip_removes_it(client: TestClient) -> None:
    page = client.get("/search", params={"q": "china"}).text
    narrowed = link_of(page, "Week in China")
    assert narrowed == "/search?q=china&source=Week+in+China"
    filtered = client.get(narrowed).text
    assert hit_ids(filtered) == [SEED_004]
    chip = re.search(r'<a class="chip" href="([^"]*)"', filtered)
    assert chip and hit_ids(client.get(unescape(chip.group(1))).text) == [SEED_000, SEED_004]


def test_speaker_and_dateline_facets_add_a_field_to_the_query(client: TestClient) -> None:
    page = client.get("/search", params={"q": "china"}).text
    by_speaker = link_of(page, "Kang Chol-hwan")
    assert by_speaker == "/search?q=china+speaker%3A%22Kang+Chol-hwan%22"
    assert hit_ids(client.get(by_speaker).text) == [SEED_000]
    assert hit_ids(client.get(link_of(page, "SEOUL")).text) == [SEED_000]


def test_a_month_facet_and_a_timeline_bar_narrow_the_dates(client: TestClient) -> None:
    page = client.get("/search", params={"q": "china"}).text
    month = link_of(page, "2024-01")
    assert month == "/search?q=china&since=2024-01&until=2024-01"
    assert hit_ids(client.get(month).text) == [SEED_000]
    bars = re.findall(r'<a href="([^"]*)" class="bar" aria-label="([^"]*)"', page)
    assert [(unescape(h), label) for h, label in bars] == [
        ("/search?q=china&since=2024-01-01&until=2024-01-01", "2024-01-01: 1")
    ]
    assert "(1 undated)" in page
    assert hit_ids(client.get(unescape(bars[0][0])).text) == [SEED_000]


def test_paging_links_move_through_the_hits(client: TestClient) -> None:
    first = client.get("/search", params={"q": "china", "limit": "1"}).text
    assert hit_ids(first) == [SEED_000] and "page 1 of 2" in first
    second = client.get(link_of(first, "Next →")).text
    assert hit_ids(second) == [SEED_004] and "page 2 of 2" in second
    assert link_of(second, "← Previous") == "/search?q=china&limit=1"


def test_sort_and_any_word_travel_as_parameters(client: TestClient) -> None:
    page = client.get("/search", params={"q": "china", "sort": "date"}).text
    assert hit_ids(page) == [SEED_000, SEED_004]  # dated first, then undated
    assert '<option value="date" selected>' in page
    page = client.get("/search", params={"q": "weibo seoul", "any": "1"}).text
    assert sorted(hit_ids(page)) == [SEED_000, SEED_004]
    assert 'name="any" value="1" checked' in page


def test_did_you_mean_links_to_the_corrected_query(client: TestClient) -> None:
    page = client.get("/search", params={"q": "repatration"}).text
    assert "0 articles match" in page
    assert link_of(page, "repatriations") == "/search?q=repatriations"


# ---------------------------------------------------------------- articles, quotes, speakers


def test_article_page_marks_quotes_links_speakers_and_lists_similar(client: TestClient) -> None:
    page = client.get(f"/article/{SEED_000}").text
    assert "<h1>China has come under pressure" in page
    assert '<q class="quote speech" title="speech: Kang Chol-hwan">Border guards would be' in page
    assert '<a class="said-by" href="/speaker/Kang%20Chol-hwan">Kang Chol-hwan</a>' in page
    assert f'href="/article/{SEED_004}"' in page  # similar
    assert "<dt>Dateline</dt><dd>SEOUL</dd>" in page


def test_an_unknown_article_is_a_404_page(client: TestClient) -> None:
    response = client.get("/article/no-such-article")
    assert response.status_code == 404
    assert "There is no article with id &#39;no-such-article&#39;." in response.text
    assert "Traceback" not in response.text


def test_quotes_page_filters_by_speaker_and_kind(client: TestClient) -> None:
    page = client.get("/quotes", params={"q": "border"}).text
    assert "2 quotes match" in page
    assert "<mark>Border</mark> guards would be among the first to flee," in page
    assert 'href="/speaker/Kang%20Chol-hwan"' in page
    terms = client.get("/quotes", params={"kind": "term"}).text
    assert "“theft of state secrets”" in terms
    nobody = client.get("/quotes", params={"speaker": "kim tae-hoon", "q": "border"}).text
    assert "0 quotes match" in nobody


def test_speakers_page_and_a_speakers_quotes_over_time(client: TestClient) -> None:
    page = client.get("/speakers").text
    assert page.index(">Kang Chol-hwan</a>") < page.index(">Kim Tae-hoon</a>")
    speaker = client.get(link_of(page, "Kang Chol-hwan")).text
    assert "<h1>Kang Chol-hwan</h1>" in speaker
    assert "5 quotes, newest first" in speaker
    assert 'class="bar" aria-label="2024-01-01: 1"' in speaker
    assert client.get("/speaker/Nobody%20Atall").status_code == 404


# ---------------------------------------------------------------- exports


@pytest.mark.parametrize(
    ("url", "command"),
    [
        ("/search?q=china&format=csv", ["query", "china", "--limit", "1000", "--format", "csv"]),
        ("/search?q=china&format=json", ["query", "china", "--limit", "1000", "--format", "json"]),
        ("/quotes?q=border&format=csv", ["quotes", "border", "--limit", "1000", "--format", "csv"]),
        (
            "/quotes?format=json&kind=all",
            ["quotes", "--kind", "all", "-n", "1000", "--format", "json"],
        ),
        ("/speakers?format=csv", ["speakers", "--limit", "50", "--format", "csv"]),
        (
            "/speakers?q=border&format=json",
            ["speakers", "border", "--limit", "50", "--format", "json"],
        ),
    ],
)
def test_exports_are_what_the_command_line_prints(
    client: TestClient, seed_index_dir: Path, url: str, command: list[str]
) -> None:
    if "limit" not in url and "speakers" not in url:
        url += "&limit=1000"
    response = client.get(url)
    assert response.status_code == 200
    assert response.text == cli_output(*command, index_dir=seed_index_dir)
    kind = "text/csv" if "csv" in url else "application/json"
    assert response.headers["content-type"].startswith(kind)
    assert response.headers["content-disposition"].startswith("attachment;")


def test_every_listing_links_to_its_csv_and_json(client: TestClient) -> None:
    for url in (
        "/search?q=china&source=Week+in+China",
        "/quotes?q=border",
        "/speakers",
        "/speaker/Kang%20Chol-hwan",
    ):
        page = client.get(url).text
        csv, json = link_of(page, "CSV"), link_of(page, "JSON")
        assert csv.endswith("format=csv") and json.endswith("format=json"), url
        assert client.get(csv).text.count("\n") >= 2, url  # a header and a row at least
        assert client.get(json).text.startswith(("{", "[")), url
    exported = client.get(link_of(client.get("/search?q=china&source=Week+in+China").text, "CSV"))
    assert exported.text.count("\n") == 2  # the filter carried into the export


# ---------------------------------------------------------------- errors and safety


@pytest.mark.parametrize(
    ("params", "says"),
    [
        (
            {"q": "china", "since": "garbage"},
            "date &#39;garbage&#39; is not YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            {"q": "china", "source": "nowhere"},
            "no outlet named &#39;nowhere&#39;; outlets are The Straits Times, Week in China",
        ),
        ({"q": "china", "page": "9"}, "page 9 is past the last page"),
        ({"q": "china", "page": "x"}, "page must be a whole number"),
        ({"q": "china", "sort": "sideways"}, "sort must be one of relevance, date"),
        ({"q": "china", "format": "xlsx"}, "format must be csv or json"),
        ({"q": "x" * 2000}, "q is longer than 1,000 characters"),
    ],
)
def test_bad_queries_are_a_friendly_message_with_the_hint(
    client: TestClient, params: dict[str, str], says: str
) -> None:
    response = client.get("/search", params=params)
    assert response.status_code == 400
    assert "That search could not be run" in response.text
    assert says in response.text
    assert 'role="search"' in response.text  # the query box, to mend the query
    assert "Traceback" not in response.text


@pytest.mark.parametrize(("remember", "asked"), [(256, 1), (0, 3)])
def test_a_page_asked_again_is_answered_from_what_the_index_said(
    seed_index: searchkit.Index, monkeypatch: pytest.MonkeyPatch, remember: int, asked: int
) -> None:
    calls: list[str] = []
    search = seed_index.search

    def counted(text: str, **options: Any) -> Any:
        calls.append(text)
        return search(text, **options)

    monkeypatch.setattr(seed_index, "search", counted)
    with TestClient(create_app(seed_index, remember=remember)) as test_client:
        pages = [test_client.get("/search", params={"q": "china"}).text for _ in range(3)]
        other = test_client.get("/search", params={"q": "border"})
    assert len(calls) == asked + 1 and pages[0] == pages[2] and other.status_code == 200


def test_a_failure_inside_is_a_500_page_without_a_traceback(
    seed_index: searchkit.Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    app = create_app(seed_index)
    monkeypatch.setattr(seed_index, "search", broken)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.get("/search", params={"q": "china"})
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "secret internals" not in response.text and "Traceback" not in response.text


@pytest.mark.parametrize(
    "url", ["/", "/search?q=china", "/nope", "/static/style.css", "/search?q=china&format=csv"]
)
def test_every_response_has_a_strict_content_security_policy(client: TestClient, url: str) -> None:
    headers = client.get(url).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert (
        "script-src" not in CONTENT_SECURITY_POLICY
        and "default-src 'none'" in CONTENT_SECURITY_POLICY
    )
    assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "url",
    [
        "/static/../pyproject.toml",
        "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/static/app.py",
        "/article/..%2F..%2Fpyproject.toml",
        "/speaker/..%2F..%2Fetc%2Fpasswd",
        "/templates/base.html",
    ],
)
def test_no_url_reaches_the_file_system(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "[build-system]" not in response.text and "root:" not in response.text


def test_a_local_server_answers_to_local_names_only(seed_index: searchkit.Index) -> None:
    app = create_app(seed_index, hosts=LOCAL_HOSTS)
    with TestClient(app, base_url="http://127.0.0.1:8765") as local:
        assert local.get("/search?q=china").status_code == 200
        assert local.get("/", headers={"host": "localhost:8765"}).status_code == 200
        rebound = local.get("/search?q=china", headers={"host": "attacker.example:8765"})
    assert rebound.status_code == 400 and "Kang" not in rebound.text


def test_a_post_is_refused(client: TestClient) -> None:
    response = client.post("/search", data={"q": "china"})
    assert response.status_code == 405 and "Not allowed" in response.text


HOSTILE = """title: <script>alert('headline')</script> Border talks
source: Evil <b>News</b>
date: 2024-02-03
url: javascript:alert(document.cookie)
dateline: <img src=x onerror=alert(1)>

Officials met at the border on Monday.
"We will never <script>steal()</script> anything," said Mallory Knight, a negotiator.

The talks ended \x1b]0;pwned\x07 without agreement on the border.
"""


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    articles = tmp_path_factory.mktemp("hostile")
    (articles / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    index = searchkit.Index.build(tmp_path_factory.mktemp("hostile-index"), articles)
    with TestClient(create_app(index)) as test_client:
        yield test_client
    index.close()


def test_hostile_article_text_renders_as_text_everywhere(hostile_client: TestClient) -> None:
    search = hostile_client.get("/search", params={"q": "border"}).text
    article_id = hit_ids(search)[0]
    pages = [
        search,
        hostile_client.get(f"/article/{article_id}").text,
        hostile_client.get("/quotes", params={"q": "steal"}).text,
        hostile_client.get("/speakers").text,
        hostile_client.get("/").text,
    ]
    for page in pages:
        assert "<script>" not in page and "<img" not in page and "<b>" not in page
        assert "javascript:" not in " ".join(links(page))
        assert "\x1b" not in page
    assert "&lt;script&gt;alert(&#39;headline&#39;)&lt;/script&gt; Border talks" in pages[0]
    assert "Evil &lt;b&gt;News&lt;/b&gt;" in pages[1]
    assert "javascript:alert(document.cookie)" in pages[1]  # shown, not a link
    assert r"\x1b]0;pwned\x07" in pages[1]
    assert "&lt;script&gt;<mark>steal</mark>()&lt;/script&gt;" in pages[2]


# ---------------------------------------------------------------- the command


def test_serve_warns_when_it_binds_beyond_this_machine(
    seed_index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import searchkit.web

    served: list[tuple[str, int]] = []
    monkeypatch.setattr(
        searchkit.web, "serve", lambda index, host, port: served.append((host, port))
    )
    args = ["serve", "--index", str(seed_index_dir)]
    result = CliRunner().invoke(cli, [*args, "--host", "0.0.0.0", "--port", "9999"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("warning: serving on 0.0.0.0: anyone who can reach")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0 and "warning" not in result.stderr
    assert "at http://127.0.0.1:8765/" in result.stderr
    assert served == [("0.0.0.0", 9999), ("127.0.0.1", 8765)]


def test_serve_without_the_web_extra_says_how_to_install_it(
    seed_index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "searchkit.web", None)  # as if starlette were missing
    result = CliRunner().invoke(cli, ["serve", "--index", str(seed_index_dir)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the web page needs the web extra (")
    assert result.stderr.rstrip().endswith('pip install "searchkit[web]"')


def test_serve_without_an_index_says_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1 and "build one with `searchkit index PATH...`" in result.stderr


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.4", False),
        ("::", False),
        ("example.org", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_help_does_not_import_the_web_stack() -> None:
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom searchkit.cli import cli\n"
        "CliRunner().invoke(cli, ['--help'])\nCliRunner().invoke(cli, ['serve', '--help'])\n"
        "print(sorted(m for m in ('starlette', 'jinja2', 'uvicorn', 'searchkit.web') "
        "if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_template_and_asset_is_package_data() -> None:
    import fnmatch
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = config["package-data"]["searchkit"]
    web = ROOT / "searchkit" / "web"
    files = [p for folder in ("templates", "static") for p in (web / folder).iterdir()]
    assert files
    for path in files:
        name = path.relative_to(ROOT / "searchkit").as_posix()
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name


def test_browser_tests_skip_with_a_reason_without_chromium(tmp_path: Path) -> None:
    env = {**os.environ, "SEARCHKIT_CHROMIUM": str(tmp_path / "no-chromium")}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            str(ROOT / "tests" / "test_web_browser.py"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    # A module skipped whole leaves no test to run: pytest's exit status 5, not a failure.
    assert out.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, out.stdout
    assert "apt-get install chromium chromium-driver" in out.stdout
    assert " skipped" in out.stdout and "passed" not in out.stdout

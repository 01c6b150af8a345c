"""The web page in a real browser: headless Chromium driven by Selenium.

These use the system's Chromium and chromedriver (Debian's ``chromium`` and
``chromium-driver``; ``.ci/run`` installs them) and never download a browser
or driver: both paths are given, so Selenium Manager is not asked.  Without
them the tests are skipped, saying why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import searchkit
from searchkit.web import running
from tests.conftest import SEED_000, SEEDS

CHROMIUM = Path(os.environ.get("SEARCHKIT_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("SEARCHKIT_CHROMEDRIVER", "/usr/bin/chromedriver"))
CHROMIUM_FLAGS = (
    *("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"),
    *("--disable-component-update", "--disable-sync", "--no-first-run"),
    "--window-size=1200,900",
)
WAIT_SECONDS = 10

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip(
        f"no {CHROMIUM} and {CHROMEDRIVER}: apt-get install chromium chromium-driver",
        allow_module_level=True,
    )

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    index = searchkit.Index.build(tmp_path_factory.mktemp("browser-index"), SEEDS)
    with running(index) as url:
        yield url
    index.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def wait_for_url(browser: Any, part: str) -> None:
    WebDriverWait(browser, WAIT_SECONDS).until(lambda driver: part in driver.current_url)


def hits(browser: Any) -> list[str]:
    return [link.text for link in browser.find_elements(By.CSS_SELECTOR, "li.hit h2 a")]


def test_type_a_query_then_narrow_by_a_facet(browser: Any, base_url: str) -> None:
    browser.get(base_url + "/")
    box = browser.switch_to.active_element  # the query box has the focus
    assert box.get_attribute("name") == "q"
    # The stylesheet loaded under the Content-Security-Policy: the header is shaded.
    header = browser.find_element(By.CSS_SELECTOR, "header.site")
    assert header.value_of_css_property("background-color") == "rgba(244, 246, 249, 1)"
    box.send_keys("china", Keys.ENTER)
    wait_for_url(browser, "/search?q=china")
    assert len(hits(browser)) == 2
    browser.find_element(By.CSS_SELECTOR, "aside.facets").find_element(
        By.LINK_TEXT, "Week in China"
    ).click()
    wait_for_url(browser, "source=Week+in+China")
    assert hits(browser) == ["A change in China’s North Korea strategy?"]


def test_click_a_timeline_bar_to_narrow_the_dates(browser: Any, base_url: str) -> None:
    browser.get(base_url + "/search?q=china")
    bars = browser.find_elements(By.CSS_SELECTOR, "figure.timeline svg a.bar")
    assert len(bars) == 1
    bars[0].click()
    wait_for_url(browser, "since=2024-01-01&until=2024-01-01")
    assert len(hits(browser)) == 1
    assert "since 2024-01-01" in browser.find_element(By.CSS_SELECTOR, "p.chips").text


def test_follow_a_hit_to_its_article_and_a_quote_to_its_speaker(
    browser: Any, base_url: str
) -> None:
    browser.get(base_url + "/search?q=repatriation")
    browser.find_element(By.CSS_SELECTOR, "li.hit h2 a").click()
    wait_for_url(browser, f"/article/{SEED_000}")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("China has come under pressure")
    quote = browser.find_element(By.CSS_SELECTOR, 'q.quote[title="speech: Kang Chol-hwan"]')
    assert quote.text.startswith("Border guards would be among the first to flee")
    speaker = browser.find_element(By.CSS_SELECTOR, "a.said-by")
    assert speaker.text == "Kang Chol-hwan"
    speaker.click()
    wait_for_url(browser, "/speaker/Kang%20Chol-hwan")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Kang Chol-hwan"
    assert len(browser.find_elements(By.CSS_SELECTOR, "ol.quotes > li")) == 5


def test_follow_a_quote_to_its_trace(browser: Any, base_url: str) -> None:
    browser.get(f"{base_url}/article/{SEED_000}")
    said = browser.find_element(By.CSS_SELECTOR, "ul.article-quotes q").text
    browser.find_element(By.CSS_SELECTOR, "ul.article-quotes a.trace").click()
    wait_for_url(browser, f"/trace?q={SEED_000}%230")
    assert browser.find_element(By.CSS_SELECTOR, "h1.traced").text == f"“{said}”"
    assert browser.find_element(By.CSS_SELECTOR, "p.summary").text.startswith("first printed by")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.printings tbody tr")
    assert rows and rows[0].get_attribute("class") == "first"
    rows[0].find_element(By.CSS_SELECTOR, "td:nth-child(4) a").click()
    wait_for_url(browser, "/article/")


def test_a_query_error_is_a_message_in_the_browser(browser: Any, base_url: str) -> None:
    browser.get(base_url + "/search?q=china&since=someday")
    alert = browser.find_element(By.CSS_SELECTOR, "[role=alert]")
    assert "date 'someday' is not YYYY, YYYY-MM or YYYY-MM-DD" in alert.text


def test_pages_fit_a_phone_without_sideways_scrolling(browser: Any, base_url: str) -> None:
    browser.set_window_size(390, 844)
    try:
        pages = ("/search?q=china", f"/article/{SEED_000}", "/speakers", "/quotes")
        for path in (*pages, f"/trace?q={SEED_000}%231"):
            browser.get(base_url + path)
            width = browser.execute_script(
                "return [document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert width[0] <= width[1], path
    finally:
        browser.set_window_size(1200, 900)

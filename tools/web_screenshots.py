"""Take the README's screenshots of the web page: search, article and speaker, on the seeds.

    python tools/web_screenshots.py            # writes docs/web-*.png

Builds an index of ``seeds/`` in a temporary folder, serves it on a free
port and photographs the pages in headless Chromium (Debian's ``chromium``
and ``chromium-driver``; nothing is downloaded).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

import searchkit
from searchkit.web import running

ROOT = Path(__file__).resolve().parents[1]
#: Each page, and what to scroll to before the photograph (None: the top).
PAGES = {
    "search": ("/search?q=china", None),
    "article": ("/article/000_f4a1817f0992edb7", "a.said-by"),
    "speaker": ("/speaker/Kang%20Chol-hwan", None),
}
FLAGS = (
    *("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"),
    *("--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"),
)


def main() -> None:
    """Write one PNG per page."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--size", default="1100,760", help="window width,height in pixels")
    args = parser.parse_args()
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (*FLAGS, f"--window-size={args.size}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    args.out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        index = searchkit.Index.build(folder, ROOT / "seeds")
        try:
            with running(index) as url:
                for name, (path, scroll_to) in PAGES.items():
                    driver.get(url + path)
                    if scroll_to:
                        element = driver.find_element("css selector", scroll_to)
                        driver.execute_script(
                            "arguments[0].scrollIntoView({block: 'center'})", element
                        )
                    target = args.out / f"web-{name}.png"
                    driver.save_screenshot(str(target))
                    print(f"{target}: {target.stat().st_size / 1024:.0f} KB")
        finally:
            driver.quit()
            index.close()


if __name__ == "__main__":
    main()

"""Reading web pages, written dates and other crawlers' JSONL (issue 12)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.articles.dates import parse_date
from searchkit.articles.parse import parse_article
from searchkit.articles.records import parse_record
from searchkit.cli import cli

PARAGRAPH = (
    "The harbour authority said on Tuesday that the new ferry terminal would open in spring, "
    "after two years of delays caused by flooding and a shortage of steel. "
)
PAGE = f"""<!DOCTYPE html>
<html lang="en-GB"><head>
<title>Ferry terminal to open in spring | Harbour Times</title>
<meta property="og:title" content="Ferry terminal to open in spring">
<meta property="og:site_name" content="Harbour Times">
<meta name="author" content="Ann Reporter">
<meta property="article:published_time" content="2024-03-05T09:00:00Z">
<link rel="canonical" href="https://harbour.example/news/ferry-terminal">
<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "x"}}</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport menu link</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<article><h1>Ferry terminal to open in spring</h1>
<p>{PARAGRAPH * 2}</p>
<p>"We are finally there," said the harbour master, Jo Lind. {PARAGRAPH}</p>
</article>
<aside class="related"><h3>Related stories</h3>
<ul><li><a href="/a">Bridge closure explained</a></li></ul></aside>
<footer><p>Copyright 2024 Harbour Times. Subscribe to our newsletter.</p></footer>
</body></html>
"""


def test_a_web_page_becomes_its_main_text_and_metadata(tmp_path: Path) -> None:
    (tmp_path / "ferry.html").write_text(PAGE, encoding="utf-8")
    problems: list[searchkit.ArticleError] = []
    [article] = searchkit.read_articles(tmp_path, on_problem=problems.append)
    assert problems == []
    assert article.id == "ferry"
    assert article.title == "Ferry terminal to open in spring"
    assert article.date == dt.date(2024, 3, 5)
    assert article.source == "Harbour Times"
    assert article.url == "https://harbour.example/news/ferry-terminal"
    assert article.authors == ("Ann Reporter",)
    assert article.language == "en-GB"
    assert "We are finally there" in article.body
    for boilerplate in ("Sport menu link", "cookies", "Bridge closure", "newsletter", "@type"):
        assert boilerplate not in article.body


def test_a_site_name_that_is_the_page_title_gives_way_to_the_host(tmp_path: Path) -> None:
    # Syndicated pages often give the headline as their application name.
    page = PAGE.replace(
        '<meta property="og:site_name" content="Harbour Times">',
        '<meta name="application-name" content="Ferry terminal to open in spring">',
    ).replace("<title>Ferry terminal to open in spring | Harbour Times</title>", "")
    (tmp_path / "ferry.html").write_text(page, encoding="utf-8")
    [article] = searchkit.read_articles(tmp_path)
    assert article.title == "Ferry terminal to open in spring"
    assert article.source == "harbour.example"


def test_sources_csv_overrides_a_page(tmp_path: Path) -> None:
    (tmp_path / "ferry.htm").write_text(PAGE, encoding="utf-8")
    (tmp_path / "sources.csv").write_text("file,source,date\nferry.htm,Harbour Weekly,2024-03-04\n")
    [article] = searchkit.read_articles(tmp_path)
    assert (article.source, article.date) == ("Harbour Weekly", dt.date(2024, 3, 4))


def test_a_page_without_main_text_is_reported(tmp_path: Path) -> None:
    (tmp_path / "app.html").write_text("<html><body><div id='root'></div><script>x()</script>")
    (tmp_path / "menu.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (tmp_path / "ferry.html").write_text(PAGE, encoding="utf-8")
    problems: list[searchkit.ArticleError] = []
    articles = list(searchkit.read_articles(tmp_path, on_problem=problems.append))
    assert [a.id for a in articles] == ["ferry", "menu"]
    skipped, short = problems
    assert skipped.skipped and skipped.location.endswith("app.html")
    assert "no main text found" in skipped.message
    assert not short.skipped and short.location.endswith("menu.html")
    assert "main text only 4 characters" in short.message


def test_a_folder_of_pages_indexes_and_hits_carry_url_and_authors(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "ferry.html").write_text(PAGE, encoding="utf-8")
    runner = CliRunner()
    built = runner.invoke(cli, ["index", str(pages), "--index", str(tmp_path / "ix")])
    assert built.exit_code == 0, built.output
    assert "1 added" in built.output
    found = runner.invoke(cli, ["query", "ferry terminal", "--index", str(tmp_path / "ix")])
    assert found.exit_code == 0
    assert (
        "Harbour Times · 2024-03-05 · https://harbour.example/news/ferry-terminal" in found.output
    )
    as_json = runner.invoke(
        cli, ["query", "ferry", "--index", str(tmp_path / "ix"), "--format", "json"]
    )
    [hit] = json.loads(as_json.output)["hits"]
    assert hit["url"] == "https://harbour.example/news/ferry-terminal"
    assert (hit["authors"], hit["language"]) == (["Ann Reporter"], "en-GB")
    as_csv = runner.invoke(
        cli, ["query", "ferry", "--index", str(tmp_path / "ix"), "--format", "csv"]
    )
    header, row = as_csv.output.splitlines()[:2]
    assert "url,authors,language" in header and "Ann Reporter,en-GB" in row
    shown = runner.invoke(cli, ["show", "ferry", "--index", str(tmp_path / "ix")])
    assert "url:      https://harbour.example/news/ferry-terminal" in shown.output
    assert "language: en-GB" in shown.output
    index = searchkit.Index.open(tmp_path / "ix")
    [api_hit] = index.search("ferry")
    assert api_hit.to_dict()["url"] == "https://harbour.example/news/ferry-terminal"


# ---------------------------------------------------------------- written dates


def test_written_dates_in_the_first_lines_are_read_and_taken_out_of_the_title() -> None:
    body = "The council voted on Monday to close the library. It had been open for 90 years."
    for first_line in (
        "Published: March 3, 2024",
        "3 March 2024",
        "March 3, 2024",
        "03/03/2024",
        "Sun, 03 Mar 2024 10:00:00 +0000",
        "Posted on 3 Mar 2024 at 5:00 p.m. ET",
    ):
        article = parse_article(f"{first_line}\nLibrary to close\n\n{body}", id="x")
        assert article.date == dt.date(2024, 3, 3), first_line
        assert article.title == "Library to close", first_line
        assert article.problems == (), first_line


def test_a_date_line_after_the_headline_is_read() -> None:
    article = parse_article("Library to close\n\n3 March 2024\n\nThe council voted.", id="x")
    assert (article.title, article.date, article.body) == (
        "Library to close",
        dt.date(2024, 3, 3),
        "The council voted.",
    )


def test_headlines_that_hold_a_year_are_not_dates() -> None:
    for headline in ("2024 Olympics open in Paris", "March 2024 sales jump", "1984"):
        article = parse_article(f"{headline}\n\nThe story.", id="x")
        assert (article.title, article.date) == (headline, None)


def test_numeric_dates_are_day_first_unless_the_header_says_otherwise() -> None:
    problems: list[str] = []
    assert parse_date("03/04/2024", problems) == dt.date(2024, 4, 3)
    assert "read as 2024-04-03 (DMY)" in problems[0] and "date-order: MDY" in problems[0]
    assert parse_date("13/04/2024", []) == dt.date(2024, 4, 13)
    article = parse_article("date-order: MDY\ndate: 03/04/2024\n\nTitle\n\nBody.", id="x")
    assert article.date == dt.date(2024, 3, 4)
    bad: list[str] = []
    assert parse_date("soon", bad) is None and "not a date searchkit can read" in bad[0]


def test_a_date_in_the_url_is_a_fallback() -> None:
    url = "https://example.com/2023/11/09/story"
    article = parse_article(f"url: {url}\n\nTitle\n\nBody.", id="x")
    assert article.date == dt.date(2023, 11, 9)


def test_text_files_with_written_dates_index_with_dates(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Published: March 3, 2024\nLibrary to close\n\nThe council.")
    runner = CliRunner()
    built = runner.invoke(cli, ["index", str(tmp_path), "--index", str(tmp_path / "ix")])
    assert built.exit_code == 0, built.output
    shown = runner.invoke(cli, ["show", "a", "--index", str(tmp_path / "ix"), "--format", "json"])
    article = json.loads(shown.output)
    assert (article["title"], article["date"]) == ("Library to close", "2024-03-03")


# ---------------------------------------------------------------- other crawlers' JSONL


def test_jsonl_field_names_of_other_tools_are_understood() -> None:
    news_please = {
        "url": "https://ex.com/a",
        "title": "A",
        "maintext": "Text of a.",
        "date_publish": "2024-03-03 10:00:00",
        "source_domain": "ex.com",
        "authors": ["Ann One", "Bo Two"],
        "language": "en",
    }
    article = parse_record(news_please, path="f.jsonl", line=1)
    assert (article.id, article.body, article.date, article.source) == (
        "https://ex.com/a",
        "Text of a.",
        dt.date(2024, 3, 3),
        "ex.com",
    )
    assert (article.authors, article.language) == (("Ann One", "Bo Two"), "en")
    trafilatura_json = {"id": "t1", "title": "T", "text": "Body.", "source": "https://ex.com/t",
                        "source-hostname": "Example News", "date": "2024-03-03"}  # fmt: skip
    article = parse_record(trafilatura_json)
    assert (article.url, article.source) == ("https://ex.com/t", "Example News")
    media_cloud = {"id": 7, "title": "M", "publish_date": "2024-03-03", "media_name": "Globe"}
    article = parse_record(media_cloud)
    assert (article.id, article.source, article.body) == ("7", "Globe", "")
    assert article.problems == ("record '7' has no text (text, body, maintext, content); "
                                "indexed by its title only",)  # fmt: skip
    gdelt = {"url": "https://ex.com/g", "title": "G", "seendate": "20240303T120000Z",
             "domain": "ex.com", "text": "x"}  # fmt: skip
    assert parse_record(gdelt).date == dt.date(2024, 3, 3)


def test_field_map_names_unknown_keys() -> None:
    record = {"story_id": "s", "headline": "H", "story": "The body."}
    article = parse_record(record, field_map={"id": "story_id", "text": "story"})
    assert (article.id, article.title, article.body) == ("s", "H", "The body.")


def test_jsonl_records_without_text_are_reported_in_the_build(tmp_path: Path) -> None:
    lines = [{"id": "1", "title": "Only a title"}, {"id": "2", "body": "Has a body."}]
    (tmp_path / "x.jsonl").write_text("\n".join(json.dumps(r) for r in lines) + "\n")
    runner = CliRunner()
    built = runner.invoke(cli, ["index", str(tmp_path), "--index", str(tmp_path / "ix")])
    assert built.exit_code == 0
    assert "warning: " in built.output and "x.jsonl:1: record '1' has no text" in built.output
    assert "2 added" in built.output


# ---------------------------------------------------------------- CSV exports

MEDIA_CLOUD = (
    "id,indexed_date,language,media_name,media_url,publish_date,title,url,text\n"
    "101,2024-03-04 10:00:00,en,Harbour Times,harbour.example,2024-03-03 09:00:00,"
    'Ferry terminal to open,https://harbour.example/ferry,"The ferry terminal opens in spring.\n\n'
    '""We are finally there,"" said Jo Lind."\n'
    "102,2024-03-04,en,Harbour Times,harbour.example,2024-03-02,Bridge closed,"
    "https://harbour.example/bridge,\n"
)


def test_a_media_cloud_export_gives_one_article_per_row(tmp_path: Path) -> None:
    (tmp_path / "export.csv").write_text(MEDIA_CLOUD)
    problems: list[searchkit.ArticleError] = []
    ferry, bridge = searchkit.read_articles(tmp_path, on_problem=problems.append)
    assert (ferry.id, ferry.source, ferry.date, ferry.language) == (
        "101",
        "Harbour Times",
        dt.date(2024, 3, 3),
        "en",
    )
    assert ferry.url == "https://harbour.example/ferry"
    assert (
        ferry.body == 'The ferry terminal opens in spring.\n\n"We are finally there," said Jo Lind.'
    )
    assert (bridge.id, bridge.title, bridge.body) == ("102", "Bridge closed", "")
    [problem] = problems
    assert not problem.skipped
    assert str(problem).endswith("export.csv: line 5: no text; indexed by title only")


def test_a_spreadsheet_reads_with_a_field_map_and_says_what_is_missing(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("story_id,headline,story\ns1,Otters return,Otters were seen.\n")
    problems: list[searchkit.ArticleError] = []
    # Neither a text nor an id column it knows: rows are read by title and named by
    # their content, each said once for the file, with the option that names them.
    [article] = searchkit.read_articles(sheet, on_problem=problems.append)
    assert article.id.startswith("sheet-") and (article.title, article.body) == (
        "Otters return",
        "",
    )
    assert [p.message.split(";")[0] for p in problems] == [
        "line 2: no id (id, stories_id, guid, fingerprint) and no url",
        "line 2: no text",
    ]
    assert "--map id=COLUMN" in problems[0].message and not any(p.skipped for p in problems)
    mapped = {"id": "story_id", "text": "story"}
    [article] = searchkit.read_articles(sheet, field_map=mapped)
    assert (article.id, article.title, article.body) == ("s1", "Otters return", "Otters were seen.")
    problems.clear()
    wrong = {"text": "stroy"}
    assert list(searchkit.read_articles(sheet, on_problem=problems.append, field_map=wrong)) == []
    assert "no column 'stroy' for text (--map); columns: story_id, headline, story" in str(
        problems[0]
    )


def test_csv_rows_with_a_missing_column_or_id_are_reported(tmp_path: Path) -> None:
    (tmp_path / "short.csv").write_text("id,title,text\n1,One,Text one.\n2,Two\n,Three,Text.\n")
    problems: list[searchkit.ArticleError] = []
    articles = list(searchkit.read_articles(tmp_path, on_problem=problems.append))
    assert [a.id for a in articles][:2] == ["1", "2"]
    assert articles[2].id.startswith("short-") and articles[2].title == "Three"
    assert [(p.location.rsplit("/", 1)[-1], p.skipped) for p in problems] == [
        ("short.csv", False),
        ("short.csv", False),
    ]
    assert problems[0].message.startswith("line 4: no id")
    assert problems[1].message == "line 3: no text; indexed by title only"


def test_index_map_option_is_remembered_by_updates(tmp_path: Path) -> None:
    sheet = tmp_path / "data" / "sheet.csv"
    sheet.parent.mkdir()
    sheet.write_text("story_id,headline,story\ns1,Otters return,Otters were seen.\n")
    runner = CliRunner()
    ix = str(tmp_path / "ix")
    args = ["index", str(sheet.parent), "--index", ix]
    bad = runner.invoke(cli, [*args, "--map", "txt=story"])
    assert bad.exit_code == 2 and "unknown article field 'txt'" in bad.output
    assert runner.invoke(cli, [*args, "--map", "text"]).exit_code == 2
    built = runner.invoke(cli, [*args, "--map", "id=story_id", "--map", "text=story"])
    assert built.exit_code == 0, built.output
    sheet.write_text(sheet.read_text() + "s2,Herons too,Herons were seen.\n")
    updated = runner.invoke(cli, ["index", "--index", ix])
    assert updated.exit_code == 0 and "1 added" in updated.output, updated.output
    found = runner.invoke(cli, ["query", "herons", "--index", ix, "--format", "jsonl"])
    assert json.loads(found.output)["id"] == "s2"


# ---------------------------------------------------------------- feeds

FEED = """<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Harbour Times</title><language>en-gb</language>
<item><title>Ferry terminal to open</title><link>https://harbour.example/ferry</link>
<guid>https://harbour.example/ferry</guid><pubDate>Sun, 03 Mar 2024 10:00:00 +0000</pubDate>
<description>The terminal opens in &lt;b&gt;spring&lt;/b&gt;.</description></item>
<item><title>Bridge closed</title><link>https://harbour.example/bridge</link>
<pubDate>the day before yesterday</pubDate><author>Ann Reporter</author>
<content:encoded><![CDATA[<p>The bridge is closed.</p><p>"It is unsafe," said Jo Lind.</p>]]>
</content:encoded></item>
</channel></rss>
"""


def test_a_feed_gives_one_article_per_item_and_reports_summaries_and_bad_dates(
    tmp_path: Path,
) -> None:
    (tmp_path / "news.rss").write_text(FEED)
    problems: list[searchkit.ArticleError] = []
    ferry, bridge = searchkit.read_articles(tmp_path, on_problem=problems.append)
    assert (ferry.id, ferry.title, ferry.body, ferry.date) == (
        "https://harbour.example/ferry",
        "Ferry terminal to open",
        "The terminal opens in spring.",
        dt.date(2024, 3, 3),
    )
    assert (ferry.source, ferry.language) == ("Harbour Times", "en-gb")
    assert bridge.body == 'The bridge is closed.\n\n"It is unsafe," said Jo Lind.'
    assert (bridge.date, bridge.authors) == (None, ("Ann Reporter",))
    assert [(p.location.rsplit("/", 1)[-1], p.skipped) for p in problems] == [
        ("news.rss item 1", False),
        ("news.rss item 2", False),
    ]
    assert problems[0].message == "item has only a summary; the summary is indexed"
    assert problems[1].message.startswith("date 'the day before yesterday' is not a date")


def test_titles_a_feed_writes_in_html_are_read_as_text(tmp_path: Path) -> None:
    feed = FEED.replace(
        "<title>Harbour Times</title>", "<title>Harbour &lt;b&gt;Times&lt;/b&gt;</title>"
    ).replace(
        "<title>Bridge closed</title>",
        '<title type="html">Bridge &lt;em&gt;closed&lt;/em&gt; &amp;amp; fenced</title>',
    )
    (tmp_path / "news.rss").write_text(feed)
    ferry, bridge = searchkit.read_articles(tmp_path, on_problem=[].append)
    assert (ferry.source, ferry.title) == ("Harbour Times", "Ferry terminal to open")
    assert bridge.title == "Bridge closed & fenced"


def test_files_that_are_not_feeds_are_reported(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_text('<?xml version="1.0"?><urlset><url/></urlset>')
    (tmp_path / "broken.atom").write_text("<feed><entry><title>Half")
    problems: list[searchkit.ArticleError] = []
    assert list(searchkit.read_articles(tmp_path, on_problem=problems.append)) == []
    assert [(p.location.rsplit("/", 1)[-1], p.skipped) for p in problems] == [
        ("broken.atom", False),
        ("broken.atom item 1", True),
        ("sitemap.xml", True),
    ]
    assert problems[0].message.startswith("feed is not well-formed (")
    assert problems[1].message == "item has no title and no text; skipped"
    assert problems[2].message == "no items: not an RSS or Atom feed?; skipped"


def test_index_a_feed_from_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "news.rss").write_text(FEED)
    runner = CliRunner()
    built = runner.invoke(
        cli, ["index", str(tmp_path / "news.rss"), "--index", str(tmp_path / "ix")]
    )
    assert built.exit_code == 0
    assert built.output.count("warning:") == 2 and "2 added" in built.output
    found = runner.invoke(cli, ["query", "bridge", "--index", str(tmp_path / "ix")])
    assert "Harbour Times · undated · https://harbour.example/bridge" in found.output


# ---------------------------------------------------------------- web archives


def warc_record(kind: str, uri: str, block: bytes, content_type: str) -> bytes:
    """Return one WARC record (written here: warcio's writer leaks temporary files)."""
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n"
        f"WARC-Date: 2024-03-05T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{abs(hash(uri))}>\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def write_warc(path: Path, *, gzip: bool = True) -> int:
    """Write a small web archive; return the size of its last record as stored."""
    import gzip as gz

    records = [warc_record("warcinfo", "", b"software: tests\r\n", "application/warc-fields")]
    for uri, body, kind, status in (
        ("https://harbour.example/ferry", PAGE.encode(), "text/html; charset=utf-8", "200 OK"),
        ("https://harbour.example/logo.png", b"\x89PNG", "image/png", "200 OK"),
        ("https://harbour.example/old", b"", "text/html", "301 Moved Permanently"),
    ):
        http = f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\n"
        http += f"Content-Length: {len(body)}\r\n\r\n"
        block = http.encode() + body
        records.append(warc_record("response", uri, block, "application/http; msgtype=response"))
    stored = [gz.compress(r) if gzip else r for r in records]
    path.write_bytes(b"".join(stored))
    return len(stored[-1])


def test_a_web_archive_indexes_its_html_responses(tmp_path: Path) -> None:
    write_warc(tmp_path / "crawl.warc.gz")
    write_warc(tmp_path / "plain.warc", gzip=False)
    problems: list[searchkit.ArticleError] = []
    articles = list(searchkit.read_articles(tmp_path / "crawl.warc.gz", on_problem=problems.append))
    [article] = articles
    assert (article.id, article.url, article.title) == (
        "https://harbour.example/ferry",
        "https://harbour.example/ferry",
        "Ferry terminal to open in spring",
    )
    assert article.path.endswith("crawl.warc.gz record 2")
    [counted] = problems
    assert not counted.skipped
    assert counted.message == (
        "records not indexed (not HTML pages): 1 HTTP 301 response, 1 image/png response, "
        "1 warcinfo"
    )
    assert [a.id for a in searchkit.read_articles(tmp_path / "plain.warc", on_problem=print)] == [
        "https://harbour.example/ferry"
    ]


def test_a_truncated_web_archive_is_read_to_the_break_and_reported(tmp_path: Path) -> None:
    last = {
        "whole.warc.gz": write_warc(tmp_path / "whole.warc.gz"),
        "whole.warc": write_warc(tmp_path / "whole.warc", gzip=False),
    }
    for name in ("whole.warc.gz", "whole.warc"):
        data = (tmp_path / name).read_bytes()
        for cut in (len(data) - last[name] // 2, len(data) - last[name] + 10):
            (tmp_path / "cut" / name).parent.mkdir(exist_ok=True)
            (tmp_path / "cut" / name).write_bytes(data[:cut])
            problems: list[searchkit.ArticleError] = []
            found = searchkit.read_articles(tmp_path / "cut" / name, on_problem=problems.append)
            assert [a.id for a in found] == ["https://harbour.example/ferry"], (name, cut)
            broken = [p for p in problems if p.skipped]
            assert len(broken) == 1, (name, cut, problems)
            assert "cut short" in broken[0].message or "broken" in broken[0].message
    runner = CliRunner()
    result = runner.invoke(cli, ["index", str(tmp_path / "cut"), "--index", str(tmp_path / "ix")])
    # Two breaks, and the second archive's copy of the page is a duplicate, indexed once.
    assert result.exit_code == 1 and "1 added" in result.output and "3 skipped" in result.output
    copy = f"whole.warc.gz record 2: duplicate of {tmp_path / 'cut' / 'whole.warc'} record 2"
    assert result.output.count("cut short") == 2 and copy in result.output


# ---------------------------------------------------------------- PDF


def write_pdf(path: Path, lines: list[str], *, author: str | None = None) -> None:
    """Write a one-page PDF whose text layer holds ``lines`` (none: a blank page, like a scan)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    if lines:
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        shown = " ".join(f"({line}) Tj T*" for line in lines)
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 11 Tf 14 TL 72 720 Td {shown} ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(content)
    if author:
        writer.add_metadata({"/Author": author})
    with path.open("wb") as out:
        writer.write(out)


def test_a_pdf_is_read_like_a_text_file_and_a_scan_is_reported(tmp_path: Path) -> None:
    lines = ["Ferry terminal to open", "", "3 March 2024", "", "The terminal opens in spring."]
    write_pdf(tmp_path / "release.pdf", lines, author="Harbour Authority")
    write_pdf(tmp_path / "scan.pdf", [])
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    problems: list[searchkit.ArticleError] = []
    [article] = searchkit.read_articles(tmp_path, on_problem=problems.append)
    # pypdf gives lines, not paragraphs: the first line is set apart as the headline,
    # and the date line is found and taken out.
    assert (article.id, article.date, article.author) == (
        "release",
        dt.date(2024, 3, 3),
        "Harbour Authority",
    )
    assert article.title == "Ferry terminal to open"
    assert article.body == "The terminal opens in spring."
    assert [(p.location.rsplit("/", 1)[-1], p.skipped) for p in problems] == [
        ("broken.pdf", True),
        ("scan.pdf", True),
    ]
    assert problems[0].message.startswith("broken PDF (")
    assert problems[1].message == "no text layer in 1 page(s) (a scan?); run OCR first; skipped"
    runner = CliRunner()
    result = runner.invoke(cli, ["index", str(tmp_path), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1 and "1 added" in result.output and "2 skipped" in result.output
    strict = runner.invoke(
        cli, ["index", str(tmp_path), "--index", str(tmp_path / "ix2"), "--strict"]
    )
    assert strict.exit_code == 1 and "broken PDF" in strict.output
    assert not (tmp_path / "ix2" / "CURRENT").exists()


@pytest.mark.parametrize(
    ("lines", "title", "body"),
    [
        # A headline, then the body: the headline is the title.
        (
            [
                "Council backs new ferry terminal",
                "The harbour authority said on Tuesday it",
                "would open the terminal in spring.",
            ],
            "Council backs new ferry terminal",
            "The harbour authority said on Tuesday it would open the terminal in spring.",
        ),
        # No headline: the first line is a wrapped body line (the next starts in lower case) ...
        (
            [
                "The harbour authority said on Tuesday that",
                "the terminal would open in spring.",
                "Work starts in May.",
            ],
            "The harbour authority said on Tuesday that the terminal would open in spring.",
            "The harbour authority said on Tuesday that the terminal would open in spring. "
            "Work starts in May.",
        ),
        # ... or as wide as the body's lines, though the next line starts with a name.
        (
            [
                "The harbour authority said on Tuesday that",
                "Jo Lind would open the terminal in",
                "spring, after two years of delays.",
            ],
            "The harbour authority said on Tuesday that Jo Lind would open the terminal in spring…",
            "The harbour authority said on Tuesday that Jo Lind would open the terminal in "
            "spring, after two years of delays.",
        ),
    ],
)
def test_a_pdf_headline_is_its_title_only_when_it_reads_as_one(
    tmp_path: Path, lines: list[str], title: str, body: str
) -> None:
    write_pdf(tmp_path / "page.pdf", lines)
    [article] = searchkit.read_articles(tmp_path)
    assert (article.title, article.body) == (title, body)


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("Smith, John", ("Smith, John",)),
        ("By O'Neill, Mary J.", ("O'Neill, Mary J.",)),
        ("Jane Doe, John Smith", ("Jane Doe", "John Smith")),
        ("Jane Doe and John Smith", ("Jane Doe", "John Smith")),
        ("Jane Doe; John Smith", ("Jane Doe", "John Smith")),
        ("Reuters, AFP", ("Reuters", "AFP")),
        ("Smith, John, Doe, Jane", ("Smith", "John", "Doe", "Jane")),  # ambiguous: as written
    ],
)
def test_split_authors_keeps_a_surname_first_name_whole(
    line: str, authors: tuple[str, ...]
) -> None:
    from searchkit.articles.parse import split_authors

    assert split_authors(line) == authors


def test_a_record_by_smith_comma_john_has_one_author(tmp_path: Path) -> None:
    record = {"id": "r", "title": "T", "text": "Otters.", "author": "Smith, John"}
    (tmp_path / "r.jsonl").write_text(json.dumps(record) + "\n")
    [article] = searchkit.read_articles(tmp_path)
    assert (article.author, article.authors) == ("Smith, John", ("Smith, John",))


def test_csv_numeric_dates_are_warned_once_and_sources_csv_sets_their_order(
    tmp_path: Path,
) -> None:
    rows = "".join(f"{n},Story {n},Text {n}.,05/0{n}/2024\n" for n in range(1, 4))
    (tmp_path / "us.csv").write_text("id,title,text,date\n" + rows)
    problems: list[searchkit.ArticleError] = []
    articles = list(searchkit.read_articles(tmp_path, on_problem=problems.append))
    assert [a.date for a in articles] == [dt.date(2024, n, 5) for n in range(1, 4)]
    [problem] = problems
    assert problem.message.startswith("lines 2, 3, 4: dates such as 05/03/2024 read day first")
    (tmp_path / "sources.csv").write_text("file,date-order,source\nus.csv,MDY,Town Crier\n")
    problems.clear()
    articles = list(searchkit.read_articles(tmp_path, on_problem=problems.append))
    assert [(a.date, a.source) for a in articles] == [
        (dt.date(2024, 5, n), "Town Crier") for n in range(1, 4)
    ]
    assert problems == []


def test_a_library_failing_on_one_file_does_not_stop_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trafilatura

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("lxml tree in an unexpected state")

    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "a.txt").write_text("Title\n\nText about otters.")
    monkeypatch.setattr(trafilatura, "bare_extraction", fail)
    problems: list[searchkit.ArticleError] = []
    articles = list(searchkit.read_articles(tmp_path, on_problem=problems.append))
    assert [a.id for a in articles] == ["a"]
    [problem] = problems
    assert problem.skipped and problem.location.endswith("page.html")
    assert problem.message == (
        "the html reader failed (AssertionError: lxml tree in an unexpected state); "
        "the rest of the file skipped"
    )

"""Parsing article files and records."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import searchkit
from searchkit.articles.decode import decode
from searchkit.articles.parse import parse_article
from searchkit.articles.records import MADE_ID, parse_record
from tests.conftest import SAMPLE_TXT, SEED_000, SEED_004, need


def test_seed_000_fields(seed_articles: dict[str, searchkit.Article]) -> None:
    article = seed_articles[SEED_000]
    assert article.date == dt.date(2024, 1, 1)
    assert article.dateline == "SEOUL"
    assert article.source == "The Straits Times"  # from seeds/sources.csv
    assert article.body.startswith("China has come under pressure for repatriating")
    assert article.title.startswith("China has come under pressure")
    assert article.body.endswith("crimes against humanity.”")
    assert article.boilerplate == ""
    assert article.section is None and article.kicker is None
    assert article.path.endswith(f"{SEED_000}.txt")


def test_seed_004_fields(seed_articles: dict[str, searchkit.Article]) -> None:
    article = seed_articles[SEED_004]
    assert article.section == "World of Weibo"
    assert article.kicker == "The defectors"
    assert article.title == "A change in China’s North Korea strategy?"
    assert article.source == "Week in China"  # established by the footer, not sources.csv
    assert article.date is None
    assert article.body.startswith("On August 12th the Chinese army")
    assert article.body.endswith("wanting a better life.")
    assert article.boilerplate.startswith("© ChinTell Ltd. All rights reserved.")
    assert "Sponsored by HSBC" in article.boilerplate
    assert "HSBC" not in article.body


def test_ids_are_stable_and_hashes_follow_content(
    seed_articles: dict[str, searchkit.Article],
) -> None:
    assert set(seed_articles) == {SEED_000, SEED_004}
    a, b = seed_articles[SEED_000], seed_articles[SEED_004]
    assert a.content_hash != b.content_hash
    again = {x.id: x for x in searchkit.read_articles(Path(a.path).parent)}
    assert again[SEED_000].content_hash == a.content_hash


def test_header_block() -> None:
    text = (
        "title: Budget row\nsource: The Example Post\ndate: 2023-05-06\nauthor: Jo Bloggs\n\nBody."
    )
    article = parse_article(text, id="x")
    assert (article.title, article.source, article.date, article.author, article.body) == (
        "Budget row",
        "The Example Post",
        dt.date(2023, 5, 6),
        "Jo Bloggs",
        "Body.",
    )


def test_text_that_merely_has_a_colon_is_not_a_header() -> None:
    article = parse_article("Note: the minister resigned.\n\nMore text.", id="x")
    assert article.body.startswith("Note: the minister resigned.")


def test_wire_copy_wraps_and_signoff() -> None:
    text = (
        "date 1987-03-04 MADRID –\nSPAIN TO LAUNCH EXPORT DRIVE\n\n"
        "Spain unveils a plan\nthis month.\n    Second paragraph\nwraps.\n REUTER\n"
    )
    article = parse_article(text, id="x")
    assert article.title == "SPAIN TO LAUNCH EXPORT DRIVE"
    assert article.dateline == "MADRID"
    assert article.body == "Spain unveils a plan this month.\n\nSecond paragraph wraps."
    assert article.source == "Reuters"


def test_dateline_at_start_of_body() -> None:
    article = parse_article("Headline here\n\nNEW YORK, Jan 2 (Reuters) - Stocks fell.", id="x")
    assert article.dateline == "NEW YORK"
    assert article.body == "Stocks fell."


def test_impossible_date_is_reported_and_dropped() -> None:
    article = parse_article("date 2024-02-30 PARIS –\nSomething happened.", id="x")
    assert article.date is None
    assert any("does not exist" in p for p in article.problems)


def test_record_fields_and_type_errors() -> None:
    record = {
        "id": "r1",
        "title": "T",
        "text": "Body text.",
        "date": "1987-02-26T15:01:01",
        "source": "Reuters",
        "dateline": "SALVADOR, Feb 26 -",
    }
    article = parse_record(record, path="f.jsonl", line=3)
    assert (article.id, article.date, article.dateline, article.path, article.line) == (
        "r1",
        dt.date(1987, 2, 26),
        "SALVADOR",
        "f.jsonl",
        3,
    )
    with pytest.raises(searchkit.ArticleError, match=r"f.jsonl:3: field 'title' must be a string"):
        parse_record({**record, "title": 5}, path="f.jsonl", line=3)
    with pytest.raises(searchkit.ArticleError, match=r"f\.jsonl:1: record has no text"):
        parse_record({"date": "2020-01-01"}, path="f.jsonl", line=1)


def test_a_record_with_no_id_is_named_by_its_file_and_content() -> None:
    record = {"Title": "Ferry delayed", "Body": "The ferry was late.", "pubDate": "2024-03-05"}
    article = parse_record(record, path="exports/f.jsonl", line=1)
    # Keys match in any case; the id is the same wherever the record moves in its file.
    assert (article.title, article.body, article.date) == (
        "Ferry delayed",
        "The ferry was late.",
        dt.date(2024, 3, 5),
    )
    assert article.id.startswith("f-") and article.problems == (MADE_ID,)
    assert parse_record(record, path="exports/f.jsonl", line=9).id == article.id
    assert parse_record({**record, "Body": "The ferry was on time."}, path="f.jsonl").id != (
        article.id
    )
    assert parse_record({**record, "url": "https://x.example/a"}, path="f.jsonl").id == (
        "https://x.example/a"
    )


def test_jsonl_broken_line_does_not_spoil_the_rest(tmp_path: Path) -> None:
    good = json.dumps({"id": "a", "title": "A", "text": "Alpha."})
    (tmp_path / "x.jsonl").write_text(
        good + "\n{broken\n" + json.dumps({"id": "b", "text": "Beta."}) + "\n"
    )
    problems: list[searchkit.ArticleError] = []
    ids = [a.id for a in searchkit.read_articles(tmp_path, on_problem=problems.append)]
    assert ids == ["a", "b"]
    assert (
        len(problems) == 1 and "x.jsonl:2" in str(problems[0]) and "broken JSON" in str(problems[0])
    )


def test_read_articles_raises_without_callback(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(searchkit.ArticleError, match="empty file"):
        list(searchkit.read_articles(tmp_path))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Café “quoted”".encode("utf-8-sig"), "Café “quoted”"),
        ("Café".encode("utf-16"), "Café"),
        ("Café déjà".encode("cp1252"), "Café déjà"),
        ("“smart” quotes".encode("cp1252"), "“smart” quotes"),
    ],
)
def test_decode_encodings(data: bytes, expected: str) -> None:
    assert decode(data) == expected


@pytest.mark.parametrize(
    "data", [b"%PDF-1.4\n\x00\x01binary", b"\x89PNG\r\n\x1a\n\x00\x00", b"   \n"]
)
def test_decode_refuses_binary_and_empty(data: bytes) -> None:
    with pytest.raises(ValueError):
        decode(data)


def test_sources_csv_supplies_outlet(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Headline\n\nBody text.")
    (tmp_path / "sources.csv").write_text("file,source,date\na.txt,The Example Times,2020-01-02\n")
    (article,) = searchkit.read_articles(tmp_path)
    assert (article.source, article.date) == ("The Example Times", dt.date(2020, 1, 2))


def test_sample_txt_titles_dates_outlets() -> None:
    articles = {a.id: a for a in searchkit.read_articles(need(SAMPLE_TXT))}
    assert len(articles) == 28
    spain = articles["1987-03-04_reuters-01478"]
    assert (spain.title, spain.date, spain.dateline, spain.source) == (
        "SPAIN TO LAUNCH EXPORT DRIVE",
        dt.date(1987, 3, 4),
        "MADRID",
        "Reuters",
    )
    bbc = articles["bbc-business-311"]
    assert (bbc.title, bbc.date, bbc.source) == ("Stormy year for property insurers", None, None)
    assert all(a.title and a.body for a in articles.values())


def test_jsonl_is_streamed_whatever_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from searchkit.articles import records

    monkeypatch.setattr(records, "MAX_FILE_BYTES", 1024)
    lines = [
        json.dumps({"id": f"r{n}", "title": f"T{n}", "text": "Otters " * 50}) for n in range(50)
    ]
    (tmp_path / "big.jsonl").write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    ids = [a.id for a in searchkit.read_articles(tmp_path)]
    assert ids == [f"r{n}" for n in range(50)]

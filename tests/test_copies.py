"""Wire copies: near-duplicate articles are grouped at index time and collapsed in results."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import searchkit
from searchkit.cli.commands import cli
from searchkit.index import copies
from searchkit.index.copies import (
    COPIES_FILE,
    COPY_THRESHOLD,
    FINGERPRINTS_FILE,
    LSH_BANDS,
    fingerprint,
    group_copies,
)

STORY = (
    "The harbour authority said on Monday that the new ferry terminal would open in the "
    "spring, after two years of delays caused by funding disputes and a legal fight with "
    "residents of the old dock district. The terminal will handle four sailings a day to "
    "the islands, and the authority expects the number of passengers to double by the end "
    "of the decade. Local traders welcomed the decision, though some warned that parking "
    "near the quay was already scarce on market days."
)
OTHER = (
    "The harbour authority will raise mooring fees for pleasure boats next year, its "
    "chairman told the council, blaming higher costs for dredging the channel and repairing "
    "the sea wall after the winter storms. Boat owners said the increase would drive visitors "
    "to other ports along the coast, and asked the council to delay the decision."
)


def _article(title: str, source: str, date: str, body: str) -> str:
    return f"title: {title}\nsource: {source}\ndate: {date}\n\n{body}\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    files = {
        # The first printing, then a re-run with a new first line, one with its tail
        # trimmed, one under another headline; and an article on the same beat.
        "first.txt": _article("Ferry terminal to open", "Harbour Times", "2024-03-03", STORY),
        "rerun.txt": _article(
            "Ferry terminal set for spring",
            "Wire Daily",
            "2024-03-04",
            "PORT TOWN (Wire) - Good news for island commuters. " + STORY,
        ),
        "trimmed.txt": _article(
            "Terminal to open", "Coast Gazette", "2024-03-05", STORY.rsplit(". ", 1)[0] + "."
        ),
        "headline.txt": _article("Islands to get ferry link", "Island Post", "2024-03-06", STORY),
        "fees.txt": _article("Mooring fees to rise", "Harbour Times", "2024-03-04", OTHER),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_near_duplicates_are_grouped_and_other_articles_are_not() -> None:
    prints = {
        "first": fingerprint(STORY),
        "rerun": fingerprint("PORT TOWN (Wire) - Good news for island commuters. " + STORY),
        "fees": fingerprint(OTHER),
        "short": fingerprint("Ferry terminal to open."),
    }
    assert prints["short"] is None  # too few words to tell a copy from a coincidence
    assert group_copies({k: v for k, v in prints.items() if v}) == [["first", "rerun"]]


def test_groups_do_not_depend_on_the_order_the_fingerprints_come_in() -> None:
    texts = {"c": f"c: {STORY}", "d": OTHER, "a": f"a: {STORY}", "b": f"b: {STORY}"}
    prints = {name: value for name, text in texts.items() if (value := fingerprint(text))}
    forwards = group_copies(prints)
    backwards = group_copies(dict(reversed(list(prints.items()))))
    assert forwards == backwards == [["a", "b", "c"]]


def _groups_by_every_pair(prints: dict[str, bytes]) -> list[list[str]]:
    """The definition, pair by pair: two articles that share an LSH band and whose
    fingerprints agree on at least COPY_THRESHOLD of their values are copies, and
    copies of copies join one group."""
    values = {key: np.frombuffer(value, dtype="<u4") for key, value in prints.items()}
    bands, rows = LSH_BANDS
    ids = sorted(values)
    group = {key: {key} for key in ids}
    for number, a in enumerate(ids):
        for b in ids[number + 1 :]:
            x, y = values[a], values[b]
            shares_band = any(
                np.array_equal(x[i * rows : (i + 1) * rows], y[i * rows : (i + 1) * rows])
                for i in range(bands)
            )
            if shares_band and np.mean(x == y) >= COPY_THRESHOLD and group[a] is not group[b]:
                merged = group[a] | group[b]
                for key in merged:
                    group[key] = merged
    unique = {id(members): sorted(members) for members in group.values() if len(members) > 1}
    return sorted(unique.values())


_WORDS = (STORY + " " + OTHER).split()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([STORY, OTHER]),
            st.lists(st.tuples(st.integers(0, 200), st.sampled_from(_WORDS)), max_size=25),
        ),
        min_size=2,
        max_size=9,
    )
)
def test_groups_are_the_pairs_that_share_a_band_and_the_threshold(
    edited: list[tuple[str, list[tuple[int, str]]]],
) -> None:
    # Copies of two stories, each with up to 25 words replaced: some stay copies,
    # some drift below the threshold, and a few meet it only through a third.
    prints = {}
    for number, (story, changes) in enumerate(edited):
        words = story.split()
        for place, word in changes:
            words[place % len(words)] = word
        value = fingerprint(" ".join(words))
        assert value is not None
        prints[f"a{number}"] = value
    assert group_copies(prints) == _groups_by_every_pair(prints)


def test_a_query_collapses_copies_to_the_earliest_and_lists_the_others(
    corpus: Path, tmp_path: Path
) -> None:
    with searchkit.Index.build(tmp_path / "ix", corpus) as index:
        results = index.search("ferry terminal", facets=["source"])
        assert (results.total, results.collapsed_total) == (4, 1)
        [hit] = results.hits
        assert (hit.id, hit.source, str(hit.date)) == ("first", "Harbour Times", "2024-03-03")
        assert [(c.id, c.source, str(c.date)) for c in hit.copies] == [
            ("rerun", "Wire Daily", "2024-03-04"),
            ("trimmed", "Coast Gazette", "2024-03-05"),
            ("headline", "Island Post", "2024-03-06"),
        ]
        assert results.facets["source"] == {"Harbour Times": 1}
        assert hit.copies[0].to_dict() == {
            "id": "rerun",
            "source": "Wire Daily",
            "date": "2024-03-04",
        }

        every = index.search("ferry terminal", collapse=False, facets=["source"])
        assert every.total == 4 and every.collapsed_total is None
        assert sorted(h.id for h in every) == ["first", "headline", "rerun", "trimmed"]
        assert all(not h.copies for h in every)
        assert sum(every.facets["source"].values()) == 4


def test_only_matching_copies_collapse_and_the_earliest_match_is_shown(
    corpus: Path, tmp_path: Path
) -> None:
    with searchkit.Index.build(tmp_path / "ix", corpus) as index:
        results = index.search("commuters")  # only the re-run has its new first line
        assert [(h.id, h.copies) for h in results] == [("rerun", ())]
        results = index.search("harbour", sort="date")
        assert results.total == 5 and results.collapsed_total == 2
        assert {h.id for h in results} == {"first", "fees"}


def test_pages_and_timelines_count_groups_once(corpus: Path, tmp_path: Path) -> None:
    with searchkit.Index.build(tmp_path / "ix", corpus) as index:
        first = index.search("harbour", limit=1)
        second = index.search("harbour", limit=1, page=2)
        assert {first[0].id, second[0].id} == {"first", "fees"}
        assert second[0].rank == 2
        with pytest.raises(searchkit.QueryError, match="past the last page of 2 hits"):
            index.search("harbour", limit=1, page=3)
        assert index.timeline("harbour", by="day").total == 2
        assert index.timeline("harbour", by="day", collapse=False).total == 5


def test_an_edited_or_deleted_copy_leaves_its_group_on_update(corpus: Path, tmp_path: Path) -> None:
    index = searchkit.Index.build(tmp_path / "ix", corpus)
    (corpus / "trimmed.txt").unlink()
    (corpus / "headline.txt").write_text(
        _article("Islands to get ferry link", "Island Post", "2024-03-06", OTHER + " Ferry.")
    )
    index = index.update()
    with index, searchkit.Index.build(tmp_path / "fresh", corpus) as fresh:
        [hit] = index.search("ferry terminal")
        assert hit.id == "first" and [c.id for c in hit.copies] == ["rerun"]
        # The edited article is now a copy of the other story.
        assert _groups(index) == _groups(fresh) == [["fees", "headline"], ["first", "rerun"]]
    # The re-run alone is left when the first printing goes: nothing to collapse.
    (corpus / "first.txt").unlink()
    index = index.update()
    with index:
        assert [(h.id, h.copies) for h in index.search("ferry terminal")] == [("rerun", ())]
        assert _groups(index) == [["fees", "headline"]]


def _groups(index: searchkit.Index) -> list[list[str]]:
    data = json.loads((index.generation / COPIES_FILE).read_text(encoding="utf-8"))
    groups: list[list[str]] = data["groups"]
    return groups


def test_the_command_line_says_both_totals_and_lists_copies(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    searchkit.Index.build(index_dir, corpus).close()
    runner = CliRunner()
    result = runner.invoke(cli, ["query", "ferry terminal", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "4 articles match 'ferry terminal', 1 after collapsing wire copies\n"
    )
    assert (
        "also printed as: rerun (Wire Daily, 2024-03-04); trimmed (Coast Gazette, 2024-03-05); "
        "headline (Island Post, 2024-03-06)"
    ) in result.output
    result = runner.invoke(
        cli, ["query", "ferry terminal", "--index", str(index_dir), "--no-collapse"]
    )
    assert result.output.startswith("4 articles match 'ferry terminal'\n")
    assert "also printed as" not in result.output
    result = runner.invoke(
        cli, ["query", "ferry terminal", "--index", str(index_dir), "--format", "json"]
    )
    data = json.loads(result.output)
    assert (data["total"], data["collapsed_total"]) == (4, 1)
    assert [c["id"] for c in data["hits"][0]["copies"]] == ["rerun", "trimmed", "headline"]
    result = runner.invoke(
        cli, ["query", "ferry terminal", "--index", str(index_dir), "--format", "csv"]
    )
    header, row = result.output.splitlines()
    assert header.endswith(",copies")
    assert row.endswith(
        '"rerun (Wire Daily, 2024-03-04); trimmed (Coast Gazette, 2024-03-05); '
        'headline (Island Post, 2024-03-06)"'
    )
    result = runner.invoke(
        cli, ["query", "ferry terminal", "--index", str(index_dir), "--format", "html"]
    )
    assert '<p class="copies">also printed as: rerun (Wire Daily, 2024-03-04)' in result.output
    result = runner.invoke(
        cli, ["timeline", "ferry", "--index", str(index_dir), "--by", "day", "--no-collapse"]
    )
    assert result.output.startswith("4 articles match 'ferry', by day")


def test_a_damaged_copies_file_is_a_clear_error(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    searchkit.Index.build(index_dir, corpus).close()
    with searchkit.Index.open(index_dir) as index:
        (index.generation / COPIES_FILE).write_text('{"groups": [[1, 2]]}')
    result = CliRunner().invoke(cli, ["query", "ferry", "--index", str(index_dir)])
    assert result.exit_code == 1
    assert "copies.json is damaged; rebuild the index with `searchkit index --rebuild`" in (
        result.output
    )


def test_a_page_that_copies_crowd_out_is_filled_from_further_down(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    # Six printings of one story mention the ferry three times; the other story once.
    for number in range(6):
        (folder / f"copy{number}.txt").write_text(
            _article("Ferry", "Wire Daily", f"2024-03-0{number + 1}", f"Ferry ferry. {STORY}")
        )
    (folder / "fees.txt").write_text(
        _article("Fees", "Harbour Times", "2024-03-09", OTHER + " The ferry is spared.")
    )
    with searchkit.Index.build(tmp_path / "ix", folder) as index:
        every = index.search("ferry", collapse=False, limit=10)
        assert every[-1].id == "fees"  # ranked below all six copies
        first = index.search("ferry", limit=1)
        second = index.search("ferry", limit=1, page=2)
        assert [(h.id, h.rank, len(h.copies)) for h in (*first, *second)] == [
            ("copy0", 1, 5),
            ("fees", 2, 0),
        ]


def test_a_damaged_fingerprints_file_fails_the_update_and_keeps_the_index(
    corpus: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "ix"
    searchkit.Index.build(index_dir, corpus).close()
    with searchkit.Index.open(index_dir) as index:
        (index.generation / FINGERPRINTS_FILE).write_text("{not json")
    (corpus / "new.txt").write_text(_article("Quay works", "Harbour Times", "2024-03-09", OTHER))
    result = CliRunner().invoke(cli, ["index", "--index", str(index_dir)])
    assert result.exit_code == 1
    assert "fingerprints.json is damaged (JSONDecodeError); rebuild the index" in result.output
    with searchkit.Index.open(index_dir) as index:
        assert len(index) == 5  # the old index, untouched


def test_a_grouping_process_that_dies_fails_the_build_and_keeps_the_index(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "ix"
    searchkit.Index.build(index_dir, corpus).close()

    def killed(*args: object, **kwargs: object) -> None:
        os.kill(os.getpid(), signal.SIGKILL)  # in the forked process that groups the copies

    monkeypatch.setattr(copies, "write_copies", killed)
    (corpus / "new.txt").write_text(_article("Quay works", "Harbour Times", "2024-03-09", OTHER))
    with pytest.raises(searchkit.IndexError_, match="the process grouping wire copies died"):
        searchkit.Index.index(index_dir)
    with searchkit.Index.open(index_dir) as index:
        assert len(index) == 5
        results = index.search("ferry")
        assert (results.total, results.collapsed_total) == (4, 1)  # the old groups collapse

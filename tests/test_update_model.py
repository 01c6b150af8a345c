"""Model-based test: after any sequence of edits, an updated index equals a fresh build.

A hypothesis state machine edits a small collection the way users do (new,
edited, deleted, renamed, copied and touched files, in sub-folders, with and without
outlet, date and quotes, JSONL records changing inside one file, wire copies of
an article under another outlet), runs
``Index.update()`` or ``searchkit index`` (sometimes killing a writer with
SIGKILL first), and after every update compares everything a user can observe
with an index built from scratch from the same files.

``SEARCHKIT_MODEL_EXAMPLES`` and ``SEARCHKIT_MODEL_STEPS`` make the run longer
(``make model-test``); CI runs the bounded default.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import searchkit
from searchkit.cli.commands import cli
from searchkit.search.facets import FACETS, QUOTE_FACETS
from tests.conftest import SAMPLE_TXT

EXAMPLES = int(os.environ.get("SEARCHKIT_MODEL_EXAMPLES", "12"))
STEPS = int(os.environ.get("SEARCHKIT_MODEL_STEPS", "14"))

FILES = ["a.txt", "b.txt", "c.md", "sub/d.txt", "sub/deep/e.txt", "sub/f.md"]
JSONL = "records.jsonl"
OUTLETS = [None, "Reuters", "BBC News", "The Straits Times"]
DATES = [None, "2024-01-05", "2024-03-17", "2023-12-31", "1987-03-04"]
DATELINES = [None, "SEOUL", "LONDON"]
SPEAKERS = ["Kang Chol-hwan", "Ms Anna Lee", "the minister", "Mr Kim Tae-hoon"]
#: Reporting verbs, some of them forms of one verb, for the cue facet.
CUES = ["said", "says", "warned", "admitted"]
SENTENCES = [
    "Spain unveils a plan this month aimed at boosting exports to European levels.",
    "China has come under pressure for repatriating defectors across the border.",
    "Oil prices rose sharply after the producers agreed to cut output.",
    "The central bank left interest rates unchanged at its monthly meeting.",
    "Border guards would be among the first to flee, officials said.",
    "Coffee exports fell as the drought hit the harvest in the south.",
    "The minister said repatriation would continue despite the protests.",
    "Shares in the company rose 5 pct on news of the takeover bid.",
]
QUOTES = [
    "The target is to raise exports to 20 pct of output",
    "That means the collapse of the border",
    "We will not change course on interest rates",
    "Prices will keep rising for months",
]
QUERIES = [
    "exports",
    "border defectors",
    '"interest rates"',
    "oil OR coffee",
    "quotes:border",
    "source:reuters",
    "date:2024",
    "speaker:kang",
    "title:plan",
    "china AND NOT oil",
    "repatri*",
]

sample_texts = (
    [p.read_text(encoding="utf-8") for p in sorted(SAMPLE_TXT.glob("*.txt"))[:12]]
    if SAMPLE_TXT.is_dir()
    else []
)


@st.composite
def articles(draw: st.DrawFn) -> str:
    """Draw an article file's text: a header (or a real sample article), body and quotes."""
    if sample_texts and draw(st.integers(0, 4)) == 0:
        return sample_texts[draw(st.integers(0, len(sample_texts) - 1))]
    lines = []
    outlet, date, dateline = (draw(st.sampled_from(x)) for x in (OUTLETS, DATES, DATELINES))
    lines.append(f"title: {draw(st.sampled_from(SENTENCES))[:40]}")
    if outlet:
        lines.append(f"source: {outlet}")
    if date:
        lines.append(f"date: {date}")
    if dateline:
        lines.append(f"dateline: {dateline}")
    lines.append("")
    body = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4))
    for sentence in body:
        lines.append(sentence)
        if draw(st.booleans()):
            quote = draw(st.sampled_from(QUOTES))
            cue = draw(st.sampled_from(CUES))
            lines.append(f"“{quote},” {cue} {draw(st.sampled_from(SPEAKERS))}.")
        lines.append("")
    return "\n".join(lines)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """Draw one JSONL record."""
    body = " ".join(draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3)))
    if draw(st.booleans()):
        quote, cue = draw(st.sampled_from(QUOTES)), draw(st.sampled_from(CUES))
        body += f" “{quote},” {cue} {draw(st.sampled_from(SPEAKERS))}."
    record: dict[str, Any] = {
        "title": draw(st.sampled_from(SENTENCES))[:30],
        "text": body,
    }
    number = draw(st.none() | st.integers(0, 5))
    if number is not None:  # with no id, a record is named by its content
        record["id"] = f"rec-{number}"
    for key, pool in (("source", OUTLETS), ("date", DATES), ("dateline", DATELINES)):
        value = draw(st.sampled_from(pool))
        if value:
            record[key] = value
    return record


def _passage(index: searchkit.Index, text: str, passage: bool | None = True) -> list[Any]:
    """A passage search's pages, with copies and without, and its exact totals.

    Without an exact total, only what can reach the page is scored: the page
    must be the exact one, and the total an estimate (which depends on how
    the index is split into segments, so only the exact one is compared).
    """
    seen = []
    for collapse in (True, False):
        found = index.search(text, limit=4, passage=passage, collapse=collapse)
        exact = index.search(text, limit=4, passage=passage, collapse=collapse, exact_total=True)
        page = [(h.id, h.score, h.rank, h.snippet.text, h.copies) for h in found]
        assert page == [(h.id, h.score, h.rank, h.snippet.text, h.copies) for h in exact]
        assert exact.total_is_exact
        if found.total_is_exact:
            assert len(found) == len(exact)
        seen.append((len(exact), exact.collapsed_total, found.passage, page))
    return seen


def observe(index: searchkit.Index) -> dict[str, Any]:
    """Everything a user can see of an index, in a form two indexes can be compared by."""
    stats = index.stats().to_dict()
    for unseen in ("size_bytes", "path"):
        stats.pop(unseen)
    seen: dict[str, Any] = {"stats": stats}
    for query in QUERIES:
        for match in ("all", "any"):
            for sort in ("relevance", "date"):
                results = index.search(query, limit=4, match=match, sort=sort, facets=list(FACETS))
                seen[f"search {query} {match} {sort}"] = (
                    len(results),
                    results.collapsed_total,
                    [(h.id, h.score, h.rank, h.snippet.text, h.copies) for h in results],
                    results.facets,
                    results.suggestion,
                )
        seen[f"passage {query}"] = _passage(index, query)
        seen[f"timeline {query}"] = index.timeline(query, by="month").to_dict()
        seen[f"timeline {query} every copy"] = index.timeline(query, collapse=False).to_dict()
        seen[f"quotes {query}"] = _quotes(index, query)
    for words in ("raise exports", "collapse of the border", "keep rising"):
        seen[f"trace {words}"] = _trace(index, words)
    seen["suggest"] = index.search("exprots bordr").suggestion
    # Pasted text is searched as a passage without being asked.
    seen["pasted"] = _passage(index, SENTENCES[0], passage=None)
    seen["quotes"] = _quotes(index, "")
    seen["speakers"] = [s.to_dict() for s in index.speakers(limit=None, named_only=False)]
    # Person lookup: full name, surname alone, a misspelling (did-you-mean), by name.
    for name in ("Kang Chol-hwan", "Kim", "Ana Lee", "Tae-hoon Kim"):
        found = index.quotes(speaker=name, kind=None, limit=6, facets=["cue"])
        seen[f"quotes --speaker {name}"] = (found.total, found.to_dict())
        listed = index.speakers(name=name, limit=None)
        seen[f"speakers --name {name}"] = [s.to_dict() for s in listed]
    everything = index.search("*", limit=1000, sort="date", collapse=False) if len(index) else []
    ids = sorted(h.id for h in everything)
    # Wire copies: which articles a collapsed listing shows, and the copies each stands for.
    seen["copies"] = (
        [(h.id, h.copies) for h in index.search("*", limit=1000, sort="date")] if ids else []
    )
    seen["articles"] = {i: index.article(i) for i in ids}
    seen["similar"] = {i: [(h.id, h.score) for h in index.similar(i, limit=3)] for i in ids}
    return seen


def _trace(index: searchkit.Index, text: str) -> dict[str, object]:
    try:
        return index.trace(text).to_dict()
    except searchkit.QueryError as error:  # no quote holds these words now
        return {"error": str(error)}


def _quotes(index: searchkit.Index, text: str) -> tuple[int, list[dict[str, object]], object]:
    try:
        results = index.quotes(text, kind=None, limit=6, facets=list(QUOTE_FACETS))
    except searchkit.QueryError as error:  # a filter the quote index has no field for
        return (-1, [{"error": str(error)}], None)
    return len(results), [q.to_dict() for q in results], results.facets


class UpdateEqualsRebuild(RuleBasedStateMachine):
    """Edit files, update, and compare with a fresh build after every update."""

    def __init__(self) -> None:
        super().__init__()
        self.base = Path(tempfile.mkdtemp(prefix="sk-model-"))
        self.corpus = self.base / "corpus"
        self.index_dir = self.base / "index"
        self.corpus.mkdir()
        self.jsonl: list[dict[str, Any]] = []
        self.builds = 0

    def teardown(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)

    # ------------------------------------------------------------ files

    def _present(self) -> list[str]:
        return sorted(
            str(p.relative_to(self.corpus)) for p in self.corpus.rglob("*") if p.is_file()
        )

    @initialize(text=articles(), more=articles())
    def start(self, text: str, more: str) -> None:
        self._put("a.txt", text)
        self._put("sub/d.txt", more)
        searchkit.Index.build(self.index_dir, self.corpus).close()

    def _put(self, name: str, text: str) -> None:
        path = self.corpus / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    @rule(name=st.sampled_from(FILES), text=articles())
    def write_file(self, name: str, text: str) -> None:
        self._put(name, text)

    def _articles(self) -> list[str]:
        return [name for name in self._present() if name != JSONL]

    @precondition(lambda self: self._articles())
    @rule(data=st.data())
    def append_to_file(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(self._articles()))
        with open(self.corpus / name, "a", encoding="utf-8") as handle:
            handle.write("\n" + data.draw(st.sampled_from(SENTENCES)) + "\n")

    @precondition(lambda self: self._present())
    @rule(data=st.data())
    def delete_file(self, data: st.DataObject) -> None:
        (self.corpus / data.draw(st.sampled_from(self._present()))).unlink()
        if not (self.corpus / JSONL).exists():
            self.jsonl = []

    @precondition(lambda self: self._articles())
    @rule(data=st.data(), destination=st.sampled_from(FILES), outlet=st.sampled_from(OUTLETS))
    def write_a_copy(self, data: st.DataObject, destination: str, outlet: str | None) -> None:
        """Reprint an article as a wire copy: another outlet, a new closing line."""
        text = (self.corpus / data.draw(st.sampled_from(self._articles()))).read_text("utf-8")
        lines = [line for line in text.split("\n") if not line.startswith("source:")]
        if outlet and lines and lines[0].startswith("title:"):
            lines.insert(1, f"source: {outlet}")
        self._put(destination, "\n".join(lines) + "\nReporting by the wire desk in London.\n")

    @precondition(lambda self: self._articles())
    @rule(data=st.data(), destination=st.sampled_from(FILES))
    def rename_file(self, data: st.DataObject, destination: str) -> None:
        source = data.draw(st.sampled_from(self._articles()))
        (self.corpus / destination).parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.corpus / source, self.corpus / destination)

    @precondition(lambda self: self._articles())
    @rule(data=st.data(), destination=st.sampled_from(FILES))
    def copy_file(self, data: st.DataObject, destination: str) -> None:
        """Put a second copy of an article at another path: it is indexed once."""
        source = data.draw(st.sampled_from(self._articles()))
        (self.corpus / destination).parent.mkdir(parents=True, exist_ok=True)
        if source != destination:
            shutil.copyfile(self.corpus / source, self.corpus / destination)

    @precondition(lambda self: self._present())
    @rule(data=st.data())
    def touch_file(self, data: st.DataObject) -> None:
        path = self.corpus / data.draw(st.sampled_from(self._present()))
        later = time.time() + 10
        os.utime(path, (later, later))

    @rule(record=records(), position=st.integers(0, 6))
    def change_record(self, record: dict[str, Any], position: int) -> None:
        kept = [r for r in self.jsonl if "id" not in r or r["id"] != record.get("id")]
        kept.insert(min(position, len(kept)), record)
        self._write_jsonl(kept)

    @precondition(lambda self: self.jsonl)
    @rule(data=st.data())
    def drop_record(self, data: st.DataObject) -> None:
        gone = data.draw(st.sampled_from(self.jsonl))
        self._write_jsonl([r for r in self.jsonl if r is not gone])

    def _write_jsonl(self, kept: list[dict[str, Any]]) -> None:
        self.jsonl = kept
        lines = [json.dumps(r, ensure_ascii=False) for r in kept]
        (self.corpus / JSONL).write_text("\n".join(lines) + "\n", encoding="utf-8")

    # ------------------------------------------------------------ updates

    @rule()
    def update(self) -> None:
        with searchkit.Index.open(self.index_dir) as index:
            updated = index.update()
            updated.close()
        assert updated.report is not None
        self._compare([str(p) for p in updated.report.problems])

    @rule()
    def update_from_the_cli(self) -> None:
        result = CliRunner().invoke(cli, ["index", "--index", str(self.index_dir)])
        assert result.exit_code in (0, 1), result.output  # 1: a file was skipped
        self._compare()

    @rule(delay=st.floats(0.0, 1.2))
    def kill_a_writer_then_update(self, delay: float) -> None:
        writer = subprocess.Popen(
            [sys.executable, "-m", "searchkit", "index", "--index", str(self.index_dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        self.update()

    def _compare(self, problems: list[str] | None = None) -> None:
        """Compare with a fresh build, and the update's problems (copies, say) with its."""
        fresh_dir = self.base / f"fresh-{self.builds}"
        self.builds += 1
        fresh = searchkit.Index.build(fresh_dir, self.corpus)
        assert fresh.report is not None
        if problems is not None:
            assert problems == [str(p) for p in fresh.report.problems]
        with searchkit.Index.open(self.index_dir) as updated, fresh:
            expected, found = observe(fresh), observe(updated)
            for key in expected:
                assert found[key] == expected[key], key
            assert found == expected
        shutil.rmtree(fresh_dir)

    @invariant()
    def at_most_two_generations(self) -> None:
        generations = list(self.index_dir.glob("gen-*"))
        assert len(generations) <= 2, generations


UpdateEqualsRebuild.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
test_an_update_equals_a_rebuild = UpdateEqualsRebuild.TestCase


class ShardedUpdateEqualsRebuild(UpdateEqualsRebuild):
    """The same edits on a 3-shard index, compared with one fresh (unsharded) index.

    So an update of a sharded index equals a rebuild, sharded or not (a
    sharded build equals one index: ``tests/test_shards.py``).
    """

    @initialize(text=articles(), more=articles())
    def start(self, text: str, more: str) -> None:
        self._put("a.txt", text)
        self._put("sub/d.txt", more)
        searchkit.Index.index(self.index_dir, self.corpus, shards=SHARDS).close()

    @invariant()
    def at_most_two_generations(self) -> None:
        for shard in self.index_dir.glob("shard-*"):
            generations = list(shard.glob("gen-*"))
            assert len(generations) <= 2, generations
        assert not list(self.index_dir.glob("gen-*"))


SHARDS = 3
ShardedUpdateEqualsRebuild.TestCase.settings = settings(
    max_examples=max(1, EXAMPLES // 2),
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
test_a_sharded_update_equals_a_rebuild = ShardedUpdateEqualsRebuild.TestCase

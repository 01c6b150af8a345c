"""Crashes and concurrent use: kill -9 at many points, locks, readers during writes, damage.

These tests start real ``searchkit`` processes and kill them with SIGKILL.  Kill
points are fractions of a measured build time plus moments spotted by polling
the index directory (a new generation appears, its segment file appears, the
``CURRENT`` pointer changes), so they hold on a slow or loaded machine.
"""

from __future__ import annotations

import fcntl
import gc
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli.commands import cli

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 600
SMALL = 20
CHANGED, DELETED, ADDED = 150, 50, 50
POLL = 0.005
# Readers pause between queries so they do not starve the writer on a 2-core machine.
READER_PAUSE = 0.02
RUN_TIMEOUT = 120.0
WORDS = [
    "minister",
    "border",
    "talks",
    "resume",
    "officials",
    "denied",
    "reports",
    "defectors",
    "guards",
    "monday",
    "economy",
    "shares",
    "market",
    "exports",
    "inflation",
    "budget",
    "election",
    "court",
    "ruling",
]

Condition = Callable[[], bool]


# ---------------------------------------------------------------- helpers


def write_article(folder: Path, number: int, marker: str) -> None:
    rng = random.Random(number)
    paragraphs = [" ".join(rng.choices(WORDS, k=50)).capitalize() + "." for _ in range(6)]
    paragraphs.insert(2, f"“We will review the {marker} plan,” Mr Kang said.")
    text = f"title: Story {number} {marker}\ndate: 2020-01-{number % 28 + 1:02d}\n\n"
    (folder / f"a{number:05d}.txt").write_text(text + "\n\n".join(paragraphs) + "\n")


def make_corpus(folder: Path, marker: str, count: int = ARTICLES) -> Path:
    folder.mkdir(parents=True)
    for number in range(count):
        write_article(folder, number, marker)
    return folder


def command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "searchkit", *map(str, args)]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command(*args), capture_output=True, text=True, cwd=ROOT, timeout=RUN_TIMEOUT
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def generations(index_dir: Path) -> set[str]:
    return {p.name for p in index_dir.glob("gen-*")}


def pointer(index_dir: Path) -> str:
    return (index_dir / "CURRENT").read_text().strip()


def state(index_dir: Path) -> tuple[int, int, int]:
    """Return (articles, articles about alpha, articles about omega) of the live index."""
    with searchkit.Index.open(index_dir) as index:
        return len(index), len(index.search("alpha")), len(index.search("omega"))


def lock_is_free(index_dir: Path) -> bool:
    fd = os.open(index_dir / "LOCK", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing our own descriptor releases our probe's lock
    return True


def wait_for(condition: Condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(POLL)


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test starts; any still running at the end are killed by pid."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def start(processes: list[subprocess.Popen[bytes]], *args: str | Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        command(*args), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    processes.append(process)
    return process


def kill_when(process: subprocess.Popen[bytes], condition: Condition) -> bool:
    """SIGKILL ``process`` once ``condition`` holds; False if it finished first."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while process.poll() is None:
        if condition():
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            return True
        assert time.monotonic() < deadline, "the writer hung"
        time.sleep(POLL)
    return False


def kill_points(index_dir: Path, seconds: float) -> list[tuple[str, Callable[[], Condition]]]:
    """Name and make the conditions to kill a writer at, started when the writer is."""

    def after(fraction: float) -> Callable[[], Condition]:
        def make() -> Condition:
            t0 = time.monotonic()
            return lambda: time.monotonic() - t0 >= fraction * seconds

        return make

    def new_generation() -> Condition:
        before = generations(index_dir)
        return lambda: bool(generations(index_dir) - before)

    def segment_written() -> Condition:
        before = generations(index_dir)
        return lambda: any(
            any((index_dir / g).glob("*.seg")) for g in generations(index_dir) - before
        )

    def pointer_moved() -> Condition:
        old = pointer(index_dir)
        return lambda: _pointer_or(index_dir, old) != old

    return [
        ("10% of a build", after(0.10)),
        ("30% of a build", after(0.30)),
        ("new generation created", new_generation),
        ("50% of a build", after(0.50)),
        ("segment file written", segment_written),
        ("70% of a build", after(0.70)),
        ("90% of a build", after(0.90)),
        ("CURRENT swapped", pointer_moved),
    ]


def _pointer_or(index_dir: Path, default: str) -> str:
    try:
        return pointer(index_dir)
    except OSError:
        return default


@dataclass(frozen=True)
class Corpora:
    """Corpus A (about alpha), corpus B (about omega), an index of A and its build time."""

    alpha: Path
    omega: Path
    index: Path
    seconds: float
    count: int

    @property
    def old(self) -> tuple[int, int, int]:
        """The state of an index of A."""
        return (self.count, self.count, 0)

    @property
    def new(self) -> tuple[int, int, int]:
        """The state of an index of B."""
        return (self.count, 0, self.count)

    def copy_index(self, target: Path) -> Path:
        shutil.copytree(self.index, target)
        return target


def _corpora(base: Path, count: int, subprocess_build: bool) -> Corpora:
    alpha = make_corpus(base / "alpha", "alpha", count)
    omega = make_corpus(base / "omega", "omega", count)
    started = time.monotonic()
    if subprocess_build:
        done = run("index", alpha, "--index", base / "ix")
        assert done.returncode == 0, done.stderr
    else:
        searchkit.Index.build(base / "ix", alpha).close()
    return Corpora(alpha, omega, base / "ix", time.monotonic() - started, count)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> Corpora:
    """Corpora big enough that a build takes a second or more, for kill tests."""
    return _corpora(tmp_path_factory.mktemp("reliability"), ARTICLES, subprocess_build=True)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Corpora:
    """Small corpora, for tests that need an index but not a slow build."""
    return _corpora(tmp_path_factory.mktemp("small"), SMALL, subprocess_build=False)


# ---------------------------------------------------------------- kill -9


def test_killed_rebuilds_leave_the_old_index_and_the_next_run_completes(
    corpora: Corpora, tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    index_dir = corpora.copy_index(tmp_path / "ix")
    seconds = corpora.seconds
    assert isinstance(seconds, float)
    killed = []
    for name, make in kill_points(index_dir, seconds):
        writer = start(processes, "index", "--rebuild", corpora.omega, "--index", index_dir)
        if kill_when(writer, make()):
            killed.append(name)
        else:
            assert writer.returncode == 0, name
        assert state(index_dir) in (corpora.old, corpora.new), f"after a kill at {name}"
        assert lock_is_free(index_dir), f"lock still held after a kill at {name}"
    print(f"rebuild killed at {len(killed)} points: {killed}")
    assert len(killed) >= 4, killed

    done = run("index", "--rebuild", corpora.omega, "--index", index_dir)
    assert done.returncode == 0, done.stderr
    assert state(index_dir) == corpora.new
    assert len(generations(index_dir)) <= 2  # dead writers' leftovers are cleared
    assert not list(index_dir.glob("CURRENT.*"))


def test_killed_updates_hold_old_or_new_versions_and_a_rerun_repairs(
    tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    corpus = make_corpus(tmp_path / "corpus", "alpha")
    index_dir = tmp_path / "ix"
    started = time.monotonic()
    assert run("index", corpus, "--index", index_dir).returncode == 0
    seconds = time.monotonic() - started
    for number in range(CHANGED):
        write_article(corpus, number, "omega")
    for number in range(CHANGED, CHANGED + DELETED):
        (corpus / f"a{number:05d}.txt").unlink()
    for number in range(ARTICLES, ARTICLES + ADDED):
        write_article(corpus, number, "omega")
    old_ids = {f"a{n:05d}" for n in range(ARTICLES)}
    new_ids = (old_ids - {f"a{n:05d}" for n in range(CHANGED, CHANGED + DELETED)}) | {
        f"a{n:05d}" for n in range(ARTICLES, ARTICLES + ADDED)
    }
    old, new = (
        (ARTICLES, ARTICLES, 0),
        (len(new_ids), ARTICLES - CHANGED - DELETED, CHANGED + ADDED),
    )

    killed = []
    for name, make in kill_points(index_dir, seconds):
        writer = start(processes, "index", "--index", index_dir)
        if kill_when(writer, make()):
            killed.append(name)
        else:
            assert writer.returncode == 0, name
        now = state(index_dir)
        assert now in (old, new), f"after a kill at {name}"
        with searchkit.Index.open(index_dir) as index:
            ids = {h.id for h in index.search("minister", limit=2 * ARTICLES)}
            assert ids == (old_ids if now == old else new_ids)
            title = index.article("a00000")["title"]
            assert title == ("Story 0 alpha" if now == old else "Story 0 omega")
        assert lock_is_free(index_dir)
    print(f"update killed at {len(killed)} points: {killed}")
    assert len(killed) >= 3, killed

    done = run("index", "--index", index_dir)
    assert done.returncode == 0, done.stderr
    assert state(index_dir) == new
    again = run("index", "--index", index_dir)
    assert f"0 added, 0 updated, 0 removed, {len(new_ids)} unchanged" in again.stderr
    assert len(generations(index_dir)) <= 2


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_parallel_build_leaves_no_workers_and_no_lock(
    corpora: Corpora, tmp_path: Path, how: signal.Signals
) -> None:
    index_dir = corpora.copy_index(tmp_path / "ix")
    script = (
        "import sys, searchkit; "
        "searchkit.Index.build(sys.argv[1], sys.argv[2], procs=2, lock_timeout=0)"
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", script, str(index_dir), str(corpora.omega)],
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        wait_for(lambda: bool(_children(writer.pid)) or writer.poll() is not None)
        workers = _children(writer.pid)
        assert workers, "the build finished before starting workers"
        os.kill(writer.pid, how)
        writer.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and (not lock_is_free(index_dir) or _alive(workers)):
            time.sleep(0.05)
        assert not _alive(workers), "orphaned worker processes are still running"
        assert lock_is_free(index_dir), "orphaned workers still hold the writer lock"
    finally:
        for pid in [writer.pid, *workers]:
            if _alive([pid]):
                os.kill(pid, signal.SIGKILL)
        if writer.poll() is None:
            writer.wait()
    assert state(index_dir) == corpora.old


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pids: list[int]) -> bool:
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if status != "Z":
            return True
    return False


# ---------------------------------------------------------------- locks


HOLD_LOCK = (
    "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644); "
    "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()"
)


def hold_lock(index_dir: Path) -> subprocess.Popen[str]:
    """Start a process that holds the writer lock until its stdin closes or it is killed."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(index_dir / "LOCK")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    return holder


def kill_holder(holder: subprocess.Popen[str]) -> None:
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    for stream in (holder.stdin, holder.stdout):
        if stream is not None:
            stream.close()


def test_a_killed_writers_lock_is_free_at_once(small: Corpora, tmp_path: Path) -> None:
    index_dir = small.copy_index(tmp_path / "ix")
    holder = hold_lock(index_dir)
    try:
        with pytest.raises(searchkit.IndexLockedError):
            searchkit.Index.build(index_dir, small.omega, lock_timeout=0)
    finally:
        kill_holder(holder)
    searchkit.Index.build(index_dir, small.omega, lock_timeout=0).close()
    assert state(index_dir) == small.new


def test_a_second_writer_waits_then_fails_clearly(
    small: Corpora, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = small.copy_index(tmp_path / "ix")
    holder = hold_lock(index_dir)
    try:
        started = time.monotonic()
        with pytest.raises(searchkit.IndexLockedError, match=r"waited 0\.5s\. Try again"):
            searchkit.Index.build(index_dir, small.omega, lock_timeout=0.5)
        assert time.monotonic() - started >= 0.5
        with pytest.raises(searchkit.IndexLockedError), searchkit.Index.open(index_dir) as index:
            index.update(lock_timeout=0.2)
        # The CLI waits LOCK_TIMEOUT seconds; shorten the library default for the test.
        method = searchkit.Index.index.__func__  # type: ignore[attr-defined]
        assert method.__kwdefaults__ is not None
        monkeypatch.setitem(method.__kwdefaults__, "lock_timeout", 0.3)
        for args in (["--rebuild", str(small.omega)], []):
            result = CliRunner().invoke(cli, ["index", *args, "--index", str(index_dir)])
            assert result.exit_code == 1, result.output
            # Said at once, then the error when the wait is over.
            assert result.stderr == (
                f"waiting for another searchkit index on {index_dir}…\n"
                f"Error: {index_dir} is being written by another searchkit process; "
                "waited 0.3s. Try again when it has finished\n"
            )
        assert state(index_dir) == small.old  # the readers' view never changed
    finally:
        kill_holder(holder)


def test_two_real_writers_run_one_after_the_other(
    corpora: Corpora, tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    index_dir = corpora.copy_index(tmp_path / "ix")
    first = start(processes, "index", "--rebuild", corpora.omega, "--index", index_dir)
    wait_for(lambda: not lock_is_free(index_dir) or first.poll() is not None)
    second = start(processes, "index", "--rebuild", corpora.alpha, "--index", index_dir)
    assert first.wait(RUN_TIMEOUT) == 0 and second.wait(RUN_TIMEOUT) == 0
    assert state(index_dir) == corpora.old  # the second writer, on alpha, ran last
    assert len(generations(index_dir)) <= 2


# ---------------------------------------------------------------- readers


def test_readers_keep_answering_during_rebuilds_and_updates(
    corpora: Corpora, tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    index_dir = corpora.copy_index(tmp_path / "ix")
    held = searchkit.Index.open(index_dir)  # opened before both rebuilds, kept open
    stop = threading.Event()
    seen: dict[str, list[tuple[int, ...]]] = {"fresh": [], "held": []}
    errors: list[BaseException] = []

    def fresh_reader() -> None:
        while not stop.is_set():
            try:
                seen["fresh"].append(state(index_dir))
            except BaseException as exc:
                errors.append(exc)
            time.sleep(READER_PAUSE)

    def held_reader() -> None:
        while not stop.is_set():
            try:
                alpha, omega = held.search("alpha"), held.search("omega")
                seen["held"].append((len(alpha), len(omega)))
            except BaseException as exc:
                errors.append(exc)
            time.sleep(READER_PAUSE)

    try:
        readers = [threading.Thread(target=fresh_reader), threading.Thread(target=held_reader)]
        for reader in readers:
            reader.start()
        try:
            # Two rebuilds, then an incremental update that swaps every article for B's.
            for args in (
                ["--rebuild", corpora.omega],
                ["--rebuild", corpora.alpha],
                [corpora.omega],
            ):
                writer = start(processes, "index", *args, "--index", index_dir)
                assert writer.wait(RUN_TIMEOUT) == 0
        finally:
            stop.set()
            for reader in readers:
                reader.join(RUN_TIMEOUT)
        assert not errors, errors[:3]
        assert len(seen["fresh"]) >= 3 and len(seen["held"]) >= 3
        assert set(seen["fresh"]) <= {corpora.old, corpora.new}
        assert state(index_dir) == corpora.new
        assert set(seen["held"]) == {(corpora.count, 0)}  # the index as it was when opened
    finally:
        held.close()


def test_an_index_held_across_two_rebuilds_still_answers_everything(
    small: Corpora, tmp_path: Path
) -> None:
    index_dir = small.copy_index(tmp_path / "ix")
    with searchkit.Index.open(index_dir) as held:
        for corpus in ("omega", "alpha"):
            searchkit.Index.build(index_dir, getattr(small, corpus)).close()
        assert not held.generation.exists()
        assert len(held.search("alpha")) == SMALL  # this works: the searcher's files are open
        assert len(held) == SMALL
        assert held.stats().articles == SMALL
        assert len(held.quotes("alpha", kind=None).hits) > 0


# ---------------------------------------------------------------- damaged directories


def _live(index_dir: Path) -> Path:
    return index_dir / pointer(index_dir)


def _replace_bytes(pattern: str, make: Callable[[bytes], bytes]) -> Callable[[Path], object]:
    def damage(index_dir: Path) -> None:
        for path in _live(index_dir).glob(pattern):
            path.write_bytes(make(path.read_bytes()))

    return damage


def _write(name: str, content: str) -> Callable[[Path], object]:
    return lambda index_dir: (index_dir / name).write_text(content)


def _meta(data: object) -> Callable[[Path], object]:
    return lambda index_dir: (_live(index_dir) / "searchkit.json").write_text(json.dumps(data))


def _foreign(index_dir: Path) -> None:
    shutil.rmtree(index_dir)
    index_dir.mkdir()
    (index_dir / "notes.txt").write_text("my notes")
    (index_dir / "_MAIN_1.toc").write_bytes(b"\x80\x04not a pickle")


GARBAGE = bytes(random.Random(7).randrange(256) for _ in range(4096))
REBUILD = "rebuild"
DAMAGE: dict[str, tuple[Callable[[Path], object], str]] = {
    "incompatible version": (_meta({"format": 999}), "incompatible searchkit version"),
    "meta not JSON": (
        lambda d: (_live(d) / "searchkit.json").write_bytes(GARBAGE),
        "incompatible searchkit version",
    ),
    "meta missing": (
        lambda d: (_live(d) / "searchkit.json").unlink(),
        "incompatible searchkit version",
    ),
    "not a searchkit index": (_foreign, "is not a searchkit index"),
    "CURRENT names a missing generation": (
        _write("CURRENT", "gen-20200101T000000000000-1\n"),
        "CURRENT names no generation",
    ),
    "CURRENT empty": (_write("CURRENT", ""), "CURRENT names no generation"),
    "CURRENT points outside": (_write("CURRENT", "../../etc\n"), "CURRENT names no generation"),
    "garbage .toc": (_replace_bytes("_articles_*.toc", lambda b: GARBAGE), "index is damaged"),
    "truncated .toc": (_replace_bytes("_articles_*.toc", lambda b: b[:100]), "index is damaged"),
    "empty .toc": (_replace_bytes("_quotes_*.toc", lambda b: b""), "index is damaged"),
    "CURRENT holds bytes that are not UTF-8": (
        lambda d: (d / "CURRENT").write_bytes(b"\xff\xfe\x00garbage"),
        "CURRENT names no generation",
    ),
    "truncated segment file": (
        _replace_bytes("articles_*.seg", lambda b: b[:2000]),
        "index is damaged",
    ),
    "garbage segment file": (
        _replace_bytes(
            "articles_*.seg", lambda b: (GARBAGE * (len(b) // len(GARBAGE) + 1))[: len(b)]
        ),
        "index is damaged",
    ),
}


def _check_refused(index_dir: Path, message: str) -> None:
    with pytest.raises(searchkit.IndexError_, match=message) as caught:
        searchkit.Index.open(index_dir)
    assert REBUILD in str(caught.value) or "--index" in str(caught.value)
    commands = [["query", "minister"], ["stats"]]
    if searchkit.Index.exists(index_dir):  # else `searchkit index` asks for paths
        commands.append(["index"])
    for args in commands:
        result = CliRunner().invoke(cli, [*args, "--index", str(index_dir)])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
        assert message in result.stderr and REBUILD in result.stderr


def _check_rebuild_repairs(index_dir: Path, corpora: Corpora) -> None:
    result = CliRunner().invoke(
        cli, ["index", "--rebuild", str(corpora.omega), "--index", str(index_dir)]
    )
    assert result.exit_code == 0, result.output
    assert state(index_dir) == corpora.new


# Whoosh's TOC.read and open_compound_file leave their file open when it cannot be
# read; the garbage collector's ResourceWarning about it is not searchkit's doing.
whoosh_leaks_toc_file = pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning"
)


@whoosh_leaks_toc_file
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_or_foreign_directories_are_refused_with_a_rebuild_hint(
    small: Corpora, tmp_path: Path, damage: str
) -> None:
    index_dir = small.copy_index(tmp_path / "ix")
    make_damage, message = DAMAGE[damage]
    make_damage(index_dir)
    _check_refused(index_dir, message)
    gc.collect()  # finalise the files Whoosh leaked while this test's warning filter applies
    _check_rebuild_repairs(index_dir, small)

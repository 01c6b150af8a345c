"""An index folder from elsewhere cannot run code: planted pickles are refused."""

from __future__ import annotations

import io
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh.util.varints import varint

import searchkit
from searchkit.engine import unpickling


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def _payload(marker: Path) -> bytes:
    return pickle.dumps(_Payload(marker), protocol=2)


def _plant(index_dir: Path, where: str, marker: Path) -> Path:
    generation = index_dir / (index_dir / "CURRENT").read_text().strip()
    toc = sorted(generation.glob("*.toc"))[0]
    header, schema, ints, segments = unpickling.toc_parts(toc.read_bytes())
    if where == "schema":
        schema = _payload(marker)
    else:
        segments = _payload(marker)
    toc.write_bytes(header + varint(len(schema)) + schema + ints + segments)
    return toc


@pytest.fixture
def copied_index(seed_index_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "sent-to-me"
    shutil.copytree(seed_index_dir, target)
    return target


@pytest.mark.parametrize("where", ["schema", "segments"])
def test_a_planted_pickle_in_a_toc_does_not_run(
    copied_index: Path, tmp_path: Path, where: str
) -> None:
    marker = tmp_path / "pwned"
    toc = _plant(copied_index, where, marker)
    with pytest.raises(searchkit.UntrustedIndexError) as error:
        searchkit.Index.open(copied_index)
    assert not marker.exists()
    assert str(toc) in str(error.value)
    assert "posix.system" in str(error.value)
    assert "not a trustworthy searchkit index" in str(error.value)


def test_the_cli_refuses_the_folder_in_one_line(copied_index: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    _plant(copied_index, "schema", marker)
    for command in (["query", "china"], ["stats"], ["index"]):
        result = subprocess.run(
            [sys.executable, "-m", "searchkit", *command, "--index", str(copied_index)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 1, command
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "not a trustworthy searchkit index" in lines[0], lines
        assert not marker.exists()


def test_every_pickle_whoosh_reads_goes_through_the_restricted_unpickler() -> None:
    import whoosh.codec.whoosh3
    import whoosh.columns
    import whoosh.filedb.structfile
    import whoosh.formats
    import whoosh.index

    import searchkit.engine.codec  # noqa: F401 - installs the guard

    assert whoosh.codec.whoosh3.loads is unpickling.loads
    assert whoosh.columns.loads is unpickling.loads
    assert whoosh.formats.loads is unpickling.loads
    assert whoosh.filedb.structfile.load_pickle is unpickling.load
    assert whoosh.index.pickle.loads is unpickling.loads


@pytest.mark.parametrize(
    "dangerous",
    [
        (os.system, ("true",)),
        (subprocess.call, (["true"],)),
        (eval, ("1",)),
        (getattr, (int, "from_bytes")),
        (shutil.rmtree, ("/nonexistent",)),
    ],
)
def test_data_pickles_naming_anything_else_are_refused(dangerous: tuple[object, ...]) -> None:
    class Reducer:
        def __reduce__(self) -> tuple[object, ...]:
            return dangerous

    with pytest.raises(searchkit.UntrustedIndexError):
        unpickling.loads(pickle.dumps(Reducer(), protocol=2))


def test_dotted_names_and_imported_names_are_refused() -> None:
    # "whoosh.fields" imports other modules; a pickle may not reach them through it.
    for module, name in (
        ("whoosh.fields", "sys"),
        ("whoosh.fields", "Schema.__init__"),
        ("os", "system"),
    ):
        with pytest.raises(searchkit.UntrustedIndexError):
            unpickling.IndexUnpickler(io.BytesIO(b"")).find_class(module, name)


def test_an_index_still_reads_everything_it_stores(seed_index: searchkit.Index) -> None:
    hit = seed_index.search("repatriation")[0]
    article = seed_index.article(hit.id)
    assert article["quotes"] and hit.date is not None
    assert seed_index.speakers() and seed_index.stats().outlets

"""A sharded index: N ordinary searchkit indexes and a manifest, searched as one.

Layout of a sharded index directory::

    shards.json     the manifest: format, shard count, routing, each shard's live generation
    LOCK            the writer lock of the whole index
    shard-000/      an ordinary searchkit index (CURRENT, gen-*/), and so on to shard-N-1

An article lives in shard ``shard_of(id, N)``, a stable hash of its id, so an
update sends a changed article to the shard that holds it.  The article files
are read once, in parts, and each article is sent to its shard through spill
files (:mod:`searchkit.index.spill`); copies, duplicate ids and ids two roots
share are settled over all of them exactly as for one index.  Quote
extraction and indexing, the costly part, run where the shard is written.

A write makes a new generation in each shard that changed, then swaps the
manifest (one ``os.replace``): readers open the generations the manifest
names, so they see the old index or the new one, never a mix.  A failed write
points each shard's ``CURRENT`` back at the manifest's generation.

Searching opens one Whoosh searcher over every shard's segments
(:func:`searchkit.engine.searchers.open_joined_searcher`): document frequencies,
document counts and field lengths are summed over all shards before anything
is scored, as Elasticsearch's ``dfs_query_then_fetch`` does, so every answer
equals that of one index of the same articles.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchkit.analysis.stems import remember_stems
from searchkit.engine.ranking import weighting
from searchkit.engine.searchers import open_joined_searcher
from searchkit.errors import IndexError_
from searchkit.index import storage
from searchkit.index.build import BuildReport
from searchkit.index.copies import read_groups_file, write_joint_copies
from searchkit.index.store import Index, default_index_dir
from searchkit.search.copies import CopyGroups

__all__ = [
    "MANIFEST_FORMAT",
    "ROUTING",
    "ShardTask",
    "ShardedIndex",
    "shard_of",
    "write_shard",
]

#: The manifest's own format (2: it names the file of wire-copy groups); a
#: shard's files follow ``storage.FORMAT_VERSION``.
MANIFEST_FORMAT = 2
#: The file of wire-copy groups a manifest names (see :func:`write_joint_copies`).
_COPIES = re.compile(r"copies-[0-9a-f]{16}\.json")
#: How an id is routed, recorded in the manifest so a reader can refuse another scheme.
ROUTING = "blake2b-64(utf-8 id) mod shards"
#: The most shards an index may have (a folder and open files each).
MAX_SHARDS = 256


def shard_of(article_id: str, shards: int) -> int:
    """Return the shard that holds ``article_id``: the same on every machine and run."""
    key = article_id.encode("utf-8", "surrogateescape")
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big") % shards


def shard_name(number: int) -> str:
    return f"shard-{number:03d}"


def read_manifest(directory: Path) -> dict[str, Any]:
    """Read and check ``shards.json``; raise :class:`IndexError_` saying what to do."""
    path = directory / storage.MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexError_(
            f"{path}: cannot read the shard manifest ({exc.__class__.__name__}); "
            "rebuild with `searchkit index --rebuild --shards N PATH...`"
        ) from exc
    generations = manifest.get("generations") if isinstance(manifest, dict) else None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != MANIFEST_FORMAT
        or manifest.get("routing") != ROUTING
        or not isinstance(generations, list)
        or len(generations) != manifest.get("shards")
        or not all(_is_generation(g, n) for n, g in enumerate(generations))
        or not (isinstance(manifest.get("copies"), str) and _COPIES.fullmatch(manifest["copies"]))
    ):
        raise IndexError_(
            f"{path} was written by an incompatible searchkit version or is damaged; "
            "rebuild with `searchkit index --rebuild --shards N PATH...`"
        )
    return manifest


def _is_generation(name: object, number: int) -> bool:
    if not isinstance(name, str):
        return False
    shard, _, generation = name.partition("/")
    return shard == shard_name(number) and generation.startswith("gen-") and "/" not in generation


class ShardedIndex(Index):
    """A sharded index, opened by :meth:`Index.open` like any other; searches span all shards."""

    def __init__(self, directory: Path, manifest: dict[str, Any]) -> None:
        self.directory = directory
        self.manifest = manifest
        self.report = None
        self.shards: list[Index] = []
        try:
            for name in manifest["generations"]:
                generation = directory / name
                if not generation.is_dir():
                    raise IndexError_(
                        f"{directory}: shard {name.partition('/')[0]} is missing "
                        f"({generation} not found); restore it, or rebuild with "
                        f"`searchkit index --rebuild --shards {manifest['shards']} PATH...`"
                    )
                meta = storage.read_meta(generation.parent, generation)
                shard = Index(generation.parent, generation, meta)
                shard.close_searchers()  # the joined searchers below read its segments
                self.shards.append(shard)
        except BaseException:
            for shard in self.shards:
                shard.close()
            raise
        self.generation = directory / manifest["generations"][0]
        roots = sorted({root for shard in self.shards for root in shard.meta.get("roots", [])})
        self.meta = {**self.shards[0].meta, "roots": roots}
        self.stems = {}
        for shard in self.shards:
            self.stems.update(shard.stems)
        self._searcher = None
        self._quote_searcher = None
        self._copies = None
        self._size = sum(shard._size for shard in self.shards)

    @classmethod
    def open(cls, directory: str | Any = None) -> ShardedIndex:
        """Open the sharded index in ``directory``."""
        directory = Path(directory) if directory is not None else default_index_dir()
        index = cls(directory, read_manifest(directory))
        for shard in index.shards:
            shard.stems = _read_stems(shard.generation)
            index.stems.update(shard.stems)
        remember_stems(index.stems)
        return index

    @property
    def searcher(self) -> Any:
        """One Whoosh searcher over every shard's segments, with collection-wide statistics."""
        if self._searcher is None:
            self._searcher = open_joined_searcher([s._whoosh for s in self.shards], weighting())
        return self._searcher

    @property
    def quote_searcher(self) -> Any:
        """One Whoosh searcher over every shard's quote segments."""
        if self._quote_searcher is None:
            self._quote_searcher = open_joined_searcher(
                [s._quotes_whoosh for s in self.shards], weighting()
            )
        return self._quote_searcher

    @property
    def copy_groups(self) -> CopyGroups:
        """The groups of wire copies across all shards (made when the manifest was written)."""
        if self._copies is None:
            groups = read_groups_file(self.directory / self.manifest["copies"])
            self._copies = CopyGroups(self.searcher, groups)
        return self._copies

    def close(self) -> None:
        """Release the searchers' and the shards' open files."""
        self.close_searchers()
        for shard in self.shards:
            shard.close()

    def update(self, paths: Any = None, **options: Any) -> Index:
        """Update every shard from ``paths`` (default: the folders it was built from)."""
        return Index.index(self.directory, paths, **options)


def _read_stems(generation: Path) -> dict[str, str]:
    with contextlib.suppress(OSError, ValueError):
        table = json.loads((generation / storage.STEMS_FILE).read_text(encoding="utf-8"))
        if isinstance(table, dict):
            return {str(k): str(v) for k, v in table.items()}
    return {}


# ---------------------------------------------------------------- writing one shard


@dataclass(frozen=True, slots=True)
class ShardTask:
    """Everything a worker needs to write one shard: plain data, sent to Dask workers."""

    directory: str
    number: int
    shards: int
    roots: tuple[str, ...]
    #: Every shard's live generation (``shard-000/gen-…``), None for a fresh build.
    live: tuple[str, ...] | None
    #: The spill folder holding this shard's articles (:mod:`searchkit.index.spill`).
    spill: str
    procs: int | None = 1
    follow_links: bool = False
    field_map: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ShardResult:
    """What writing one shard did, as plain data."""

    generation: str
    added: int
    updated: int
    removed: int
    unchanged: int


def write_shard(task: ShardTask) -> ShardResult:
    """Write this shard's articles, read once for all shards, into a new generation.

    Runs on a worker.  An unchanged shard keeps its generation.
    """
    from searchkit.index.build import write_generation
    from searchkit.index.spill import load_shard

    directory = Path(task.directory) / shard_name(task.number)
    live = _open_shard(Path(task.directory), task.live[task.number]) if task.live else None
    try:
        report, written = write_generation(
            directory,
            [Path(root) for root in task.roots],
            live,
            progress=None,
            strict=False,  # problems were found, and --strict applied, before any shard
            procs=task.procs,
            follow_links=task.follow_links,
            field_map=task.field_map,
            articles=load_shard(Path(task.spill), task.number),
        )
    finally:
        if live is not None:
            live.close()
    name = (
        live.generation.name
        if live is not None and not written
        else storage.pointer_name(directory)
    )
    return ShardResult(
        f"{shard_name(task.number)}/{name}",
        report.added,
        report.updated,
        report.removed,
        report.unchanged,
    )


def _open_shard(directory: Path, name: str) -> Index:
    generation = directory / name
    if not generation.is_dir():
        raise IndexError_(
            f"{directory}: shard {name.partition('/')[0]} is missing ({generation} not found); "
            "restore it, or rebuild with `searchkit index --rebuild --shards N PATH...`"
        )
    return Index(generation.parent, generation, storage.read_meta(generation.parent, generation))


def merge_reports(results: Sequence[ShardResult], report: BuildReport, seconds: float) -> None:
    """Add the shards' counts to ``report``, which holds the problems found reading."""
    report.seconds = seconds
    for result in results:
        report.added += result.added
        report.updated += result.updated
        report.removed += result.removed
        report.unchanged += result.unchanged


def commit_manifest(
    directory: Path, shards: int, generations: Iterable[str], previous: dict[str, Any] | None
) -> None:
    """Swap in the manifest naming each shard's new generation, then tidy the directory.

    Each shard keeps its new generation and the one the previous manifest
    named (for readers still using it); what killed writers left goes.
    """
    generations = list(generations)
    manifest = {
        "format": MANIFEST_FORMAT,
        "routing": ROUTING,
        "shards": shards,
        "generations": generations,
        # Wire copies are grouped over every shard's articles together.
        "copies": write_joint_copies(directory, generations),
        "written": storage.now(),
    }
    storage.write_json(directory / storage.MANIFEST, manifest)
    kept = {manifest["copies"], (previous or {}).get("copies")}
    for path in directory.glob("copies-*.json"):
        if path.name not in kept:
            path.unlink(missing_ok=True)
    # What an earlier, unsharded index or a larger shard count left behind.
    (directory / storage.POINTER).unlink(missing_ok=True)
    storage.remove_stale_generations(directory, set())
    for path in directory.glob("shard-*"):
        if path.is_dir() and not (path.name[6:].isdigit() and int(path.name[6:]) < shards):
            shutil.rmtree(path, ignore_errors=True)
    tidy(directory, manifest, previous)


def tidy(directory: Path, manifest: dict[str, Any], previous: dict[str, Any] | None) -> None:
    """Point each shard's CURRENT at the manifest's generation; delete all but it and the last.

    The last is the one ``previous`` (the manifest before) named, else the
    newest older one.
    """
    before = {
        g.partition("/")[0]: g.partition("/")[2] for g in (previous or {}).get("generations", ())
    }
    for name in manifest["generations"]:
        shard, _, generation = name.partition("/")
        folder = directory / shard
        if storage.pointer_name(folder) != generation:
            storage.swap(folder, directory / name)
        older = before.get(shard)
        kept = {
            generation,
            *([older] if older else storage.previous_generations(folder, directory / name)),
        }
        storage.remove_stale_generations(folder, kept)


def roll_back(directory: Path, manifest: dict[str, Any] | None) -> None:
    """Point each shard's CURRENT back at the manifest's generation after a failed write."""
    if manifest is None:
        return
    for name in manifest["generations"]:
        shard, _, generation = name.partition("/")
        if storage.pointer_name(directory / shard) != generation:
            with contextlib.suppress(OSError):
                storage.swap(directory / shard, directory / name)

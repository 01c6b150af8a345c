"""Reading a sharded build's articles once: parts read in parallel, spilled per shard.

The writer walks the folders and cuts the files into parts (:func:`plan_parts`).
Each part is read once, on a Dask worker or in this process
(:func:`read_part`), and every article goes to the spill file of the shard
its id routes to::

    spill-<build>/part-00007/shard-003.pickle    (number, Article) records, in walk order
    spill-<build>/select-003.json                what shard 3 writes, and under which id

A part sends back only a small stand-in per article (:class:`Spilled`: id,
place and copy digest).  The writer settles copies, duplicate ids and ids two
roots share over all stand-ins at once (:func:`settle_parts`, with the very
:func:`~searchkit.index.build.settle` one index uses, so a sharded build keeps
the same articles and reports the same problems in the same order), and
each shard's task then loads only its own articles (:func:`load_shard`).  No
process holds the text of the whole collection; the spill folder sits inside
the index folder, which every worker sees, and is deleted when the write ends.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from searchkit.errors import ArticleError
from searchkit.index.build import BuildReport, renamed, settle
from searchkit.index.shards import shard_of

if TYPE_CHECKING:
    from searchkit.articles.files import FileToRead
    from searchkit.articles.model import Article

__all__ = [
    "PartResult",
    "ReadPart",
    "Spilled",
    "load_shard",
    "plan_parts",
    "read_part",
    "remove_spills",
    "settle_parts",
]

#: The spill folders' prefix inside a sharded index's folder.
SPILL_PREFIX = "spill-"
#: A problem as it crosses from a worker: location, message, skipped.
_Problem = tuple[str, str, bool]


@dataclass(frozen=True, slots=True)
class Spilled:
    """What the writer needs of one article read (its text stays in the spill files)."""

    id: str
    location: str
    copy_key: str
    path: str
    line: int
    part: int
    number: int


@dataclass(frozen=True, slots=True)
class ReadPart:
    """A run of consecutive files of one root, read by one task: plain data for a worker."""

    spill: str
    number: int
    root: str
    #: Several roots read together: an article may be renamed (and so routed) by its root.
    several_roots: bool
    files: tuple[FileToRead, ...]
    #: The walk's problems, each with the number (in ``files``) of the file it came before.
    walked: tuple[tuple[int, _Problem], ...]
    shards: int
    field_map: dict[str, str]
    procs: int | None


@dataclass(frozen=True, slots=True)
class PartResult:
    """What reading a part found: a stand-in per article, and the problems, in walk order."""

    found: tuple[Spilled, ...]
    problems: tuple[_Problem, ...]


def plan_parts(
    spill: Path,
    roots: Sequence[Path],
    *,
    parts: int,
    shards: int,
    follow_links: bool,
    exclude: Sequence[Path],
    field_map: dict[str, str],
    procs: int | None,
) -> list[ReadPart]:
    """Walk ``roots`` and cut their files into about ``parts`` parts of similar size."""
    from searchkit.index.reading import walk

    walks = [(root, *walk(root, follow_links, exclude)) for root in sorted(roots, key=str)]
    sizes = [[_size(task.file) for task in files] for _, files, _ in walks]
    share = max(1, sum(map(sum, sizes)) // max(1, parts))
    planned: list[ReadPart] = []
    for (root, files, walked), weights in zip(walks, sizes, strict=True):
        cuts = _cuts(weights, share)
        for first, end in zip(cuts, [*cuts[1:], len(files)], strict=True):
            # A problem comes before the file at its position, or after the root's last file.
            problems = tuple(
                (position - first, (p.location, p.message, p.skipped))
                for position, p in walked
                if first <= position < end or position == end == len(files)
            )
            planned.append(
                ReadPart(
                    spill=str(spill),
                    number=len(planned),
                    root=str(root),
                    several_roots=len(walks) > 1,
                    files=tuple(files[first:end]),
                    walked=problems,
                    shards=shards,
                    field_map=field_map,
                    procs=procs,
                )
            )
    return planned


def _size(file: Path) -> int:
    try:
        return max(1, os.stat(file).st_size)
    except OSError:  # gone since the walk: its reader reports it
        return 1


def _cuts(weights: list[int], share: int) -> list[int]:
    """Return where each part of ``weights`` starts, each part about ``share`` in all."""
    cuts, total = [0], 0
    for number, weight in enumerate(weights):
        if total >= share and number > cuts[-1]:
            cuts.append(number)
            total = 0
        total += weight
    return cuts


def read_part(part: ReadPart) -> PartResult:
    """Read one part's files; spill each article to its shard's file. Runs on a worker."""
    from searchkit.index.reading import read_files

    folder = Path(part.spill) / f"part-{part.number:05d}"
    folder.mkdir(exist_ok=True)  # not its parent: a task outliving its write fails here
    root = Path(part.root)
    problems: list[ArticleError] = []
    walked = [(position, ArticleError(p[0], p[1], skipped=p[2])) for position, p in part.walked]
    found: list[Spilled] = []
    handles: dict[int, IO[bytes]] = {}
    try:
        articles = read_files(list(part.files), walked, problems.append, part.field_map, part.procs)
        for number, article in enumerate(articles):
            # Settling may rename the id (another root holds it): the article
            # then belongs where the new id routes, so both shards get it.
            targets = {shard_of(article.id, part.shards)}
            if part.several_roots:
                targets.add(shard_of(renamed(root, article.id), part.shards))
            for target in targets:
                if target not in handles:
                    handles[target] = open(folder / f"shard-{target:03d}.pickle", "wb")  # noqa: SIM115
                pickle.dump((number, article), handles[target], pickle.HIGHEST_PROTOCOL)
            found.append(
                Spilled(
                    article.id,
                    article.location,
                    article.copy_key,
                    article.path,
                    article.line,
                    part.number,
                    number,
                )
            )
    finally:
        for handle in handles.values():
            handle.close()
    return PartResult(tuple(found), tuple((p.location, p.message, p.skipped) for p in problems))


def settle_parts(
    spill: Path,
    parts: Sequence[ReadPart],
    results: Sequence[PartResult],
    known: dict[str, tuple[str, str]],
    shards: int,
) -> BuildReport:
    """Settle every article read, as one index would; write each shard's selection.

    Returns the report's problems (what was read, then copies and duplicate
    ids set aside), in the order a build of one index gives them.
    """
    report = BuildReport()
    for result in results:
        report.problems.extend(ArticleError(p[0], p[1], skipped=p[2]) for p in result.problems)
    read = [(found, parts[found.part].root) for result in results for found in result.found]
    chosen: list[dict[int, list[tuple[int, str]]]] = [{} for _ in range(shards)]
    for entry, _ in settle(read, report, known):
        chosen[shard_of(entry.id, shards)].setdefault(entry.part, []).append(
            (entry.number, entry.id)
        )
    for number, picks in enumerate(chosen):
        selection = [[part, parts[part].root, pairs] for part, pairs in sorted(picks.items())]
        (spill / f"select-{number:03d}.json").write_text(json.dumps(selection), encoding="utf-8")
    return report


def load_shard(spill: Path, shard: int) -> list[tuple[Article, str]]:
    """Return shard ``shard``'s articles with their settled ids and roots, in walk order."""
    selection = json.loads((spill / f"select-{shard:03d}.json").read_text(encoding="utf-8"))
    articles: list[tuple[Article, str]] = []
    for part, root, pairs in selection:
        wanted: dict[int, str] = {number: id for number, id in pairs}
        with open(spill / f"part-{part:05d}" / f"shard-{shard:03d}.pickle", "rb") as handle:
            for number, article in _records(handle):
                article_id = wanted.get(number)
                if article_id is not None:
                    if article_id != article.id:
                        article = replace(article, id=article_id)
                    articles.append((article, root))
    return articles


def _records(handle: IO[bytes]) -> Any:
    # Written by read_part in this very write, inside the locked index folder.
    while True:
        try:
            yield pickle.load(handle)
        except EOFError:
            return


def remove_spills(directory: Path) -> None:
    """Delete the spill folders of writes that ended (a killed writer leaves its own)."""
    for path in directory.glob(f"{SPILL_PREFIX}*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)

"""Writing an index: collect the articles, plan what changes, write a generation, swap it in.

``write_generation`` is the one path of every build and update: read the
folders (:func:`collect`), compare with what the live index holds
(:func:`plan`), write a new generation beside the live one
(:mod:`searchkit.index.writing`), and make it live with one atomic swap
(:mod:`searchkit.index.storage`).  Clean-up of a failed write always runs.
"""

from __future__ import annotations

import os
import shlex
import shutil
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from searchkit.errors import ArticleError, NoIndexError
from searchkit.index import storage
from searchkit.schema import create_indexes

if TYPE_CHECKING:  # parsing articles is for writing; queries never import it
    from searchkit.articles.model import Article
    from searchkit.index.handle import IndexHandle
    from searchkit.index.reading import FoundT

__all__ = ["BuildReport", "Progress", "checked_field_map", "roots_of", "write_generation"]

#: Called as ``progress(phase, done, total)`` while an index is written: phase
#: ``"reading"`` (articles read so far; total 0, not known yet), ``"writing"``
#: (articles analysed and written of ``total``), then ``"committing"`` (0, 0).
Progress = Callable[[str, int, int], None]
#: Articles read between two reports of the reading phase.
READ_REPORT_EVERY = 1000


@dataclass(slots=True)
class BuildReport:
    """What a build or update did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    problems: list[ArticleError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def skipped(self) -> int:
        """Count the files and records left out because of a problem."""
        return sum(1 for p in self.problems if p.skipped)

    def to_dict(self) -> dict[str, object]:
        """Return the report as JSON-ready data."""
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "problems": [str(p) for p in self.problems],
            "seconds": round(self.seconds, 3),
        }


def write_generation(
    directory: Path,
    roots: list[Path],
    live: IndexHandle | None,
    *,
    progress: Progress | None,
    strict: bool,
    procs: int | None,
    follow_links: bool,
    field_map: dict[str, str] | None = None,
    articles: list[tuple[Article, str]] | None = None,
) -> tuple[BuildReport, bool]:
    """Collect, plan, write a new generation and swap it in; say whether anything was written.

    With ``live`` (an update), unchanged articles keep their segments; without
    (a build), everything is written anew.  A failure removes the new
    generation and leaves the live one as it was.  A shard of a sharded index
    (:mod:`searchkit.index.shards`) is given its ``articles``, read and settled
    (:func:`settle`) once for all shards, instead of reading ``roots``.
    """
    started = time.perf_counter()
    report = BuildReport()
    known = catalogue(live.searcher) if live is not None else {}
    if articles is None:
        articles = _collect(
            roots, report, follow_links, known, field_map or {}, progress, directory, procs
        )
    if strict and report.problems:
        raise report.problems[0]
    wanted = {str(root) for root in roots}
    plan = _plan(articles, known, wanted, report)
    if live is not None and not plan.changed:
        # Nothing to write, but a killed writer may have left a generation behind.
        keep = {live.generation.name, *storage.previous_generations(directory, live.generation)}
        storage.remove_stale_generations(directory, keep)
        report.seconds = time.perf_counter() - started
        return report, False

    previous = storage.pointer_name(directory)
    generation = storage.new_generation_dir(directory)
    try:
        if live is not None:
            storage.link_generation(live.generation, generation)
        else:
            create_indexes(generation)
        additions = [(a, plan.roots[a.id]) for a in plan.add + plan.replace]
        deletions = plan.delete + [a.id for a in plan.replace]
        # Imported here: writing brings quote extraction, which queries never need.
        from searchkit.index.copies import copies_alongside
        from searchkit.index.writing import write

        bodies = [(a.id, a.body) for a, _ in additions]
        with copies_alongside(generation, bodies, deletions, concurrent=procs != 1):
            words = write(generation, additions, deletions, procs=procs, progress=progress)
        old_roots = live.meta.get("roots", []) if live is not None else []
        roots_meta = sorted(set(old_roots) | wanted)
        # This index's words only: never another index's, or queries typed meanwhile.
        stems = {**(live.stems if live is not None else {}), **words}
        storage.write_json(generation / storage.STEMS_FILE, stems)
        meta = {"format": storage.FORMAT_VERSION, "roots": roots_meta, "written": storage.now()}
        if follow_links:  # so that a plain `searchkit index` update follows them too
            meta["follow_links"] = True
        if field_map:  # and reads the same columns
            meta["field_map"] = field_map
        storage.write_json(generation / storage.META_FILE, meta)
        storage.swap(directory, generation)
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    keep = {generation.name, previous or ""}
    if live is not None:
        keep.add(live.generation.name)
    storage.remove_stale_generations(directory, keep)
    report.seconds = time.perf_counter() - started
    return report, True


@dataclass(slots=True)
class _Plan:
    add: list[Article] = field(default_factory=list)
    replace: list[Article] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)
    roots: dict[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.add or self.replace or self.delete)


def roots_of(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    roots = [Path(p).resolve() for p in paths]
    if not roots:
        raise ArticleError("(no paths)", "give at least one article file or folder")
    for root in roots:
        shown = str(root).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        if shown != str(root):  # Whoosh and searchkit.json store the root as UTF-8
            raise ArticleError(shown, "folder name is not UTF-8; rename it to index it")
    return roots


def _collect(
    roots: list[Path],
    report: BuildReport,
    follow_links: bool,
    known: dict[str, tuple[str, str]],
    field_map: dict[str, str],
    progress: Progress | None = None,
    directory: Path | None = None,
    procs: int | None = None,
) -> list[tuple[Article, str]]:
    """Read every article below ``roots`` (not ``directory``, the index), keeping one of each."""
    from searchkit.index.reading import read_folders

    read: list[tuple[Article, str]] = []
    exclude = [directory] if directory is not None else []
    for article, root in read_folders(
        roots,
        report.problems.append,
        follow_links=follow_links,
        field_map=field_map,
        exclude=exclude,
        procs=procs,
    ):
        read.append((article, root))
        if progress is not None and len(read) % READ_REPORT_EVERY == 0:
            progress("reading", len(read), 0)
    articles = settle(read, report, known)
    if progress is not None:
        progress("reading", len(articles), 0)
    return articles


def settle(
    read: list[tuple[FoundT, str]], report: BuildReport, known: dict[str, tuple[str, str]]
) -> list[tuple[FoundT, str]]:
    """Keep one of each set of identical articles and of each id; rename ids two roots share.

    ``read`` is every (article, root) in walk order; ``known`` is what the live
    index holds.  Identical articles at two paths are indexed once
    (:func:`reading.set_aside_copies`), and of articles with one id the first
    is kept.  A sharded build settles stand-ins for the articles of every
    shard here, in one place, before any shard is written.

    Ids are paths below the root given, so two roots read together can hold
    the same one (``outlet-a/2024-01-01.txt`` and ``outlet-b/2024-01-01.txt``).
    The id stays with the root the index has it from, else with the first root
    in name order; the other root's article is indexed as ``outlet-b/2024-01-01``
    (its root's name, then the id), the same on every update.
    """
    from searchkit.index.reading import set_aside_copies

    found = set_aside_copies(read, report.problems.append)
    holders = {(entry.id, root) for entry, root in found}
    # A root not read now does not keep its ids: naming another root alone
    # (`searchkit index outlet-b`) replaces the articles with its ids, as always.
    owners = {id: root for id, (_, root) in known.items() if (id, root) in holders}
    for entry, root in found:
        owners.setdefault(entry.id, root)
    seen: dict[str, str] = {}
    articles: list[tuple[FoundT, str]] = []
    for entry, root in found:
        if owners[entry.id] != root:
            entry = replace(entry, id=renamed(Path(root), entry.id))  # type: ignore[type-var]
        if entry.id in seen:
            message = f"duplicate id {entry.id!r} (first in {seen[entry.id]}); skipped"
            report.problems.append(ArticleError(entry.location, message))
            continue
        seen[entry.id] = entry.location
        articles.append((entry, root))
    return articles


def checked_field_map(field_map: object) -> dict[str, str]:
    """Check a field map given (or recorded in an index's metadata)."""
    from searchkit.articles.records import check_field_map

    if field_map is not None and not isinstance(field_map, Mapping):
        raise ArticleError("field map", "expected a mapping of article field to column")
    return check_field_map(field_map)


def renamed(root: Path, article_id: str) -> str:
    """Return the id an article of ``root`` gets when another root holds the same id."""
    return f"{_root_name(root)}/{article_id}"


def _root_name(root: Path) -> str:
    """Name a root in an id: a folder by its name, a file by its folder's."""
    return root.parent.name if root.is_file() else root.name


def _plan(
    articles: list[tuple[Article, str]],
    known: dict[str, tuple[str, str]],
    wanted_roots: set[str],
    report: BuildReport,
) -> _Plan:
    plan = _Plan()
    present: set[str] = set()
    for article, root in articles:
        present.add(article.id)
        plan.roots[article.id] = root
        old = known.get(article.id)
        if old is None:
            plan.add.append(article)
        elif old[0] != article.content_hash or old[1] != root:
            plan.replace.append(article)
        else:
            report.unchanged += 1
    plan.delete = [i for i, (_, root) in known.items() if root in wanted_roots and i not in present]
    report.added, report.updated, report.removed = (
        len(plan.add),
        len(plan.replace),
        len(plan.delete),
    )
    return plan


def write_settings(
    live: Any,
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None,
    follow_links: bool | None,
    field_map: Mapping[str, str] | None,
    missing: str = "",
) -> tuple[list[Path], bool, dict[str, str]]:
    """Return a write's roots, link policy and field map: as given, else as ``live`` was built.

    Without ``paths`` and with no ``live`` index, ``missing`` is the error to raise.
    """
    if paths is not None:
        roots = roots_of(paths)
    elif live is not None:
        roots = recorded_roots(live)
    else:
        raise NoIndexError(missing)
    if follow_links is None:
        follow_links = bool(live is not None and live.meta.get("follow_links"))
    if field_map is None and live is not None:
        field_map = live.meta.get("field_map")
    return roots, follow_links, checked_field_map(field_map)


def recorded_roots(live: Any) -> list[Path]:
    """Return the folders and files the index was built from; all must still exist."""
    roots = [Path(p) for p in live.meta.get("roots", [])]
    missing = [root for root in roots if not os.path.lexists(root)]
    if missing:
        kept = [str(root) for root in roots if root not in missing]
        others = " ".join(shlex.quote(root) for root in kept)
        fix = (
            f"`searchkit index --rebuild {others} [NEW_PATH]`"
            if kept
            else ("`searchkit index --rebuild NEW_PATH`")
        )
        raise ArticleError(
            str(missing[0]),
            "this folder was indexed but no longer exists (moved, renamed or deleted), "
            f"so {live.directory} cannot be brought up to date; its old articles are "
            f"still searchable. Rebuild without it (and with its new place): {fix}",
        )
    return roots


def catalogue(searcher: Any) -> dict[str, tuple[str, str]]:
    """Map each indexed article id to its (content hash, root)."""
    reader = searcher.reader()
    if not reader.doc_count_all():  # Whoosh's EmptyReader has no columns
        return {}
    ids = reader.column_reader("id")
    hashes = reader.column_reader("hash")
    roots = reader.column_reader("root")
    return {
        ids[n]: (hashes[n].decode("ascii"), roots[n].decode("utf-8", "surrogateescape"))
        for n in reader.all_doc_ids()
    }

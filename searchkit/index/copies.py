"""Wire copies: fingerprint article bodies and group the near-duplicates.

Every article body gets a MinHash fingerprint of its five-word shingles
(datasketch); articles whose fingerprints estimate a Jaccard similarity of at
least :data:`COPY_THRESHOLD` are copies of each other (a re-run with a new
first line, a trimmed tail, another headline or outlet), and copies of copies
join one group.  Candidate pairs come from datasketch's LSH, then each is
checked against the threshold, so the groups depend only on the set of
fingerprints: an update that keeps unchanged articles' fingerprints and
recomputes the groups gives exactly the groups a rebuild gives.

A generation keeps ``fingerprints.json`` (id -> base64 of the MinHash values,
for the next update) and ``copies.json`` (the groups, which queries read).
Both are plain JSON; nothing is pickled.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from searchkit.errors import IndexError_
from searchkit.index import storage

__all__ = [
    "COPIES_FILE",
    "COPY_THRESHOLD",
    "FINGERPRINTS_FILE",
    "copies_alongside",
    "fingerprint",
    "group_copies",
    "read_groups",
    "write_copies",
]

#: Estimated Jaccard similarity of two bodies' shingle sets from which they are copies.
#: Measured on the shared 21,268-article news corpus (see CHANGELOG, issue 14).
COPY_THRESHOLD = 0.7
#: Words per shingle: long enough that two articles on one topic share few.
SHINGLE_WORDS = 5
#: Bodies with fewer words are never grouped: short items are templates (a dividend
#: notice, "Qtly div 30 cts vs 30 cts prior") that differ only in a number or name.
MIN_WORDS = 25
#: MinHash permutations: 64 estimate a Jaccard of 0.7 within about ±0.06.
NUM_PERM = 64
SEED = 1
#: LSH bands and rows per band (16 x 4 = NUM_PERM): a pair at the threshold of 0.7
#: becomes a candidate with probability 0.99, one at 0.3 with 0.12; every
#: candidate is then checked against the threshold.
LSH_BANDS = (16, 4)
SCHEME = "affine32"
FINGERPRINTS_FILE = "fingerprints.json"
COPIES_FILE = "copies.json"
#: Below this many new articles, forking workers costs more than it saves.
PARALLEL_MIN_ARTICLES = 200

_WORD = re.compile(r"\w+")
_MASK = 0xFFFFFFFF
_MULTIPLIERS = (0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F)
#: Bodies fingerprinted by forked workers, which inherit them instead of unpickling them.
_pending: Sequence[str] = ()


class _WordHashes(dict[str, int]):
    """crc32 of each word, computed once: stable across processes, unlike ``hash``."""

    def __missing__(self, word: str) -> int:
        value = self[word] = zlib.crc32(word.encode("utf-8", "surrogatepass"))
        return value


_words = _WordHashes()


def shingles(text: str) -> list[int]:
    """Return the 32-bit hashes of the five-word shingles of ``text`` (case folded)."""
    import numpy as np

    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return []
    hashes = np.fromiter(map(_words.__getitem__, words), dtype=np.uint64, count=len(words))
    count = len(words) - SHINGLE_WORDS + 1
    # Arithmetic modulo 2**64 (numpy wraps), one odd multiplier per place in the shingle.
    mixed = hashes[:count].copy()
    for place, multiplier in enumerate(_MULTIPLIERS, start=1):
        mixed ^= hashes[place : place + count] * np.uint64(multiplier)
    # A repeated shingle changes no minimum, so repeats are left in (no sort).
    values: list[int] = (mixed & np.uint64(_MASK)).tolist()
    return values


def fingerprint(text: str) -> bytes | None:
    """Return the MinHash fingerprint of a body, or None when it is too short to have one."""
    values = shingles(text)
    if not values:
        return None
    # One MinHash per process, cleared for each body: a copy of one costs more
    # than the hashing (its permutations are parsed anew).
    minhash = _template()
    minhash.clear()
    minhash.update_batch(values)
    return bytes(minhash.hashvalues.astype("<u4").tobytes())


_TEMPLATE: Any = None


def _template() -> Any:
    """Return this process's MinHash (forked workers each have their own copy)."""
    global _TEMPLATE
    if _TEMPLATE is None:
        from datasketch import MinHash

        _TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int, scheme=SCHEME)
    return _TEMPLATE


def fingerprints(bodies: Sequence[str], procs: int | None = None) -> list[bytes | None]:
    """Fingerprint ``bodies``, in forked processes when there are many."""
    import multiprocessing

    if procs is None:
        procs = os.cpu_count() or 1
    if (
        procs < 2
        or len(bodies) < PARALLEL_MIN_ARTICLES
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [fingerprint(body) for body in bodies]
    global _pending
    _template()  # made once, before the fork
    _pending = bodies
    try:
        size = -(-len(bodies) // (procs * 4))
        spans = [(start, min(start + size, len(bodies))) for start in range(0, len(bodies), size)]
        with multiprocessing.get_context("fork").Pool(procs) as pool:
            parts = pool.map(_fingerprint_span, spans)
    finally:
        _pending = ()
    return [value for part in parts for value in part]


def _fingerprint_span(span: tuple[int, int]) -> list[bytes | None]:
    return [fingerprint(body) for body in _pending[span[0] : span[1]]]


def group_copies(prints: dict[str, bytes]) -> list[list[str]]:
    """Group ids whose fingerprints are near-duplicates; each group sorted, groups sorted.

    Only groups of two or more are returned.  The result depends on the set
    of ``(id, fingerprint)`` pairs alone, never on their order.
    """
    import numpy as np
    from datasketch import LeanMinHash, MinHashLSH

    if len(prints) < 2:
        return []
    ids = sorted(prints)
    lsh = MinHashLSH(num_perm=NUM_PERM, params=LSH_BANDS)
    hashes = {}
    with lsh.insertion_session() as session:
        for key in ids:
            values = np.frombuffer(prints[key], dtype="<u4")
            hashes[key] = minhash = LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)
            session.insert(key, minhash)
    parent = {key: key for key in ids}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    # Two articles are candidates when they share a bucket in any band: walking
    # the buckets that hold two or more (few) finds the pairs a query per article
    # would, without the queries.  A pair already joined needs no comparison.
    for band, counts in enumerate(lsh.get_counts()):
        for bucket, count in counts.items():
            if count < 2:
                continue
            members = sorted(lsh.hashtables[band].get(bucket))
            for number, key in enumerate(members):
                minhash = hashes[key]
                for other in members[number + 1 :]:
                    a, b = root(key), root(other)
                    if a != b and minhash.jaccard(hashes[other]) >= COPY_THRESHOLD:
                        parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = {}
    for key in ids:
        groups.setdefault(root(key), []).append(key)
    return sorted(members for members in groups.values() if len(members) > 1)


def write_copies(
    generation: Path,
    added: Iterable[tuple[str, str]],
    removed: Iterable[str],
    procs: int | None = None,
) -> None:
    """Bring the generation's fingerprints up to date and write its groups of copies.

    ``added`` holds ``(id, body)`` of new and changed articles, ``removed``
    the ids of deleted and changed ones; the fingerprints of every other
    article come from the file the generation took over from the live one.
    """
    prints = _read_fingerprints(generation / FINGERPRINTS_FILE)
    for article_id in removed:
        prints.pop(article_id, None)
    pairs = list(added)
    for (article_id, _), value in zip(
        pairs, fingerprints([body for _, body in pairs], procs), strict=True
    ):
        if value is None:
            prints.pop(article_id, None)
        else:
            prints[article_id] = value
    encoded = {key: base64.b64encode(prints[key]).decode("ascii") for key in sorted(prints)}
    storage.write_json(
        generation / FINGERPRINTS_FILE,
        {"num_perm": NUM_PERM, "shingle_words": SHINGLE_WORDS, "fingerprints": encoded},
    )
    storage.write_json(
        generation / COPIES_FILE,
        {"threshold": COPY_THRESHOLD, "groups": group_copies(prints)},
    )


@contextlib.contextmanager
def copies_alongside(
    generation: Path,
    added: Iterable[tuple[str, str]],
    removed: Iterable[str],
    *,
    concurrent: bool = True,
) -> Iterator[None]:
    """Run :func:`write_copies` in a forked process while the ``with`` block writes the index.

    The writer processes leave gaps on the cores (reading, committing), and
    the groups need nothing they write, so the fingerprints and groups fill
    those gaps instead of following the write.  Leaving the block waits for
    the process; its failure fails the write (the caller removes the
    generation), and a failure inside the block stops it.  Without ``fork``,
    or with ``concurrent=False``, the copies are written after the block.
    """
    import multiprocessing

    pairs, gone = list(added), list(removed)
    if not concurrent or "fork" not in multiprocessing.get_all_start_methods():
        yield
        write_copies(generation, pairs, gone, procs=1 if not concurrent else None)
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    # Forked, the process inherits the bodies instead of having them pickled.
    process = context.Process(
        target=_copies_process, args=(generation, pairs, gone, send, os.getpid()), daemon=True
    )
    process.start()
    send.close()
    try:
        yield
        try:
            outcome = receive.recv()
        except EOFError:
            process.join()
            raise IndexError_(
                f"the process grouping wire copies died (exit code {process.exitcode}); "
                "the old index was kept. Run the command again"
            ) from None
        if outcome is not None:
            raise IndexError_(outcome)
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        receive.close()


def _copies_process(
    generation: Path, pairs: list[tuple[str, str]], removed: list[str], send: Any, parent: int
) -> None:
    """Write the copies (in a forked process); send None, or the error to report."""
    from searchkit.index.reading import exit_with_parent

    exit_with_parent(parent)
    try:
        write_copies(generation, pairs, removed, procs=1)
    except IndexError_ as error:
        send.send(str(error))
    except BaseException as error:  # reported to the parent, which fails the write
        send.send(f"grouping wire copies failed: {type(error).__name__}: {error}")
    else:
        send.send(None)


def _read_fingerprints(path: Path) -> dict[str, bytes]:
    """Return the fingerprints a generation holds (none for a new index)."""
    data = _read_json(path)
    if data is None:
        return {}
    table = data.get("fingerprints") if isinstance(data, dict) else None
    if not isinstance(table, dict) or data.get("num_perm") != NUM_PERM:
        raise _damaged(path)
    prints = {}
    for key, value in table.items():
        try:
            raw = base64.b64decode(value, validate=True) if isinstance(value, str) else b""
        except ValueError:
            raw = b""
        if len(raw) != NUM_PERM * 4:
            raise _damaged(path)
        prints[str(key)] = raw
    return prints


def read_groups(generation: Path) -> list[list[str]]:
    """Return the groups of copies a generation holds (ids; none when it has no file)."""
    return read_groups_file(generation / COPIES_FILE)


def read_groups_file(path: Path) -> list[list[str]]:
    """Return the groups of copies in a copies file (none when there is no file)."""
    data = _read_json(path)
    if data is None:
        return []
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list) or not all(
        isinstance(group, list) and all(isinstance(key, str) for key in group) for group in groups
    ):
        raise _damaged(path)
    return groups


def _read_json(path: Path) -> Any:
    """Return a copies or fingerprints file's JSON, or None when there is no file."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise _damaged(path, exc) from exc


def _damaged(path: Path, cause: Exception | None = None) -> IndexError_:
    why = f" ({cause.__class__.__name__})" if cause is not None else ""
    return IndexError_(
        f"{path} is damaged{why}; rebuild the index with `searchkit index --rebuild`"
    )


def write_joint_copies(directory: Path, generations: Sequence[str]) -> str:
    """Group the copies across the generations of a sharded index; return the file's name.

    The groups are those one index of all the shards' articles would have:
    they are made from every shard's fingerprints together, into a file
    beside the manifest, named after the generations it was made from.
    """
    prints: dict[str, bytes] = {}
    for name in generations:
        prints.update(_read_fingerprints(directory / name / FINGERPRINTS_FILE))
    digest = hashlib.blake2b("\n".join(generations).encode("utf-8"), digest_size=8).hexdigest()
    name = f"copies-{digest}.json"
    storage.write_json(
        directory / name, {"threshold": COPY_THRESHOLD, "groups": group_copies(prints)}
    )
    return name

"""The benchmark corpus and query workload, both deterministic.

The corpus is ``$SEARCHKIT_BENCH_CORPUS`` (a JSONL file of ``{"id", "title",
"text", "date", "source", "url", "dateline"}`` records), else
``<shared>/data/news/news_articles.jsonl`` (``<shared>`` is ``$SEARCHKIT_SHARED``
or ``<repo>/../shared``), else a generated corpus labelled as such.  Set
``SEARCHKIT_BENCH_CORPUS=generated`` to force the generated one.

A corpus of N articles is the first N of a seeded shuffle, so smaller sizes
are subsets of larger ones; past the file's size, articles are resampled
(the opening lines of one article spliced onto the rest of another) so
growth can be measured up to 100k and beyond::

    make bench BENCH_DOCS=100000
    python benchmarks/corpus.py --docs 100000 --out /tmp/news-100k.jsonl   # to keep it
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh.analysis import STOP_WORDS as WHOOSH_STOP_WORDS

from searchkit.analysis.analyzers import STOP_WORDS as SEARCHKIT_STOP_WORDS

ROOT = Path(__file__).resolve().parents[1]
CORPUS_ENV = "SEARCHKIT_BENCH_CORPUS"
GENERATED = "generated"
SEED = 1987
QUERIES_PER_CLASS = 20
RECORDS_PER_FILE = 10_000

Record = dict[str, Any]

#: Query classes in report order, each a kind of query people type.
QUERY_CLASSES = (
    "1 word",
    "2 words",
    "3 words",
    "phrase",
    "source:",
    "title:",
    "date range",
    "quotes:",
)


def shared_dir() -> Path:
    """Return ``$SEARCHKIT_SHARED`` or ``<repo>/../shared``."""
    return Path(os.environ.get("SEARCHKIT_SHARED") or ROOT.parent / "shared")


def corpus_path() -> Path | None:
    """Return the JSONL file to benchmark on, or None for the generated corpus."""
    chosen = os.environ.get(CORPUS_ENV)
    if chosen == GENERATED:
        return None
    if chosen:
        return Path(chosen)
    default = shared_dir() / "data" / "news" / "news_articles.jsonl"
    return default if default.is_file() else None


@dataclass(frozen=True)
class Corpus:
    """The articles of one benchmark run and where they came from."""

    label: str
    records: list[Record]


def load_corpus(docs: int | None, seed: int = SEED) -> Corpus:
    """Return ``docs`` articles (all when None) of the benchmark corpus."""
    path = corpus_path()
    if path is None:
        count = docs or 1000
        records = generate_records(count, seed)
        return Corpus(f"GENERATED corpus (no news file; seed {seed}), {count:,} articles", records)
    base = read_records(path)
    records = sized(base, docs, seed)
    how = "all" if docs is None or docs == len(base) else f"{len(records):,} (seed {seed})"
    if len(records) > len(base):
        how += f", {len(records) - len(base):,} of them resampled"
    return Corpus(f"{path.name} ({len(base):,} articles): {how}", records)


def read_records(path: Path) -> list[Record]:
    """Read a JSONL article file."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_records(records: Iterable[Record], path: Path) -> Path:
    """Write records as JSONL, keeping only the fields searchkit reads."""
    keys = ("id", "title", "text", "date", "source", "url", "dateline")
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps({k: record.get(k) for k in keys}, ensure_ascii=False) + "\n")
    return path


def write_corpus(records: Sequence[Record], directory: Path) -> Path:
    """Write records into ``directory`` as JSONL files of ``RECORDS_PER_FILE`` each.

    searchkit skips article files over 64 MB, which a 100k corpus in one
    file would be.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for number, start in enumerate(range(0, len(records), RECORDS_PER_FILE)):
        part = records[start : start + RECORDS_PER_FILE]
        write_records(part, directory / f"articles-{number:03d}.jsonl")
    return directory


def sized(records: Sequence[Record], docs: int | None, seed: int = SEED) -> list[Record]:
    """Return the first ``docs`` of a seeded shuffle, resampling past the end."""
    return list(iter_sized(records, docs, seed))


def iter_sized(records: Sequence[Record], docs: int | None, seed: int = SEED) -> Iterator[Record]:
    """Yield what :func:`sized` returns, one record at a time (1M resampled need not fit)."""
    rng = random.Random(seed)
    shuffled = list(records)
    rng.shuffle(shuffled)
    yield from shuffled[:docs]
    for number in range(max(0, (docs or 0) - len(shuffled))):
        yield resample(shuffled, number, rng)


def write_corpus_stream(records: Iterable[Record], directory: Path) -> tuple[Path, int]:
    """Write records as :func:`write_corpus` does, holding one file's worth at a time.

    Returns the folder and the number of records written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    count, stream = 0, iter(records)
    while part := list(itertools.islice(stream, RECORDS_PER_FILE)):
        write_records(part, directory / f"articles-{count // RECORDS_PER_FILE:03d}.jsonl")
        count += len(part)
    return directory, count


def resample(records: Sequence[Record], number: int, rng: random.Random) -> Record:
    """Make a new article: the opening lines of one spliced onto the rest of another."""
    base, donor = rng.choice(records), rng.choice(records)
    head, tail = base["text"].split("\n"), donor["text"].split("\n")
    cut = rng.randint(1, max(1, len(head) - 1))
    return {**base, "id": f"{base['id']}~{number}", "text": "\n".join(head[:cut] + tail[cut:])}


# ---------------------------------------------------------------- generated corpus

_WORDS = """
oil price market bank rate trade export import crop wheat grain sugar coffee cocoa
company share profit loss dividend merger acquisition stake bid offer board director
government minister official talks agreement tariff deficit surplus budget tax bill
dollar yen mark sterling currency exchange reserve inflation growth economy recession
production output plant factory steel gold copper tin shipment cargo port strike
union worker election party vote parliament president court ruling policy reform
energy crude barrel refinery pipeline gas field drilling supply demand forecast quarter
analyst investor fund bond yield debt loan credit interest central treasury federal
farm harvest drought rain weather season tonne bushel contract futures delivery
film music award album festival concert actor singer team match player coach league
phone software internet computer network digital games mobile service broadband
""".split()  # noqa: SIM905 - a word list reads best as text
_FIRST = "John Maria Peter Anna David Elena James Sofia Robert Yuki".split()  # noqa: SIM905
_LAST = "Baker Tanaka Smith Okafor Muller Rossi Novak Chen Silva Kaplan".split()  # noqa: SIM905
_PLACES = "LONDON TOKYO NEW-YORK CHICAGO SYDNEY PARIS BONN OTTAWA".split()  # noqa: SIM905
_CUES = ("said", "told reporters", "added", "warned")


def generate_records(count: int, seed: int = SEED) -> list[Record]:
    """Return ``count`` deterministic, plausible-looking news records."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(_WORDS))]

    def sentence(low: int, high: int) -> str:
        words = rng.choices(_WORDS, weights, k=rng.randint(low, high))
        return " ".join(words).capitalize()

    records = []
    for number in range(count):
        reuters = rng.random() < 0.85
        paragraphs = [sentence(8, 20) + "." for _ in range(rng.randint(3, 12))]
        if rng.random() < 0.4:
            speaker = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            quote = f'"{sentence(6, 14)}," {rng.choice(_CUES)} {speaker}.'
            paragraphs.insert(rng.randint(1, len(paragraphs)), quote)
        month, day = rng.choice((2, 3, 3, 3, 4, 4, 6, 10)), rng.randint(1, 28)
        place = rng.choice(_PLACES).replace("-", " ")
        records.append(
            {
                "id": f"gen-{number:06d}",
                "title": sentence(3, 6).upper() if reuters else sentence(3, 7),
                "text": "\n    ".join(paragraphs) + ("\n REUTER" if reuters else ""),
                "date": f"1987-{month:02d}-{day:02d}T12:00:00" if reuters else None,
                "source": "Reuters" if reuters else "BBC News",
                "url": None,
                "dateline": f"{place}, Mar {day} -" if reuters else None,
            }
        )
    return records


# ---------------------------------------------------------------- query workload

# Searchkit's and Whoosh's stop lists and a few words of our own (too common in
# wire copy to be searched for), so a workload word is a search word for all engines.
_STOP = (
    SEARCHKIT_STOP_WORDS
    | WHOOSH_STOP_WORDS
    | frozenset(
        """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers him his how if in into is
    it its itself just may me might more most must my no nor not now of off on once only
    or other our out over own said same she should so some such than that the their them
    then there these they this those through to too under until up us very was we were
    what when where which while who whom why will with would yet you your mln pct dlrs
    reuter year years one two three new last told says""".split()  # noqa: SIM905
    )
)
_QUOTED = re.compile(r'"([^"\n]{12,400})"')
_SINGLE_DAY = re.compile(r"\A(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Query:
    """One workload query: what to look for, drawn from article ``origin``."""

    kind: str
    words: tuple[str, ...] = ()
    phrase: tuple[str, ...] = ()
    field: tuple[str, str] | None = None
    months: tuple[str, str] | None = None
    quote: tuple[str, ...] = ()
    origin: str = ""

    def text(self, *, quotes_field: bool = True) -> str:
        """Return the query in searchkit's (Whoosh) syntax.

        Without ``quotes_field`` a quote query becomes a plain phrase query: the
        baselines have no quotes field, and that is the nearest thing they can do.
        """
        parts = []
        if self.field is not None:
            parts.append(f"{self.field[0]}:{self.field[1]}")
        parts += self.words
        if self.phrase:
            parts.append('"' + " ".join(self.phrase) + '"')
        if self.quote:
            prefix = "quotes:" if quotes_field else ""
            parts.append(prefix + '"' + " ".join(self.quote) + '"')
        if self.months is not None:
            parts.append(f"date:[{self.months[0]} TO {self.months[1]}]")
        return " ".join(parts)


@dataclass
class Workload:
    """The queries of one run, by class."""

    queries: list[Query] = field(default_factory=list)

    def of(self, kind: str) -> list[Query]:
        """Return the queries of one class."""
        return [q for q in self.queries if q.kind == kind]


def _tokens(text: str) -> list[str]:
    """Return the whitespace chunks of a text that are plain lowercase-able words."""
    return [w.lower() for w in text.split() if w.isascii() and w.isalpha()]


def _opening(text: str, share: float = 0.9) -> str:
    """Return the first ``share`` of a text, ending at a whole word."""
    cut = int(len(text) * share)
    if cut >= len(text):
        return text
    return (text[:cut].rsplit(maxsplit=1) or [""])[0]


def _candidates(text: str, df: Counter[str], low: int, high: int) -> list[str]:
    words = {w for w in _tokens(text) if len(w) > 2 and w not in _STOP}
    return sorted(w for w in words if low <= df[w] <= high)


def _pairs(text: str) -> list[tuple[str, str]]:
    """Return adjacent word pairs with nothing but whitespace between them."""
    chunks = text.split()
    pairs = set()
    for first, second in itertools.pairwise(chunks):
        second = second.rstrip(".,;:!?")
        if all(w.isascii() and w.isalpha() and len(w) > 2 for w in (first, second)):
            pair = (first.lower(), second.lower())
            if not set(pair) & _STOP and pair[0] != pair[1]:
                pairs.add(pair)
    return sorted(pairs)


def make_workload(
    records: Sequence[Record], per_class: int = QUERIES_PER_CLASS, seed: int = SEED
) -> Workload:
    """Draw ``per_class`` queries of each class from the corpus, deterministically.

    Every query is built from one article (its ``origin``), so it matches at
    least that article.  Words are searchable (not stop words, alphabetic) and
    neither very rare nor very common: a document frequency between 0.1% and
    10% of the corpus, as topical words people search for tend to be.
    """
    rng = random.Random(seed)
    # The last lines of a wire story are its sign-off, which searchkit does not index.
    bodies = {r["id"]: _opening(r["text"]) for r in records}
    df: Counter[str] = Counter()
    for text in bodies.values():
        df.update(set(_tokens(text)))
    low, high = max(2, len(records) // 1000), max(3, len(records) // 10)
    months = sorted({m.group(0) for r in records if (m := _SINGLE_DAY.match(r.get("date") or ""))})
    order = sorted(records, key=lambda r: r["id"])
    workload = Workload()
    for kind in QUERY_CLASSES:
        picked: list[Query] = []
        for record in rng.sample(order, len(order)):
            if len(picked) == per_class:
                break
            query = _draw(kind, record, bodies[record["id"]], df, low, high, months, rng)
            if query is not None and query not in picked:
                picked.append(query)
        workload.queries += picked
    return workload


def _draw(
    kind: str,
    record: Record,
    body: str,
    df: Counter[str],
    low: int,
    high: int,
    months: list[str],
    rng: random.Random,
) -> Query | None:
    origin = record["id"]
    words = _candidates(body, df, low, high)
    if kind.endswith(("word", "words")):
        size = int(kind[0])
        return (
            Query(kind, tuple(rng.sample(words, size)), origin=origin)
            if len(words) >= size
            else None
        )
    if kind == "phrase":
        pairs = _pairs(body)
        return Query(kind, phrase=rng.choice(pairs), origin=origin) if pairs else None
    if kind == "source:":
        outlet = _tokens(record.get("source") or "")
        if not outlet or not words:
            return None
        return Query(kind, (rng.choice(words),), field=("source", outlet[0]), origin=origin)
    if kind == "title:":
        title = sorted({w for w in _tokens(record.get("title") or "") if len(w) > 2} - _STOP)
        return Query(kind, field=("title", rng.choice(title)), origin=origin) if title else None
    if kind == "date range":
        month = _SINGLE_DAY.match(record.get("date") or "")
        if month is None or not words:
            return None
        start = months.index(month.group(0))
        span = (months[start], months[min(start + 1, len(months) - 1)])
        return Query(kind, (rng.choice(words),), months=span, origin=origin)
    if kind == "quotes:":
        pairs = [p for m in _QUOTED.finditer(body) for p in _pairs(m.group(1))]
        return Query(kind, quote=rng.choice(pairs), origin=origin) if pairs else None
    raise ValueError(f"unknown query class {kind!r}")


def main(argv: Sequence[str] | None = None) -> None:
    """Write a benchmark corpus of a given size to a JSONL file."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--docs", type=int, required=True, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="JSONL file to write")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    corpus = load_corpus(args.docs, args.seed)
    write_records(corpus.records, args.out)
    print(f"wrote {args.out}: {corpus.label}")


if __name__ == "__main__":
    main()

"""Write searchkit/data/punkt/: NLTK Punkt sentence-splitter parameters trained on news.

Run by a developer, not at run time:

    python tools/make_punkt.py [NEWS_JSONL]

NLTK's ``PunktTrainer`` learns, without supervision, which words are
abbreviations ("Mr", "Corp", "U.S"), which word pairs run across a full stop
("Jan. 5"), which words start sentences and how each word is capitalised.  It
is trained here on the article bodies of the shared news corpus (Reuters-21578
and BBC News, ``../shared/data/news/news_articles.jsonl`` by default), read
through searchkit's own JSONL reader so that it sees text as the splitter will.
The output is NLTK's own ``punkt_tab`` format (``save_punkt_params``), with the
capitalisation table cut to words seen at least ``MIN_ORTHO_COUNT`` times: the
files hold word statistics, none of the corpus's text.
searchkit.analysis.sentences loads them.
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterator
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "searchkit" / "data" / "punkt"
DEFAULT_CORPUS = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "news" / "news_articles.jsonl"
)
#: Words seen fewer times than this keep no capitalisation entry: Punkt then
#: treats them as unknown, which is what it does for any word it never saw.
MIN_ORTHO_COUNT = 3


def bodies(corpus: Path) -> Iterator[str]:
    """Yield the body of every article in a JSONL file, as searchkit reads it."""
    from searchkit import read_articles

    for article in read_articles(corpus):
        yield article.body


def main(argv: list[str]) -> int:
    from nltk.tokenize.punkt import PunktTrainer

    corpus = Path(argv[0]) if argv else DEFAULT_CORPUS
    trainer = PunktTrainer()
    for body in bodies(corpus):
        trainer.train(body, finalize=False)
    trainer.finalize_training()
    params = trainer.get_params()
    counts = trainer._type_fdist  # word type -> count: the trainer's own tally
    kept = {
        word: flags
        for word, flags in params.ortho_context.items()
        if counts[word] >= MIN_ORTHO_COUNT
    }
    TARGET.mkdir(parents=True, exist_ok=True)
    (TARGET / "abbrev_types.txt").write_text(
        "".join(f"{w}\n" for w in sorted(params.abbrev_types)), encoding="utf-8"
    )
    (TARGET / "sent_starters.txt").write_text(
        "".join(f"{w}\n" for w in sorted(params.sent_starters)), encoding="utf-8"
    )
    (TARGET / "collocations.tab").write_text(
        "".join(f"{a}\t{b}\n" for a, b in sorted(params.collocations)), encoding="utf-8"
    )
    with gzip.open(TARGET / "ortho_context.tab.gz", "wt", encoding="utf-8", newline="") as out:
        out.writelines(f"{w}\t{flags}\n" for w, flags in sorted(kept.items()))
    print(
        f"{len(params.abbrev_types)} abbreviations, {len(params.collocations)} collocations, "
        f"{len(params.sent_starters)} sentence starters, {len(kept)} of "
        f"{len(params.ortho_context)} capitalisation entries -> {TARGET}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

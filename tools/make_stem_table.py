"""Write searchkit/data/stems/*.txt.gz: Snowball stems of a general English word list.

Run by a developer, not at run time:

    apt-get install wamerican            # SCOWL's American English list, /usr/share/dict/words
    python tools/make_stem_table.py [WORDS_FILE]

The table lets a query word that no indexed article contains (say
"repatriation" when the articles say "repatriating") be stemmed without
importing NLTK; see searchkit/analysis.py.  Every stem in it is NLTK's own
Snowball output, and tests/test_analysis.py checks a sample against NLTK.
"""

from __future__ import annotations

import gzip
import sys
import unicodedata
from pathlib import Path

from nltk.stem.snowball import SnowballStemmer

TARGET = Path(__file__).resolve().parents[1] / "searchkit" / "data" / "stems"


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def main(argv: list[str]) -> int:
    source = Path(argv[0] if argv else "/usr/share/dict/words")
    words = sorted(
        {
            fold(line.strip())
            for line in source.read_text(encoding="utf-8").splitlines()
            if line.strip() and "'" not in line
        }
    )
    words = [w for w in words if w.isalpha()]
    stemmer = SnowballStemmer("english")
    # One small file per initial letter, so a lookup reads ~10 KB, not the whole list.
    shards: dict[str, list[str]] = {}
    for word in words:
        stem = stemmer.stem(word)
        shards.setdefault(word[0], []).append(word if stem == word else f"{word} {stem}")
    TARGET.mkdir(parents=True, exist_ok=True)
    for old in TARGET.glob("*.txt.gz"):
        old.unlink()
    for letter, lines in shards.items():
        with gzip.open(TARGET / f"{letter}.txt.gz", "wt", encoding="utf-8", compresslevel=9) as f:
            f.write("\n".join(lines) + "\n")
    size = sum(p.stat().st_size for p in TARGET.glob("*.txt.gz"))
    print(f"{len(words)} words in {len(shards)} files -> {TARGET} ({size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

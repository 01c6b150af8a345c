"""Write searchkit/data/first-names.txt.gz: first names and the gender they usually go with.

Run by a developer, not at run time (the ``names`` package is not a dependency
of searchkit; it only carries the source lists):

    pip install names==0.3.0
    python tools/make_first_names.py [DIST_MALE_FIRST DIST_FEMALE_FIRST]

The source is the US Census Bureau's 1990 first-name frequency lists
(``dist.male.first``, ``dist.female.first``), a work of the US government and
so in the public domain; see searchkit/data/first-names.LICENSE.  A name in
both lists is kept only when one list gives it at least ``DOMINANCE`` (3) times
the frequency of the other ("BERNIE" is male; names about as common in both lists are left out).
searchkit/quotes/names.py reads the table to tell "he" from "she" candidates.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "searchkit" / "data" / "first-names.txt.gz"
# How many times more frequent in one list a shared name must be to be kept.
DOMINANCE = 3.0


def read_list(path: Path) -> dict[str, float]:
    """Read a Census list: NAME FREQUENCY CUMULATIVE RANK per line."""
    found: dict[str, float] = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            found[parts[0].lower()] = float(parts[1])
    return found


def source_files(argv: list[str]) -> tuple[Path, Path]:
    """Return the male and female list paths: given, or those the names package ships."""
    if len(argv) == 2:
        return Path(argv[0]), Path(argv[1])
    import names  # type: ignore[import-not-found]

    folder = Path(names.__file__).parent
    return folder / "dist.male.first", folder / "dist.female.first"


def main(argv: list[str]) -> int:
    male_path, female_path = source_files(argv)
    male, female = read_list(male_path), read_list(female_path)
    rows: list[str] = []
    for name in sorted(male.keys() | female.keys()):
        m, f = male.get(name, 0.0), female.get(name, 0.0)
        if m >= DOMINANCE * f:
            rows.append(f"{name}\tm")
        elif f >= DOMINANCE * m:
            rows.append(f"{name}\tf")
    data = ("\n".join(rows) + "\n").encode("ascii")
    TARGET.write_bytes(gzip.compress(data, mtime=0))
    print(f"{TARGET}: {len(rows)} names", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The analysis chain: stemming, folding, stop words, and the stem memo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from searchkit.analysis import name_analyzer, text_analyzer


def words(text: str) -> list[str]:
    return [t.text for t in text_analyzer()(text)]


def test_forms_of_repatriate_share_a_stem() -> None:
    stems = set(words("repatriation repatriating repatriations repatriates repatriated"))
    assert len(stems) == 1


def test_curly_and_straight_apostrophes_and_possessives() -> None:
    assert words("China’s") == words("China's") == words("China") == ["china"]
    assert words("doesn’t") == []  # a stop word, whichever apostrophe


def test_hyphenated_names_split_into_parts() -> None:
    assert words("Kang Chol-hwan") == words("Kang Chol Hwan") == ["kang", "chol", "hwan"]


def test_accents_fold() -> None:
    assert words("Café Zürich") == words("cafe zurich")


def test_stop_words_dropped_but_names_keep_every_word() -> None:
    assert words("the theft of state secrets") == ["theft", "state", "secret"]
    assert [t.text for t in name_analyzer()("The Straits Times")] == ["the", "straits", "times"]


def test_query_does_not_import_nltk(seed_index_dir: Path) -> None:
    """Opening an index loads its stem memo, so a query needs no NLTK import."""
    code = (
        "import sys, searchkit\n"
        f"results = searchkit.Index.open({str(seed_index_dir)!r}).search('repatriations')\n"
        "assert len(results) == 2, len(results)\n"
        "print('nltk' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_unseen_common_word_needs_no_nltk(seed_index_dir: Path) -> None:
    """'repatriation' is in no seed article: the shipped table stems it, not NLTK."""
    code = (
        "import sys, searchkit\n"
        f"index = searchkit.Index.open({str(seed_index_dir)!r})\n"
        "assert len(index.search('repatriation')) == 2\n"
        "assert len(index.search('defecting OR repatriation')) == 2\n"
        "print('nltk' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_shipped_stem_table_agrees_with_nltk() -> None:
    from nltk.stem.snowball import SnowballStemmer

    from searchkit.analysis import _read_shard

    stemmer = SnowballStemmer("english")
    for initial in "aeimrsz":
        table = _read_shard(initial)
        assert len(table) > 100
        sample = sorted(table)[:: max(1, len(table) // 200)]
        assert all(table[word] == stemmer.stem(word) for word in sample)

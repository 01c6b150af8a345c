"""The analysis chain: stemming, folding, stop words, and the stem memo."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter

from searchkit.analysis.analyzers import (
    STOP_WORDS,
    TOKEN_PATTERN,
    find_words,
    fold,
    name_analyzer,
    stop_word_analyzer,
    text_analyzer,
)
from searchkit.analysis.stems import stem
from tests.conftest import SEEDS


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


def test_stop_word_field_keeps_only_stop_words_at_their_places() -> None:
    tokens = stop_word_analyzer()("The Who sang “Won’t Get Fooled Again” in Café", positions=True)
    assert [(t.text, t.pos) for t in tokens] == [
        ("the", 0),
        ("who", 1),
        ("won't", 3),
        ("again", 6),
        ("in", 7),
    ]
    assert pickle.loads(pickle.dumps(stop_word_analyzer())) == stop_word_analyzer()


class _Fold(Filter):  # type: ignore[misc]
    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for t in tokens:
            t.text = fold(t.text)
            yield t


class _Stem(Filter):  # type: ignore[misc]
    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t


def _tokens(analyzer: object, text: str, **options: object) -> list[tuple[object, ...]]:
    return [
        (t.text, t.stopped, getattr(t, "pos", None), getattr(t, "startchar", None))
        for t in analyzer(text, **options)  # type: ignore[operator]
    ]


@pytest.mark.parametrize(
    "options",
    [
        {"mode": "index", "positions": True},
        {"mode": "query"},
        {"mode": "index", "positions": True, "chars": True, "removestops": False},
        {"mode": "query", "positions": True, "start_pos": 7, "chars": True, "start_char": 3},
    ],
)
def test_text_analyzer_equals_whooshs_own_filter_chain(options: dict[str, object]) -> None:
    """The one-pass filter gives what Whoosh's lowercase/stop filters and a stemmer give."""
    whoosh_chain = (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | _Fold()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | _Stem()
    )
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert _tokens(text_analyzer(), text, **options) == _tokens(whoosh_chain, text, **options)


@pytest.mark.parametrize("analyzer", [text_analyzer(), name_analyzer()], ids=["text", "name"])
def test_find_words_gives_what_the_analyzer_gives(analyzer: object) -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        tokens = [
            (t.pos, t.startchar, t.endchar, t.text)
            for t in analyzer(text, positions=True, chars=True, mode="index")  # type: ignore[operator]
        ]
        wanted = {text for _, _, _, text in tokens[::3]}
        expected = [t for t in tokens if t[3] in wanted]
        assert find_words(analyzer, text, wanted) == [
            (pos - tokens[0][0], *rest) for pos, *rest in expected
        ]
        assert len(expected) > 50


#: NLTK and the libraries of the format readers: a query needs none of them.
READER_MODULES = ("nltk", "trafilatura", "lxml", "dateutil", "feedparser", "warcio", "pypdf")


def test_query_does_not_import_nltk(seed_index_dir: Path) -> None:
    """Opening an index loads its stem memo, so a query needs no NLTK import.

    Nor the writing side: article parsing, readers, quote extraction, speakers.
    """
    heavy = (
        "nltk",
        "searchkit.articles.parse",
        "searchkit.articles.files",
        "searchkit.articles.decode",
        "searchkit.quotes.extract",
        "searchkit.quotes.attribution",
        "searchkit.quotes.marks",
        "searchkit.quotes.mentions",
        "searchkit.quotes.speakers",
        "searchkit.index.writing",
        *READER_MODULES,
    )
    code = (
        "import sys, searchkit\n"
        f"index = searchkit.Index.open({str(seed_index_dir)!r})\n"
        "results = index.search('repatriations', facets=['speaker'])\n"
        "assert len(results) == 2, len(results)\n"
        "assert index.quotes('border').total and index.speakers()\n"
        f"print([m for m in {heavy!r} if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


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

    from searchkit.analysis.stems import _read_shard

    stemmer = SnowballStemmer("english")
    for initial in "aeimrsz":
        table = _read_shard(initial)
        assert len(table) > 100
        sample = sorted(table)[:: max(1, len(table) // 200)]
        assert all(table[word] == stemmer.stem(word) for word in sample)


@pytest.mark.parametrize(
    "analyzer",
    [text_analyzer(), name_analyzer(), stop_word_analyzer()],
    ids=["text", "name", "stop words"],
)
def test_one_pass_positions_write_whooshs_postings(analyzer: object) -> None:
    from whoosh.formats import Positions

    from searchkit.engine.formats import OnePassPositions

    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for boost in (1.0, 2.0):
            ours = list(OnePassPositions(field_boost=boost).word_values(text, analyzer))
            assert len(ours) > 40
            assert ours == list(Positions(field_boost=boost).word_values(text, analyzer))


words_and_gaps = st.lists(
    st.sampled_from(
        [
            "the ", "The ", "of ", "border ", "guards ", "Café ", "China’s ", "don't ", "2.16 ",
            "Kang-Chol ", "ÉTÉ ", "a", "I ", ", ", ". ", "\n", "  ", "x", "ß ", "İ ", "\x00",
        ]
    ),
    max_size=50,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(text=words_and_gaps, which=st.sampled_from(["text", "name", "stop words"]))
def test_one_pass_positions_equal_whooshs_on_any_text(text: str, which: str) -> None:
    from whoosh.formats import Positions

    from searchkit.engine.formats import OnePassPositions

    analyzer = {"text": text_analyzer, "name": name_analyzer, "stop words": stop_word_analyzer}
    made = analyzer[which]()
    ours = list(OnePassPositions().word_values(text, made))
    assert ours == list(Positions().word_values(text, made))

"""The text analysis chain, built on Whoosh's filters and NLTK's Snowball stemmer.

``tokenise | lowercase | fold | stop | stem``, so that ``repatriation`` finds
``repatriating``, ``repatriations`` and ``repatriates``; ``China’s`` and
``China's`` are ``china``; ``Kang Chol-hwan`` is ``kang chol hwan``; ``Café``
is ``cafe``.

Stems come from :mod:`searchkit.analysis.stems` (memoised, recorded per index,
and shipped for common words, so that a query need not import NLTK). The
analyzer is pickled into the Whoosh schema, so its filters hold no NLTK object
and no memo, only their settings.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container, Iterable, Iterator, Sequence
from typing import Any

from whoosh.analysis import Filter, RegexTokenizer

from searchkit.analysis.stems import recorded_stem

__all__ = [
    "STOP_WORDS",
    "TOKEN_PATTERN",
    "NormaliseFilter",
    "StopWordFilter",
    "find_words",
    "fold",
    "name_analyzer",
    "stop_word_analyzer",
    "stop_word_places",
    "text_analyzer",
    "word_places",
]

# Words and numbers; an apostrophe inside a word keeps it whole (China’s,
# don't) while hyphens split (Chol-hwan -> chol, hwan) so that hyphenated
# names match however a writer spells them.
TOKEN_PATTERN = r"\w+(?:['’]\w+)*(?:\.\d+)*"

# NLTK's English stop list (nltk_data/corpora/stopwords/english, 2024), shipped
# here because reading the corpus needs a download.
STOP_WORDS = frozenset(
    """a about above after again against ain all am an and any are aren aren't as at be
    because been before being below between both but by can couldn couldn't d did didn
    didn't do does doesn doesn't doing don don't down during each few for from further
    had hadn hadn't has hasn hasn't have haven haven't having he he'd he'll he's her
    here hers herself him himself his how i i'd i'll i'm i've if in into is isn isn't it
    it'd it'll it's its itself just ll m ma me mightn mightn't more most mustn mustn't
    my myself needn needn't no nor not now o of off on once only or other our ours
    ourselves out over own re s same shan shan't she she'd she'll she's should should've
    shouldn shouldn't so some such t than that that'll the their theirs them themselves
    then there these they they'd they'll they're they've this those through to too under
    until up ve very was wasn wasn't we we'd we'll we're we've were weren weren't what
    when where which while who whom why will with won won't wouldn wouldn't y you you'd
    you'll you're you've your yours yourself yourselves""".split()  # noqa: SIM905 - a word list reads best as text
)


def fold(text: str) -> str:
    """Lowercase, and fold accents (Café -> cafe) and curly apostrophes (China’s -> china's)."""
    text = text.lower()
    if not text.isascii():
        text = text.replace("’", "'").replace("‘", "'")
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return text


class NormaliseFilter(Filter):  # type: ignore[misc]
    """Fold each token (see :func:`fold`), drop stop words, and optionally stem.

    One filter does what ``LowercaseFilter | FoldFilter | StopFilter |
    StemFilter`` would, with the same results (stop words are removed, or
    marked ``stopped`` when the caller keeps them, and positions are
    renumbered as Whoosh's ``StopFilter`` does), because a chain of four
    generators costs a tenth of an index build.  Each distinct token is
    analysed once per process and remembered.
    """

    #: Bound on remembered tokens; the memo starts again when it fills.
    MEMO_SIZE = 500_000

    def __init__(self, stoplist: Iterable[str] = (), *, stemming: bool = False) -> None:
        self.stops = frozenset(stoplist)
        self.stemming = stemming
        self.is_morph = stemming
        self._seen: dict[str, tuple[str, str | None]] = {}

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, NormaliseFilter)
            and self.stops == other.stops
            and self.stemming == other.stemming
        )

    def __hash__(self) -> int:
        return hash((self.stops, self.stemming))

    def __getstate__(self) -> dict[str, Any]:
        # The analyzer is pickled into the index schema: settings only, no memo.
        return {"stops": self.stops, "stemming": self.stemming}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["stops"], stemming=state["stemming"])  # type: ignore[misc]

    def _analyse(self, text: str) -> tuple[str, str | None]:
        folded = fold(text)
        if not folded or folded in self.stops:
            return folded, None
        if not self.stemming:
            return folded, folded
        return folded, recorded_stem(folded)

    def analyse(self, text: str) -> tuple[str, str | None]:
        """Return a token's folded text, and its indexed text (None for a stop word)."""
        try:
            return self._seen[text]
        except KeyError:
            if len(self._seen) >= self.MEMO_SIZE:
                self._seen.clear()
            analysed = self._seen[text] = self._analyse(text)
            return analysed

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        seen = self._seen
        pos = None
        for t in tokens:
            try:
                folded, indexed = seen[t.text]
            except KeyError:
                folded, indexed = self.analyse(t.text)
            if indexed is None:
                if not t.removestops:
                    t.text = folded
                    t.stopped = True
                    yield t
                continue
            if t.positions:
                if pos is None:
                    pos = t.pos
                else:
                    pos += 1
                    t.pos = pos
            t.text = indexed
            t.stopped = False
            yield t


class StopWordFilter(Filter):  # type: ignore[misc]
    """Keep only the stop words, folded, at their positions among all the words.

    Feeds the field that answers a query made only of stop words (``more``,
    ``The Who``, ``"to be or not to be"``), which the text fields cannot:
    positions count every word, so a phrase of stop words matches only where
    its words stand together.
    """

    def __init__(self, stoplist: Iterable[str] = STOP_WORDS) -> None:
        self.stops = frozenset(stoplist)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StopWordFilter) and self.stops == other.stops

    def __hash__(self) -> int:
        return hash(self.stops)

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        stops = self.stops
        for t in tokens:
            folded = t.text.lower()
            if not folded.isascii():
                folded = fold(folded)
            if folded in stops:
                t.text = folded
                t.stopped = False
                yield t


def _tokenizer_and(analyzer: Any, kind: type) -> Sequence[Any] | None:
    """Return ``(tokenizer, filter)`` if ``analyzer`` is a word tokenizer and one ``kind`` filter.

    searchkit's own analyzers are; for them the fast paths below walk the
    tokenizer's matches instead of making a Whoosh token per word.
    """
    items: Sequence[Any] = getattr(analyzer, "items", ())
    if (
        len(items) == 2
        and type(items[0]) is RegexTokenizer
        and not items[0].gaps
        and type(items[1]) is kind
    ):
        return items
    return None


def stop_word_places(analyzer: Any, text: str) -> dict[str, list[int]] | None:
    """Return each stop word's positions in ``text``, None unless ``analyzer`` is the stop-word one.

    Gives what :func:`stop_word_analyzer` gives, without a token object per
    word: the stop-word field reads every word of every article, and tokens
    cost a third of a field's indexing time.
    """
    items = _tokenizer_and(analyzer, StopWordFilter)
    if items is None:
        return None
    stops = items[1].stops
    places: dict[str, list[int]] = {}
    for position, word in enumerate(items[0].expression.findall(text)):
        word = word.lower()
        if not word.isascii():
            word = fold(word)
        if word in stops:
            found = places.get(word)
            if found is None:
                places[word] = [position]
            else:
                found.append(position)
    return places


def word_places(analyzer: Any, text: str) -> dict[str, list[int]] | None:
    """Return each indexed word's positions in ``text``, None unless ``analyzer`` is searchkit's.

    Gives what ``analyzer(text, positions=True)`` gives for a tokenizer and a
    :class:`NormaliseFilter` (stop words dropped, the first word kept at its
    place among all the words and the rest numbered on from it), without a
    token object per word: indexing reads every word of every article.
    """
    items = _tokenizer_and(analyzer, NormaliseFilter)
    if items is None:
        return None
    seen = items[1]._seen
    analyse = items[1].analyse
    places: dict[str, list[int]] = {}
    position = None
    for index, word in enumerate(items[0].expression.findall(text)):
        try:
            indexed = seen[word][1]
        except KeyError:
            indexed = analyse(word)[1]
        if indexed is None:
            continue
        position = index if position is None else position + 1
        found = places.get(indexed)
        if found is None:
            places[indexed] = [position]
        else:
            found.append(position)
    return places


def find_words(analyzer: Any, text: str, wanted: Container[str]) -> list[tuple[int, int, int, str]]:
    """Return ``(position, start, end, indexed text)`` of each word of ``text`` in ``wanted``.

    Positions count the words that are not stop words, as the index does.
    Gives what ``analyzer(text, positions=True, chars=True)`` gives, and for
    searchkit's own analyzers (a tokenizer and a :class:`NormaliseFilter`)
    without making a token object per word: highlighting analyses the stored
    text of every hit shown, a quarter of a query's time the general way.
    """
    found = []
    items = _tokenizer_and(analyzer, NormaliseFilter)
    if items is not None:
        analyse = items[1].analyse
        position = -1
        for match in items[0].expression.finditer(text):
            indexed = analyse(match.group())[1]
            if indexed is not None:
                position += 1
                if indexed in wanted:
                    found.append((position, match.start(), match.end(), indexed))
        return found
    for position, token in enumerate(analyzer(text, chars=True, mode="index")):
        if token.text in wanted:
            found.append((position, token.startchar, token.endchar, token.text))
    return found


def text_analyzer() -> Any:
    """Return the analyzer for article text: tokenise, fold, stop, stem."""
    return RegexTokenizer(TOKEN_PATTERN) | NormaliseFilter(STOP_WORDS, stemming=True)


def stop_word_analyzer() -> Any:
    """Return the analyzer for the stop-word field: tokenise, fold, keep only stop words."""
    return RegexTokenizer(TOKEN_PATTERN) | StopWordFilter()


def name_analyzer() -> Any:
    """Return the analyzer for names and outlets: tokenise and fold, keep every word."""
    return RegexTokenizer(TOKEN_PATTERN) | NormaliseFilter()

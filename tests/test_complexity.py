"""Hostile input shapes that once took quadratic or cubic time give the right answer.

No test here is timed (``benchmarks/complexity.py`` measures speed).  Each input
is big enough that the old code took from tens of seconds to hours on it, so a
return to a quadratic loop shows up as a suite that does not finish; and each
checks what is extracted, so a fix that skips work is caught.  The last tests
compare the per-article indexes the fast code looks things up in with the
plain scans they replace.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from searchkit.analysis.analyzers import text_analyzer
from searchkit.analysis.sentences import MAX_LINE_CHARS, sentence_spans
from searchkit.articles.records import parse_record
from searchkit.quotes.extract import Quote, extract_quotes
from searchkit.quotes.marks import split_paragraphs
from searchkit.quotes.narrative import Narrative, find_cues, sentence_breaks
from searchkit.search.snippets import Terms, make_snippet


def assert_offsets(text: str, quotes: list[Quote]) -> None:
    for quote in quotes:
        assert text[quote.start : quote.end] == quote.text
        if quote.speaker_start is not None and quote.speaker_end is not None:
            assert 0 <= quote.speaker_start < quote.speaker_end <= len(text)


def shifted(quote: Quote, by: int) -> tuple[object, ...]:
    """A quote's fields with its offsets moved by ``by``, to compare repeats."""

    def move(offset: int | None) -> int | None:
        return None if offset is None else offset + by

    return (
        quote.text,
        quote.start + by,
        quote.end + by,
        quote.speaker,
        move(quote.speaker_start),
        move(quote.speaker_end),
        quote.cue,
        quote.kind,
    )


def assert_repeats(unit: str, times: int) -> list[Quote]:
    """Extract from ``unit * times``: the quotes of one ``unit``, repeated at each copy."""
    once = extract_quotes(unit)
    text = unit * times
    quotes = extract_quotes(text)
    assert len(quotes) == len(once) * times
    expected = [shifted(q, copy * len(unit)) for copy in range(times) for q in once]
    assert [shifted(q, 0) for q in quotes] == expected
    assert_offsets(text, quotes)
    return quotes


# ---------------------------------------------------------------- many quotes per paragraph


def test_a_paragraph_of_1000_quotes_gives_each_its_speaker() -> None:
    text = " ".join(f"Smith said: “Point {i} is here.”" for i in range(1000))
    quotes = extract_quotes(text)
    assert [q.text for q in quotes] == [f"Point {i} is here." for i in range(1000)]
    assert {(q.speaker, q.cue, q.kind) for q in quotes} == {("Smith", "said", "speech")}
    assert_offsets(text, quotes)


def test_a_one_line_article_of_2000_sentences_is_attributed_sentence_by_sentence() -> None:
    # A real article flattened onto one line, as many JSONL exports have it.
    unit = (
        "Mr Lee Wan, the minister, said: “We will build roads.” Critics disagreed. "
        "“It is too late for that,” said Kim Jong. "
    )
    quotes = assert_repeats(unit, 2000)
    assert [q.speaker for q in quotes[:2]] == ["Lee Wan", "Kim Jong"]
    record = parse_record({"id": "x", "title": "t", "text": unit * 2000})
    assert record.body == (unit * 2000).strip()


def test_abbreviations_repeated_in_one_paragraph_pair_every_quote() -> None:
    quotes = assert_repeats("The U.S. said “yes” and the U.K. said “no”. ", 1000)
    assert [q.text for q in quotes[:4]] == ["yes", "no", "yes", "no"]


def test_a_sentence_of_reporting_verbs_keeps_its_subject() -> None:
    quotes = assert_repeats(
        "Jane Doe said, adding “we will” and adding “we must” and adding “we can”. ", 500
    )
    assert {q.speaker for q in quotes} == {"Jane Doe"}


# ---------------------------------------------------------------- marks that do not pair


@pytest.mark.parametrize(
    ("unit", "count", "inner"),
    [
        ("“word ", 30_000, "word"),  # every opening mark ends the quote before it
        ('a"b ', 15_000, "b a"),  # straight marks inside words pair up in order
    ],
)
def test_marks_that_never_pair_as_prose_does_are_each_found(
    unit: str, count: int, inner: str
) -> None:
    text = unit * 30_000
    quotes = extract_quotes(text)
    assert len(quotes) == count
    assert {q.text for q in quotes} == {inner}
    assert_offsets(text, quotes)


def test_unspaced_quotes_are_each_found() -> None:
    quotes = assert_repeats("“x”", 30_000)
    assert {q.text for q in quotes} == {"x"}


def test_100000_quoted_lines_are_all_found() -> None:
    text = "“a”\n" * 100_000
    quotes = extract_quotes(text)
    assert [q.start for q in quotes] == list(range(1, len(text), 4))
    assert {q.text for q in quotes} == {"a"}


# ---------------------------------------------------------------- speakers


def test_thousands_of_distinct_speakers_are_each_named() -> None:
    text = " ".join(f"“Point {i},” Name{i} said." for i in range(5000))
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == [f"Name{i}" for i in range(5000)]


def test_a_surname_repeated_thousands_of_times_expands_to_the_full_name() -> None:
    quotes = assert_repeats("Mr John Smith said: “x.” Smith said: “y.” ", 2000)
    assert {q.speaker for q in quotes} == {"John Smith"}


def test_pronouns_resolve_past_thousands_of_other_speakers() -> None:
    quotes = assert_repeats("Mrs Kim Ann said: “a.” Mr Lee Wan said: “b.” “c,” she said. ", 2000)
    assert [q.speaker for q in quotes[:3]] == ["Kim Ann", "Lee Wan", "Kim Ann"]


def letters(number: int) -> str:
    """Spell ``number`` in letters only: 0 -> "a", 27 -> "bb" (a word with no digits)."""
    word = ""
    while True:
        number, digit = divmod(number, 26)
        word += chr(ord("a") + digit)
        if not number:
            return word


def test_thousands_of_common_words_taken_for_speakers_are_each_dropped() -> None:
    # Each "speaker" is a word the article also writes in lower case: junk, read once
    # per article, not once per quote.
    words = [f"zq{letters(i)}" for i in range(2000)]
    text = "\n\n".join(
        f"A {w} is here. “Point {i} is here,” {w.title()} said. “Next {i},” said Mr Kim."
        for i, w in enumerate(words)
    )
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == [None, "Kim"] * len(words)
    assert_offsets(text, quotes)


# ---------------------------------------------------------------- articles and snippets


def test_a_footer_of_thousands_of_capitalised_words_names_no_outlet() -> None:
    article = parse_record(
        {"id": "x", "title": "t", "text": "Story.\n\ncopyright " + "The " * 50_000 + "end"}
    )
    assert article.body == "Story."
    assert article.source is None


def test_thousands_of_boilerplate_paragraphs_stay_in_order() -> None:
    footer = [f"© 2024 Outlet {i}" for i in range(20_000)]
    article = parse_record({"id": "x", "title": "t", "text": "\n\n".join(["Story.", *footer])})
    assert article.body == "Story."
    assert article.boilerplate.split("\n\n") == footer


def test_a_run_of_marks_is_split_in_bounded_pieces() -> None:
    body = "!" * 200_000 + "x"
    spans = sentence_spans(body)
    assert spans[0][0] == 0 and spans[-1][1] == len(body)
    assert all(end - start <= MAX_LINE_CHARS for start, end in spans)


def test_a_line_of_20000_initials_is_20000_sentences() -> None:
    body = "A. " * 20_000
    assert [body[a:b] for a, b in sentence_spans(body)] == ["A."] * 20_000


def test_a_snippet_of_a_body_with_thousands_of_matches() -> None:
    body = "Border guards stop. " * 8000
    quotes = [{"start": i * 20, "end": i * 20 + 13} for i in range(8000)]
    ends = [end for _, end in sentence_spans(body)]
    assert len(ends) == 8000
    snippet = make_snippet(
        body, Terms(frozenset({"border"})), text_analyzer(), quotes=quotes, sentence_ends=ends
    )
    assert snippet.text == " … ".join(["Border guards stop."] * 3)
    assert snippet.highlights == snippet.quoted == ((0, 6), (22, 28), (44, 50))


# ---------------------------------------------------------------- indexes against plain scans

# Text made of what sentence and cue patterns look at.
narrative_text = st.lists(
    st.sampled_from(
        [
            "said ", "adding ", "according to ", "so-called ", "U.S. ", "Mr. ", "Sept. ", "A.",
            "B ", "x", "He ", ". ", "! ", "?” ", "“", "\x01", " ", "\xa0", "\n", "and ", "to",
        ]
    ),
    max_size=60,
).map("".join)  # fmt: skip


def plain_sentence_start(breaks: list[tuple[int, int]], lo: int, pos: int) -> int:
    """The sentence start by a plain scan of every break before ``pos``."""
    start = lo
    for _, next_start in breaks:
        if lo <= next_start < pos:
            start = next_start
    return start


@st.composite
def in_a_paragraph(draw: st.DrawFn) -> tuple[str, Narrative, list[tuple[int, int]], int, int]:
    """Draw a text, its narrative and sentence breaks, and one of its paragraphs."""
    text = draw(narrative_text)
    paragraphs = split_paragraphs(text)
    assume(paragraphs)
    lo, hi = draw(st.sampled_from(paragraphs))
    breaks = sentence_breaks(text, [])
    return text, Narrative(text, paragraphs, breaks), breaks, lo, hi


Case = tuple[str, Narrative, list[tuple[int, int]], int, int]


@settings(max_examples=300, deadline=None)
@given(case=in_a_paragraph(), data=st.data())
def test_sentence_starts_match_a_plain_scan(case: Case, data: st.DataObject) -> None:
    _, narrative, breaks, lo, hi = case
    pos = data.draw(st.integers(lo, hi))
    assert narrative.sentence_start(lo, pos) == plain_sentence_start(breaks, lo, pos)


@settings(max_examples=300, deadline=None)
@given(case=in_a_paragraph(), data=st.data())
def test_cues_match_a_plain_scan_up_to_a_mark(case: Case, data: st.DataObject) -> None:
    text, narrative, _, lo, hi = case
    end = data.draw(st.sampled_from([i for i in range(lo, hi) if text[i] == "\x01"] + [hi]))
    start = data.draw(st.integers(lo, end))
    found = narrative.cues(start, end)
    assert found == find_cues(text, start, end)
    finite = narrative.cues(start, end, participles=False)
    assert finite == [c for c in found if not c.word.endswith("ing")]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="!.?”)] \nAx“1", max_size=60))
def test_sentences_cover_every_word_in_order_within_lines(text: str) -> None:
    spans = sentence_spans(text)
    assert all(a < b <= c for (a, b), (c, _) in pairwise(spans))
    for start, end in spans:
        assert not text[start].isspace() and not text[end - 1].isspace()
        assert "\n" not in text[start:end]
    covered = {i for start, end in spans for i in range(start, end)}
    assert covered >= {i for i, char in enumerate(text) if not char.isspace()}


# Repeated hostile pieces: marks of every kind, cues, names, abbreviations, breaks.
hostile_text = st.tuples(
    st.lists(
        st.sampled_from(
            [
                "“", "”", '"', "'", "‘", "’", "«", "»", "„", "x=", "said ", "adding ", "he ",
                "Mr Kang ", "Kim Jong ", "U.S. ", ", ", ": ", ". ", "\n", "\n\n", "— ", "a", "A",
            ]
        ),
        min_size=1,
        max_size=12,
    ).map("".join),
    st.integers(1, 400),
).map(lambda pair: pair[0] * pair[1])  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(text=hostile_text)
def test_extract_quotes_on_repeated_hostile_pieces_points_at_the_text(text: str) -> None:
    quotes = extract_quotes(text)
    assert_offsets(text, quotes)
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    assert all(q.end <= r.start for q, r in pairwise(quotes))


# ---------------------------------------------------------------- dialogue


def _letters(number: int) -> str:
    """Spell ``number`` as a name no word list holds: 0 -> "Zoaaa", 27 -> "Zobba"."""
    word = ""
    for _ in range(3):
        number, digit = divmod(number, 26)
        word += chr(ord("a") + digit)
    return "Zo" + word


def test_thousands_of_lines_of_dialogue_with_thousands_of_names_alternate() -> None:
    # Every line names people in the vocative and every cue a new speaker:
    # looking each name up among all the others would be quadratic.
    lines = []
    for i in range(3000):
        ann, eve, fay = (_letters(3 * i + k) for k in range(3))
        lines.append(f"“Good day to you, {ann},” said {eve}.")
        lines.append(f"“Good day, {eve},” said {fay}.")
        lines.append("“How is your mother?”")
        lines.append("“Better, thank you.”")
        lines.append("They walked on.")
    text = "\n\n".join(lines)
    quotes = extract_quotes(text)
    assert_offsets(text, quotes)
    asked = [q.speaker for q in quotes if q.text == "How is your mother?"]
    answered = [q.speaker for q in quotes if q.text == "Better, thank you."]
    assert asked == [_letters(3 * i + 1) for i in range(3000)]
    assert answered == [_letters(3 * i + 2) for i in range(3000)]


def test_thousands_of_lines_carried_on_in_fiction_go_to_the_other_party() -> None:
    # Every bare line took its speaker from a neighbour (continuation.inherit);
    # recalibrate looks each source up once, never among all the lines before.
    lines = []
    for i in range(3000):
        lines.append(f"“Will you come down to the river?” said {_letters(i)}.")
        lines.append("“Not before the rain stops.”")
        lines.append("“It will not stop today.”")
        lines.append("They walked on.")
    text = "\n\n".join(lines)
    quotes = extract_quotes(text)
    assert_offsets(text, quotes)
    answered = [q.speaker for q in quotes if q.text == "Not before the rain stops."]
    again = [q.speaker for q in quotes if q.text == "It will not stop today."]
    assert answered == [None] * 3000
    assert again == [_letters(i) for i in range(3000)]

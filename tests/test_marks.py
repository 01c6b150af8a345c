"""Quote marks beyond English double quotes, and partial quotes versus scare quotes (issue 13)."""

from __future__ import annotations

import pytest

from searchkit.quotes.extract import Quote, extract_quotes


def texts(text: str) -> list[str]:
    """Return the text of every quote found, in order, checking the offsets."""
    quotes = extract_quotes(text)
    assert all(text[q.start : q.end] == q.text for q in quotes)
    return [q.text for q in quotes]


def one(text: str) -> Quote:
    """Return the only quote in ``text``."""
    quotes = extract_quotes(text)
    assert len(quotes) == 1, [q.text for q in quotes]
    return quotes[0]


# --- German and French marks give spans ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Sie sagte: „Wir schaffen das.“ Dann ging sie.", ["Wir schaffen das."]),
        ("„Wir schaffen das“, sagte Merkel am Montag.", ["Wir schaffen das"]),
        ("„Das ist gut”, sagte er.", ["Das ist gut"]),
        ("Er sagte: »Das ist gut.« Dann ging er.", ["Das ist gut."]),
        ("« Nous sommes en guerre », a déclaré Macron.", ["Nous sommes en guerre"]),
        ("Il a dit\u202f: «\u202fJe ne regrette rien.\u202f»", ["Je ne regrette rien."]),
        ("„Eins“ und „zwei“ und „drei“.", ["Eins", "zwei", "drei"]),
    ],
)
def test_german_and_french_marks_give_spans(text: str, quoted: list[str]) -> None:
    assert texts(text) == quoted


def test_a_german_closing_mark_is_not_an_english_opening_one() -> None:
    # “ closes „…“; read as an English opening mark it would swallow the rest.
    text = "„Nein“, sagte sie, und dann „vielleicht“."
    assert texts(text) == ["Nein", "vielleicht"]


@pytest.mark.parametrize("text", ["Sie sagte: „Wir schaffen das.“", "Il a dit : « Je pars. »"])
def test_foreign_pronouns_are_never_shown_as_names(text: str) -> None:
    quote = one(text)
    assert quote.speaker is None or quote.unnamed


# --- single marks --------------------------------------------------------------------


def test_british_single_marks_with_apostrophes_inside() -> None:
    quote = one("He said: ‘I don’t know what happened, and I won’t guess.’")
    assert quote.text == "I don’t know what happened, and I won’t guess."
    assert (quote.speaker, quote.kind) == ("He", "speech")


def test_british_single_marks_attribute_like_double_ones() -> None:
    quote = one("‘We will fight on,’ said Mr Johnson.")
    assert (quote.text, quote.speaker, quote.cue) == ("We will fight on,", "Johnson", "said")


def test_lower_case_single_quoted_fragment_is_a_partial_quote() -> None:
    quote = one("The minister said the plan was ‘deeply flawed’ and would fail.")
    assert (quote.text, quote.kind, quote.speaker) == ("deeply flawed", "partial", "The minister")


def test_british_quote_with_a_double_quote_nested_inside() -> None:
    # British style nests double marks inside single ones: one quote, not two.
    assert texts("‘He said “never” to me,’ she said.") == ["He said “never” to me,"]


def test_american_quote_with_a_single_quote_nested_inside() -> None:
    assert texts("“He told me ‘no way’ yesterday,” she said.") == ["He told me ‘no way’ yesterday,"]


def test_single_quotes_beside_double_quotes_in_one_paragraph() -> None:
    text = "It was a ‘hands off’ approach, Mr Smith said, adding: “We won’t interfere.”"
    assert texts(text) == ["hands off", "We won’t interfere."]


@pytest.mark.parametrize(
    "text",
    [
        "The ‘90s were great and rock ‘n’ roll lives on.",
        "Don’t tell me it’s the players’ union again.",
        "Tell ‘em the 1990s’ music was better.",
    ],
)
def test_apostrophes_and_elisions_are_not_single_quotes(text: str) -> None:
    assert texts(text) == []


# --- partial quotes versus scare quotes ----------------------------------------------


def test_lower_case_fragment_in_a_reported_sentence_is_partial_not_term() -> None:
    # Short and lower case, with only the words "a", "big" and "win": it used to
    # pass for title case and be dropped as a scare quote.
    quote = one("Smith said the vote was “a big win” for the town.")
    assert (quote.kind, quote.speaker) == ("partial", "Smith")


def test_fragment_in_a_reported_sentence_stays_partial_without_a_speaker() -> None:
    # The reporting verb makes it reported speech even when no speaker is found.
    quote = one("The plan, according to those briefed, was “dead on arrival” in the Senate.")
    assert quote.kind == "partial"


def test_scare_quotes_outside_reported_speech_stay_terms() -> None:
    quote = one("The so-called “smart wall” would cost billions.")
    assert quote.kind == "term"
    assert quote.speaker is None


def test_a_title_after_a_preposition_stays_a_term() -> None:
    quote = one("She appeared on “Saturday Night Live” last week, aides said.")
    assert quote.kind == "term"

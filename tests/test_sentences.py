"""The one sentence splitter (searchkit.analysis.sentences): Punkt, trained on news."""

from __future__ import annotations

from searchkit.analysis.sentences import first_sentence, sentence_spans


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def test_abbreviations_initials_and_numbers_do_not_end_a_sentence() -> None:
    text = (
        "Mr. Smith met U.S. officials on Jan. 5 in Washington. Imports rose 2.16 mln tonnes. "
        "Sen. John Doe and Dr. Jones of St. Paul said so. Shares of Apple Inc. The company fell."
    )
    assert sentences(text) == [
        "Mr. Smith met U.S. officials on Jan. 5 in Washington.",
        "Imports rose 2.16 mln tonnes.",
        "Sen. John Doe and Dr. Jones of St. Paul said so.",
        "Shares of Apple Inc.",
        "The company fell.",
    ]


def test_quoted_sentences_keep_their_closing_mark_and_lines_never_join() -> None:
    text = '"We will go," he said. "Not now."\nThe border guards\n\n  stopped them! Why?  '
    assert sentences(text) == [
        '"We will go," he said.',
        '"Not now."',
        "The border guards",
        "stopped them!",
        "Why?",
    ]


def test_the_first_sentence_of_the_first_paragraph_is_the_derived_title() -> None:
    assert (
        first_sentence("\n  Mr. Kang fled in 1992. He was 24.\nLater.") == "Mr. Kang fled in 1992."
    )
    assert first_sentence(" \n\n") == ""

"""Quote attribution reads sentences from the one shared splitter (issues 11 and 13)."""

from __future__ import annotations

import pytest

from searchkit.analysis.sentences import sentence_spans
from searchkit.quotes.extract import Quote, extract_quotes
from searchkit.quotes.narrative import sentence_breaks


def one(text: str) -> Quote:
    """Return the only quote in ``text``."""
    quotes = extract_quotes(text)
    assert len(quotes) == 1, [q.text for q in quotes]
    return quotes[0]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # The old pattern ended a sentence at "Capt." and "Ft.", cutting the
        # speaker off the reporting verb.
        (
            "“The candidates just don’t understand the military,” said Army Capt. "
            "Christian Pardo, who would vote for neither.",
            "Christian Pardo",
        ),
        (
            "“We are already at war,” said Pentagon spokesman Navy Capt. Jeff Davis, "
            "who was asked about the strategy.",
            "Jeff Davis",
        ),
        (
            "“That ignited something,” said Rev. Kyev Tatum, then senior pastor at a "
            "church in Ft. Worth, Texas.",
            "Kyev Tatum",
        ),
        # Initials and a state abbreviation in parentheses end no sentence either.
        (
            "Washington Post columnist Michael Gerson, a speechwriter in George W. "
            "Bush’s White House, calls Cruz “a conviction candidate with the "
            "challenges of a chameleon.”",
            "Michael Gerson",
        ),
        (
            "Rep. Elijah Cummings (D-Md.), chair of the committee, said that it was "
            "“100 percent committed to an open process.”",
            "Elijah Cummings",
        ),
    ],
)
def test_abbreviations_do_not_cut_the_speaker_off(text: str, speaker: str) -> None:
    assert one(text).speaker == speaker


def test_a_full_stop_inside_a_quote_ends_no_sentence_of_the_narrative() -> None:
    text = "Mr. Lee said, “We won. We will win again,” and left the room."
    quote = one(text)
    assert quote.text == "We won. We will win again,"
    assert quote.speaker == "Lee"


def test_a_question_before_a_lower_case_word_ends_no_sentence() -> None:
    # Punkt splits after "?”"; the narrative's sentence goes on to "he asked",
    # and "Ms. Park" is the addressee, never the speaker.
    quote = one("“Are you sure?” he asked Ms. Park.")
    assert quote.cue == "asked"


def test_sentence_breaks_skip_quotes_initials_and_lower_case_starts() -> None:
    text = "He met George W. Bush. “It went well. Very well,” he said. Then he left."
    opening = text.index("“")
    closing = text.index("”")
    breaks = sentence_breaks(text, [(opening, closing)])
    starts = [text[start : start + 4] for _, start in breaks]
    assert starts == ["“It ", "Then"]


def test_given_sentences_give_the_same_quotes_as_found_ones() -> None:
    text = "Sen. Ann Lee (D-Md.) spoke first. “We will win,” she said.\n\n“Soon,” Mr. Kim added."
    assert extract_quotes(text, sentence_spans(text)) == extract_quotes(text)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Talks stalled over the role of the EU. But Mr Blair said the deal was close."
            "\n\n“We will get there,” Blair said.",
            "Blair",
        ),
        (
            "Rover was sold to a firm in the US. GM said it had no interest."
            "\n\n“We are not bidding,” GM said.",
            "GM",
        ),
    ],
)
def test_a_name_never_runs_across_a_sentence_end(text: str, speaker: str) -> None:
    # An acronym's full stop ("the EU.") once joined it to the next sentence's name.
    assert one(text).speaker == speaker

"""Dialogue attribution on fiction-shaped texts written for these tests."""

from __future__ import annotations

from searchkit.quotes.confidence import CONFIDENCE_AFTER, IN_DIALOGUE
from searchkit.quotes.extract import extract_quotes
from tests.quoting import only as quote
from tests.quoting import shown


def test_bare_lines_alternate_between_the_two_speakers() -> None:
    text = (
        "“Where have you been all day?” asked Elizabeth.\n\n"
        "“Out on the hills with the dogs,” said Darcy.\n\n"
        "“And you did not think to tell anyone at all?”\n\n"
        "“I told the groom before I went.”\n\n"
        "“The groom is not your family.”\n\n"
        "“Then I beg your pardon for it.”"
    )
    assert shown(quote(text, "And you")) == "Elizabeth"
    assert shown(quote(text, "I told")) == "Darcy"
    assert shown(quote(text, "The groom")) == "Elizabeth"
    assert shown(quote(text, "Then I")) == "Darcy"
    assert quote(text, "Then I").confidence == IN_DIALOGUE["turn"]


def test_a_bare_line_before_the_first_cue_is_read_backwards() -> None:
    text = (
        "The rain had stopped by the time they reached the gate.\n\n"
        "“Is the gate locked?”\n\n"
        "“It is always locked at night,” said Tom.\n\n"
        "“Then how shall we get in?” asked Anne."
    )
    assert shown(quote(text, "Is the gate")) == "Anne"


def test_she_said_in_an_exchange_is_the_woman_of_the_two() -> None:
    text = (
        "“You are late again,” said Mr. Darcy.\n\n"
        "“The roads were deep in mud,” said Elizabeth.\n\n"
        "“That is no excuse.”\n\n"
        "“It is a very good one,” she said, “and you know it.”\n\n"
        "“I know nothing of the kind,” he said."
    )
    assert shown(quote(text, "It is a very")) == "Elizabeth"
    assert shown(quote(text, "and you know")) == "Elizabeth"
    assert shown(quote(text, "I know nothing")) == "Darcy"


def test_the_name_in_the_vocative_is_the_one_spoken_to() -> None:
    text = (
        "“Good morning,” said Elizabeth.\n\n"
        "“Good morning,” said Mr. Collins.\n\n"
        "“Mr. Collins, you are very early.”\n\n"
        "“I am always early, cousin.”\n\n"
        "“Then you will not mind waiting.”"
    )
    assert shown(quote(text, "Mr. Collins, you")) == "Elizabeth"
    answer = quote(text, "I am always")
    assert shown(answer) == "Collins"
    assert answer.confidence == IN_DIALOGUE["addressed"]


def test_the_addressee_is_never_taken_for_the_speaker() -> None:
    text = (
        "“Is it far?” said Piglet.\n\n"
        "“Not far,” said Pooh.\n\n"
        "“Piglet, do come along.”\n\n"
        "“I am coming, Pooh.”\n\n"
        "“Here we are at last.”"
    )
    assert shown(quote(text, "Piglet, do")) != "Piglet"
    assert shown(quote(text, "I am coming")) == "Piglet"


def test_inverted_cue_after_the_line_names_the_speaker() -> None:
    text = (
        "“It is a truth universally acknowledged,” said Elizabeth.\n\n"
        "“By whom?” said Mr. Bennet.\n\n"
        "“By everyone.”\n\n"
        "“Not by me.”\n\n"
        "“Then by everyone but you.”"
    )
    first = quote(text, "It is a truth")
    assert shown(first) == "Elizabeth"
    assert first.cue == "said"
    # The same cue in news earns 0.96; in fiction it is right less often.
    assert first.confidence == IN_DIALOGUE["after"] < 0.9 < CONFIDENCE_AFTER


def test_a_quote_left_open_goes_on_in_the_next_paragraph() -> None:
    text = (
        "“I will tell you how it was,” said Mr. Bennet. “It began in the spring,\n\n"
        "“and it ended when the leaves fell.”\n\n"
        "“That is not a story at all,” said Elizabeth."
    )
    assert shown(quote(text, "and it ended")) == "Bennet"


def test_a_first_person_narrator_is_named_by_the_others() -> None:
    text = (
        "“Hello, Jake,” Brett said.\n\n"
        "“Good evening,” I said.\n\n"
        "“Have a drink with us, Jake.”\n\n"
        "“Thanks,” I said. “Just a small one, please.”\n\n"
        "“You look tired, Jake.”\n\n"
        "“I am tired.”"
    )
    assert shown(quote(text, "Good evening")) == "Jake"
    assert shown(quote(text, "Just a small")) == "Jake"
    assert shown(quote(text, "Hello, Jake")) == "Brett"


def test_the_one_acting_before_a_bare_line_speaks_it() -> None:
    text = (
        "“Did you know?” said Archer.\n\n"
        "“Know what?” said May.\n\n"
        "“That she was leaving.”\n\n"
        "Janey paled. “You knew she meant to go, and you never said?”\n\n"
        "“I knew nothing.”"
    )
    assert shown(quote(text, "You knew")) == "Janey"


def test_a_bare_news_paragraph_still_goes_on_with_the_last_speaker() -> None:
    text = (
        "The council met on Monday.\n\n"
        "“We will not raise taxes this year,” said Mayor Ann Bell.\n\n"
        "“The budget is balanced and the reserves are full.”\n\n"
        "Opponents disagreed. “The roads are a disgrace,” said council member Tom Hart."
    )
    assert shown(quote(text, "The budget")) == "Ann Bell"
    assert quote(text, "We will not").confidence == CONFIDENCE_AFTER


def test_a_paragraph_ending_in_said_comma_leads_in_the_next_line() -> None:
    text = (
        "Miss Bingley put down her book at last and said,\n\n"
        "“Let me persuade you to take a turn about the room with me.”"
    )
    assert shown(quote(text, "Let me persuade")) == "Bingley"


def test_a_line_addressing_the_last_speaker_is_not_theirs() -> None:
    text = (
        "“A fine morning,” said Eve.\n\n"
        "“And a fine morning to you, Eve.”\n\n"
        "“Will you walk with me?”\n\n"
        "“Gladly.”\n\n"
        "“Then come along.”"
    )
    assert shown(quote(text, "And a fine")) != "Eve"


# A line after narrative is one no alternation reaches; the news rule carries
# the last speaker on to it.
_AFTER_NARRATIVE = (
    "“Shall we walk to the village this afternoon?” asked Jane.\n\n"
    "“I had rather stay by the fire,” said Tom.\n\n"
    "Jane went to the window and drew back the curtain. “The sun is out at last,” she said.\n\n"
    "“Then go without me.”\n\n"
    "“You know I will not go alone.”\n\n"
    "“Then you must wait for me.”"
)


def test_a_line_after_a_closed_line_is_the_other_partys() -> None:
    assert shown(quote(_AFTER_NARRATIVE, "Then go")) == "Tom"
    assert quote(_AFTER_NARRATIVE, "Then go").confidence == IN_DIALOGUE["turn"]
    assert shown(quote(_AFTER_NARRATIVE, "You know")) == "Jane"
    assert shown(quote(_AFTER_NARRATIVE, "Then you must")) == "Tom"


def test_the_other_party_unknown_leaves_the_line_unnamed() -> None:
    text = (
        "Tom sat by the fire with his book. “I had rather stay in today,” said Tom.\n\n"
        "“Shall we walk to the village this afternoon?” asked Jane.\n\n"
        "“Not in this wind.”\n\n"
        "“Then tomorrow, if it drops.”"
    )
    assert shown(quote(text, "Not in this")) is None


def test_news_quoting_two_people_in_turn_runs_the_second_on() -> None:
    # One bare paragraph after two people's quotes is the second one's, as news
    # writes it; only an exchange with more bare lines alternates.
    text = (
        "Campaign chair Paul Manafort dismissed the whole kerfuffle as “absurd.”\n\n"
        "“There is just a passion for Donald,” said Robert Antonacci of the New York "
        "delegation.\n\n"
        "“Who cares? It was her speech, and she gave it well.”"
    )
    assert shown(quote(text, "Who cares")) == "Robert Antonacci"


def test_one_persons_lines_run_on_over_bare_paragraphs() -> None:
    text = (
        "“I have seen the house,” said Mrs. Hale.\n\n"
        "“It is far too small for us.”\n\n"
        "“The garden is a wilderness.”\n\n"
        "“And the rent is more than we can pay.”"
    )
    assert shown(quote(text, "It is far")) == "Hale"
    assert shown(quote(text, "And the rent")) == "Hale"


def test_in_a_long_dialogue_a_line_after_a_named_ones_is_not_theirs() -> None:
    block = (
        "“Will you come down to the river?” said Jane.\n\n"
        "“Not before the rain stops.”\n\n"
        "“It will not stop today.”\n\n"
        "The clock in the hall struck the hour.\n\n"
    )
    found = extract_quotes(block * 10)  # 20 bare lines: fiction, not a news interview
    answers = [q for q in found if q.text.startswith("Not before")]
    assert len(answers) == 10
    assert all(shown(q) is None for q in answers)  # the other party's, and nobody names them
    assert all(shown(q) == "Jane" for q in found if q.text.startswith("It will not"))
    # A single exchange of the same shape reads as news: the bare line goes on with Jane.
    assert shown(quote(block, "Not before")) == "Jane"

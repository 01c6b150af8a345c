"""Regression tests for speaker attribution, one small written text per error kind (issue 13)."""

from __future__ import annotations

import pytest

from searchkit.quotes.confidence import CONFIDENCE_AFTER, CONFIDENCE_PRONOUN, IN_DIALOGUE
from searchkit.quotes.extract import extract_quotes
from searchkit.quotes.names import first_name_genders, name_gender
from tests.quoting import only, shown

# --- the shipped first-name table ------------------------------------------------


def test_first_name_table_is_shipped_and_gendered() -> None:
    table = first_name_genders()
    assert len(table) > 4000
    assert table["hillary"] == "f"
    assert table["donald"] == "m"
    assert set(table.values()) == {"m", "f"}


@pytest.mark.parametrize(
    ("name", "gender"),
    [
        ("Hillary Clinton", "f"),
        ("Bernie Sanders", "m"),
        ("Mrs Kang", "f"),
        ("Mr. Lee", "m"),
        ("Kang Chol-hwan", None),
    ],
)
def test_name_gender_reads_titles_then_first_names(name: str, gender: str | None) -> None:
    assert name_gender(name) == gender


# --- pronouns agree in gender with the person they stand for -----------------------


def test_she_is_not_the_man_named_last() -> None:
    text = (
        "Hillary Clinton met Donald Trump on Monday. “We need a fair deal for workers,” she said."
    )
    assert shown(only(text, "We need")) == "Hillary Clinton"


def test_he_is_not_the_woman_named_last() -> None:
    text = "Donald Trump met Hillary Clinton on Monday. “We need a fair deal for workers,” he said."
    quote = only(text, "We need")
    assert shown(quote) == "Donald Trump"
    assert quote.confidence == CONFIDENCE_PRONOUN


def test_honorifics_give_the_gender() -> None:
    text = "Mrs Kang met Mr Lee in Seoul. “The talks went well for both sides,” he said."
    assert shown(only(text, "The talks")) == "Lee"


def test_gendered_role_words_give_the_gender() -> None:
    text = (
        "Spokeswoman Dana Perino and Chris Wallace spoke on Monday. "
        "“We have nothing more to add today,” she said."
    )
    assert shown(only(text, "We have")) == "Dana Perino"


def test_previous_sentence_subject_beats_a_later_object() -> None:
    text = (
        "Former New York Gov. George Pataki is endorsing John Kasich.\n\n"
        "Pataki says Kasich “has a track record of bringing people together.” He warned "
        "that Donald Trump would “drive the party off the cliff.”"
    )
    assert shown(only(text, "drive the party")) == "George Pataki"


def test_the_subject_opening_the_sentence_before_wins_over_a_second_person() -> None:
    text = (
        "George Pataki praised John Kasich on Monday. "
        "“We need someone who can bring the party together,” he said."
    )
    assert shown(only(text, "We need")) == "George Pataki"


def test_two_unquoted_people_of_the_gender_leave_the_pronoun_unnamed() -> None:
    # The subject does not open the sentence: which of the two "he" is, is a guess.
    text = (
        "In a speech, George Pataki praised John Kasich. "
        "“We need someone who can bring the party together,” he said."
    )
    assert shown(only(text, "We need")) is None


@pytest.mark.parametrize(
    "credit",
    ["Robert Stovall said", "said Robert Stovall", "Robert Stovall argues"],
)
def test_a_second_person_credited_with_speech_leaves_the_pronoun_unnamed(credit: str) -> None:
    # The subject opens the sentence, but the other man is the one who said it.
    text = f"Ted Cruz electrified the small crowds, {credit}. “He was very articulate,” he said."
    assert shown(only(text, "He was")) is None


@pytest.mark.parametrize(
    "text",
    [
        # Credited by an inverted verb, or by one after an auxiliary.
        "Michael Howard's plan would not work, argued Tony Blair. “We will not pretend,” he said.",
        "Gordon Brown has failed the poor, Charles Kennedy has said. “It is unfair,” he added.",
        # "The Scot" is a description, not a name opening the sentence.
        "The Scot defended James Beattie on Monday. “I was wrong about that,” he said.",
        # "Mr Brown's Budget" is no person.
        "Mr Brown's Budget was not about Tony Blair. “It is all about Labour,” he said.",
        # In hard-wrapped text a line break opens no sentence.
        "Japan made no concessions ahead of\nMichael Howard's trip and Paul Channon sought to"
        " calm fears.\n“We don't want a trade war,” he said.",
    ],
)
def test_no_subject_opening_the_sentence_leaves_two_people_unresolved(text: str) -> None:
    (quote,) = extract_quotes(text)
    assert shown(quote) is None


def test_a_name_after_said_that_opens_a_reported_clause_is_no_credited_speaker() -> None:
    text = (
        "Brian Murphy, the county chairman, said Donald Trump continued to hurt his cause."
        " “I don’t think it’s cut well for him,” he said."
    )
    assert shown(only(text, "I don’t")) == "Brian Murphy"


def test_a_name_describing_another_is_no_antecedent() -> None:
    text = (
        "Mitch McConnell spoke on Monday. McConnell spokesman Don Stewart would not say "
        "when the vote would be. “I have no new announcements yet,” he said."
    )
    assert shown(only(text, "I have")) == "Don Stewart"


def test_a_full_name_opening_the_sentence_before_is_a_person_of_either_gender() -> None:
    text = (
        "Armstrong Williams, a longtime adviser, said the candidate was back in charge. "
        "“He is back in charge, and I am so happy,” he told the AP."
    )
    assert shown(only(text, "He is")) == "Armstrong Williams"


def test_no_fitting_person_leaves_the_pronoun_unnamed() -> None:
    text = "Kevin Smith spoke first. “We will not give up on this town,” she said."
    quote = only(text, "We will")
    assert quote.unnamed
    assert shown(quote) is None


def test_a_place_after_a_preposition_is_no_antecedent() -> None:
    text = (
        "The rally was held in Florida on Tuesday night. "
        "“Do not let the perfect be the enemy of the good,” she said."
    )
    assert shown(only(text, "Do not")) is None


# --- names after the quote, in appositions, across sentence ends ------------------


def test_name_after_the_quote_with_an_apposition() -> None:
    text = (
        "“We will not back down,” said Bart Naylor, financial policy advocate for Public Citizen."
    )
    quote = only(text, "We will")
    assert shown(quote) == "Bart Naylor"
    assert quote.confidence == CONFIDENCE_AFTER


def test_a_long_sentence_after_a_closed_quote_may_open_with_the_attribution() -> None:
    text = (
        "“This is fantastic!” said Donald Hartley of Madison, Alabama, who snuck onto "
        "the floor from the guest seats to be closer to the action."
    )
    assert shown(only(text, "This is")) == "Donald Hartley"


def test_role_words_lead_to_the_name_after_the_last_one() -> None:
    text = (
        "“There has been a lot of speculation about that,” said former Utah governor "
        "Michael Leavitt, a Romney confidant."
    )
    assert shown(only(text, "There has")) == "Michael Leavitt"


def test_a_name_does_not_run_across_a_sentence_end() -> None:
    text = (
        "The seat was held by Steve Morgan. Parry is the new candidate.\n\n"
        "“We will win it back,” said Parry."
    )
    assert shown(only(text, "We will")) == "Parry"


def test_a_name_does_not_start_inside_an_initialism() -> None:
    text = (
        "The U.S. Defense Secretary Caspar Weinberger flew in. Caspar Weinberger spoke.\n\n"
        "“We are ready,” said Weinberger."
    )
    assert shown(only(text, "We are")) == "Caspar Weinberger"


def test_a_capitalised_word_opening_a_sentence_is_no_name() -> None:
    text = (
        "Reprising one of her favourite lines, the former secretary of state talked "
        "about “the progress we had under President Obama” at length."
    )
    assert shown(only(text, "the progress")) is None


# --- the medium or the addressee is not the speaker -------------------------------


def test_the_medium_told_is_not_the_speaker() -> None:
    text = (
        "Former president Bill Clinton arrived late. He told BBC News: “I am delighted to be here.”"
    )
    assert shown(only(text, "I am")) == "Bill Clinton"


def test_the_addressee_told_is_not_the_speaker() -> None:
    text = "Hillary Clinton spoke after Kevin Smith. “We need a fair deal,” she told Kevin."
    assert shown(only(text, "We need")) == "Hillary Clinton"


def test_the_outlet_after_told_is_never_an_inverted_speaker() -> None:
    text = (
        "“Positions are going to soften on him,” the chief of staff, Joe Kasper, "
        "told POLITICO before the interview."
    )
    assert shown(only(text, "Positions")) != "POLITICO"


# --- carrying a speaker over -------------------------------------------------------


def test_a_bare_line_in_an_exchange_is_the_other_party() -> None:
    text = (
        "“Where have you been all day?” asked Elizabeth.\n\n"
        "“Out on the hills with the dogs,” said Darcy.\n\n"
        "“And you did not think to tell anyone at all?”"
    )
    quote = only(text, "And you")
    assert shown(quote) == "Elizabeth"
    assert quote.confidence == IN_DIALOGUE["turn"]  # the rate measured on fiction


def test_a_bare_paragraph_after_one_speaker_goes_on_with_them() -> None:
    text = (
        "“The opposition has no plan at all,” said Mark Lee.\n\n"
        "“It is a disgrace and they know it very well.”"
    )
    assert shown(only(text, "It is")) == "Mark Lee"


# --- confidence --------------------------------------------------------------------


def test_confidence_orders_the_rules_by_measured_accuracy() -> None:
    direct = only("“We will win the vote easily,” Senator Jane Doe said.", "We will")
    pronoun = only(
        "Jane Doe arrived. “We will win the vote easily,” she said.",
        "We will",
    )
    assert direct.confidence >= 0.95
    assert pronoun.confidence < 0.9
    assert direct.confidence > pronoun.confidence


def test_progressive_reporting_verb_credits_the_subject() -> None:
    # Wire copy's present progressive: "Trump is questioning whether … “…”".
    text = (
        "Republican presidential front-runner Donald Trump is questioning whether "
        "President Barack Obama would have attended the funeral “if it were held in a mosque.”"
    )
    assert shown(only(text, "if it were")) == "Donald Trump"


def test_passive_reporting_verb_does_not_credit_the_one_asked() -> None:
    text = "In an interview published on Wednesday, Trump was asked, “Would you do it again?”"
    assert shown(only(text, "Would you")) != "Trump"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“David is a friend of mine,” said Clinton ally James Carville.", "James Carville"),
        (
            "“We want a progressive,” Clinton campaign Chairman John Podesta told reporters.",
            "John Podesta",
        ),
        (
            "“They are sore losers,” said Oversight ranking Democrat Elijah Cummings.",
            "Elijah Cummings",
        ),
        ("“Anyone who refuses puts us at risk,” said Cruz constituent Dan Golvach.", "Dan Golvach"),
    ],
)
def test_the_name_after_a_role_is_the_speaker_not_the_name_before(text: str, speaker: str) -> None:
    # "Clinton ally James Carville": Clinton only describes Carville.
    assert shown(only(text, text[1:8])) == speaker


# --- a fragment with no reporting verb: the name must be the subject of a verb --------


@pytest.mark.parametrize(
    "text",
    [
        "Former US secretary of state Madeleine Albright made a remark that “there is a"
        " special place in hell” for some voters.",
        "Under Florida law, battery is committed when a person “actually and intentionally"
        " touches” another.",
        "Given Sanders’ electoral success, his endorsements will carry “a great deal of weight”"
        " this year.",
        "Sanders’ campaign called the report “a rush to judgment” on Tuesday.",
    ],
)
def test_a_name_that_only_modifies_the_subject_is_not_the_speaker(text: str) -> None:
    quote = only(text, text[text.index("“") + 1 : text.index("“") + 6])
    assert shown(quote) is None
    assert quote.kind == "partial"  # still a quoted fragment, only with no name


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Hillary Clinton spoke on Monday. Clinton decried the GOP for “a reckless plan.”",
            "Hillary Clinton",
        ),
        (
            "Sen. Ted Cruz spoke on Monday. Cruz also blamed the law on “Washington insiders.”",
            "Ted Cruz",
        ),
        (
            "Rep. Elijah Cummings (D-Md.), chair of the committee, said that it was “100 percent"
            " committed” to the process.",
            "Elijah Cummings",
        ),
        (
            "Ash Carter spoke in Asia. Carter however said he would welcome a “principled security"
            " network” there.",
            "Ash Carter",
        ),
    ],
)
def test_a_name_that_is_the_subject_of_a_verb_is_the_speaker(text: str, speaker: str) -> None:
    quote = only(text, text[text.rindex("“") + 1 : text.rindex("“") + 6])
    assert shown(quote) == speaker


# --- a surname-only speaker takes the full name given earlier ------------------------


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Energy minister Arturo Hernandez Grisanti spoke on Monday.\n"
            "Hernandez said it had “a very serious impact on Venezuela.”",
            "Arturo Hernandez Grisanti",
        ),
        (
            "Arturo Hernandez spoke on Monday. Hernandez said it had “a very serious impact"
            " on Venezuela.”",
            "Arturo Hernandez",
        ),
    ],
)
def test_a_surname_resolves_to_the_full_name_written_earlier(text: str, speaker: str) -> None:
    assert shown(only(text, "a very")) == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Senate Majority Leader Mitch McConnell spoke on Monday. McConnell said the vote"
            " was “very competitive, as we expected.”",
            "Mitch McConnell",
        ),
        (
            "Income fell, Minister of Energy and Mines Arturo Hernandez Grisanti said on"
            " Tuesday. Hernandez said it had “a very serious impact on Venezuela.”",
            "Arturo Hernandez Grisanti",
        ),
        # No word before the first name is dropped when it too is a first name.
        (
            "Mary Ann Smith spoke. Smith said it was “a very good day for all of us.”",
            "Mary Ann Smith",
        ),
    ],
)
def test_title_words_before_the_first_name_are_not_part_of_the_name(
    text: str, speaker: str
) -> None:
    quote = only(text, text[text.index("“") + 1 : text.index("“") + 7])
    assert shown(quote) == speaker


@pytest.mark.parametrize(
    "text",
    [
        "Regarding Trump, the widow of Navy SEAL Ty Woods has her doubts. She said “I was"
        " disturbed that he was criticized for it.”",
        "Including Trump, twelve men ran. He said “I was disturbed that he was criticized for it.”",
    ],
)
def test_a_preposition_opening_a_sentence_is_no_first_name(text: str) -> None:
    assert shown(only(text, "I was")) is None


def test_a_fragment_with_no_reporting_verb_is_trusted_less_than_one_with_a_verb() -> None:
    told = only("Jane Doe spoke. Doe said the plan was “a reckless gamble.”", "a reckless")
    subject = only("Jane Doe spoke. Doe blamed the plan on “a reckless gamble.”", "a reckless")
    assert shown(told) == shown(subject) == "Jane Doe"
    assert subject.confidence < told.confidence < 0.9


def test_a_subject_after_an_opening_phrase_may_carry_a_parenthetical() -> None:
    text = (
        "In a statement released Thursday, Rep. Hakeem Jeffries (D-N.Y.) reacted to the news,"
        " saying: “The killer should be in prison, and nowhere else.”"
    )
    assert shown(only(text, "The killer")) == "Hakeem Jeffries"


# --- titles, party labels and initials in the name after a quote ------------------------


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "“There is tremendous energy in these races,” Rep. Earl Blumenauer (D-Ore.) said.",
            "Earl Blumenauer",
        ),
        (
            "“Perpetual motion!” Rep. Glenn Thompson, R-Pa., said of the convention.",
            "Glenn Thompson",
        ),
        (
            "“There has been a lot of talk in the last day,” Senate Majority Leader Mitch"
            " McConnell, R-Ky., told reporters.",
            "Mitch McConnell",
        ),
        (
            "“We are not sure how much lower he can sink,” Virgie M. Rollins, chair of the"
            " caucus, said.",
            "Virgie M. Rollins",
        ),
        (
            "“You cannot have 30 people call and start lecturing,” said Sen. Robert P. Casey Jr."
            " (D-Pa.), a Clinton backer.",
            "Robert P. Casey Jr.",
        ),
    ],
)
def test_a_titled_name_after_the_quote_is_the_speaker(text: str, speaker: str) -> None:
    assert shown(extract_quotes(text)[0]) == speaker


def test_a_name_opening_a_new_statement_after_a_quote_is_not_its_speaker() -> None:
    text = (
        "“It is a very sad development,” Ted Cruz told reporters. “This is the consequence"
        " of the culture of that campaign.” Ohio Gov. John Kasich said he would have fired"
        " the manager."
    )
    assert shown(only(text, "This is")) == "Ted Cruz"


# --- pronouns: the subject, and sentences whose subject is the pronoun itself ------------


def test_a_sentence_with_the_pronoun_for_subject_passes_its_names_over() -> None:
    text = (
        "Donald Trump spoke in New Hampshire on Tuesday.\n"
        "He nodded only obliquely to his second-place finish behind Ted Cruz.\n"
        "“We learned a lot about ground games in one week,” he said."
    )
    assert shown(only(text, "We learned")) == "Donald Trump"


def test_in_its_own_sentence_a_pronoun_is_the_subject_not_the_nearest_name() -> None:
    text = "John Smith met Bill Jones on Monday, and he said “we will win this one easily.”"
    assert shown(only(text, "we will")) == "John Smith"

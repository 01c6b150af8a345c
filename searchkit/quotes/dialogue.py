"""Dialogue: who speaks the bare lines of a conversation, as a novel writes it.

A conversation is a run of consecutive paragraphs that each hold a quote (a
paragraph of narrative ends it). Each paragraph is one *turn*. Turns without
an attribution of their own take their speaker from the exchange:

- a quote left open at a paragraph's end goes on in the next paragraph, by the
  same speaker (``continued``);
- a turn that names someone in the vocative (“Oh, Brett, I …”) is answered by
  that person (``addressed``); the one addressed is never the turn's speaker;
- otherwise turns alternate: after B and A, a bare line is B's again
  (``turn``), read forwards from the last attributed turns and, where nothing
  came before, backwards from the next ones.

Inside an exchange a "he said" or "she said" is the participant of that
gender who did not speak the line before (``exchange``), and a first-person
narrator's "I said" is the name the other speakers call the narrator by
(``narrator``); who acts just before a bare line speaks it ("Janey paled.
“…”", ``beat``). A paragraph of narrative with a quote is a turn only so.

All this applies only to text that reads as dialogue: lines standing bare,
neighbours that mostly change speaker (news carries a speaker on over bare
paragraphs instead). There every quote gets its rule's rate measured on
fiction (:data:`searchkit.quotes.confidence.IN_DIALOGUE`), and a neighbour's
speaker that the quote addresses is dropped
(:func:`searchkit.quotes.alternation.recalibrate`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from searchkit.quotes.confidence import confidence
from searchkit.quotes.marks import Span
from searchkit.quotes.mentions import Mention, mention_at_start
from searchkit.quotes.participants import (
    NARRATOR_WORDS,
    PRONOUN_GENDER,
    People,
    Who,
    among,
    gender_of,
    titled,
    two_people,
    vocatives,
    who_of,
)
from searchkit.quotes.speakers import SpeakerResolver

__all__ = ["Dialogue", "resolve_dialogue"]

# Lines before a "he said" in an exchange that the participants are looked for in.
PARTICIPANT_TURNS = 6
# In dialogue, attributed neighbours change speaker this many times as often as not.
DIALOGUE_CHANGES = 2
# Or lines with no attribution stand this often in runs of quoted paragraphs.
DIALOGUE_BARE_LINES = 3
# A text with this many bare lines is fiction (or a transcript): its lines alternate even
# where only one speaker is named, while news quotes one person over a few bare paragraphs
# (none of the 7 PolNeAR outlets has this many; news changed at 10).
FICTION_BARE_LINES = 20
# Two people quoted in turn alternate only in an exchange with this many bare lines: news
# quotes one person, then another who runs on over a bare paragraph ("…,” said Robert
# Antonacci. ¶ “Who cares? …”), which is no answer to the first.
EXCHANGE_BARE_LINES = 2
# A narrator's name needs this many vocatives in the others' lines of their conversations.
NARRATOR_VOTES = 1


@dataclass(frozen=True, slots=True)
class Dialogue:
    """What the exchange tells :func:`~searchkit.quotes.alternation.recalibrate` about a text."""

    addressed: dict[int, list[Who]]  # by ``id`` of a span: the people its line addresses
    lines: frozenset[int]  # paragraphs that open with a quote: lines of a conversation
    exchanges: frozenset[int]  # paragraphs whose lines alternate (alternation.py)


@dataclass(slots=True)
class _Turn:
    """One paragraph of a conversation."""

    spans: list[Span]
    who: Who | None = None
    explicit: bool = False  # attributed by a cue of its own
    opens: bool = True  # the paragraph opens with a quote: a line of dialogue
    pronoun: str = ""  # "he", "she" or "i" when the cue's subject is that pronoun
    cued: Span | None = None  # the quote whose own cue names the speaker
    beat: Mention | None = None  # the subject of the narrative before a bare line
    addressed: list[Who] = field(default_factory=list)


def resolve_dialogue(
    text: str,
    masked: str,
    spans: list[Span],
    paragraphs: list[tuple[int, int]],
    resolver: SpeakerResolver,
) -> Dialogue | None:
    """Give the bare turns of each conversation a speaker from the exchange.

    Return None when the text does not read as dialogue (nothing is changed),
    else what :func:`recalibrate` needs to know of the exchange.
    """
    conversations = _conversations(masked, spans, paragraphs)
    if not _reads_as_dialogue(conversations):
        return None
    speakers = [turn.who for turns in conversations for turn in turns if turn.who is not None]
    known = People(speakers)
    for turns in conversations:
        for turn in turns:
            turn.addressed = vocatives(text, turn.spans, known, resolver)
    for turns in conversations:
        for turn in turns:
            if turn.beat is not None and turn.beat.kind == "name":
                name, unnamed = resolver.resolve(turn.beat)
                who = who_of(name, turn.beat, unnamed)
                if who is not None:
                    _give(turn, who, "beat")
    narrator = _narrator(conversations, known)
    gendered = People(speakers + titled(text))
    for turns in conversations:
        for turn in turns:
            if turn.pronoun == "i" and narrator is not None:
                _give(turn, narrator, "narrator")
        _forwards(turns, gendered)
        _backwards(turns, gendered)
    addressed = {
        id(span): turn.addressed
        for turns in conversations
        for turn in turns
        if turn.addressed
        for span in turn.spans
    }
    lines = [turn.spans[0].paragraph for turns in conversations for turn in turns if turn.opens]
    fiction = sum(not turn.explicit for turns in conversations for turn in turns)
    exchanges = [
        turn.spans[0].paragraph
        for turns in conversations
        if fiction >= FICTION_BARE_LINES
        or (
            two_people([turn.who for turn in turns])
            and sum(not turn.explicit for turn in turns) >= EXCHANGE_BARE_LINES
        )
        for turn in turns
    ]
    return Dialogue(addressed, frozenset(lines), frozenset(exchanges))


def _conversations(
    masked: str, spans: list[Span], paragraphs: list[tuple[int, int]]
) -> list[list[_Turn]]:
    """Group the paragraphs with quotes into runs of consecutive turns."""
    conversations: list[list[_Turn]] = []
    current: list[_Turn] = []
    last_paragraph = -2
    by_paragraph: dict[int, list[Span]] = {}
    for span in spans:
        by_paragraph.setdefault(span.paragraph, []).append(span)
    for paragraph in sorted(by_paragraph):
        quoted = by_paragraph[paragraph]
        turn = _turn(masked, quoted, paragraphs[paragraph][0])
        if turn is None or paragraph != last_paragraph + 1:
            if len(current) > 1:
                conversations.append(current)
            current = []
        if turn is not None:
            current.append(turn)
        last_paragraph = paragraph
    if len(current) > 1:
        conversations.append(current)
    return conversations


def _reads_as_dialogue(conversations: list[list[_Turn]]) -> bool:
    """Say whether the text's conversations alternate, as fiction and interviews do.

    News runs a speaker on over several paragraphs, and a bare quote paragraph
    there is the last speaker's; in dialogue the line after B's is not B's. So
    the rules apply only where lines stand bare and attributed neighbours
    mostly change speaker.
    """
    bare = changes = stays = 0
    for turns in conversations:
        bare += sum(not turn.explicit for turn in turns)
        for first, second in pairwise(turns):
            if first.who is not None and second.who is not None:
                stays += first.who.same(second.who)
                changes += not first.who.same(second.who)
    if bare >= DIALOGUE_BARE_LINES:
        return True
    return bare >= 1 and changes >= 1 and changes > DIALOGUE_CHANGES * stays


def _turn(masked: str, spans: list[Span], lo: int) -> _Turn | None:
    """Read a paragraph as a turn: who its cue names, or a bare line opening with a quote."""
    attributed = next((span for span in spans if span.speaker is not None), None)
    if attributed is None:
        if not masked[lo : spans[0].open_mark].strip(" \xa0\t—–-"):
            return _Turn(spans)
        # "Janey paled.  “You knew …”": who acts before the line speaks it.
        start = lo
        while start < spans[0].open_mark and masked[start] in " \xa0\t":
            start += 1  # not masked[lo:].lstrip(): that copies the rest of the text
        subject = mention_at_start(masked, start)
        if subject is None or subject.end > spans[0].open_mark or subject.kind == "description":
            return None
        word = subject.text.lower()
        if subject.kind == "pronoun" and word not in PRONOUN_GENDER:
            return None
        pronoun = word if word in PRONOUN_GENDER else ""
        return _Turn(spans, opens=False, pronoun=pronoun, beat=subject)
    mention = attributed.speaker
    assert mention is not None
    word = mention.text.lower() if mention.kind == "pronoun" else ""
    pronoun = word if word in {"he", "she", "i"} else ""
    opens = not masked[lo : spans[0].open_mark].strip(" \xa0\t—–-")
    turn = _Turn(spans, explicit=True, opens=opens, pronoun=pronoun, cued=attributed)
    turn.who = who_of(attributed.name, mention, attributed.unnamed)
    if pronoun == "i":
        turn.who = Who("I", mention, True, NARRATOR_WORDS, None)
    if turn.who is not None and pronoun in {"he", "she"}:
        turn.who = Who(turn.who.name, mention, False, turn.who.words, PRONOUN_GENDER[pronoun])
    return turn


def _narrator(conversations: list[list[_Turn]], known: People) -> Who | None:
    """Return the name the others call a first-person narrator by, if they agree.

    The narrator says "I said", so the name is one the other lines of those
    conversations use in the vocative and the narrative never credits a quote to.
    """
    votes: Counter[str] = Counter()
    people: dict[str, Who] = {}
    for turns in conversations:
        if not any(turn.pronoun == "i" for turn in turns):
            continue
        for turn in turns:
            if turn.pronoun == "i":
                continue
            for who in turn.addressed:
                if known.knows(who):
                    continue
                key = " ".join(sorted(who.words))
                votes[key] += 1
                people.setdefault(key, who)
    if not votes:
        return None
    (best, count), *rest = votes.most_common(2)
    if count < NARRATOR_VOTES or (rest and rest[0][1] == count):
        return None
    return people[best]


def _give(turn: _Turn, who: Who, how: str) -> None:
    """Credit ``turn`` to ``who``: its bare quotes, or the quote whose pronoun is resolved."""
    turn.who = who
    if turn.cued is not None:
        # "he said", "I said": the cue's own mention stays; the name is the exchange's.
        mention = turn.cued.speaker
        assert mention is not None
        for span in turn.spans:
            if span.speaker == mention:
                span.name, span.unnamed, span.how = who.name, False, how
                span.confidence = confidence(how, who.mention, False)
        return
    for span in turn.spans:
        span.speaker, span.name, span.unnamed = who.mention, who.name, who.unnamed
        span.cue, span.how = None, how
        span.confidence = confidence(how, who.mention, who.unnamed)


def _guess(turns: list[_Turn], index: int) -> tuple[Who | None, str]:
    """Infer the speaker of ``turns[index]`` from the turns before it."""
    previous = turns[index - 1] if index else None
    if previous is None:
        return None, ""
    if not previous.spans[-1].closed and previous.who is not None:
        return previous.who, "continued"
    if not previous.opens:
        return None, ""  # narrative before the line: no exchange to read
    mine = turns[index].addressed
    for who in previous.addressed:
        if not who.same(previous.who) and not any(who.same(m) for m in mine):
            return who, "addressed"
    if index >= 2 and previous.who is not None and turns[index - 2].opens:
        before = turns[index - 2].who
        if before is not None and not before.same(previous.who) and not among(before, mine):
            return before, "turn"
    return None, ""


def _forwards(turns: list[_Turn], known: People) -> None:
    """Fill bare turns, and re-resolve "he/she said", from the turns before."""
    for index, turn in enumerate(turns):
        if turn.pronoun in {"he", "she"} and (turn.opens or turn.beat is not None):
            _exchange_pronoun(turns, index, known)
            continue
        if turn.who is not None or turn.explicit:
            continue
        who, how = _guess(turns, index)
        if who is not None:
            _give(turn, who, how)


def _backwards(turns: list[_Turn], known: People) -> None:
    """Fill bare turns, and unresolved "he/she said", from the two turns after them."""
    for index in range(len(turns) - 3, -1, -1):
        turn = turns[index]
        if turn.who is not None or not turn.spans[-1].closed:
            continue
        after, later = turns[index + 1].who, turns[index + 2].who
        if later is None or later.same(after) or among(later, turn.addressed):
            continue
        if not turn.explicit:
            _give(turn, later, "turn")
        elif _fits_pronoun(turn, later, known):
            _give(turn, later, "exchange")


def _fits_pronoun(turn: _Turn, who: Who, known: People) -> bool:
    """Say whether a line's own "he/she said" can be ``who`` (a line of dialogue, that gender)."""
    if turn.pronoun not in PRONOUN_GENDER or not (turn.opens or turn.beat is not None):
        return False
    return gender_of(who, known) == PRONOUN_GENDER[turn.pronoun]


def _exchange_pronoun(turns: list[_Turn], index: int, known: People) -> None:
    """Resolve "he/she said" to the participant of that gender who did not just speak."""
    turn = turns[index]
    wanted = "m" if turn.pronoun == "he" else "f"
    previous = turns[index - 1].who if index else None
    guess, _ = _guess(turns, index)
    candidates: list[Who] = [guess] if guess is not None else []
    for earlier in reversed(turns[max(0, index - PARTICIPANT_TURNS) : index]):
        if earlier.who is not None:
            candidates.append(earlier.who)
    fits = [who for who in candidates if not who.same(previous) and not among(who, turn.addressed)]
    genders = [gender_of(who, known) for who in fits]
    pairs = zip(fits, genders, strict=True)
    chosen = next((who for who, gender in pairs if gender == wanted), None)
    if chosen is None and guess is not None and fits and fits[0] is guess and genders[0] is None:
        chosen = guess  # the alternation's answer, whose gender nothing tells
    if chosen is not None:
        if not chosen.same(turn.who):
            _give(turn, chosen, "exchange")
        turn.who = chosen

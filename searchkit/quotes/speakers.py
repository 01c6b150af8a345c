"""Resolve speaker mentions to the names an article gives in full.

:class:`SpeakerResolver` maps a surname ("Kang") back to the full name written
in the article ("Kang Chol-hwan") and a pronoun to a person of its gender named
in the sentences before; with no fitting name a mention stays unnamed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from searchkit.quotes.antecedents import (
    PRONOUN_REACH,
    PRONOUN_SENTENCES,
    SentenceRuns,
    after_preposition,
    credited,
    modifies_name,
    opens_as_subject,
)
from searchkit.quotes.lexicon import FEMALE_ROLES, MALE_ROLES, NOT_NAMES, ROLES
from searchkit.quotes.mentions import (
    PARTICLE_PATTERN,
    Mention,
    at_sentences,
    clean_name,
    opening_pronoun,
    sentence_pieces,
)
from searchkit.quotes.names import (
    first_name_genders,
    from_first_name,
    name_gender,
    strip_honorifics,
    title_gender,
)

__all__ = ["SpeakerResolver", "fold_words"]

# Runs of capitalised words, honorifics included; cleaned up by ``clean_name``.
# Runs may take in a sentence's full stop ("Steve Morgan. Parry"); they are cut
# there afterwards (mentions.sentence_pieces), cheaper than a title alternation per word.
_FULL_NAME_RE = re.compile(
    rf"(?<![\w’'.])[A-Z][\w’'\-]*\.?"
    rf"(?:[ \xa0]+(?:{PARTICLE_PATTERN}[ \xa0]+)?[A-Z][\w’'\-]*\.?){{1,4}}"
)
# How far back from a surname a name's first words may start.
RUN_REACH = 60
# Surnames looked up by searching the text around each occurrence; past this many
# (no article in the news and annotated corpora needs 15), the article's full
# names are indexed once instead, so an article naming thousands of people is
# not searched once per name.
MAX_NAME_SCANS = 32
_RUN_BEFORE_RE = re.compile(r"(?<![\w’'.])(?:[A-Z][\w’'\-]*\.?[ \xa0]+){1,4}$")
_RUN_AFTER_RE = re.compile(r"(?:[ \xa0]+[A-Z][\w’'\-]*\.?){1,3}")
_WORD_EDGE_PUNCTUATION = ".,;:!?’'\"()[]"
_POSSESSIVE_RE = re.compile(r"[’']s?$")


def fold_words(text: str) -> str:
    """Lower-case a single word and strip the punctuation around it."""
    return text.strip(_WORD_EDGE_PUNCTUATION).lower()


@dataclass(slots=True)
class _Person:
    """A full name seen in the article."""

    name: str
    start: int
    gender: str | None
    ends: tuple[str, str]  # folded first and last word, the keys a surname matches


class SpeakerResolver:
    """Resolve speaker mentions in one article to full names."""

    def __init__(
        self, text: str, narrative: str | None = None, sentence_starts: Sequence[int] = ()
    ) -> None:
        """Remember ``text``; full names are indexed on first use.

        ``narrative`` is ``text`` with quoted words blanked out (same length):
        a pronoun outside quotes refers to someone named outside them.
        ``sentence_starts`` are where the narrative's sentences start, in order,
        besides each line (see :func:`searchkit.quotes.narrative.sentence_breaks`).
        """
        self._sentence_starts = sentence_starts
        self._text = text
        self._narrative = text if narrative is None else narrative
        self._named: set[str] = set()
        self._persons: dict[int, tuple[str, str | None] | None] = {}
        self._mid_sentence: set[str] | None = None
        self._sentence_runs: SentenceRuns | None = None
        self._people: list[_Person] | None = None
        self._by_word: dict[str, list[_Person]] = {}
        self._runs: list[tuple[int, str, frozenset[str]]] | None = None
        self._runs_by_word: dict[str, list[tuple[int, str, frozenset[str]]]] = {}
        self._scans = 0
        self._openings: dict[int, str | None] = {}
        self._genders: dict[str, str | None] = {}
        self._surnames: dict[tuple[str, str | None], tuple[list[int], list[_Person]]] = {}

    def _index(self) -> list[_Person]:
        """Collect every multi-word capitalised name in the article."""
        if self._people is None:
            self._people = self._clean_runs(self._capitalised_runs())
        return self._people

    def _capitalised_runs(self) -> list[tuple[int, str, frozenset[str]]]:
        """Find capitalised runs once, with their folded words for quick filtering."""
        if self._runs is None:
            self._runs = [
                (m.start(), m.group(), frozenset(map(fold_words, m.group().split())))
                for m in _FULL_NAME_RE.finditer(self._text)
            ]
            for run in self._runs:
                for folded in run[2]:
                    self._runs_by_word.setdefault(folded, []).append(run)
        return self._runs

    def _people_named(self, word: str) -> list[_Person]:
        """Return the full names whose first or last word is ``word``."""
        key = fold_words(word)
        if key not in self._by_word:
            if self._runs is None and self._scans < MAX_NAME_SCANS:
                self._scans += 1
                runs = [run for run in self._runs_around(word) if key in run[2]]
            else:
                self._capitalised_runs()
                runs = self._runs_by_word.get(key, [])
            found = self._clean_runs(runs)
            named = [person for person in found if key in person.ends]
            # "Arturo Hernandez Grisanti" … "Hernandez said": a double surname's
            # first half names the person when no name begins or ends with it.
            self._by_word[key] = named or [
                person
                for person in found
                if len(key) > 1 and key in map(fold_words, person.name.split()[1:-1])
            ]
        return self._by_word[key]

    def _runs_around(self, word: str) -> list[tuple[int, str, frozenset[str]]]:
        """Find the capitalised runs around each occurrence of ``word`` (no full scan)."""
        text, runs = self._text, []
        at = text.find(word)
        while at >= 0 and word:
            end = at + len(word)
            bounded = (at == 0 or not text[at - 1].isalnum()) and (
                end == len(text) or not text[end].isalnum()
            )
            if bounded:
                before = _RUN_BEFORE_RE.search(text, max(0, at - RUN_REACH), at)
                after = _RUN_AFTER_RE.match(text, end)
                lo = before.start() if before else at
                hi = after.end() if after else end
                run = text[lo:hi]
                runs.append((lo, run, frozenset(map(fold_words, run.split()))))
            at = text.find(word, end)
        return runs

    def _clean_runs(self, runs: list[tuple[int, str, frozenset[str]]]) -> list[_Person]:
        """Turn capitalised runs into full names, dropping clause words and titles."""
        people: list[_Person] = []
        for start, run in at_sentences(sentence_pieces(runs), self._sentence_starts):
            if run.endswith(".") and len(run.rsplit(None, 1)[-1]) > 2:
                run = run[:-1]  # a sentence's full stop, not an initial
            mention = clean_name(run, start)
            if mention is None:
                continue
            words = from_first_name(strip_honorifics(mention.text).split())
            if len(words) < 2:
                continue
            ends = (fold_words(words[0]), fold_words(words[-1]))
            people.append(_Person(" ".join(words), mention.start, title_gender(mention.text), ends))
        return people

    def resolve(self, mention: Mention) -> tuple[str, bool]:
        """Return the canonical speaker for ``mention`` and whether it is unnamed."""
        if mention.kind == "description":
            return mention.text, True
        if mention.kind == "pronoun":
            return self._resolve_pronoun(mention)
        name = strip_honorifics(mention.text)
        gender = title_gender(mention.text)
        words = name.split()
        if len(words) > 2 and words[0].lower() in ROLES:
            # "Writer Neil Coppendale", "Actress Sandra Dee": the role opens a sentence.
            words = from_first_name(words)
            name = " ".join(words)
        if len(words) == 1:
            expanded = self._expand_surname(name, mention.start, gender)
            if expanded is None and name == mention.text and self._unknown_word(mention):
                return mention.text, True
            name = expanded or name
        self.remember(mention.start, name, gender)
        return name, False

    def _unknown_word(self, mention: Mention) -> bool:
        """Say whether a lone capitalised word opening a sentence is no known name.

        "Reprising one of her lines, ..." and "Multiple outlets reported ...":
        the capital is the sentence's, and nothing else in the article makes
        the word a name (no full name ends in it, no title, no first name).
        """
        if mention.text in self._named:
            return False
        if first_name_genders().get(mention.text.lower()) is not None:
            return False
        if self._mid_sentence is None:
            self._mid_sentence = set(_MID_SENTENCE_CAPITAL_RE.findall(self._narrative))
        if mention.text in self._mid_sentence:
            return False
        before = self._narrative[max(0, mention.start - 3) : mention.start].rstrip(" \xa0")
        return not before or before[-1] in ".!?\n"

    def remember(self, position: int, name: str, gender: str | None) -> None:
        """Record a named speaker so later pronouns can resolve to it."""
        self._named.add(name)
        if gender is not None and self._genders.get(name) is None:
            self._genders[name] = gender

    def _gender_for(self, name: str) -> str | None:
        """Look up a gender recorded for the same person, else guess it from the name."""
        if self._genders.get(name) is None:
            words = name.split()
            self._genders[name] = name_gender(name) or next(
                (
                    person.gender
                    for person in (self._people_named(words[-1]) if words else [])
                    if person.name == name and person.gender is not None
                ),
                None,
            )
        return self._genders[name]

    def _expand_surname(self, surname: str, position: int, gender: str | None) -> str | None:
        """Find the full name whose first or last word is ``surname``.

        That is the last one written at or before ``position``, else the first.
        """
        key = (fold_words(surname), gender)
        if key not in self._surnames:
            fits = [
                person
                for person in self._people_named(surname)
                if not (gender and person.gender and person.gender != gender)
            ]
            fits.sort(key=lambda person: person.start)  # stable; found in reading order
            self._surnames[key] = ([person.start for person in fits], fits)
        starts, people = self._surnames[key]
        if not people:
            return None
        before = bisect_right(starts, position)
        return people[before - 1].name if before else people[0].name

    def _resolve_pronoun(self, mention: Mention) -> tuple[str, bool]:
        """Resolve he/she to a person of that gender named in the sentences before.

        In the pronoun's own sentence, or else in the nearest sentence before
        with a fitting name, the first fitting name (the subject) wins. When
        another fitting name shares that earlier sentence and the subject was
        never quoted, the subject still wins if it opens the sentence with its
        gender known and the other name is not credited there with speech
        ("…, Stovall said."); otherwise the pronoun stays unnamed. A sentence
        whose subject is the same pronoun ("He nodded to Ted Cruz.") is passed
        over: its names are not who "he" is. A name of unknown gender fits if
        it was already credited with a quote or is a full name opening an
        earlier sentence. With no fitting name the pronoun stays unnamed: no
        name beats a wrong one.
        """
        word = mention.text.lower()
        if word not in {"he", "she", "who"}:
            return mention.text, True
        wanted = "m" if word == "he" else "f" if word == "she" else None
        lo = max(0, mention.start - PRONOUN_REACH)
        if self._sentence_runs is None:
            self._sentence_runs = SentenceRuns(self._narrative, self._sentence_starts)
        ends, runs = self._sentence_runs.between(lo, mention.start)
        sentence = len(ends)
        best: tuple[str, str | None] | None = None
        best_run, best_sentence = (0, ""), sentence
        rivals = credited_rival = 0
        subject_opens = False
        for start, run in reversed(runs):
            at = bisect_right(ends, start)
            if at != best_sentence and best is not None:
                break
            if sentence - at > PRONOUN_SENTENCES or (wanted is None and at != sentence):
                break
            if after_preposition(self._narrative, start):
                continue  # "in Florida", "to Kevin": a place or an addressee
            if at != sentence and at and self._opening(ends[at - 1]) == word:
                continue  # "He nodded to Ted Cruz.": that sentence's subject is the pronoun's too
            person = self._person(run, start)
            if person is None:
                continue
            opens = (ends[at - 1] if at else lo) >= start - 2
            fits = person[1] == wanted if wanted else True
            if wanted and person[1] is None:
                # A full name opening an earlier sentence is its subject, a person.
                fits = person[0] in self._named or (
                    at != sentence and len(person[0].split()) > 1 and opens
                )
            if not fits:
                continue
            if best is not None and at == best_sentence and person[0] != best[0]:
                # The name found before this one (later in the sentence) is a rival.
                rivals += 1
                credited_rival += credited(self._narrative, *best_run)
            best, best_run, best_sentence = person, (start, run), at
            subject_opens = (
                opens and person[1] == wanted and opens_as_subject(self._narrative, start, run)
            )
        if best is None:
            return mention.text, True
        if (
            rivals
            and best_sentence != sentence
            and best[0] not in self._named
            and (not subject_opens or credited_rival)
        ):
            # Two people of the right gender in the sentence before, neither yet
            # quoted: the subject is a safe guess only when it opens the sentence
            # and the other one is not the one credited there with speech.
            return mention.text, True
        return best[0], False

    def _opening(self, start: int) -> str | None:
        """Return the he/she that is the subject of the sentence at ``start`` (read once)."""
        if start not in self._openings:
            self._openings[start] = opening_pronoun(self._narrative, start)
        return self._openings[start]

    def _person(self, run: str, start: int) -> tuple[str, str | None] | None:
        """Return the full name and gender a capitalised run stands for, if a name."""
        if start in self._persons:
            return self._persons[start]
        mention = clean_name(_POSSESSIVE_RE.sub("", run), start) if run else None
        person: tuple[str, str | None] | None = None
        if mention is not None and modifies_name(self._narrative, start + len(run)):
            mention = None  # "McConnell spokesman Don Stewart": the name after is the person
        if mention is not None:
            gender = title_gender(mention.text)
            text = mention.text
            words = text.split(None, 1)
            # "Spokeswoman Dana Perino" opening a sentence: the role is in the run.
            if len(words) == 2 and words[0].lower() in MALE_ROLES | FEMALE_ROLES:
                role, text = words[0].lower(), words[1]
            else:
                before = self._narrative[max(0, start - 20) : start].split()
                role = before[-1].lower() if before else ""
            if gender is None:
                gender = "m" if role in MALE_ROLES else "f" if role in FEMALE_ROLES else None
            # "RNC Chief of Staff Katie Walsh", "Republican Christine Todd Whitman":
            # the words before a first name describe the person.
            name = " ".join(from_first_name(strip_honorifics(text).split()))
            if len(name.split()) > 1 or name.lower() not in NOT_NAMES:
                if len(name.split()) == 1:
                    name = self._expand_surname(name, mention.start, gender) or name
                if gender is not None and self._genders.get(name) is None:
                    self._genders[name] = gender
                person = (name, gender or self._gender_for(name))
        self._persons[start] = person
        return person


# A capitalised word after a lower-case word or a comma: a name (or a title).
_MID_SENTENCE_CAPITAL_RE = re.compile(r"(?<=[a-z,;] )[A-Z][\w’'\-]+")

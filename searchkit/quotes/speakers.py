"""Recognise speaker mentions and resolve them to the names an article gives in full.

Pure helpers for :mod:`searchkit.quotes.extract`: a mention is a name ("Mr Kang"),
a pronoun ("he") or a description ("one person"). :class:`SpeakerResolver`
maps surnames and pronouns back to the full name written earlier in the text.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "HONORIFIC_WORDS",
    "Mention",
    "SpeakerResolver",
    "fold_name",
    "mention_after",
    "mention_at_start",
    "mention_before",
]


def _split_words(words: str) -> list[str]:
    """Split a whitespace-separated word list written as a text block."""
    return words.split()


# Titles that precede a name and are not part of it; matched case-sensitively
# with an optional full stop (US style "Sen.", British style "Mr").
_HONORIFICS = (
    "Mr|Mrs|Ms|Miss|Mx|Messrs|Dr|Prof|Professor|Sen|Senator|Rep|Representative|"
    "Gov|Governor|Lt|Gen|General|Col|Colonel|Capt|Captain|Sgt|Adm|Admiral|Cmdr|Maj|"
    "President|Pres|Vice|Secretary|Minister|Premier|Chancellor|Prime|Chairman|"
    "Chairwoman|Chair|Mayor|Judge|Justice|Ambassador|Commissioner|Sheriff|Speaker|"
    "Rev|Reverend|Father|Rabbi|Imam|Sheikh|Sir|Dame|Lord|Lady|Prince|Princess|"
    "King|Queen|Emperor|Pope|Cardinal|Bishop|Deputy|Attorney|Detective|Officer|"
    "Coach|Madam|Mme|Mlle|Herr|Frau|Senor|Señor|Sra|Sr|Jr|Gen|Atty|Supt|Insp|Cllr"
)
_FOLD_HONORIFICS = frozenset(
    word.lower() for word in _HONORIFICS.split("|") if word not in {"Sr", "Jr"}
) | {"former", "general", "of", "state", "the"}
#: Title words dropped when speaker names are indexed and searched.
HONORIFIC_WORDS = _FOLD_HONORIFICS
_MALE_TITLES = frozenset({"mr", "sir", "lord", "king", "prince", "father", "herr"})
_FEMALE_TITLES = frozenset(
    {"mrs", "ms", "miss", "dame", "lady", "queen", "princess", "madam", "mme"}
)

# Capitalised words that start sentences or clauses, never a speaker's name.
_NOT_NAMES = frozenset(
    _split_words(
        """
a an the but and or so yet as in on at by for from with of to into after before when
while if then this that these those there here it its he she they we i you his her
their our my your also still meanwhile however later earlier asked speaking
according during since until about over under despite although though because
whether what who whom which where why how one another some many most several few
other others all both each every no not just even only now today yesterday tonight
monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december jan feb mar apr jun
jul aug sep sept oct nov dec instead indeed finally first second third yes well oh
mr mrs ms dr sen rep gov president former neither nor either moreover furthermore
additionally likewise nevertheless nonetheless similarly regardless otherwise thus
hence therefore besides
"""
    )
)
_DETERMINERS = (
    r"one|another|a|an|the|some|many|most|several|few|two|three|four|five|six|"
    r"other|others|his|her|their|its|our|each|both|all|any"
)
_DETERMINER_WORDS = frozenset(_DETERMINERS.replace("|", " ").split())
# A description is a determiner and at most this many more words ("one senior aide").
DESCRIPTION_MAX_WORDS = 3
# Words that end a description before it swallows the rest of the clause.
_DESCRIPTION_STOPS = frozenset(
    _split_words(
        """
who whom which that is are was were be been has have had and or but to it he she
they not would will can could should may might also in on at of for from with by as
said says told than then when while if about into after before over what how why
where there this these those
"""
    )
)
# Bare plural nouns that name a group of unnamed sources.
_GROUP_NOUNS = (
    r"officials|analysts|critics|experts|observers|netizens|residents|witnesses|"
    r"users|commenters|supporters|opponents|protesters|protestors|sources|aides|"
    r"lawmakers|legislators|activists|scientists|researchers|economists|"
    r"authorities|police|prosecutors|investigators|organizers|organisers|"
    r"diplomats|voters|people|members|democrats|republicans|conservatives|"
    r"liberals|advocates|doctors|teachers|students|workers|parents|leaders"
)

_CAP = r"(?:[A-Z]|[À-ÖØ-Þ])[\w\-]*(?:[’'][A-Za-z][\w\-]*)?"
_PARTICLE = r"(?:de|van|von|der|den|bin|al|el|da|di|du|del|la|le|ibn|dos|das)"
_NAME_PART = rf"(?:(?:{_HONORIFICS})\.|{_CAP}|[A-Z]\.)"
_NAME = rf"{_NAME_PART}(?:[ \xa0]+(?:{_PARTICLE}[ \xa0]+)?{_NAME_PART}){{0,5}}"
_DESCRIPTION = (
    rf"(?:(?:{_DETERMINERS}|{_CAP}[’']s?)\b(?:[ \xa0]+[\w\-]+){{0,4}}|"
    rf"(?:[\w\-]+[ \xa0]+)?(?:{_GROUP_NOUNS}))"
)
_PRONOUN = r"(?:he|she|they|we|I|it|who)"
# Role nouns that sit between a descriptor and a name: "campaign manager Robby Mook".
_ROLES = (
    r"spokesman|spokeswoman|spokesperson|governor|senator|candidate|nominee|manager|"
    r"chairman|chairwoman|chair|director|secretary|leader|minister|adviser|advisor|"
    r"aide|strategist|analyst|professor|president|executive|officer|founder|host|"
    r"anchor|columnist|reporter|correspondent|editor|economist|lawyer|attorney|"
    r"pollster|voter|official|member|representative|congressman|congresswoman|mayor|"
    r"commissioner|ambassador|activist|expert|researcher|scientist|judge|chief|head|"
    r"deputy|writer|author|historian|former|supporter|delegate|organizer|organiser|"
    r"consultant|operative|commentator|contributor|staffer|owner|resident|student|"
    r"veteran|pastor|lawmaker|legislator|defector|dissident|blogger|user|fellow|"
    r"partner|coordinator|superintendent|sheriff|prosecutor|general|colonel|diplomat"
)

_NAME_END_RE = re.compile(rf"(?:{_NAME})$")
_DESCRIPTION_END_RE = re.compile(rf"\b(?:{_DESCRIPTION})$", re.IGNORECASE)
_PRONOUN_END_RE = re.compile(rf"\b{_PRONOUN}$", re.IGNORECASE)
_NAME_START_RE = re.compile(rf"(?:{_NAME})")
_DESCRIBED_NAME_RE = re.compile(
    rf"(?:(?:{_NAME}|[a-z][\w\-]*)[ \xa0]+){{0,4}}(?:{_ROLES})[ \xa0]+(?P<name>{_NAME})"
)
_DESCRIPTION_START_RE = re.compile(rf"(?:{_DESCRIPTION})\b", re.IGNORECASE)
_PRONOUN_START_RE = re.compile(rf"{_PRONOUN}\b", re.IGNORECASE)
_HONORIFIC_PREFIX_RE = re.compile(rf"^(?:(?:[\w\-]+[ \xa0]+)*?(?:{_HONORIFICS})\.?[ \xa0]+)+")
# Runs of capitalised words, honorifics included; cleaned up by ``_clean_name``.
# Runs may take in a sentence's full stop ("Steve Morgan. Parry"); they are cut
# there afterwards (_RUN_STOP_RE), cheaper than a title alternation per word.
_FULL_NAME_RE = re.compile(
    rf"(?<![\w’'.])[A-Z][\w’'\-]*\.?(?:[ \xa0]+(?:{_PARTICLE}[ \xa0]+)?[A-Z][\w’'\-]*\.?){{1,4}}"
)
# How far back a subject may start: a mention itself, or one followed by an
# appositive ("Mr Kang Chol-hwan, a defector who fled in 1992, said").
MENTION_REACH = 100
APPOSITIVE_REACH = 300
# How far back from a surname a name's first words may start.
RUN_REACH = 60
# Surnames looked up by searching the text around each occurrence; past this many
# (no article in the news and annotated corpora needs 15), the article's full
# names are indexed once instead, so an article naming thousands of people is
# not searched once per name.
MAX_NAME_SCANS = 32
_RUN_BEFORE_RE = re.compile(r"(?<![\w’'.])(?:[A-Z][\w’'\-]*\.?[ \xa0]+){1,4}$")
_RUN_AFTER_RE = re.compile(r"(?:[ \xa0]+[A-Z][\w’'\-]*\.?){1,3}")
_PARENTHETICAL_END_RE = re.compile(r"[ \xa0]*\([^()]{0,40}\),?$")
# Adverbs that follow a description ("one person online", "a netizen angrily").
_ADVERB_RE = re.compile(r"online|today|yesterday|tonight|recently|again|too|\w{3,}(?<!fami)ly")
_POSSESSIVE_RE = re.compile(r"[’']s?$")
_WORD_EDGE_PUNCTUATION = ".,;:!?’'\"()[]"
# Besides letters and digits, what a name, pronoun or description can end with.
_MENTION_LAST_CHARS = "_-.’'"
_FOLD_SPLIT_RE = re.compile(r"[\W_]+")
_APPOSITIVE_SUBJECT_RE = re.compile(rf"(?:^|,[ \xa0]+)({_NAME}|{_DESCRIPTION}|{_PRONOUN}),")
# Trailing adverbs and auxiliaries between a subject and its reporting verb.
_TRAILING_FILLER_RE = re.compile(
    r"(?:[ \xa0]+(?:also|later|then|recently|previously|once|has|had|have|would|"
    r"will|earlier|further|simply|again|first|finally|now|still|just|had|did|"
    r"even|once|[a-z]+ly))+$"
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A speaker mention: its text, offsets and what sort of mention it is."""

    text: str
    start: int
    end: int
    kind: str  # "name" | "pronoun" | "description"


def fold_name(name: str) -> str:
    """Fold a speaker name for matching: ``"Mr Kang Chol-hwan"`` -> ``"kang chol hwan"``."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    words = [w for w in _FOLD_SPLIT_RE.split(plain) if w]
    while len(words) > 1 and words[0] in _FOLD_HONORIFICS:
        words.pop(0)
    if words and words[0] in _FOLD_HONORIFICS and len(words) == 1:
        return ""
    return " ".join(words)


def _clean_name(text: str, start: int) -> Mention | None:
    """Trim clause words and possessives off a capitalised run; None if nothing is left."""
    words = text.split()
    offset = 0
    while words and (
        words[0].lower().rstrip(".") in _NOT_NAMES
        and words[0].rstrip(".") not in {"Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov"}
    ):
        offset = text.index(words[0], offset) + len(words[0])
        words.pop(0)
    if not words:
        return None
    first = text.index(words[0], offset)
    body = text[first:]
    if _POSSESSIVE_RE.search(body) or body.endswith("."):
        return None
    return Mention(body, start + first, start + len(text), "name")


def mention_before(text: str, end: int, lo: int = 0) -> Mention | None:
    """Find the subject mention that ends just before ``end`` in ``text[lo:end]``."""
    base = max(lo, end - APPOSITIVE_REACH)
    window = text[base:end].rstrip()
    # Each pattern below is tried only when the window ends as its matches do:
    # the test is free, the search is not (a sentence packed with reporting
    # verbs or quotes runs it for every one of them).
    if window.endswith((")", "),")):
        tail = max(0, len(window) - MENTION_REACH)
        parenthetical = _PARENTHETICAL_END_RE.search(window, tail)
        if parenthetical:
            window = window[: parenthetical.start()]
    if "a" <= window[-1:] <= "z":
        filler = _TRAILING_FILLER_RE.search(window, max(0, len(window) - MENTION_REACH))
        if filler:
            window = window[: filler.start()]
    if window.endswith((", who", ", which")):
        window = window[: window.rindex(",") + 1]
    if window.endswith(","):
        return _appositive_subject(window[:-1], base)
    if not window or not (window[-1].isalnum() or window[-1] in _MENTION_LAST_CHARS):
        return None
    for regex, kind in (
        (_PRONOUN_END_RE, "pronoun"),
        (_NAME_END_RE, "name"),
        (_DESCRIPTION_END_RE, "description"),
    ):
        match = regex.search(window, max(0, len(window) - MENTION_REACH))
        if match is None:
            continue
        mention = _make_mention(match.group(), base + match.start(), kind)
        if mention is not None:
            return mention
    return None


def _appositive_subject(window: str, base: int) -> Mention | None:
    """Return the clause subject that an appositive (", 55, who ...,") follows."""
    for match in _APPOSITIVE_SUBJECT_RE.finditer(window):
        head = window[: match.start(1)].rstrip(", \xa0")
        if head and head.split()[-1].lower() in _DESCRIPTION_STOPS:
            continue
        found = mention_at_start(window, match.start(1), base)
        if found is not None:
            return found
    return None


def mention_at_start(text: str, pos: int, base: int = 0, end: int | None = None) -> Mention | None:
    """Match a mention in ``text[pos:end]`` at ``pos``; offsets are shifted by ``base``."""
    stop = len(text) if end is None else end
    described = _DESCRIBED_NAME_RE.match(text, pos, stop)
    if described is not None:
        found = _clean_name(described.group("name"), base + described.start("name"))
        if found is not None:
            return found
    for regex, kind in (
        (_PRONOUN_START_RE, "pronoun"),
        (_DESCRIPTION_START_RE, "description"),
        (_NAME_START_RE, "name"),
    ):
        match = regex.match(text, pos, stop)
        if match is None:
            continue
        mention = _make_mention(match.group(), base + match.start(), kind)
        if mention is not None:
            return mention
    return None


def mention_after(text: str, pos: int, base: int = 0) -> Mention | None:
    """Match the mention that follows an inverted reporting verb ("said Mr Kang")."""
    while pos < len(text) and text[pos] in " \xa0":
        pos += 1
    return mention_at_start(text, pos, base)


def _make_mention(text: str, start: int, kind: str) -> Mention | None:
    """Build a mention of ``kind``, trimming descriptions at their first stop word."""
    if kind == "name":
        return _clean_name(text, start)
    if kind == "pronoun":
        return Mention(text, start, start + len(text), kind)
    words = text.split()
    head = _POSSESSIVE_RE.sub("", words[0].lower()) if words else ""
    if head in _NOT_NAMES and head not in _DETERMINER_WORDS:
        return None  # "That’s why", "It’s time": a clause, not a description
    keep: list[str] = []
    for word in words[: DESCRIPTION_MAX_WORDS + 1]:
        lowered = word.lower()
        if keep and (lowered in _DESCRIPTION_STOPS or _ADVERB_RE.fullmatch(lowered)):
            break
        keep.append(word)
    if not keep or (len(keep) == 1 and keep[0].lower() in {"a", "an", "the"}):
        return None
    body = text[: text.index(keep[-1], len(" ".join(keep[:-1]))) + len(keep[-1])]
    return Mention(body, start, start + len(body), kind)


def strip_honorifics(name: str) -> str:
    """Drop leading titles and descriptors: "Vermont Sen. Bernie Sanders" -> "Bernie Sanders"."""
    stripped = _HONORIFIC_PREFIX_RE.sub("", name)
    return stripped or name


def _gender_of(name: str) -> str | None:
    """Guess gender from a leading honorific, if any."""
    first = name.split(None, 1)[0].rstrip(".").lower() if name else ""
    if first in _MALE_TITLES:
        return "m"
    if first in _FEMALE_TITLES:
        return "f"
    return None


FIRST_NAMES_RESOURCE = "data/first-names.txt.gz"
# Role words just before a name that say which pronoun fits it.
_MALE_ROLES = frozenset(
    _split_words(
        "congressman spokesman chairman councilman businessman anchorman assemblyman "
        "father brother son husband uncle grandfather nephew boyfriend"
    )
)
_FEMALE_ROLES = frozenset(
    _split_words(
        "congresswoman spokeswoman chairwoman councilwoman businesswoman anchorwoman "
        "assemblywoman mother sister daughter wife aunt grandmother niece girlfriend "
        "actress"
    )
)


@cache
def first_name_genders() -> dict[str, str]:
    """Return the shipped first-name table: lower-case name -> "m" or "f".

    Made by tools/make_first_names.py from the 1990 US Census lists.
    """
    data = resources.files("searchkit").joinpath(FIRST_NAMES_RESOURCE).read_bytes()
    rows = gzip.decompress(data).decode("ascii").splitlines()
    return dict(row.split("\t", 1) for row in rows if "\t" in row)


def name_gender(name: str) -> str | None:
    """Guess the gender of a name from its title or its first name."""
    gender = _gender_of(name)
    if gender is not None:
        return gender
    words = strip_honorifics(name).split()
    if not words:
        return None
    return first_name_genders().get(words[0].lower())


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


def _sentence_pieces(
    runs: list[tuple[int, str, frozenset[str]]],
) -> list[tuple[int, str]]:
    """Cut capitalised runs at full stops that end a sentence, not an initial or title."""
    pieces: list[tuple[int, str]] = []
    for start, run, _ in runs:
        stop = _RUN_STOP_RE.search(run) if "." in run else None
        while stop is not None:
            pieces.append((start, run[: stop.start()]))
            rest = run[stop.end() :]
            start += len(run) - len(rest.lstrip())
            run = rest.lstrip()
            stop = _RUN_STOP_RE.search(run)
        pieces.append((start, run))
    return pieces


class SpeakerResolver:
    """Resolve speaker mentions in one article to full names."""

    def __init__(self, text: str, narrative: str | None = None) -> None:
        """Remember ``text``; full names are indexed on first use.

        ``narrative`` is ``text`` with quoted words blanked out (same length):
        a pronoun outside quotes refers to someone named outside them.
        """
        self._text = text
        self._narrative = text if narrative is None else narrative
        self._named: set[str] = set()
        self._persons: dict[int, tuple[str, str | None] | None] = {}
        self._mid_sentence: set[str] | None = None
        self._narrative_runs: list[tuple[int, str]] | None = None
        self._narrative_starts: list[int] = []
        self._narrative_ends: list[int] = []
        self._people: list[_Person] | None = None
        self._by_word: dict[str, list[_Person]] = {}
        self._runs: list[tuple[int, str, frozenset[str]]] | None = None
        self._runs_by_word: dict[str, list[tuple[int, str, frozenset[str]]]] = {}
        self._scans = 0
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
            self._by_word[key] = [person for person in found if key in person.ends]
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

    @staticmethod
    def _clean_runs(runs: list[tuple[int, str, frozenset[str]]]) -> list[_Person]:
        """Turn capitalised runs into full names, dropping clause words and titles."""
        people: list[_Person] = []
        for start, run in _sentence_pieces(runs):
            if run.endswith(".") and len(run.rsplit(None, 1)[-1]) > 2:
                run = run[:-1]  # a sentence's full stop, not an initial
            mention = _clean_name(run, start)
            if mention is None:
                continue
            words = strip_honorifics(mention.text).split()
            if len(words) < 2:
                continue
            ends = (fold_words(words[0]), fold_words(words[-1]))
            people.append(_Person(" ".join(words), mention.start, _gender_of(mention.text), ends))
        return people

    def resolve(self, mention: Mention) -> tuple[str, bool]:
        """Return the canonical speaker for ``mention`` and whether it is unnamed."""
        if mention.kind == "description":
            return mention.text, True
        if mention.kind == "pronoun":
            return self._resolve_pronoun(mention)
        name = strip_honorifics(mention.text)
        gender = _gender_of(mention.text)
        if len(name.split()) == 1:
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

        Within the pronoun's own sentence the nearest fitting name wins; in the
        sentences before, the first (their subject), unless another fitting
        name shares that sentence and the subject was never quoted. A name of
        unknown gender fits if it was already credited with a quote or is a
        full name opening an earlier sentence. With no fitting name the pronoun
        stays unnamed: no name beats a wrong one.
        """
        word = mention.text.lower()
        if word not in {"he", "she", "who"}:
            return mention.text, True
        wanted = "m" if word == "he" else "f" if word == "she" else None
        lo = max(0, mention.start - PRONOUN_REACH)
        ends, runs = self._runs_before(lo, mention.start)
        sentence = len(ends)
        best: str | None = None
        best_sentence = sentence
        rivals = 0
        for start, run in reversed(runs):
            at = bisect_right(ends, start)
            if at != best_sentence and best is not None:
                break
            if sentence - at > PRONOUN_SENTENCES or (wanted is None and at != sentence):
                break
            if _AFTER_PREPOSITION_RE.search(self._narrative, max(0, start - 12), start):
                continue  # "in Florida", "to Kevin": a place or an addressee
            person = self._person(run, start)
            if person is None:
                continue
            fits = person[1] == wanted if wanted else True
            if wanted and person[1] is None:
                # A full name opening an earlier sentence is its subject, a person.
                fits = person[0] in self._named or (
                    at != sentence
                    and len(person[0].split()) > 1
                    and (ends[at - 1] if at else lo) >= start - 2
                )
            if fits and best is not None and at == best_sentence and person[0] != best:
                rivals += 1
            if fits and (best is None or at != sentence):
                best, best_sentence = person[0], at
        if best is None or (rivals and best_sentence != sentence and best not in self._named):
            # Two people of the right gender in the sentence before, neither yet
            # quoted: the subject is only a guess, and no name beats a wrong one.
            return mention.text, True
        return best, False

    def _runs_before(self, lo: int, hi: int) -> tuple[list[int], list[tuple[int, str]]]:
        """Return the sentence ends and capitalised runs in ``narrative[lo:hi]``."""
        if self._narrative_runs is None:
            narrative = self._narrative
            self._narrative_ends = [m.end() for m in _NARRATIVE_SENTENCE_END_RE.finditer(narrative)]
            runs: list[tuple[int, str]] = []
            for match in _CANDIDATE_RE.finditer(narrative):
                run = match.group()
                if "." in run:
                    pieces = _sentence_pieces([(match.start(), run, _NO_WORDS)])
                    runs.extend((start, piece.rstrip(".")) for start, piece in pieces)
                else:
                    runs.append((match.start(), run))
            self._narrative_runs = runs
            self._narrative_starts = [start for start, _ in self._narrative_runs]
        ends = self._narrative_ends
        first, last = bisect_left(ends, lo), bisect_right(ends, hi)
        runs_from = bisect_left(self._narrative_starts, lo)
        runs_to = bisect_left(self._narrative_starts, hi)
        return ends[first:last], self._narrative_runs[runs_from:runs_to]

    def _person(self, run: str, start: int) -> tuple[str, str | None] | None:
        """Return the full name and gender a capitalised run stands for, if a name."""
        if start in self._persons:
            return self._persons[start]
        mention = _clean_name(_POSSESSIVE_RE.sub("", run), start) if run else None
        person: tuple[str, str | None] | None = None
        if mention is not None and _MODIFIES_NAME_RE.match(self._narrative, start + len(run)):
            mention = None  # "McConnell spokesman Don Stewart": the name after is the person
        if mention is not None:
            gender = _gender_of(mention.text)
            text = mention.text
            words = text.split(None, 1)
            # "Spokeswoman Dana Perino" opening a sentence: the role is in the run.
            if len(words) == 2 and words[0].lower() in _MALE_ROLES | _FEMALE_ROLES:
                role, text = words[0].lower(), words[1]
            else:
                before = self._narrative[max(0, start - 20) : start].split()
                role = before[-1].lower() if before else ""
            if gender is None:
                gender = "m" if role in _MALE_ROLES else "f" if role in _FEMALE_ROLES else None
            name = strip_honorifics(text)
            if len(name.split()) > 1 or name.lower() not in _NOT_NAMES:
                if len(name.split()) == 1:
                    name = self._expand_surname(name, mention.start, gender) or name
                if gender is not None and self._genders.get(name) is None:
                    self._genders[name] = gender
                person = (name, gender or self._gender_for(name))
        self._persons[start] = person
        return person


# A name followed by role words and another name only describes that name.
_MODIFIES_NAME_RE = re.compile(
    rf"[’']?s?[ \xa0]+(?:[a-z][\w\-]*[ \xa0]+){{0,3}}?(?:{_ROLES})[ \xa0]+[A-Z]"
)
_AFTER_PREPOSITION_RE = re.compile(
    r"\b(?:in|at|from|to|near|across|into|outside|inside|throughout|toward|towards)[ \xa0]+$"
)
# A capitalised word after a lower-case word or a comma: a name (or a title).
_MID_SENTENCE_CAPITAL_RE = re.compile(r"(?<=[a-z,;] )[A-Z][\w’'\-]+")
# A pronoun looks back at most this many sentences, and characters, for its antecedent.
PRONOUN_SENTENCES = 4
PRONOUN_REACH = 1200
# Capitalised runs, cut afterwards at full stops that end a sentence (a single
# alternation with every title in it costs more than the rest of extraction).
_CANDIDATE_RE = re.compile(
    rf"(?<![\w’'.])[A-Z][\w’'\-]*\.?(?:[ \xa0]+(?:{_PARTICLE}[ \xa0]+)?[A-Z][\w’'\-]*\.?){{0,4}}"
)
_NO_WORDS: frozenset[str] = frozenset()
_RUN_STOP_RE = re.compile(
    r"(?<![A-Z])(?<!\b(?:Mr|Ms|Dr|St|Lt|Jr|Sr))(?<!\bMrs|\bSen|\bRep|\bGov|\bGen|\bCol)\."
)
# A sentence ends at "!", "?" or a full stop that follows no initial or short
# title ("Mr.", "Sen.", "U.S."), before a capital or a quote, and at a line break.
_NARRATIVE_SENTENCE_END_RE = re.compile(
    r"[.!?\n](?:(?<=[.!?])(?<!\b[A-Z]\.)(?<!\b(?:Mr|Ms|Dr|St|Lt|Jr|Sr)\.)"
    r"(?<!\b(?:Mrs|Sen|Rep|Gov|Gen|Col)\.)[\"”’)\x01]*[ \xa0]+(?=[A-Z“\"‘\x01])|(?<=\n)\n*)"
)

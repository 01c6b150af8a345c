"""Measure quote extraction against a human-annotated JSONL corpus.

Run from the repository root::

    python benchmarks/quotes_eval.py [--data PATH] [--limit N] [--json] [--errors]
    python benchmarks/quotes_eval.py --speed [NEWS_JSONL] [--limit N] [--json]

``--speed`` times extraction per article on news bodies instead (the shared
21k news JSONL by default), sentences given as the index gives them.

Each line of the data file is one article::

    {"doc_id", "text", "quotes": [{"quote", "start", "end", "speaker",
      "speaker_start", "speaker_end", "speaker_coref", "kind", ...}]}

where ``text[start:end] == quote`` (marks excluded).

What counts as a prediction for span precision/recall: the gold corpus drops
one-word quotes and has no scare-quote class, so predicted quotes of kind
``"term"`` and predicted quotes of fewer than ``MIN_WORDS`` words are left out.
``"speech"`` and ``"partial"`` quotes count (gold kinds ``direct`` and ``mixed``).

Span matching is one-to-one and greedy by overlap. *Exact* means identical
offsets; *overlap* means the shared characters are at least ``MIN_OVERLAP`` of
the longer of the two spans.

Speaker accuracy is taken over gold quotes matched (overlap) by a prediction
and whose gold speaker is non-null. A prediction is right when its speaker,
after ``fold_name``, equals the folded gold speaker mention or the folded
``speaker_coref``, or when the predicted speaker mention span overlaps the gold
speaker span.

That lenient figure credits a pronoun whose span is right even when the name
shown for it is wrong. *Named-speaker accuracy* is the measure as a user sees
it: among matched gold quotes whose speaker is a named (or, for a pronoun,
resolved) person, the share whose displayed ``speaker`` names that person. The
gold person is ``speaker_coref`` or else ``speaker`` (the head name of it:
"Jeff Weaver, Sanders' campaign manager," is Jeff Weaver; "a spokesman for Bernie
Sanders" names no one, and "Hillary Clinton on Monday" is Hillary Clinton) plus
``speaker_aliases`` when given (novels). A shown speaker is right when its
folded words and the folded words of the gold name or an alias, articles
aside, are one a subset of the other ("Trump" for "Donald Trump"; a description
shown as the annotators wrote it, "the Times", counts too). The *wrong-name
rate* is the share of those quotes shown with a name (not unnamed) that is not
the person; the rest are shown with no name or an unnamed description.

Each group's row also gives how many names were shown with confidence 0.9 or
more and the share of them that are right (0.9 promises 19 in 20).

The *calibration* table bands the confidence of every matched quote shown with
a name and gives the share of them that are right (a name shown for an unnamed
gold speaker counts as wrong; a pronoun the annotators left unresolved, about
one "he"/"she" in three in PolNeAR, is left out: its truth is unknown).
*Held-out* calibration reads each distinct confidence value as a rule,
measures each rule's accuracy on the other groups and scores the held-out group
with it: what a per-rule constant fitted on the other outlets would promise
there. The rule table gives each rule's share right, pooled and held out.

Figures are given per group: the ``source`` of each record (PolNeAR outlets),
else its ``novel`` (PDNC), else the ``doc_id`` up to its first ``_`` or ``/``.

The data paths default to ``$SEARCHKIT_QUOTES_DATA`` or else both
``<repo>/../shared/data/quotes/polnear_train.jsonl`` and ``pdnc_dev.jsonl``;
when a file is absent the script says so and exits with status 0.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from searchkit.quotes.confidence import CONFIDENCE_RULES  # noqa: E402
from searchkit.quotes.extract import Quote, extract_quotes  # noqa: E402
from searchkit.quotes.names import fold_name  # noqa: E402

ENV_VAR = "SEARCHKIT_QUOTES_DATA"
DATA_DIR = ROOT.parent / "shared" / "data" / "quotes"
DEFAULT_DATA = DATA_DIR / "polnear_train.jsonl"
DEFAULT_FILES = (DEFAULT_DATA, DATA_DIR / "pdnc_dev.jsonl")
MIN_WORDS = 2
MIN_OVERLAP = 0.5
SCORED_KINDS = frozenset({"speech", "partial"})
# Confidence bands of the calibration table: [low, high).
COUNTS: tuple[str, ...] = (
    "gold",
    "predicted",
    "exact",
    "overlap",
    "speaker_total",
    "speaker_right",
)
COUNTS += ("named_total", "named_right", "named_wrong", "seconds", "articles")
# Error kinds, in the order the classifier tries them (see error_kind).
WRONG_KINDS = ("crossing", "medium", "pronoun", "carried", "other")
NONAME_KINDS = ("pronoun", "description", "after", "before", "earlier", "other")
# Runs per article in --speed; the fastest counts.
SPEED_ROUNDS = 3
# A confidence this high promises "right 19 times in 20"; each group's share is given.
SURE = 0.9
BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01))


@dataclass
class Tally:
    """Running counts for one evaluation."""

    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap: int = 0
    speaker_total: int = 0
    speaker_right: int = 0
    named_total: int = 0
    named_right: int = 0
    named_wrong: int = 0
    seconds: float = 0.0
    articles: int = 0
    # (confidence, right) of each matched quote shown with a name.
    shown: list[tuple[float, bool]] = field(default_factory=list)
    # "wrong pronoun", "none after", ...: named-speaker errors by kind (error_kind).
    errors: Counter[str] = field(default_factory=Counter)
    # Novels: "wrong turn", "none implicit", ...: errors by rule and by gold quote type.
    by_rule: Counter[str] = field(default_factory=Counter)


def is_scored(quote: Quote) -> bool:
    """Say whether a predicted quote competes for span precision and recall."""
    return quote.kind in SCORED_KINDS and len(quote.text.split()) >= MIN_WORDS


def overlap_ratio(a_start: int, a_end: int, b_start: int, b_end: int) -> float:
    """Return shared characters as a fraction of the longer span."""
    shared = min(a_end, b_end) - max(a_start, b_start)
    longest = max(a_end - a_start, b_end - b_start, 1)
    return max(shared, 0) / longest


def match_spans(gold: Sequence[dict[str, object]], predicted: Sequence[Quote]) -> dict[int, int]:
    """Pair gold and predicted quotes one-to-one, best overlap first."""
    candidates: list[tuple[float, int, int]] = []
    for gi, g in enumerate(gold):
        gs, ge = int(str(g["start"])), int(str(g["end"]))
        for pi, p in enumerate(predicted):
            ratio = overlap_ratio(gs, ge, p.start, p.end)
            if ratio >= MIN_OVERLAP:
                candidates.append((ratio, gi, pi))
    candidates.sort(reverse=True)
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, pi in candidates:
        if gi not in pairs and pi not in used:
            pairs[gi] = pi
            used.add(pi)
    return pairs


def speaker_is_right(gold: dict[str, object], pred: Quote) -> bool:
    """Apply the speaker-accuracy rule from the module docstring."""
    if pred.speaker is not None:
        folded = fold_name(pred.speaker)
        names = (gold.get("speaker"), gold.get("speaker_coref"))
        if folded and any(isinstance(n, str) and fold_name(n) == folded for n in names):
            return True
    gs, ge = gold.get("speaker_start"), gold.get("speaker_end")
    if pred.speaker_start is None or pred.speaker_end is None:
        return False
    if not isinstance(gs, int) or not isinstance(ge, int):
        return False
    return min(ge, pred.speaker_end) > max(gs, pred.speaker_start)


# PDNC tells one person in a story within the story apart by a suffix the
# person's name does not carry: "Christopher Robin - Story", "… - External".
_FRAME_RE = re.compile(r"[ \xa0]+-[ \xa0]+(?:Story|External)$")
# Where a gold speaker phrase stops naming its head: "X, an aide", "X (R-OK)", "X of Ohio".
_HEAD_CUT_RE = re.compile(r",|\(| of | who | from | at ")
# A description's head noun before a preposition: "the former top aide to President
# George W. Bush", "a spokesman for Bernie Sanders" name the aide, not the person after.
_DESCRIPTION_HEAD_RE = re.compile(
    r"(?:[^ ]+ )*?[a-z][\w\-]* (?=(?:to|for|with|in|on|by|close to|near|about) )"
)
# When, not who: "Hillary Clinton on Monday", "Obama in 2008".
_WHEN_RE = re.compile(
    r" (?:on|in) (?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|\d[\d ]*|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)(?: \d+)?)$"
)
_CAPITALISED_RUN_RE = re.compile(
    r"(?:[A-Z][\w\-’'.]*|(?<= )(?:de|van|von|bin|al|el|da|di|du|del|la|le))"
    r"(?:[ \xa0]+(?:[A-Z][\w\-’'.]*|de|van|von|bin|al|el|da|di|du|del|la|le))*$"
)
_NOT_A_NAME = {"he", "she", "they", "we", "i", "it", "who", "you", "him", "her", "them"}
_NOT_A_NAME |= {"the", "a", "an", "this", "that", "his", "their", "its"}
_NOT_A_NAME |= {"another", "others", "several", "one", "some", "many", "both", "each"}
_ARTICLES = frozenset({"a", "an", "another", "the"})
_JOINT_RE = re.compile(r" and | & ")
# A headline written as a speaker: "HILLARY CLINTON IS FEELING THE BERN".
HEADLINE_WORDS = 4


def gold_name(phrase: object) -> str | None:
    """Return the name a gold speaker phrase ends in, or None for a description or pronoun."""
    names = gold_names(phrase)
    return names[0] if names else None


def gold_names(phrase: object) -> list[str]:
    """Return the names of the speakers a gold phrase gives: one, or two joined by "and".

    The head of the phrase is the part before a comma, a bracket, " of ", " who "
    and the like. Joint speakers ("Mark Blumenthal and Jon Cohen") are each the
    speaker; a headline in capitals or a determiner ("Several") names no one.
    """
    if not isinstance(phrase, str):
        return []
    phrase = _FRAME_RE.sub("", phrase)
    if phrase.isupper() and len(phrase.split()) >= HEADLINE_WORDS:
        return []
    head = _HEAD_CUT_RE.split(phrase, maxsplit=1)[0]
    joint = [_head_name(part) for part in _JOINT_RE.split(head)]
    if len(joint) > 1 and all(joint):
        return [name for name in joint if name]
    name = _head_name(head)
    return [name] if name else []


def _head_name(head: str) -> str | None:
    """Return the name the head of a gold speaker phrase ends in, if any."""
    head = head.strip(" \xa0.’'\"")
    described = _DESCRIPTION_HEAD_RE.match(head)
    head = _WHEN_RE.sub("", described.group().rstrip() if described else head)
    run = _CAPITALISED_RUN_RE.search(head)
    if run is None:
        return None
    name = run.group()
    if name.endswith(("’s", "'s", "’", "'")):
        return None
    folded = fold_name(name)
    if not folded or folded in _NOT_A_NAME:
        return None
    return name


def gold_people(gold: dict[str, object]) -> list[frozenset[str]]:
    """Return the folded word sets that name the gold speaker (empty when unnamed)."""
    names = gold_names(gold.get("speaker_coref")) or gold_names(gold.get("speaker"))
    aliases = gold.get("speaker_aliases")
    if isinstance(aliases, list):
        names.extend(name for alias in aliases if alias != "_narr" for name in gold_names(alias))
    found = [frozenset(fold_name(n).split()) for n in names if n]
    return [words for words in found if words]


def unresolved_pronoun(gold: dict[str, object]) -> bool:
    """Say whether the gold speaker is a pronoun the annotators left unresolved."""
    speaker = gold.get("speaker")
    return (
        isinstance(speaker, str)
        and speaker.lower() in _NOT_A_NAME
        and not gold_name(gold.get("speaker_coref"))
    )


def names_person(shown: str, people: Iterable[frozenset[str]]) -> bool:
    """Say whether the shown speaker name names one of the gold ``people``."""
    words = frozenset(fold_name(shown).split()) - _ARTICLES
    return bool(words) and any(
        words <= person - _ARTICLES or person - _ARTICLES <= words for person in people
    )


def shows_name(quote: Quote) -> bool:
    """Say whether a quote is displayed with a person's name (not a description)."""
    return quote.speaker is not None and not quote.unnamed


_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it", "who", "you"})
# A shown name holding a sentence's full stop: "Steve Morgan. Parry".
_CROSSING_RE = re.compile(r"[a-z]{2,}\.[ \xa0]+[A-Z]")
# A name right after these is the medium or the one spoken to: "told BBC News".
_ADDRESSEE_LEAD_RE = re.compile(r"\b(?:told|tells|tell|to|with|on)[ \xa0]+$", re.IGNORECASE)
_MEDIA_WORDS = frozenset(
    [
        "news",
        "times",
        "post",
        "journal",
        "cnn",
        "fox",
        "msnbc",
        "nbc",
        "abc",
        "cbs",
        "npr",
        "radio",
        "tv",
        "magazine",
        "press",
        "network",
        "politico",
        "bbc",
        "reuters",
        "tribune",
        "herald",
        "daily",
        "show",
        "twitter",
        "facebook",
    ]
)


def error_kind(text: str, gold: dict[str, object], pred: Quote, quotes: Sequence[Quote]) -> str:
    """Name the kind of a named-speaker error: "wrong pronoun", "none after", ...

    Wrong names: *crossing* (the name runs across a sentence end), *medium*
    (the outlet or addressee: "told BBC News", "told Kevin"), *pronoun* (a
    he/she resolved to the wrong person), *carried* (the speaker came from
    another quote or paragraph), else *other*. No name: a *pronoun* or
    *description* left unnamed, or no speaker found while the gold one stands
    *after* the quote, *before* it in its paragraph, or in an *earlier* one.
    """
    start, end = pred.speaker_start, pred.speaker_end
    mention = text[start:end] if start is not None and end is not None else ""
    if shows_name(pred):
        assert pred.speaker is not None and start is not None and end is not None
        words = set(fold_name(pred.speaker).split())
        if _CROSSING_RE.search(pred.speaker) or _CROSSING_RE.search(mention):
            kind = "crossing"
        elif mention.lower() in _PRONOUNS:
            kind = "pronoun"
        elif _ADDRESSEE_LEAD_RE.search(text, max(0, start - 12), start) or words & _MEDIA_WORDS:
            kind = "medium"
        elif _carried(text, pred, start, end, quotes):
            kind = "carried"
        else:
            kind = "other"
        return f"wrong {kind}"
    if pred.speaker is not None:
        return "none pronoun" if mention.lower() in _PRONOUNS else "none description"
    gs = gold.get("speaker_start")
    if not isinstance(gs, int):
        return "none other"
    if gs >= pred.end:
        return "none after"
    return "none before" if "\n" not in text[gs : pred.start] else "none earlier"


def rule_error(gold: dict[str, object], pred: Quote) -> str:
    """Name a novel's named-speaker error by the rule that showed the wrong name, or by gold kind.

    A wrong name is filed under the rule its confidence stands for ("wrong
    turn", "wrong pronoun"); no name under the annotators' quote type: an
    *explicit* quote has its speaker named in its cue, an *anaphoric* one a
    pronoun or description, an *implicit* one nothing ("none implicit").
    """
    if shows_name(pred):
        rule = CONFIDENCE_RULES.get(pred.confidence, "?").removesuffix(" (dialogue)")
        return f"wrong {rule.split(',')[0].replace(' or ', '/')}"
    return f"none {str(gold.get('quote_type') or '?').lower()}"


def _carried(text: str, pred: Quote, start: int, end: int, quotes: Sequence[Quote]) -> bool:
    """Say whether the speaker mention is across a line or another quote from ``pred``."""
    lo, hi = (end, pred.start) if end <= pred.start else (pred.end, start)
    return "\n" in text[lo:hi] or any(
        lo <= q.start and q.end <= hi for q in quotes if q is not pred
    )


def score_article(record: dict[str, object], tally: Tally, kinds: Counter[str]) -> list[str]:
    """Add one article's figures to ``tally``; return its error descriptions."""
    text = str(record["text"])
    raw_gold = record.get("quotes") or []
    gold = [g for g in raw_gold if isinstance(g, dict)]  # type: ignore[attr-defined]
    began = time.perf_counter()
    quotes = extract_quotes(text)
    tally.seconds += time.perf_counter() - began
    tally.articles += 1
    for q in quotes:
        kinds[f"predicted {q.kind}"] += 1
    for g in gold:
        kinds[f"gold {g.get('kind')}"] += 1
    predicted = [q for q in quotes if is_scored(q)]
    tally.gold += len(gold)
    tally.predicted += len(predicted)
    pairs = match_spans(gold, predicted)
    errors: list[str] = []
    for gi, g in enumerate(gold):
        pi = pairs.get(gi)
        if pi is None:
            errors.append(f"MISSED {g['quote']!r}")
            continue
        p = predicted[pi]
        tally.overlap += 1
        tally.exact += (p.start, p.end) == (g["start"], g["end"])
        people = gold_people(g)
        # A description shown as written ("the Times", "a Nevada Democrat") is
        # right when the annotators name the speaker the same way.
        right = p.speaker is not None and names_person(p.speaker, people)
        if shows_name(p) and (people or not unresolved_pronoun(g)):
            tally.shown.append((p.confidence, right))
        if people:
            tally.named_total += 1
            tally.named_right += right
            tally.named_wrong += shows_name(p) and not right
            if not right:
                tally.errors[error_kind(text, g, p, quotes)] += 1
                if g.get("quote_type") is not None:
                    tally.by_rule[rule_error(g, p)] += 1
                errors.append(
                    f"{'WRONG' if shows_name(p) else 'NONAME'} {p.text[:60]!r} "
                    f"gold={g['speaker']!r}/{g.get('speaker_coref')!r} pred={p.speaker!r} "
                    f"cue={p.cue!r} conf={p.confidence} [{error_kind(text, g, p, quotes)}]"
                )
        if g.get("speaker") is None:
            continue
        tally.speaker_total += 1
        if speaker_is_right(g, p):
            tally.speaker_right += 1
    matched = set(pairs.values())
    for pi, p in enumerate(predicted):
        if pi not in matched:
            errors.append(f"SPURIOUS {p.text[:80]!r} ({p.kind})")
    return errors


def ratio(part: int, whole: int) -> float:
    """Divide, treating an empty denominator as zero."""
    return part / whole if whole else 0.0


def f1(precision: float, recall: float) -> float:
    """Return the harmonic mean of precision and recall."""
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def summarise(tally: Tally, kinds: Counter[str]) -> dict[str, object]:
    """Turn the counts into the reported figures."""
    figures: dict[str, object] = {
        "articles": tally.articles,
        "gold_quotes": tally.gold,
        "predicted_quotes": tally.predicted,
    }
    for label, hits in (("exact", tally.exact), ("overlap", tally.overlap)):
        p, r = ratio(hits, tally.predicted), ratio(hits, tally.gold)
        figures[f"span_{label}"] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f1(p, r), 4),
        }
    figures["speaker_accuracy"] = round(ratio(tally.speaker_right, tally.speaker_total), 4)
    figures["speaker_scored"] = tally.speaker_total
    figures["named_accuracy"] = round(ratio(tally.named_right, tally.named_total), 4)
    figures["wrong_name_rate"] = round(ratio(tally.named_wrong, tally.named_total), 4)
    figures["named_scored"] = tally.named_total
    figures["ms_per_article"] = round(1000 * ratio_f(tally.seconds, tally.articles), 4)
    sure = [right for confidence, right in tally.shown if confidence >= SURE]
    figures["sure_shown"] = len(sure)
    figures["sure_right"] = round(ratio(sum(sure), len(sure)), 4)
    figures["calibration"] = calibration(tally.shown)
    figures["errors"] = dict(sorted(tally.errors.items()))
    figures["errors_by_rule"] = dict(sorted(tally.by_rule.items()))
    figures["kinds"] = dict(sorted(kinds.items()))
    return figures


def calibration(shown: Sequence[tuple[float, bool]]) -> list[dict[str, object]]:
    """Band (confidence, right) pairs and give each band's share right."""
    rows: list[dict[str, object]] = []
    for low, high in BANDS:
        inside = [right for confidence, right in shown if low <= confidence < high]
        rows.append(
            {
                "band": f"{low:.2f}-{min(high, 1.0):.2f}",
                "quotes": len(inside),
                "right": round(ratio(sum(inside), len(inside)), 4),
            }
        )
    return rows


def rule_table(groups: dict[str, Tally]) -> list[dict[str, object]]:
    """Give each rule's share right, pooled and with each group held out (lowest, highest).

    A rule is read from the confidence it gives (``CONFIDENCE_RULES``); the
    lowest held-out share, rounded down, is what the constant in
    searchkit/quotes/confidence.py should say (capped below 0.9 under 95 %).
    """
    counts: dict[float, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for name, tally in groups.items():
        for confidence, right in tally.shown:
            counts[round(confidence, 3)][name][0] += right
            counts[round(confidence, 3)][name][1] += 1
    rows: list[dict[str, object]] = []
    for confidence in sorted(counts, reverse=True):
        by_group = counts[confidence]
        hits = sum(h for h, _ in by_group.values())
        total = sum(n for _, n in by_group.values())
        held = [ratio(hits - h, total - n) for h, n in by_group.values() if total > n]
        rows.append(
            {
                "confidence": confidence,
                "rule": CONFIDENCE_RULES.get(confidence, "?"),
                "shown": total,
                "right": round(ratio(hits, total), 4),
                "held_out_low": round(min(held, default=0.0), 4),
                "held_out_high": round(max(held, default=0.0), 4),
            }
        )
    return rows


def render_rules(rows: object) -> str:
    """Format the per-rule table."""
    assert isinstance(rows, list)
    lines = ["confidence  rule                  shown  right  held-out low-high"]
    for row in rows:
        lines.append(
            f"{row['confidence']:<11} {row['rule']:<20} {row['shown']:>6} {row['right']:>6.3f}"
            f"  {row['held_out_low']:.3f}-{row['held_out_high']:.3f}"
        )
    return "\n".join(lines)


def held_out_calibration(groups: dict[str, Tally]) -> list[dict[str, object]]:
    """Score each group with per-confidence-value accuracies measured on the others."""
    remapped: list[tuple[float, bool]] = []
    for held in groups:
        counts: dict[float, list[int]] = defaultdict(lambda: [0, 0])
        for name, tally in groups.items():
            if name != held:
                for confidence, right in tally.shown:
                    counts[round(confidence, 3)][0] += right
                    counts[round(confidence, 3)][1] += 1
        for confidence, right in groups[held].shown:
            hits, total = counts.get(round(confidence, 3), (0, 0))
            remapped.append((ratio(hits, total) if total else confidence, right))
    return calibration(remapped)


def ratio_f(part: float, whole: int) -> float:
    """Divide a float by a count, treating zero as zero."""
    return part / whole if whole else 0.0


def render(figures: dict[str, object]) -> str:
    """Format the figures as a short text report."""
    lines = [
        f"articles {figures['articles']}  gold quotes {figures['gold_quotes']}"
        f"  predicted (scored) {figures['predicted_quotes']}"
    ]
    for label in ("exact", "overlap"):
        span = figures[f"span_{label}"]
        assert isinstance(span, dict)
        lines.append(
            f"span {label:<8} P {span['precision']:.4f}  R {span['recall']:.4f}"
            f"  F1 {span['f1']:.4f}"
        )
    lines.append(
        f"speaker accuracy {figures['speaker_accuracy']:.4f}"
        f"  (lenient: name or mention span; over {figures['speaker_scored']} matched gold quotes)"
    )
    lines.append(
        f"named-speaker accuracy {figures['named_accuracy']:.4f}"
        f"  wrong-name rate {figures['wrong_name_rate']:.4f}"
        f"  (over {figures['named_scored']} matched gold quotes with a named speaker)"
    )
    lines.append(f"extract_quotes {figures['ms_per_article']:.4f} ms/article")
    kinds = figures["kinds"]
    assert isinstance(kinds, dict)
    lines.append("kinds " + "  ".join(f"{k}={v}" for k, v in kinds.items()))
    return "\n".join(lines)


def render_groups(groups: dict[str, dict[str, object]]) -> str:
    """Format one row of headline figures per group (outlet or novel)."""
    lines = [
        f"{'group':<20} {'gold':>5} {'span F1':>8} {'lenient':>8} {'named':>6}"
        f" {'named acc':>9} {'wrong':>7} {'>=0.9 shown':>11} {'right':>6} {'ms/art':>7}"
    ]
    for name, figures in groups.items():
        span = figures["span_overlap"]
        assert isinstance(span, dict)
        lines.append(
            f"{name:<20} {figures['gold_quotes']:>5} {span['f1']:>8.4f}"
            f" {figures['speaker_accuracy']:>8.4f} {figures['named_scored']:>6}"
            f" {figures['named_accuracy']:>9.4f} {figures['wrong_name_rate']:>7.4f}"
            f" {figures['sure_shown']:>11} {figures['sure_right']:>6.3f}"
            f" {figures['ms_per_article']:>7.3f}"
        )
    return "\n".join(lines)


def render_errors(groups: dict[str, dict[str, object]]) -> str:
    """Format the named-speaker errors per group by kind, as counts per 1,000 named quotes."""
    columns = [f"wrong {k}" for k in WRONG_KINDS] + [f"none {k}" for k in NONAME_KINDS]
    title = "named-speaker errors by kind, per 1,000 named quotes (W: wrong name, N: no name)"
    return _per_thousand(title, groups, "errors", columns)


def render_rule_errors(groups: dict[str, dict[str, object]]) -> str:
    """Format the novels' errors by rule and gold quote type, per 1,000 named quotes."""
    columns = sorted(
        {str(c) for figures in groups.values() for c in figures["errors_by_rule"]},  # type: ignore[attr-defined]
        key=lambda c: (not c.startswith("wrong"), c),
    )
    if not columns:
        return ""
    title = (
        "errors by rule (W: the rule showing a wrong name) and gold type (N: no name),"
        " per 1,000 named quotes"
    )
    return _per_thousand(title, groups, "errors_by_rule", columns)


def _per_thousand(
    title: str, groups: dict[str, dict[str, object]], key: str, columns: list[str]
) -> str:
    """Format the counts under ``key`` of each group per 1,000 named quotes, a column each."""
    heads = [c.replace("wrong ", "W:").replace("none ", "N:")[:8] for c in columns]
    lines = [title, f"{'group':<20} " + " ".join(f"{h:>8}" for h in heads)]
    for name, figures in groups.items():
        errors, named = figures[key], figures["named_scored"]
        assert isinstance(errors, dict) and isinstance(named, int)
        cells = [f"{1000 * ratio(int(errors.get(c, 0)), named):>8.1f}" for c in columns]
        lines.append(f"{name:<20} " + " ".join(cells))
    return "\n".join(lines)


def render_calibration(shipped: object, held_out: object) -> str:
    """Format the calibration tables side by side."""
    assert isinstance(shipped, list) and isinstance(held_out, list)
    lines = [
        "confidence   shown  right  | held-out per-rule accuracy  shown  right",
    ]
    for mine, theirs in zip(shipped, held_out, strict=True):
        lines.append(
            f"{mine['band']:<11} {mine['quotes']:>6} {mine['right']:>6.3f}  |"
            f" {theirs['band']:<26} {theirs['quotes']:>6} {theirs['right']:>6.3f}"
        )
    return "\n".join(lines)


def group_of(record: dict[str, object]) -> str:
    """Return the outlet or novel a record belongs to."""
    for key in ("source", "novel"):
        value = record.get(key)
        if isinstance(value, str) and value:
            return value
    return re.split(r"[_/]", str(record.get("doc_id", "")), maxsplit=1)[0] or "?"


def default_data() -> list[Path]:
    """Return the data paths from the environment or the shared checkout."""
    env = os.environ.get(ENV_VAR)
    return [Path(env)] if env else list(DEFAULT_FILES)


def evaluate(data: Path, limit: int | None, show_errors: bool) -> dict[str, object]:
    """Score one data file; return its figures, per group and held-out calibration."""
    total, kinds = Tally(), Counter[str]()
    groups: dict[str, Tally] = {}
    group_kinds: dict[str, Counter[str]] = defaultdict(Counter)
    with data.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                break
            if not line.strip():
                continue
            record = json.loads(line)
            name = group_of(record)
            tally = groups.setdefault(name, Tally())
            errors = score_article(record, tally, group_kinds[name])
            if show_errors and errors:
                print(f"== {record.get('doc_id')}", file=sys.stderr)
                print("\n".join(errors), file=sys.stderr)
    for name, tally in groups.items():
        for attribute in COUNTS:
            setattr(total, attribute, getattr(total, attribute) + getattr(tally, attribute))
        total.shown.extend(tally.shown)
        total.errors.update(tally.errors)
        total.by_rule.update(tally.by_rule)
        kinds.update(group_kinds[name])
    figures = summarise(total, kinds)
    figures["groups"] = {
        name: summarise(groups[name], group_kinds[name]) for name in sorted(groups)
    }
    figures["held_out_calibration"] = held_out_calibration(groups)
    figures["rules"] = rule_table(groups)
    return figures


def news_path() -> Path:
    """Return the shared news bodies (``$SEARCHKIT_SHARED`` or ``<repo>/../shared``)."""
    shared = Path(os.environ.get("SEARCHKIT_SHARED") or ROOT.parent / "shared")
    return shared / "data" / "news" / "news_articles.jsonl"


def percentile(values: Sequence[float], share: float) -> float:
    """Return the value below which ``share`` of the sorted ``values`` lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def speed(path: Path, limit: int | None, rounds: int = SPEED_ROUNDS) -> dict[str, object]:
    """Time ``extract_quotes`` per news article, given its sentences as the index gives them.

    Sentences are split first, untimed: the index splits each body once for
    snippets and quotes alike. Each article's time is the fastest of
    ``rounds`` runs, which keeps most of other processes' noise out.
    """
    from searchkit.analysis.sentences import sentence_spans

    bodies: list[tuple[str, list[tuple[int, int]]]] = []
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                break
            text = str(json.loads(line).get("text") or "")
            bodies.append((text, sentence_spans(text)))
    times: list[float] = []
    quoted: list[float] = []
    for text, sentences in bodies:
        best = float("inf")
        for _ in range(rounds):
            began = time.perf_counter()
            found = extract_quotes(text, sentences)
            best = min(best, time.perf_counter() - began)
        times.append(1000 * best)
        if found:
            quoted.append(1000 * best)
    return {
        "articles": len(times),
        "with_quotes": len(quoted),
        "mean_ms": round(sum(times) / len(times), 4) if times else 0.0,
        "p50_ms": round(percentile(times, 0.5), 4),
        "p95_ms": round(percentile(times, 0.95), 4),
        "max_ms": round(max(times, default=0.0), 4),
        "quoted_mean_ms": round(sum(quoted) / len(quoted), 4) if quoted else 0.0,
        "quoted_p50_ms": round(percentile(quoted, 0.5), 4),
        "quoted_p95_ms": round(percentile(quoted, 0.95), 4),
        "load_average": [round(load, 2) for load in os.getloadavg()],
    }


def render_speed(figures: dict[str, object]) -> str:
    """Format the speed figures."""
    return (
        f"extract_quotes on {figures['articles']} news articles (sentences given, fastest of"
        f" {SPEED_ROUNDS}): mean {figures['mean_ms']:.3f} ms, p50 {figures['p50_ms']:.3f},"
        f" p95 {figures['p95_ms']:.3f}, max {figures['max_ms']:.3f}\n"
        f"  the {figures['with_quotes']} with quotes: mean {figures['quoted_mean_ms']:.3f} ms,"
        f" p50 {figures['quoted_p50_ms']:.3f}, p95 {figures['quoted_p95_ms']:.3f}"
        f"  (load average {figures['load_average']})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation and print the figures; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, action="append", help="JSONL file (repeatable)")
    parser.add_argument("--limit", type=int, default=None, help="articles to score per file")
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    parser.add_argument("--errors", action="store_true", help="print per-quote errors to stderr")
    parser.add_argument(
        "--speed",
        type=Path,
        nargs="?",
        const=news_path(),
        help="time extraction per article on news bodies (default: the shared news JSONL)",
    )
    args = parser.parse_args(argv)
    if args.speed is not None:
        if not args.speed.is_file():
            print(f"no news bodies at {args.speed}; set $SEARCHKIT_SHARED", file=sys.stderr)
            return 0
        timed = speed(args.speed, args.limit)
        print(json.dumps(timed, indent=2) if args.json else render_speed(timed))
        return 0
    paths: list[Path] = args.data or default_data()
    results: dict[str, dict[str, object]] = {}
    for data in paths:
        if not data.is_file():
            print(f"no quote data at {data}; set --data or ${ENV_VAR}", file=sys.stderr)
            continue
        results[data.name] = evaluate(data, args.limit, args.errors)
    if args.json:
        single = len(results) == 1
        print(json.dumps(next(iter(results.values())) if single else results, indent=2))
        return 0
    for name, figures in results.items():
        groups = figures["groups"]
        assert isinstance(groups, dict)
        print(f"== {name}")
        print(render(figures))
        print(render_groups({**groups, "all": figures}))
        print(render_errors({**groups, "all": figures}))
        by_rule = render_rule_errors({**groups, "all": figures})
        if by_rule:
            print(by_rule)
        print(render_calibration(figures["calibration"], figures["held_out_calibration"]))
        print(render_rules(figures["rules"]))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

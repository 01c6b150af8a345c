"""Measure quote extraction against a human-annotated JSONL corpus.

Run from the repository root::

    python benchmarks/quotes_eval.py [--data PATH] [--limit N] [--json]

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

The data path defaults to ``$SEARCHKIT_QUOTES_DATA`` or else
``<repo>/../shared/data/quotes/polnear_train.jsonl``; when the file is absent
the script says so and exits with status 0.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from searchkit.quotes.extract import Quote, extract_quotes, fold_name  # noqa: E402

ENV_VAR = "SEARCHKIT_QUOTES_DATA"
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "quotes" / "polnear_train.jsonl"
MIN_WORDS = 2
MIN_OVERLAP = 0.5
SCORED_KINDS = frozenset({"speech", "partial"})


@dataclass
class Tally:
    """Running counts for one evaluation."""

    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap: int = 0
    speaker_total: int = 0
    speaker_right: int = 0
    seconds: float = 0.0
    articles: int = 0


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
        if g.get("speaker") is None:
            continue
        tally.speaker_total += 1
        if speaker_is_right(g, p):
            tally.speaker_right += 1
        else:
            errors.append(
                f"SPEAKER {p.text[:60]!r} gold={g['speaker']!r}/"
                f"{g.get('speaker_coref')!r} pred={p.speaker!r} cue={p.cue!r}"
            )
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
    figures["ms_per_article"] = round(1000 * ratio_f(tally.seconds, tally.articles), 4)
    figures["kinds"] = dict(sorted(kinds.items()))
    return figures


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
        f"  (over {figures['speaker_scored']} matched gold quotes with a speaker)"
    )
    lines.append(f"extract_quotes {figures['ms_per_article']:.4f} ms/article")
    kinds = figures["kinds"]
    assert isinstance(kinds, dict)
    lines.append("kinds " + "  ".join(f"{k}={v}" for k, v in kinds.items()))
    return "\n".join(lines)


def default_data() -> Path:
    """Return the data path from the environment or the shared checkout."""
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else DEFAULT_DATA


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation and print the figures; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--limit", type=int, default=None, help="articles to score")
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    parser.add_argument("--errors", action="store_true", help="print per-quote errors to stderr")
    args = parser.parse_args(argv)
    data: Path = args.data
    if not data.is_file():
        print(f"no quote data at {data}; set --data or ${ENV_VAR}", file=sys.stderr)
        return 0
    tally, kinds = Tally(), Counter[str]()
    with data.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if args.limit is not None and n >= args.limit:
                break
            if not line.strip():
                continue
            record = json.loads(line)
            errors = score_article(record, tally, kinds)
            if args.errors and errors:
                print(f"== {record.get('doc_id')}", file=sys.stderr)
                print("\n".join(errors), file=sys.stderr)
    figures = summarise(tally, kinds)
    print(json.dumps(figures, indent=2) if args.json else render(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())

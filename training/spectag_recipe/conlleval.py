"""Entity-level precision, recall and F1 with the chunk rules of the CoNLL `conlleval` script.

A chunk starts on a `B-` tag, or on an `I-` tag that follows `O` or a tag of another type. It
ends before `O`, before a `B-` tag, or before a tag of another type. A predicted entity counts
as correct only when its start, end and type all equal a gold entity's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


def split_tag(tag: str) -> tuple[str, str]:
    """Split a BIO tag into its prefix and type: `B-PER` is ("B", "PER") and `O` is ("O", "")."""
    if tag == "O":
        return "O", ""
    prefix, separator, entity_type = tag.partition("-")
    if not separator or prefix not in ("B", "I") or not entity_type:
        raise ValueError(f"invalid BIO tag {tag!r}; expected O, B-TYPE or I-TYPE")
    return prefix, entity_type


def chunks(tags: list[str]) -> set[tuple[int, int, str]]:
    """Return the chunks of a tag sequence as (first word, last word, type) triples."""
    found = set()
    start = None
    current_type = ""
    previous_prefix = "O"
    for index, tag in enumerate(list(tags) + ["O"]):
        prefix, entity_type = split_tag(tag)
        ends = previous_prefix != "O" and (prefix in ("O", "B") or entity_type != current_type)
        if ends and start is not None:
            found.add((start, index - 1, current_type))
            start = None
        begins = prefix == "B" or (prefix == "I" and (previous_prefix == "O" or entity_type != current_type))
        if begins:
            start = index
            current_type = entity_type
        previous_prefix = prefix
        if prefix == "O":
            current_type = ""
    return found


@dataclass
class Scores:
    """Precision, recall and F1 in percent, with the counts behind them."""

    precision: float
    recall: float
    f1: float
    gold: int
    predicted: int
    correct: int

    def as_dict(self) -> dict:
        return {
            "precision": round(self.precision, 2),
            "recall": round(self.recall, 2),
            "f1": round(self.f1, 2),
            "gold": self.gold,
            "predicted": self.predicted,
            "correct": self.correct,
        }


def _scores(gold: int, predicted: int, correct: int) -> Scores:
    precision = 100.0 * correct / predicted if predicted else 0.0
    recall = 100.0 * correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, gold, predicted, correct)


def evaluate(gold_sentences: list[list[str]], predicted_sentences: list[list[str]]) -> tuple[Scores, dict[str, Scores]]:
    """Score predicted tag sequences against gold ones; returns overall and per-type scores.

    Raises:
        ValueError: the sentence counts differ or a sentence's tag counts differ.
    """
    if len(gold_sentences) != len(predicted_sentences):
        raise ValueError(f"{len(gold_sentences)} gold sentences but {len(predicted_sentences)} predicted")
    gold_counts, predicted_counts, correct_counts = Counter(), Counter(), Counter()
    for index, (gold_tags, predicted_tags) in enumerate(zip(gold_sentences, predicted_sentences)):
        if len(gold_tags) != len(predicted_tags):
            raise ValueError(f"sentence {index}: {len(gold_tags)} gold tags but {len(predicted_tags)} predicted")
        gold_chunks = chunks(gold_tags)
        predicted_chunks = chunks(predicted_tags)
        gold_counts.update(chunk[2] for chunk in gold_chunks)
        predicted_counts.update(chunk[2] for chunk in predicted_chunks)
        correct_counts.update(chunk[2] for chunk in gold_chunks & predicted_chunks)

    overall = _scores(sum(gold_counts.values()), sum(predicted_counts.values()), sum(correct_counts.values()))
    per_type = {
        entity_type: _scores(gold_counts[entity_type], predicted_counts[entity_type], correct_counts[entity_type])
        for entity_type in sorted(set(gold_counts) | set(predicted_counts))
    }
    return overall, per_type

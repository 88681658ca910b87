"""Run a trained model over sentences (greedy decoding) and score it on the dev sets."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from . import conlleval
from .batching import collate, sorted_batches
from .data import SENTIMENT_LABELS, TAGS, Sentence
from .encoding import WordPieceEncoder
from .model import SpecTagModel


@dataclass
class Prediction:
    """The outputs for one sentence: greedy decoder and drafting head."""

    tags: list[str]
    tag_probabilities: list[list[float]]
    sentiment_probabilities: list[float]
    draft_tags: list[str]
    draft_sentiment_probabilities: list[float]

    @property
    def sentiment(self) -> str:
        return SENTIMENT_LABELS[max(range(len(SENTIMENT_LABELS)), key=lambda k: self.sentiment_probabilities[k])]

    @property
    def draft_sentiment(self) -> str:
        probabilities = self.draft_sentiment_probabilities
        return SENTIMENT_LABELS[max(range(len(SENTIMENT_LABELS)), key=lambda k: probabilities[k])]


@torch.no_grad()
def predict(model: SpecTagModel, encoder: WordPieceEncoder, sentences: list[Sentence], batch_size: int = 64) -> list[Prediction]:
    """Tag sentences greedily in length-sorted batches; returns predictions in input order."""
    was_training = model.training
    model.eval()
    encoded = [encoder.encode(sentence.words) for sentence in sentences]
    lengths = [sum(len(chunk) for chunk in item.chunks) for item in encoded]
    results: list[Prediction | None] = [None] * len(sentences)
    for indices in sorted_batches(lengths, batch_size):
        batch = collate([encoded[i] for i in indices], [sentences[i] for i in indices], encoder.pad_id)
        states = model.encode(batch)
        tags, tag_logits, sentiment_logits = model.tagger.greedy(states, batch.word_shapes, batch.word_count)
        draft_tag_logits, draft_sentiment_logits = model.draft_head(states, batch.word_shapes)
        tag_probabilities = tag_logits.softmax(dim=-1)
        sentiment_probabilities = sentiment_logits.softmax(dim=-1)
        draft_tags = draft_tag_logits.argmax(dim=-1)
        draft_sentiment_probabilities = draft_sentiment_logits.softmax(dim=-1)
        for row, index in enumerate(indices):
            count = int(batch.word_count[row])
            results[index] = Prediction(
                tags=[TAGS[k] for k in tags[row, :count].tolist()],
                tag_probabilities=tag_probabilities[row, :count].tolist(),
                sentiment_probabilities=sentiment_probabilities[row].tolist(),
                draft_tags=[TAGS[k] for k in draft_tags[row, :count].tolist()],
                draft_sentiment_probabilities=draft_sentiment_probabilities[row].tolist(),
            )
    model.train(was_training)
    return results  # type: ignore[return-value]


def conll_scores(gold: list[Sentence], predictions: list[Prediction]) -> dict:
    """Return entity scores of the greedy tags and of the drafting head, plus how often the
    draft tag equals the greedy tag (the share of words a verifier would accept)."""
    gold_tags = [sentence.tags or [] for sentence in gold]
    overall, per_type = conlleval.evaluate(gold_tags, [p.tags for p in predictions])
    draft_overall, draft_per_type = conlleval.evaluate(gold_tags, [p.draft_tags for p in predictions])
    words = sum(len(p.tags) for p in predictions)
    agreeing = sum(d == g for p in predictions for d, g in zip(p.draft_tags, p.tags))
    whole_sentences = sum(p.draft_tags == p.tags for p in predictions)
    return {
        "greedy_errors": error_classes(gold_tags, [p.tags for p in predictions]),
        "greedy": {"overall": overall.as_dict(), "per_type": {k: v.as_dict() for k, v in per_type.items()}},
        "draft_head": {"overall": draft_overall.as_dict(), "per_type": {k: v.as_dict() for k, v in draft_per_type.items()}},
        "draft_word_agreement": round(agreeing / words, 4) if words else 0.0,
        "draft_sentence_agreement": round(whole_sentences / len(predictions), 4) if predictions else 0.0,
    }


def sentiment_accuracy(gold: list[Sentence], predictions: list[Prediction]) -> dict:
    """Return the decoder's and the drafting head's sentiment accuracy on labelled sentences."""
    total = len(gold)
    decoder_correct = sum(p.sentiment == s.sentiment for s, p in zip(gold, predictions))
    draft_correct = sum(p.draft_sentiment == s.sentiment for s, p in zip(gold, predictions))
    return {
        "sentences": total,
        "accuracy": round(decoder_correct / total, 4) if total else 0.0,
        "draft_head_accuracy": round(draft_correct / total, 4) if total else 0.0,
    }


def error_classes(gold_sentences: list[list[str]], predicted_sentences: list[list[str]]) -> dict:
    """Count entity errors by kind: right span with the wrong type, a predicted span that no
    gold entity has (spurious or misplaced), and a gold span that no prediction has (missed)."""
    counts = {"wrong_type": 0, "spurious_span": 0, "missed_span": 0}
    for gold_tags, predicted_tags in zip(gold_sentences, predicted_sentences):
        gold_chunks = conlleval.chunks(gold_tags)
        predicted_chunks = conlleval.chunks(predicted_tags)
        gold_spans = {(start, end): kind for start, end, kind in gold_chunks}
        predicted_spans = {(start, end): kind for start, end, kind in predicted_chunks}
        for span, kind in predicted_spans.items():
            if span not in gold_spans:
                counts["spurious_span"] += 1
            elif gold_spans[span] != kind:
                counts["wrong_type"] += 1
        counts["missed_span"] += sum(1 for span in gold_spans if span not in predicted_spans)
    return counts

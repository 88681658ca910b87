#!/usr/bin/env python3
"""Measure how much PhraseBank accuracy an exported model's encoder states can give.

The 50%-agree dev accuracy of the shipped models stays near 0.83 whatever the training
settings. This script checks whether a different sentiment input or a calibration of the
sentiment head would do better, without training the encoder again:

- the accuracy of the decoder's sentiment slot, the drafting head and the mean of both;
- linear probes trained on the PhraseBank train split over frozen encoder states: the
  `[CLS]` state, the mean of the last layer's subword states and the mean of the last four
  layers' subword states;
- a neutral logit offset for the decoder chosen on the train split, and, as an upper bound
  only, the best pair of neutral and positive offsets chosen on the 50%-agree dev split itself.

Usage: python3 training/probe_sentiment.py [--model DIR] [--data-root DIR] [--threads N]

It takes about a minute and a half for spectag-e5-small on 2 cores. The service never runs this.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch

from spectag_recipe.batching import collate, sorted_batches
from spectag_recipe.data import SENTIMENT_LABELS, DataError, Sentence, load_corpora
from spectag_recipe.cli import add_model_options
from spectag_recipe.export import ModelFolderError, load_model_folder
from spectag_recipe.model import EncoderOutput, SpecTagModel

POOLED_LAYERS = 4
PROBE_STEPS = 300
PROBE_WEIGHT_DECAY = 0.01
NEUTRAL = SENTIMENT_LABELS.index("neutral")
POSITIVE = SENTIMENT_LABELS.index("positive")


@dataclass
class SentenceFeatures:
    """The sentiment outputs and pooled encoder states of a set of sentences, one row each."""

    decoder_logits: torch.Tensor
    draft_logits: torch.Tensor
    states: dict[str, torch.Tensor]
    gold: torch.Tensor


# MARK: - Features


@torch.no_grad()
def sentence_features(model: SpecTagModel, encoder, sentences: list[Sentence]) -> SentenceFeatures:
    """Run the model over `sentences` and return what the probes need."""
    encoded = [encoder.encode(sentence.words) for sentence in sentences]
    lengths = [sum(len(chunk) for chunk in item.chunks) for item in encoded]
    rows: list[dict | None] = [None] * len(sentences)
    for indices in sorted_batches(lengths, 64):
        batch = collate([encoded[i] for i in indices], [sentences[i] for i in indices], encoder.pad_id)
        embeddings = model.bert.embeddings.word_embeddings(batch.input_ids)
        if model.encoder_shape_input:
            embeddings = embeddings + model.shape_input_embeddings(batch.input_shapes)
        output = model.bert(inputs_embeds=embeddings, attention_mask=batch.attention_mask, output_hidden_states=True)
        hidden = output.last_hidden_state
        encoded_batch = EncoderOutput(
            hidden=hidden,
            word_states=hidden[batch.word_row, batch.word_position],
            cls_states=hidden[batch.cls_row, 0],
        )
        _, _, decoder_logits = model.tagger.greedy(encoded_batch, batch.word_shapes, batch.word_count)
        _, draft_logits = model.draft_head(encoded_batch, batch.word_shapes)
        mask = batch.attention_mask.unsqueeze(-1).to(hidden.dtype)
        last_mean = (hidden * mask).sum(1) / mask.sum(1)
        upper = output.hidden_states[-POOLED_LAYERS:]
        upper_mean = sum((layer * mask).sum(1) / mask.sum(1) for layer in upper) / POOLED_LAYERS
        for row, index in enumerate(indices):
            rows[index] = {
                "decoder": decoder_logits[row],
                "draft": draft_logits[row],
                "[CLS]": hidden[row, 0],
                "mean of last layer": last_mean[row],
                f"mean of last {POOLED_LAYERS} layers": upper_mean[row],
            }
    stack = lambda key: torch.stack([row[key] for row in rows])  # noqa: E731
    state_names = [key for key in rows[0] if key not in ("decoder", "draft")] if rows else []
    return SentenceFeatures(
        decoder_logits=stack("decoder"),
        draft_logits=stack("draft"),
        states={name: stack(name) for name in state_names},
        gold=torch.tensor([SENTIMENT_LABELS.index(sentence.sentiment) for sentence in sentences]),
    )


# MARK: - Probes


def accuracy(scores: torch.Tensor, gold: torch.Tensor) -> float:
    """Return the share of rows whose highest score is the gold label."""
    return (scores.argmax(dim=-1) == gold).float().mean().item()


def linear_probe(train_states: torch.Tensor, train_gold: torch.Tensor) -> tuple[torch.nn.Linear, torch.Tensor, torch.Tensor]:
    """Fit a softmax regression on standardised states and return it with the mean and scale used."""
    torch.manual_seed(0)
    mean = train_states.mean(dim=0)
    scale = train_states.std(dim=0) + 1e-6
    inputs = (train_states - mean) / scale
    probe = torch.nn.Linear(inputs.size(1), len(SENTIMENT_LABELS))
    optimizer = torch.optim.AdamW(probe.parameters(), lr=1e-2, weight_decay=PROBE_WEIGHT_DECAY)
    for _ in range(PROBE_STEPS):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(probe(inputs), train_gold).backward()
        optimizer.step()
    return probe, mean, scale


def offset_accuracy(logits: torch.Tensor, gold: torch.Tensor, neutral: float, positive: float = 0.0) -> float:
    """Return the accuracy of `logits` after adding the offsets to the neutral and positive columns."""
    shifted = logits.clone()
    shifted[:, NEUTRAL] += neutral
    shifted[:, POSITIVE] += positive
    return accuracy(shifted, gold)


def best_neutral_offset(logits: torch.Tensor, gold: torch.Tensor) -> float:
    """Return the neutral offset in [-1, 2] (steps of 0.05) with the best accuracy, the smallest on ties."""
    grid = [step / 20 for step in range(-20, 41)]
    return max(grid, key=lambda offset: (offset_accuracy(logits, gold, offset), -abs(offset)))


def best_offset_pair(logits: torch.Tensor, gold: torch.Tensor) -> tuple[float, float, float]:
    """Return the best accuracy, with its offsets, over neutral offsets in [-2, 4] and positive
    offsets in [-2, 2] (steps of 0.1)."""
    pairs = ((n / 10, p / 10) for n in range(-20, 41) for p in range(-20, 21))
    return max((offset_accuracy(logits, gold, n, p), n, p) for n, p in pairs)


# MARK: - Report


def report(train: SentenceFeatures, dev: dict[str, SentenceFeatures]) -> None:
    """Print the accuracy of every head, probe and offset on each dev split."""
    names = list(dev)
    print("\naccuracy on the dev splits (" + " / ".join(names) + ")")
    for label, pick in (
        ("decoder sentiment slot", lambda f: f.decoder_logits),
        ("drafting head", lambda f: f.draft_logits),
        ("mean of both heads' probabilities", lambda f: f.decoder_logits.softmax(-1) + f.draft_logits.softmax(-1)),
    ):
        print(f"  {label}: " + " / ".join(f"{accuracy(pick(dev[n]), dev[n].gold):.4f}" for n in names))
    for state_name, train_states in train.states.items():
        probe, mean, scale = linear_probe(train_states, train.gold)
        with torch.no_grad():
            train_score = accuracy(probe((train_states - mean) / scale), train.gold)
            scores = [accuracy(probe((dev[n].states[state_name] - mean) / scale), dev[n].gold) for n in names]
        print(f"  linear probe on {state_name} (train {train_score:.4f}): " + " / ".join(f"{s:.4f}" for s in scores))
    offset = best_neutral_offset(train.decoder_logits, train.gold)
    print(f"  decoder with neutral offset {offset:+.2f}, chosen on train: "
          + " / ".join(f"{offset_accuracy(dev[n].decoder_logits, dev[n].gold, offset):.4f}" for n in names))
    last = names[-1]
    best, neutral, positive = best_offset_pair(dev[last].decoder_logits, dev[last].gold)
    print(f"  upper bound on {last}, offsets chosen on it (neutral {neutral:+.1f}, positive {positive:+.1f}): {best:.4f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_model_options(parser, data_help="folder with financial_phrasebank/ and conll2003/")
    arguments = parser.parse_args()
    torch.set_num_threads(arguments.threads)
    try:
        model, encoder, _ = load_model_folder(arguments.model)
        corpora = load_corpora(arguments.data_root)
    except (ModelFolderError, DataError) as error:
        print(f"error: {error}. Pass --model or --data-root to point elsewhere.", file=sys.stderr)
        return 1
    model.eval()
    print(f"model {arguments.model}; PhraseBank train {len(corpora.phrasebank_train)} sentences", flush=True)
    train = sentence_features(model, encoder, corpora.phrasebank_train)
    dev = {
        "all agree": sentence_features(model, encoder, corpora.phrasebank_dev_all_agree),
        "50% agree": sentence_features(model, encoder, corpora.phrasebank_dev_50_agree),
    }
    report(train, dev)
    return 0


if __name__ == "__main__":
    sys.exit(main())

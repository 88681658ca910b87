"""Build padded tensor batches from encoded sentences, and length-grouped batch orders."""

from __future__ import annotations

import random

import torch

from .data import SENTIMENT_LABELS, TAGS, Sentence, soft_sentiment_target
from .encoding import WORD_SHAPES, EncodedSentence
from .model import Batch

IGNORED_LABEL = -100


def collate(encoded: list[EncodedSentence], sentences: list[Sentence], pad_id: int) -> Batch:
    """Pad a list of encoded sentences (with their labels, where present) into one `Batch`."""
    rows = [chunk for sentence in encoded for chunk in sentence.chunks]
    row_shapes = [shapes for sentence in encoded for shapes in sentence.chunk_shapes]
    row_length = max(len(row) for row in rows)
    special_shape = len(WORD_SHAPES)

    input_ids = torch.full((len(rows), row_length), pad_id, dtype=torch.long)
    input_shapes = torch.full((len(rows), row_length), special_shape, dtype=torch.long)
    attention_mask = torch.zeros((len(rows), row_length), dtype=torch.long)
    for index, (row, shapes) in enumerate(zip(rows, row_shapes)):
        input_ids[index, : len(row)] = torch.tensor(row)
        input_shapes[index, : len(row)] = torch.tensor(shapes)
        attention_mask[index, : len(row)] = 1

    batch_size = len(encoded)
    word_slots = max(1, max(len(sentence.word_shapes) for sentence in encoded))
    word_row = torch.zeros((batch_size, word_slots), dtype=torch.long)
    word_position = torch.zeros((batch_size, word_slots), dtype=torch.long)
    word_shapes = torch.zeros((batch_size, word_slots), dtype=torch.long)
    word_mask = torch.zeros((batch_size, word_slots), dtype=torch.bool)
    tags = torch.full((batch_size, word_slots), IGNORED_LABEL, dtype=torch.long)
    sentiment = torch.full((batch_size,), IGNORED_LABEL, dtype=torch.long)
    cls_row = torch.zeros(batch_size, dtype=torch.long)
    word_count = torch.zeros(batch_size, dtype=torch.long)

    first_row = 0
    for index, (sentence_input, sentence) in enumerate(zip(encoded, sentences)):
        count = len(sentence_input.word_shapes)
        word_count[index] = count
        cls_row[index] = first_row
        if count:
            word_row[index, :count] = torch.tensor(sentence_input.word_chunk) + first_row
            word_position[index, :count] = torch.tensor(sentence_input.word_position)
            word_shapes[index, :count] = torch.tensor(sentence_input.word_shapes)
            word_mask[index, :count] = True
        if sentence.tags is not None:
            tags[index, :count] = torch.tensor([TAGS.index(tag) for tag in sentence.tags])
        if sentence.sentiment is not None:
            sentiment[index] = SENTIMENT_LABELS.index(sentence.sentiment)
        first_row += len(sentence_input.chunks)

    return Batch(
        sentiment_targets=soft_sentiment_targets(sentences),
        input_ids=input_ids,
        input_shapes=input_shapes,
        attention_mask=attention_mask,
        word_row=word_row,
        word_position=word_position,
        word_shapes=word_shapes,
        word_mask=word_mask,
        cls_row=cls_row,
        word_count=word_count,
        tags=tags,
        sentiment=sentiment,
    )


def soft_sentiment_targets(sentences: list[Sentence]) -> torch.Tensor | None:
    """Return `[B, 3]` sentiment targets when some sentence has an agreement estimate, else None.

    Sentences without a sentiment label get zeros (the loss skips them) and sentences without
    an agreement estimate get one-hot rows.
    """
    if all(sentence.sentiment_agreement is None for sentence in sentences):
        return None
    rows = []
    for sentence in sentences:
        if sentence.sentiment is None:
            rows.append([0.0] * len(SENTIMENT_LABELS))
        else:
            rows.append(soft_sentiment_target(sentence.sentiment, sentence.sentiment_agreement or 1.0))
    return torch.tensor(rows, dtype=torch.float32)


def length_grouped_batches(lengths: list[int], batch_size: int, rng: random.Random, pool_batches: int = 50) -> list[list[int]]:
    """Return shuffled batches of indices whose lengths are similar, to cut padding.

    Indices are shuffled, cut into pools of `pool_batches * batch_size`, sorted by length
    within each pool and cut into batches; the batches are then shuffled.
    """
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool_size = pool_batches * batch_size
    batches = []
    for start in range(0, len(order), pool_size):
        pool = sorted(order[start : start + pool_size], key=lambda index: lengths[index])
        batches.extend(pool[offset : offset + batch_size] for offset in range(0, len(pool), batch_size))
    rng.shuffle(batches)
    return batches


def sorted_batches(lengths: list[int], batch_size: int) -> list[list[int]]:
    """Return batches of indices in order of length, for inference with little padding."""
    order = sorted(range(len(lengths)), key=lambda index: lengths[index])
    return [order[offset : offset + batch_size] for offset in range(0, len(order), batch_size)]

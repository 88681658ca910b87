"""The spectag tagger: a BERT encoder, an autoregressive tag decoder and a drafting head.

Module and parameter names match the tensor names of the model folder format page
(docs/model-format.md), except that the encoder sits under `bert.`, which the export strips.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from .encoding import WORD_SHAPES


@dataclass
class DecoderSettings:
    """Hyperparameters of the tag decoder, stored in `spectag.json` under `decoder`."""

    layers: int = 2
    heads: int = 6
    ffn: int = 1536
    layer_norm_eps: float = 1e-5
    dropout: float = 0.1


@dataclass
class Batch:
    """Tensors for a batch of sentences (see `collate` in batching.py for how they are built).

    Encoder rows are chunks; word `i` of sentence `b` has its first subword at
    `(word_row[b, i], word_position[b, i])` and the sentence's `[CLS]` is row `cls_row[b]`.
    `tags` is -100 where a word has no label and `sentiment` is -100 where a sentence has none.
    `sentiment_targets` `[B, 3]`, when present, holds soft sentiment targets (one-hot for
    sentences without an agreement estimate).
    """

    input_ids: torch.Tensor
    input_shapes: torch.Tensor
    attention_mask: torch.Tensor
    word_row: torch.Tensor
    word_position: torch.Tensor
    word_shapes: torch.Tensor
    word_mask: torch.Tensor
    cls_row: torch.Tensor
    word_count: torch.Tensor
    tags: torch.Tensor
    sentiment: torch.Tensor
    sentiment_targets: torch.Tensor | None = None


@dataclass
class EncoderOutput:
    """Encoder states gathered per word and per sentence."""

    hidden: torch.Tensor
    word_states: torch.Tensor
    cls_states: torch.Tensor


# MARK: - Heads


class DraftHead(nn.Module):
    """Predicts every tag at once from the encoder states, and the sentiment from `[CLS]`."""

    def __init__(self, hidden: int, tag_count: int, sentiment_count: int):
        super().__init__()
        self.shape_embeddings = nn.Embedding(len(WORD_SHAPES), hidden)
        self.tag_classifier = nn.Linear(hidden, tag_count)
        self.sentiment_classifier = nn.Linear(hidden, sentiment_count)
        nn.init.zeros_(self.shape_embeddings.weight)

    def forward(self, encoded: EncoderOutput, word_shapes: torch.Tensor):
        tag_logits = self.tag_classifier(encoded.word_states + self.shape_embeddings(word_shapes))
        sentiment_logits = self.sentiment_classifier(encoded.cls_states)
        return tag_logits, sentiment_logits


class TagDecoder(nn.Module):
    """Causal post-norm Transformer over the words plus a final sentiment slot.

    The input at position `i < n` is word `i`'s state, its shape and the tag of word `i - 1`
    (the start index `T` for the first word). The input at position `n` is the `[CLS]` state, a learned sentiment
    query and the last word's tag. Position `j` attends to positions `0...j` only.
    """

    def __init__(self, hidden: int, tag_count: int, sentiment_count: int, settings: DecoderSettings):
        super().__init__()
        self.tag_count = tag_count
        self.shape_embeddings = nn.Embedding(len(WORD_SHAPES), hidden)
        self.tag_embeddings = nn.Embedding(tag_count + 1, hidden)
        self.sentiment_query = nn.Parameter(torch.zeros(hidden))
        self.input_norm = nn.LayerNorm(hidden, eps=settings.layer_norm_eps)
        self.input_dropout = nn.Dropout(settings.dropout)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(
                d_model=hidden,
                nhead=settings.heads,
                dim_feedforward=settings.ffn,
                dropout=settings.dropout,
                activation="gelu",
                layer_norm_eps=settings.layer_norm_eps,
                batch_first=True,
                norm_first=False,
            )
            for _ in range(settings.layers)
        )
        self.tag_classifier = nn.Linear(hidden, tag_count)
        self.sentiment_classifier = nn.Linear(hidden, sentiment_count)
        nn.init.normal_(self.tag_embeddings.weight, std=0.02)
        nn.init.normal_(self.shape_embeddings.weight, std=0.02)

    def build_inputs(self, encoded: EncoderOutput, word_shapes, word_count, tags) -> torch.Tensor:
        """Return the normalized decoder inputs `[B, N + 1, d]` for the given word tags `[B, N]`.

        Positions after a sentence's sentiment slot hold filler values; the causal mask keeps
        them from reaching any position that is read.
        """
        batch_size, word_slots, hidden = encoded.word_states.shape
        start = torch.full((batch_size, 1), self.tag_count, dtype=torch.long, device=tags.device)
        previous_tags = torch.cat([start, tags.clamp(min=0)], dim=1)

        word_inputs = encoded.word_states + self.shape_embeddings(word_shapes)
        filler = word_inputs.new_zeros(batch_size, 1, hidden)
        base = torch.cat([word_inputs, filler], dim=1)
        positions = torch.arange(word_slots + 1, device=tags.device)
        is_slot = (positions[None, :] == word_count[:, None]).unsqueeze(-1)
        slot_input = (encoded.cls_states + self.sentiment_query).unsqueeze(1)
        base = torch.where(is_slot, slot_input, base)
        return self.input_dropout(self.input_norm(base + self.tag_embeddings(previous_tags)))

    def run_layers(self, inputs: torch.Tensor) -> torch.Tensor:
        """Run the causal layers over `inputs` `[B, L, d]`."""
        length = inputs.size(1)
        mask = nn.Transformer.generate_square_subsequent_mask(length, device=inputs.device, dtype=inputs.dtype)
        states = inputs
        for layer in self.layers:
            states = layer(states, src_mask=mask, is_causal=True)
        return states

    def forward(self, encoded: EncoderOutput, word_shapes, word_count, tags):
        """Score all positions in one pass given every word's previous tag (teacher forcing or
        verification of a draft). Returns tag logits `[B, N, T]` and sentiment logits `[B, 3]`."""
        states = self.run_layers(self.build_inputs(encoded, word_shapes, word_count, tags))
        batch_index = torch.arange(states.size(0), device=states.device)
        tag_logits = self.tag_classifier(states[:, :-1])
        sentiment_logits = self.sentiment_classifier(states[batch_index, word_count])
        return tag_logits, sentiment_logits

    @torch.no_grad()
    def greedy(self, encoded: EncoderOutput, word_shapes, word_count):
        """Decode greedily, feeding each chosen tag back as the next position's previous tag.

        Each step runs only the new position through the layers, attending to cached keys
        and values of the earlier positions, which the causal mask leaves unchanged. Returns
        the greedy tags `[B, N]` (0 past each sentence's end) and the logits of one final
        parallel pass over them, which equal the step logits up to rounding.
        """
        batch_size, word_slots, _ = encoded.word_states.shape
        tags = torch.zeros(batch_size, word_slots, dtype=torch.long, device=word_count.device)
        caches: list[tuple[list[torch.Tensor], list[torch.Tensor]]] = [([], []) for _ in self.layers]
        word_inputs = encoded.word_states + self.shape_embeddings(word_shapes)
        previous = torch.full((batch_size,), self.tag_count, dtype=torch.long, device=word_count.device)
        for position in range(word_slots):
            states = self.input_norm(word_inputs[:, position] + self.tag_embeddings(previous))
            for layer, cache in zip(self.layers, caches):
                states = _layer_step(layer, states, cache)
            chosen = self.tag_classifier(states).argmax(dim=-1)
            inside = position < word_count
            tags[:, position] = torch.where(inside, chosen, torch.zeros_like(chosen))
            previous = tags[:, position]
        tag_logits, sentiment_logits = self(encoded, word_shapes, word_count, tags)
        return tags, tag_logits, sentiment_logits


def _layer_step(layer: nn.TransformerEncoderLayer, states: torch.Tensor, cache) -> torch.Tensor:
    """Run one new position `[B, d]` through a post-norm layer in eval mode, appending its key
    and value to `cache` (lists of `[B, heads, 1, d_head]` tensors)."""
    attention = layer.self_attn
    batch_size, hidden = states.shape
    heads = attention.num_heads
    head_size = hidden // heads
    query, key, value = nn.functional.linear(states, attention.in_proj_weight, attention.in_proj_bias).chunk(3, dim=-1)
    keys, values = cache
    keys.append(key.view(batch_size, heads, 1, head_size))
    values.append(value.view(batch_size, heads, 1, head_size))
    all_keys = torch.cat(keys, dim=2)
    all_values = torch.cat(values, dim=2)
    scores = (query.view(batch_size, heads, 1, head_size) @ all_keys.transpose(2, 3)) / head_size**0.5
    mixed = (scores.softmax(dim=-1) @ all_values).reshape(batch_size, hidden)
    states = layer.norm1(states + attention.out_proj(mixed))
    return layer.norm2(states + layer.linear2(nn.functional.gelu(layer.linear1(states))))


# MARK: - Whole model


class SpecTagModel(nn.Module):
    """Encoder (with optional word-shape input embeddings), tag decoder and drafting head."""

    def __init__(self, encoder, tag_count: int, sentiment_count: int, decoder: DecoderSettings, encoder_shape_input: bool):
        super().__init__()
        self.bert = encoder
        hidden = encoder.config.hidden_size
        self.encoder_shape_input = encoder_shape_input
        if encoder_shape_input:
            # The last row serves [CLS], [SEP] and padding. Zero rows start the model exactly at
            # the pretrained encoder.
            self.shape_input_embeddings = nn.Embedding(len(WORD_SHAPES) + 1, hidden)
            nn.init.zeros_(self.shape_input_embeddings.weight)
        self.tagger = TagDecoder(hidden, tag_count, sentiment_count, decoder)
        self.draft_head = DraftHead(hidden, tag_count, sentiment_count)

    def encode(self, batch: Batch) -> EncoderOutput:
        """Run the encoder over all chunk rows and gather each word's first-subword state."""
        embeddings = self.bert.embeddings.word_embeddings(batch.input_ids)
        if self.encoder_shape_input:
            embeddings = embeddings + self.shape_input_embeddings(batch.input_shapes)
        hidden = self.bert(inputs_embeds=embeddings, attention_mask=batch.attention_mask).last_hidden_state
        word_states = hidden[batch.word_row, batch.word_position]
        cls_states = hidden[batch.cls_row, 0]
        return EncoderOutput(hidden=hidden, word_states=word_states, cls_states=cls_states)

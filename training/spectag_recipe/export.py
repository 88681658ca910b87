"""Write the model folder (docs/model-format.md) and load it back with F16 weights in F32."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from transformers import AutoTokenizer, BertConfig, BertModel

from .data import SENTIMENT_LABELS, TAGS
from .encoding import WORD_SHAPES, WordPieceEncoder
from .model import DecoderSettings, SpecTagModel

FORMAT_VERSION = 1
ENCODER_PREFIX = "bert."
# The file each `tokenizer` kind of `spectag.json` is loaded from (docs/model-format.md).
TOKENIZER_FILES = {"wordpiece": "vocab.txt", "unigram": "tokenizer.json"}


class ModelFolderError(Exception):
    """A model folder is incomplete or inconsistent; the message names the file and problem."""


# MARK: - Writing


def spectag_config(name: str, model: SpecTagModel, max_subwords: int, tokenizer_kind: str = "wordpiece") -> dict:
    """Return the format keys of `spectag.json` for a model; `tokenizer_kind` is a key of
    `TOKENIZER_FILES`."""
    decoder_layer = model.tagger.layers[0]
    return {
        "format_version": FORMAT_VERSION,
        "name": name,
        "tokenizer": tokenizer_kind,
        "max_subwords": max_subwords,
        "tags": TAGS,
        "sentiment_labels": SENTIMENT_LABELS,
        "word_shapes": WORD_SHAPES,
        "encoder_shape_input": model.encoder_shape_input,
        "decoder": {
            "layers": len(model.tagger.layers),
            "heads": decoder_layer.self_attn.num_heads,
            "ffn": decoder_layer.linear1.out_features,
            "layer_norm_eps": decoder_layer.norm1.eps,
        },
        "draft_head": True,
    }


def export_tensors(model: SpecTagModel) -> dict[str, torch.Tensor]:
    """Return every tensor under its format name (encoder without prefix), as contiguous F16."""
    tensors = {}
    for name, tensor in model.state_dict().items():
        if name.startswith(ENCODER_PREFIX):
            name = name[len(ENCODER_PREFIX) :]
        tensors[name] = tensor.detach().to(torch.float16).contiguous()
    return tensors


def write_tokenizer(tokenizer, folder: Path, tokenizer_kind: str = "wordpiece") -> None:
    """Write the tokenizer files; `special_tokens_map.json` and, for WordPiece, `vocab.txt` are
    written here because transformers 5.x stores neither (it writes `tokenizer.json` instead).
    A Unigram tokenizer needs only `tokenizer.json`.

    Raises:
        ModelFolderError: the WordPiece vocabulary ids are not exactly 0..<count.
    """
    tokenizer.save_pretrained(folder)
    for stray in ("tokenizer.model",):
        (folder / stray).unlink(missing_ok=True)
    if tokenizer_kind == "wordpiece":
        write_vocabulary(tokenizer, folder)
    special = {key: str(value) for key, value in tokenizer.special_tokens_map.items()}
    (folder / "special_tokens_map.json").write_text(json.dumps(special, indent=2) + "\n", encoding="utf-8")


def write_vocabulary(tokenizer, folder: Path) -> None:
    """Write `vocab.txt`: line `k` is the token with id `k`.

    Raises:
        ModelFolderError: the vocabulary ids are not exactly 0..<count.
    """
    vocabulary = tokenizer.get_vocab()
    by_id = sorted(vocabulary.items(), key=lambda item: item[1])
    if [token_id for _, token_id in by_id] != list(range(len(by_id))):
        raise ModelFolderError("tokenizer vocabulary ids are not contiguous from 0; cannot write vocab.txt")
    (folder / "vocab.txt").write_text("".join(token + "\n" for token, _ in by_id), encoding="utf-8")


def write_model_folder(folder: Path, model: SpecTagModel, tokenizer, config: dict, model_card: str) -> None:
    """Write the model folder: config.json, the tokenizer files, model.safetensors (F16),
    spectag.json and the model card README.md."""
    folder.mkdir(parents=True, exist_ok=True)
    model.bert.config.save_pretrained(folder)
    write_tokenizer(tokenizer, folder, config["tokenizer"])
    save_file(export_tensors(model), str(folder / "model.safetensors"), metadata={"format": "pt"})
    (folder / "spectag.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    (folder / "README.md").write_text(model_card, encoding="utf-8")


# MARK: - Loading


def load_model_folder(folder: Path) -> tuple[SpecTagModel, WordPieceEncoder, dict]:
    """Load an exported folder with its F16 tensors expanded to F32, in eval mode.

    Raises:
        ModelFolderError: a file is missing, the format version, tokenizer kind or labels differ
            from this recipe's, or the tensors do not match the model the config describes.
    """
    for required in ("config.json", "model.safetensors", "spectag.json"):
        if not (folder / required).is_file():
            raise ModelFolderError(f"{folder}: missing {required}")
    config = json.loads((folder / "spectag.json").read_text(encoding="utf-8"))
    tokenizer_kind = config.get("tokenizer", "wordpiece")
    if tokenizer_kind not in TOKENIZER_FILES:
        raise ModelFolderError(f"{folder / 'spectag.json'}: tokenizer {tokenizer_kind!r} is not one of {sorted(TOKENIZER_FILES)}")
    if not (folder / TOKENIZER_FILES[tokenizer_kind]).is_file():
        raise ModelFolderError(f"{folder}: missing {TOKENIZER_FILES[tokenizer_kind]}, which a {tokenizer_kind} tokenizer is loaded from")
    if config.get("format_version") != FORMAT_VERSION:
        raise ModelFolderError(f"{folder / 'spectag.json'}: format_version {config.get('format_version')!r}, expected {FORMAT_VERSION}")
    for key, expected in (("tags", TAGS), ("sentiment_labels", SENTIMENT_LABELS), ("word_shapes", WORD_SHAPES)):
        if config.get(key) != expected:
            raise ModelFolderError(f"{folder / 'spectag.json'}: {key} {config.get(key)!r} differs from {expected!r}")

    decoder = config["decoder"]
    settings = DecoderSettings(layers=decoder["layers"], heads=decoder["heads"], ffn=decoder["ffn"], layer_norm_eps=decoder["layer_norm_eps"])
    bert = BertModel(BertConfig.from_pretrained(folder), add_pooling_layer=False)
    model = SpecTagModel(bert, len(TAGS), len(SENTIMENT_LABELS), settings, config["encoder_shape_input"])

    stored = load_file(str(folder / "model.safetensors"))
    expected_names = set(model.state_dict())
    state = {}
    for name, tensor in stored.items():
        full_name = name if name in expected_names else ENCODER_PREFIX + name
        state[full_name] = tensor.to(torch.float32)
    missing = expected_names - set(state)
    unexpected = set(state) - expected_names
    if missing or unexpected:
        raise ModelFolderError(f"{folder / 'model.safetensors'}: missing tensors {sorted(missing)[:5]}, unexpected {sorted(unexpected)[:5]}")
    model.load_state_dict(state)
    model.eval()

    tokenizer = AutoTokenizer.from_pretrained(folder)
    return model, WordPieceEncoder(tokenizer, config["max_subwords"]), config

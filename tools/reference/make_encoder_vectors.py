"""Write the tiny-BERT fixture and its reference vectors for the Swift encoder tests.

The fixture is a randomly initialised BERT (2 layers, hidden 32) with a small cased WordPiece
vocabulary built from the sentences below, saved as F16 safetensors the way `transformers` names
the tensors. The reference vectors are the token ids, offsets, word indices and final hidden
states that `transformers` computes for each sentence with the same F16-rounded weights in F32,
so the Swift engine must match them to within float32 rounding.

Run from the repository root (writes into Tests/SpecTagModelsTests/Fixtures):

    python3 tools/reference/make_encoder_vectors.py
"""

import json
import os

import torch
from safetensors.torch import save_file
from transformers import BertConfig, BertModel, BertTokenizer

FIXTURES = os.path.join("Tests", "SpecTagModelsTests", "Fixtures")
MODEL_DIR = os.path.join(FIXTURES, "tiny-bert")
HEAD_TOKENS = 12   # hidden states kept for the first tokens of each sentence
TAIL_TOKENS = 3    # and for the last ones

SENTENCES = [
    "Apple Inc. shares rose 3.5% in New York on Tuesday.",
    "The U.S. Federal Reserve held rates steady, said Jerome Powell.",
    "Café Müller's naïve résumé cost €1,200.",
    "東京証券取引所 listed Sony and Toyota.",
    "📈 Stocks rally 🚀 as S&P 500 hits a record!",
    "Tabs\tand\u0000control\u200bcharacters\r\nacross lines.",
    "What?!... --- (really) [sic] {ok} <no> ...",
    ("Pneumonoultramicroscopicsilicovolcanoconiosis" * 4)[:150] + " is a 150-character word?",
    "",
    "   ",
    " ".join(["Revenue grew at Siemens AG while BMW and Daimler lagged behind."] * 60),
    "lowercase only words here",
    "ALL CAPS HEADLINE: GOLDMAN SACHS BEATS ESTIMATES",
]


def build_vocabulary(sentences):
    """Build a small cased WordPiece vocabulary: specials, characters, then frequent words."""
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    words, characters = {}, set()
    for sentence in sentences:
        for word in sentence.replace("\u0000", " ").split():
            stripped = "".join(ch for ch in word if ch.isalnum())
            if stripped:
                words[stripped] = words.get(stripped, 0) + 1
            characters.update(word)
    vocabulary = list(specials)
    for ch in sorted(characters):
        if ch.isprintable() and not ch.isspace():
            vocabulary.append(ch)
            vocabulary.append("##" + ch)
    for word, _ in sorted(words.items(), key=lambda item: (-item[1], item[0]))[:150]:
        if len(word) > 1 and word not in vocabulary:
            vocabulary.append(word)
    for piece in ["##ing", "##ed", "##s", "##er", "##ly", "##al"]:
        if piece not in vocabulary:
            vocabulary.append(piece)
    return vocabulary


def main():
    torch.manual_seed(20261204)
    os.makedirs(MODEL_DIR, exist_ok=True)

    vocabulary = build_vocabulary(SENTENCES)
    with open(os.path.join(MODEL_DIR, "vocab.txt"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(vocabulary) + "\n")
    tokenizer = BertTokenizer(
        vocab=os.path.join(MODEL_DIR, "vocab.txt"), do_lower_case=False, strip_accents=None
    )
    tokenizer.save_pretrained(MODEL_DIR)
    fast_only_file = os.path.join(MODEL_DIR, "tokenizer.json")  # the Swift loader reads vocab.txt
    if os.path.exists(fast_only_file):
        os.remove(fast_only_file)

    config = BertConfig(
        vocab_size=len(vocabulary), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=64, max_position_embeddings=512, type_vocab_size=2, hidden_act="gelu",
        layer_norm_eps=1e-12,
    )
    model = BertModel(config, add_pooling_layer=False).eval()
    with torch.no_grad():
        for parameter in model.parameters():  # random init is small; widen it so errors show
            parameter.add_(torch.randn_like(parameter) * 0.05)
        for parameter in model.parameters():  # round to F16 so Swift reads identical weights
            parameter.copy_(parameter.half().float())
    config.save_pretrained(MODEL_DIR)
    tensors = {name: value.half().contiguous() for name, value in model.state_dict().items()}
    save_file(tensors, os.path.join(MODEL_DIR, "model.safetensors"), metadata={"format": "pt"})

    cases = []
    for sentence in SENTENCES:
        encoding = tokenizer(sentence, truncation=True, max_length=512, return_offsets_mapping=True)
        ids = encoding["input_ids"]
        with torch.no_grad():
            hidden = model(input_ids=torch.tensor([ids])).last_hidden_state[0]
        keep = sorted(set(range(min(HEAD_TOKENS, len(ids)))) | set(range(max(0, len(ids) - TAIL_TOKENS), len(ids))))
        cases.append({
            "text": sentence,
            "ids": ids,
            "offsets": [list(pair) for pair in encoding["offset_mapping"]],
            "word_ids": encoding.word_ids(),
            "hidden_rows": keep,
            "hidden": [[round(float(v), 6) for v in hidden[row]] for row in keep],
            "hidden_sum": float(hidden.double().sum()),
        })
    with open(os.path.join(FIXTURES, "tiny-bert-reference.json"), "w", encoding="utf-8") as handle:
        json.dump({"max_length": 512, "cases": cases}, handle, ensure_ascii=False)
    print(f"wrote {len(cases)} cases, vocabulary of {len(vocabulary)} tokens")


if __name__ == "__main__":
    main()

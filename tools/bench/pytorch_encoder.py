"""Time the same BERT encoder in PyTorch, for `spectag bench encoder`.

Reads a JSON file {"model": DIR, "threads": N, "repeats": R, "batches": [[[ids...], ...], ...]},
runs `transformers`' BertModel (F16 checkpoint weights expanded to F32, as the Swift engine does)
over each batch padded to its longest sequence with an attention mask, and prints one JSON
object: the best total time over the repeats and the token count.
"""

import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch
from safetensors.torch import load_file
from transformers import BertConfig, BertModel


def load_encoder(folder):
    """Load the encoder tensors of a spectag or Hugging Face folder as F32."""
    model = BertModel(BertConfig.from_pretrained(folder), add_pooling_layer=False).eval()
    stored = load_file(os.path.join(folder, "model.safetensors"))
    expected = set(model.state_dict())
    state = {}
    for name, tensor in stored.items():
        bare = name[len("bert."):] if name.startswith("bert.") else name
        if bare in expected:
            state[bare] = tensor.to(torch.float32)
    missing = expected - set(state) - {"embeddings.position_ids"}
    if missing:
        raise SystemExit(f"{folder}: missing encoder tensors {sorted(missing)[:5]}")
    model.load_state_dict(state, strict=False)
    return model


def main():
    request = json.load(open(sys.argv[1]))
    torch.set_num_threads(request["threads"])
    model = load_encoder(request["model"])
    batches = []
    for batch in request["batches"]:
        longest = max(len(ids) for ids in batch)
        ids = torch.zeros(len(batch), longest, dtype=torch.long)
        mask = torch.zeros(len(batch), longest, dtype=torch.long)
        for row, sequence in enumerate(batch):
            ids[row, : len(sequence)] = torch.tensor(sequence)
            mask[row, : len(sequence)] = 1
        batches.append((ids, mask))
    best = float("inf")
    with torch.inference_mode():
        for run in range(request["repeats"] + 1):
            start = time.perf_counter()
            for ids, mask in batches:
                model(input_ids=ids, attention_mask=mask)
            elapsed = time.perf_counter() - start
            if run > 0:
                best = min(best, elapsed)
    tokens = sum(len(ids) for batch in request["batches"] for ids in batch)
    print(json.dumps({"seconds": best, "tokens": tokens, "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()

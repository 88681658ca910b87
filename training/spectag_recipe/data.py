"""Read the training and dev data sets: CoNLL-2003 (NER), Financial PhraseBank (sentiment) and,
when asked for, the finance tweets of `twitter_financial_news_sentiment` (sentiment, MIT-licensed
per its data card).

The data stays under the shared data folder and is never copied into the repository, because
CoNLL-2003 rests on Reuters copyright and the PhraseBank is licensed CC BY-NC-SA 3.0.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
SENTIMENT_LABELS = ["negative", "neutral", "positive"]

FNV_OFFSET_BASIS = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
PHRASEBANK_DEV_MODULUS = 5


class DataError(Exception):
    """A data file is missing or malformed; the message names the file and the problem."""


@dataclass
class Sentence:
    """One training or dev example.

    `tags` is None for sentences without NER labels and `sentiment` is None for sentences
    without a sentiment label, so each loss uses only the labels that exist.
    `sentiment_agreement`, when set, is the estimated share of annotators who chose
    `sentiment` (see `PHRASEBANK_AGREEMENT`).
    """

    words: list[str]
    tags: list[str] | None = None
    sentiment: str | None = None
    sentiment_agreement: float | None = None


# MARK: - CoNLL-2003


def iob1_to_bio(tags: list[str]) -> list[str]:
    """Convert IOB1 tags (entities start with `I-`) to BIO/IOB2 (entities start with `B-`).

    An `I-X` tag starts an entity when the previous tag is `O` or has another type.
    """
    converted = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and (previous == "O" or previous[2:] != tag[2:]):
            converted.append("B-" + tag[2:])
        else:
            converted.append(tag)
        previous = tag
    return converted


def read_conll(path: Path, scheme: str) -> list[Sentence]:
    """Read a CoNLL-2003 file (`token POS chunk NER` per line) and return BIO-tagged sentences.

    `scheme` is "iob1" for the original files (converted here) or "bio" for files already in
    IOB2. `-DOCSTART-` lines are skipped wherever they sit.

    Raises:
        DataError: the file is missing, a line lacks the NER column, or a tag is unknown.
    """
    if scheme not in ("iob1", "bio"):
        raise ValueError(f"unknown tag scheme {scheme!r}; expected 'iob1' or 'bio'")
    if not path.is_file():
        raise DataError(f"CoNLL file not found: {path}")

    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if words:
            final_tags = iob1_to_bio(tags) if scheme == "iob1" else list(tags)
            sentences.append(Sentence(words=list(words), tags=final_tags))
        words.clear()
        tags.clear()

    with path.open(encoding="utf-8") as file:
        for line_number, line in enumerate(file, start=1):
            fields = line.split()
            if not fields:
                flush()
                continue
            if fields[0] == "-DOCSTART-":
                flush()
                continue
            if len(fields) < 4:
                raise DataError(f"{path}:{line_number}: expected 4 columns, found {len(fields)}")
            tag = fields[-1]
            if tag not in TAGS:
                raise DataError(f"{path}:{line_number}: unknown NER tag {tag!r}")
            words.append(fields[0])
            tags.append(tag)
    flush()
    return sentences


def check_conll_conversion(original: list[Sentence], converted: list[Sentence]) -> None:
    """Check that our IOB1-to-BIO conversion agrees with a ready IOB2 copy, sentence by sentence.

    Raises:
        DataError: the two copies differ in sentence count, words or tags.
    """
    if len(original) != len(converted):
        raise DataError(
            f"IOB2 copy has {len(converted)} sentences but the original has {len(original)}"
        )
    for index, (ours, theirs) in enumerate(zip(original, converted)):
        if ours.words != theirs.words:
            raise DataError(f"sentence {index}: words differ between the original and the IOB2 copy")
        if ours.tags != theirs.tags:
            raise DataError(f"sentence {index}: our BIO tags differ from the IOB2 copy")


# MARK: - Financial PhraseBank


def fnv1a_64(data: bytes) -> int:
    """Return the 64-bit FNV-1a hash of `data` (arithmetic mod 2^64)."""
    value = FNV_OFFSET_BASIS
    for byte in data:
        value ^= byte
        value = (value * FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return value


def is_phrasebank_dev(sentence_text: str) -> bool:
    """Return whether a PhraseBank sentence belongs to the project's fixed dev split.

    The split is shared with the Swift side: FNV-1a 64 over the UTF-8 bytes of the stripped
    sentence text, and the sentence is dev exactly when the hash is divisible by 5.
    """
    return fnv1a_64(sentence_text.encode("utf-8")) % PHRASEBANK_DEV_MODULUS == 0


def read_phrasebank(path: Path) -> list[tuple[str, str]]:
    """Read a PhraseBank file (`sentence@label` per line, latin-1) as (text, label) pairs.

    The text is the part before the LAST `@`, with surrounding whitespace removed.

    Raises:
        DataError: the file is missing, a line has no `@`, or a label is unknown.
    """
    if not path.is_file():
        raise DataError(f"PhraseBank file not found: {path}")
    pairs = []
    with path.open(encoding="latin-1", newline="") as file:
        for line_number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            text, separator, label = line.rpartition("@")
            if not separator:
                raise DataError(f"{path}:{line_number}: no '@' separates sentence and label")
            label = label.strip()
            if label not in SENTIMENT_LABELS:
                raise DataError(f"{path}:{line_number}: unknown sentiment label {label!r}")
            pairs.append((text.strip(), label))
    return pairs


def phrasebank_sentences(pairs: list[tuple[str, str]], dev: bool, agreement: dict[str, float] | None = None) -> list[Sentence]:
    """Return the PhraseBank sentences of one split, split into words at whitespace.

    With `agreement` (from `phrasebank_agreement`), each sentence also carries its estimated
    annotator agreement.
    """
    return [
        Sentence(words=text.split(), sentiment=label, sentiment_agreement=agreement.get(text) if agreement else None)
        for text, label in pairs
        if is_phrasebank_dev(text) == dev and text.split()
    ]


# The PhraseBank files nest: each contains the sentences on which at least 50/66/75/100% of the
# annotators agreed. A sentence's agreement is estimated as about the middle of the range of the
# strictest file that contains it (the PhraseBank README gives 5 to 8 annotations per sentence).
PHRASEBANK_AGREEMENT = (
    ("Sentences_AllAgree.txt", 1.0),
    ("Sentences_75Agree.txt", 0.85),
    ("Sentences_66Agree.txt", 0.70),
    ("Sentences_50Agree.txt", 0.57),
)


def phrasebank_agreement(folder: Path) -> dict[str, float]:
    """Return the estimated annotator agreement of every PhraseBank sentence, keyed by text.

    Raises:
        DataError: one of the four agreement files is missing or malformed.
    """
    agreement: dict[str, float] = {}
    for name, share in PHRASEBANK_AGREEMENT:
        for text, _ in read_phrasebank(folder / name):
            agreement.setdefault(text, share)
    return agreement


def soft_sentiment_target(label: str, agreement: float) -> list[float]:
    """Return a distribution over `SENTIMENT_LABELS` that gives `label` the share `agreement`.

    The annotators who disagreed with a positive or negative majority are assumed to have
    chosen neutral. Those who disagreed with a neutral majority are split evenly between
    positive and negative.
    """
    rest = 1.0 - agreement
    if label == "neutral":
        return [rest / 2, agreement, rest / 2]
    target = [0.0, rest, 0.0]
    target[SENTIMENT_LABELS.index(label)] = agreement
    return target


# MARK: - Everything the recipe reads


# MARK: - Finance tweets

TWEET_LABELS = {"0": "negative", "1": "positive", "2": "neutral"}
TWEET_URL = re.compile(r"https?://\S+")
TWEET_WORD = re.compile(r"\w+(?:[.'’]\w+)*|[^\w\s]")


def read_finance_tweets(path: Path) -> list[Sentence]:
    """Read `twitter_financial_news_sentiment/sent_train.csv` (`text,label`; 0 bearish,
    1 bullish, 2 neutral) as sentiment-only sentences.

    Links are removed, and words are split from punctuation, as in CoNLL-2003 and the
    PhraseBank. Tweets left without words are skipped.

    Raises:
        DataError: the file is missing, lacks the columns, or has an unknown label.
    """
    if not path.is_file():
        raise DataError(f"{path}: not found")
    sentences = []
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        if reader.fieldnames is None or not {"text", "label"} <= set(reader.fieldnames):
            raise DataError(f"{path}: missing the columns text and label (found {reader.fieldnames})")
        for line, row in enumerate(reader, start=2):
            label = TWEET_LABELS.get(row["label"].strip())
            if label is None:
                raise DataError(f"{path}:{line}: invalid label {row['label']!r}, expected 0, 1 or 2")
            words = TWEET_WORD.findall(TWEET_URL.sub(" ", row["text"]))
            if words:
                sentences.append(Sentence(words=words, sentiment=label))
    return sentences


@dataclass
class Corpora:
    """The splits the recipe trains and evaluates on."""

    conll_train: list[Sentence]
    conll_dev: list[Sentence]
    phrasebank_train: list[Sentence]
    phrasebank_dev_all_agree: list[Sentence]
    phrasebank_dev_50_agree: list[Sentence]
    tweets_train: list[Sentence] = field(default_factory=list)


def load_corpora(data_root: Path, with_tweets: bool = False, with_agreement: bool = False) -> Corpora:
    """Load CoNLL-2003 train/dev (IOB1, converted and checked against the IOB2 copy) and the
    PhraseBank train/dev splits.

    PhraseBank training uses the train split of `Sentences_50Agree.txt`, which contains every
    sentence with its majority label. `with_tweets` also loads the finance tweets, which only
    train sentiment and have no dev split here. `with_agreement` gives each PhraseBank train
    sentence its estimated annotator agreement, for soft sentiment targets.

    Raises:
        DataError: a file is missing or malformed, or the IOB2 copy disagrees with ours.
    """
    conll = data_root / "conll2003"
    conll_train = read_conll(conll / "eng.train", scheme="iob1")
    conll_dev = read_conll(conll / "eng.testa", scheme="iob1")
    for original, copy_name in ((conll_train, "train.txt"), (conll_dev, "valid.txt")):
        copy_path = conll / "iob2" / copy_name
        if copy_path.is_file():
            check_conll_conversion(original, read_conll(copy_path, scheme="bio"))

    phrasebank = data_root / "financial_phrasebank"
    pairs_50 = read_phrasebank(phrasebank / "Sentences_50Agree.txt")
    pairs_all = read_phrasebank(phrasebank / "Sentences_AllAgree.txt")
    agreement = phrasebank_agreement(phrasebank) if with_agreement else None
    return Corpora(
        conll_train=conll_train,
        conll_dev=conll_dev,
        phrasebank_train=phrasebank_sentences(pairs_50, dev=False, agreement=agreement),
        phrasebank_dev_all_agree=phrasebank_sentences(pairs_all, dev=True),
        phrasebank_dev_50_agree=phrasebank_sentences(pairs_50, dev=True),
        tweets_train=read_finance_tweets(data_root / "twitter_financial_news_sentiment" / "sent_train.csv") if with_tweets else [],
    )


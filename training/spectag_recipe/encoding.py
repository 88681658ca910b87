"""Turn word lists into encoder inputs: word shapes, per-word subwords and chunks.

Everything here follows the model folder format page (docs/model-format.md), because the Swift
engine computes the same inputs and must get the same numbers.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

WORD_SHAPES = ["lower", "capitalized", "upper", "mixed", "digits", "punct"]


def word_shape(word: str) -> str:
    """Return the shape class of a word from the Unicode general categories of its code points."""
    categories = [unicodedata.category(character) for character in word]
    letters = [category for category in categories if category.startswith("L")]
    if not letters:
        return "digits" if "Nd" in categories else "punct"
    if all(category == "Lu" for category in letters):
        return "upper" if len(letters) >= 2 else "capitalized"
    if all(category == "Ll" for category in letters):
        return "lower"
    if letters[0] == "Lu" and all(category == "Ll" for category in letters[1:]):
        return "capitalized"
    return "mixed"


def word_shape_index(word: str) -> int:
    """Return the index of the word's shape in `WORD_SHAPES`."""
    return WORD_SHAPES.index(word_shape(word))


@dataclass
class EncodedSentence:
    """A sentence's encoder input, split into chunks of whole words.

    `chunks[k]` contains the subword ids of one encoder row, `[CLS]` and `[SEP]` included, and
    `chunk_shapes[k]` the shape row added to each of them (`len(WORD_SHAPES)` for the special
    tokens). Word `i` has its first subword at `chunks[word_chunk[i]][word_position[i]]`.
    """

    chunks: list[list[int]]
    chunk_shapes: list[list[int]]
    word_chunk: list[int]
    word_position: list[int]
    word_shapes: list[int]


class WordPieceEncoder:
    """Tokenize pre-split words as `transformers` does with `is_split_into_words=True`.

    Despite the name (kept because other tools import it), this works with any fast tokenizer:
    WordPiece (MiniLM, `[CLS]`/`[SEP]`) and SentencePiece Unigram (e5, `<s>`/`</s>`). The
    Unigram tokenizer's Metaspace pre-tokenizer gives every word its own leading `▁`. A word's
    first subword is then a `▁`-prefixed piece (`▁Germany`) or the bare `▁` piece followed by
    the rest of the word (`▁`, `LON`, `DON`), and in that case the word's state comes from `▁`.
    """

    def __init__(self, tokenizer, max_subwords: int):
        if max_subwords < 3:
            raise ValueError(f"max_subwords must be at least 3, got {max_subwords}")
        self.tokenizer = tokenizer
        self.max_subwords = max_subwords
        self.cls_id = tokenizer.cls_token_id
        self.sep_id = tokenizer.sep_token_id
        self.unk_id = tokenizer.unk_token_id
        self.pad_id = tokenizer.pad_token_id

    def subwords_of_words(self, words: list[str]) -> list[list[int]]:
        """Return each word's subword ids; a word whose tokenization is empty becomes `[UNK]`."""
        if not words:
            return []
        encoding = self.tokenizer(words, is_split_into_words=True, add_special_tokens=False)
        per_word: list[list[int]] = [[] for _ in words]
        for token_id, word_index in zip(encoding["input_ids"], encoding.word_ids()):
            if word_index is not None:
                per_word[word_index].append(token_id)
        return [ids if ids else [self.unk_id] for ids in per_word]

    def encode(self, words: list[str]) -> EncodedSentence:
        """Encode a sentence, starting a new chunk when the next word would not fit.

        A chunk contains at most `max_subwords - 2` subwords between its `[CLS]` and `[SEP]`.
        A single word with more subwords than that keeps only its first `max_subwords - 2`,
        which still contain the first subword that carries the word's state.
        """
        capacity = self.max_subwords - 2
        special_shape = len(WORD_SHAPES)
        shapes = [word_shape_index(word) for word in words]

        chunks: list[list[int]] = [[self.cls_id]]
        chunk_shapes: list[list[int]] = [[special_shape]]
        word_chunk: list[int] = []
        word_position: list[int] = []
        for subwords, shape in zip(self.subwords_of_words(words), shapes):
            subwords = subwords[:capacity]
            if len(chunks[-1]) - 1 + len(subwords) > capacity:
                chunks[-1].append(self.sep_id)
                chunk_shapes[-1].append(special_shape)
                chunks.append([self.cls_id])
                chunk_shapes.append([special_shape])
            word_chunk.append(len(chunks) - 1)
            word_position.append(len(chunks[-1]))
            chunks[-1].extend(subwords)
            chunk_shapes[-1].extend([shape] * len(subwords))
        chunks[-1].append(self.sep_id)
        chunk_shapes[-1].append(special_shape)
        return EncodedSentence(chunks, chunk_shapes, word_chunk, word_position, shapes)

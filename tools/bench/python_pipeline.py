"""The streaming tagger a Python user would write instead of `spectag serve`, for comparison.

`spectag bench pipeline --python-baseline` starts this script. It is a consumer-group member
with confluent-kafka and tags each message with spectag's own model through a `transformers`
token-classification pipeline:

- It reads news messages (JSON with `id` and `headline`, optionally `body`) in batches of up
  to 32 messages or 20 ms, the same limits as `spectag serve`'s defaults.
- It tags every text of the batch in one pipeline call with `aggregation_strategy="first"`.
- It sends one JSON record per message to `--output-topic`, keyed by the message id:
  `{"id", "entities": [{"text", "type", "start", "end", "field", "score"}],
  "sentiment": {"label", "probabilities"}}`. A message that is not valid JSON or has no
  string `id` and text gets `{"id": <key>, "error": <reason>}` instead, so every input has
  one output.
- It flushes the producer, checks every delivery report and only then commits the batch's
  offsets (at-least-once, manual commit).

The model is a spectag model folder (docs/model-format.md), loaded into PyTorch by the
training recipe (`training/spectag_recipe/export.py`). A plain `pipeline("token-classification")`
cannot run it, because the model needs a word-shape id per word and has a sentiment slot
after the last word. `SpecTagTokenClassificationPipeline` below therefore subclasses
`TokenClassificationPipeline`:

- `preprocess` tokenizes the original text with offsets. Words are the tokenizer's own
  pre-tokenized words (`word_ids()`), and their shapes come from the original characters,
  because the uncased tokenizer lower-cases the subwords.
- `_forward` runs the encoder and the model's own greedy decoder (`TagDecoder.greedy`) and
  returns each token's tag logits (its word's logits) plus the sentiment logits.
- `postprocess` uses the base class's `aggregation_strategy="first"` grouping, with word
  boundaries taken from `word_ids()`, and adds the sentiment label and probabilities.

NOTE: the words differ from spectag's. The tokenizer splits at every punctuation character
(`U.S.` becomes `U . S .`; a Unigram model's tokenizer is made to do the same by
`split_words_at_punctuation`), while spectag's word splitter follows CoNLL-2003 and keeps
such words whole. spectag also splits a text into sentences and averages their sentiment,
while this pipeline reads each text as one sequence. The benchmark reports how often the two
outputs agree. A text longer than the model's `max_subwords` is truncated, so words past
that limit get no tag (spectag encodes them in further chunks).

Status lines go to standard output as JSON, one per line, for the benchmark to read:
`{"event": "ready", "partitions": N}` when the group assigns partitions, and
`{"event": "delivered", "messages": N}` (a running total) after each batch's outputs are
delivered, before its offsets are committed. Logs go to standard error.

The script sets HF_HUB_OFFLINE=1 and loads files only from `--model`. Its only network
peer is the broker given by `--brokers`. It runs until SIGTERM or SIGINT, finishes the
current batch and exits 0. It exits 1 when a delivery or commit fails. With `--check`, it
only imports its dependencies and exits 0, or prints one line naming the missing
package and exits 3.

Example:
    python3 tools/bench/python_pipeline.py --brokers 127.0.0.1:9092 --input-topic news \
        --output-topic news.python-tagged --group python-taggers
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPOSITORY = Path(__file__).resolve().parents[2]
DEFAULT_MODEL = REPOSITORY / "models" / "spectag-minilm-l6"
MISSING_DEPENDENCY_STATUS = 3
# The batch limits of `spectag serve`'s defaults (SPECTAG_MAX_BATCH_MESSAGES, SPECTAG_MAX_BATCH_WAIT_MS).
BATCH_MESSAGES = 32
BATCH_WAIT_SECONDS = 0.020
TEXT_FIELDS = ("headline", "body")


def log(message: str) -> None:
    print(f"python_pipeline: {message}", file=sys.stderr, flush=True)


def report(event: dict) -> None:
    """Write one status line for the benchmark."""
    print(json.dumps(event), flush=True)


def import_dependencies():
    """Import torch, transformers, confluent-kafka and the recipe; exit 3 with one line when one is missing."""
    try:
        import confluent_kafka  # noqa: F401
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as error:
        print(
            f"python_pipeline: {error.name or error} is not importable ({error}); "
            "install torch and transformers (training/requirements.txt) and confluent-kafka (scripts/setup) to run the Python baseline",
            file=sys.stderr,
        )
        sys.exit(MISSING_DEPENDENCY_STATUS)
    sys.path.insert(0, str(REPOSITORY / "training"))


# MARK: - The transformers pipeline


def build_pipeline(model_folder: Path):
    """Load the spectag model folder and return the token-classification pipeline over it."""
    import torch
    from transformers import PretrainedConfig, TokenClassificationPipeline

    from spectag_recipe.data import SENTIMENT_LABELS, TAGS
    from spectag_recipe.encoding import WORD_SHAPES, word_shape_index
    from spectag_recipe.export import load_model_folder
    from spectag_recipe.model import EncoderOutput

    class SpecTagTokenClassifier(torch.nn.Module):
        """The spectag model with the `config` and `device` that a transformers pipeline reads.

        `forward` returns the greedy decoder's tag logits per word `[B, W, T]` and the sentiment
        slot's logits `[B, 3]`.
        """

        def __init__(self, model):
            super().__init__()
            self.spectag = model
            self.config = PretrainedConfig(
                id2label=dict(enumerate(TAGS)), label2id={tag: index for index, tag in enumerate(TAGS)}
            )

        @property
        def device(self):
            return next(self.parameters()).device

        def forward(self, input_ids, attention_mask, input_shapes, word_first_token, word_shapes, word_count):
            embeddings = self.spectag.bert.embeddings.word_embeddings(input_ids)
            if self.spectag.encoder_shape_input:
                embeddings = embeddings + self.spectag.shape_input_embeddings(input_shapes)
            hidden = self.spectag.bert(inputs_embeds=embeddings, attention_mask=attention_mask).last_hidden_state
            rows = torch.arange(hidden.size(0))[:, None]
            encoded = EncoderOutput(hidden=hidden, word_states=hidden[rows, word_first_token], cls_states=hidden[:, 0])
            tags, tag_logits, sentiment_logits = self.spectag.tagger.greedy(encoded, word_shapes, word_count)
            # `greedy` returns the logits of one parallel pass over the greedy tags, which equal
            # the step logits up to rounding. Report a tie that rounding broke differently.
            inside = torch.arange(tags.size(1))[None, :] < word_count[:, None]
            if bool(((tag_logits.argmax(dim=-1) != tags) & inside).any()):
                log("a word's final-pass argmax differs from its greedy tag; the output uses the final pass")
            return tag_logits, sentiment_logits

    class SpecTagTokenClassificationPipeline(TokenClassificationPipeline):
        """`TokenClassificationPipeline` for a spectag model: word shapes in, sentiment out.

        Each call returns `{"entities": [...], "sentiment": {"label", "probabilities"}}` per
        text. Entities carry the original text, the type, code point offsets (end exclusive)
        and a score: each word's tag probability, averaged over the entity's words.
        """

        def __init__(self, *args, max_subwords: int, **kwargs):
            self.max_subwords = max_subwords
            super().__init__(*args, **kwargs)

        def check_model_type(self, supported_models):
            # The wrapper is not a registered transformers model class, and the base class
            # would only log an error about that.
            pass

        def preprocess(self, sentence, offset_mapping=None, **preprocess_params):
            inputs = self.tokenizer(
                sentence,
                return_tensors="pt",
                truncation=True,
                max_length=self.max_subwords,
                return_special_tokens_mask=True,
                return_offsets_mapping=True,
            )
            word_ids = inputs.word_ids(0)
            offsets = inputs["offset_mapping"][0].tolist()

            # Words: the first subword of each and its character span in the sentence.
            first_tokens: list[int] = []
            spans: list[list[int]] = []
            previous = None
            for token_index, word_index in enumerate(word_ids):
                if word_index is None:
                    previous = None
                    continue
                if word_index != previous:
                    first_tokens.append(token_index)
                    spans.append(list(offsets[token_index]))
                else:
                    spans[-1][1] = offsets[token_index][1]
                previous = word_index
            word_shapes = [word_shape_index(sentence[start:end]) for start, end in spans]

            # Subwords: the shape and the word number of each, as the model's input embeddings need.
            token_shapes = []
            token_words = []
            word_number = -1
            for token_index, word_index in enumerate(word_ids):
                if word_index is None:
                    token_shapes.append(len(WORD_SHAPES))
                    token_words.append(0)
                    continue
                if word_number + 1 < len(first_tokens) and first_tokens[word_number + 1] == token_index:
                    word_number += 1
                token_shapes.append(word_shapes[word_number])
                token_words.append(word_number)

            yield {
                "input_ids": inputs["input_ids"],
                "attention_mask": inputs["attention_mask"],
                "special_tokens_mask": inputs["special_tokens_mask"],
                "offset_mapping": inputs["offset_mapping"],
                "input_shapes": torch.tensor([token_shapes]),
                "token_words": torch.tensor([token_words]),
                "word_first_token": torch.tensor([first_tokens], dtype=torch.long).reshape(1, -1),
                "word_shapes": torch.tensor([word_shapes], dtype=torch.long).reshape(1, -1),
                "word_count": torch.tensor([len(first_tokens)]),
                "word_ids": word_ids,
                "sentence": sentence,
                "is_last": True,
            }

        def _forward(self, model_inputs):
            tag_logits, sentiment_logits = self.model(
                input_ids=model_inputs["input_ids"],
                attention_mask=model_inputs["attention_mask"],
                input_shapes=model_inputs["input_shapes"],
                word_first_token=model_inputs["word_first_token"],
                word_shapes=model_inputs["word_shapes"],
                word_count=model_inputs["word_count"],
            )
            token_words = model_inputs["token_words"]
            if tag_logits.size(1) == 0:
                token_logits = tag_logits.new_zeros(token_words.size(0), token_words.size(1), tag_logits.size(2))
            else:
                index = token_words.unsqueeze(-1).expand(-1, -1, tag_logits.size(2))
                token_logits = tag_logits.gather(1, index)
            return {
                "logits": token_logits,
                "sentiment_logits": sentiment_logits,
                "input_ids": model_inputs["input_ids"],
                "special_tokens_mask": model_inputs["special_tokens_mask"],
                "offset_mapping": model_inputs["offset_mapping"],
                "word_ids": model_inputs["word_ids"],
                "word_to_chars_map": None,
                "sentence": model_inputs["sentence"],
                "is_last": model_inputs["is_last"],
            }

        def gather_pre_entities(self, sentence, input_ids, scores, offset_mapping, special_tokens_mask,
                                aggregation_strategy, word_ids=None, word_to_chars_map=None):
            # The base class guesses subwords from the `##` prefix and the token's length, which
            # breaks when normalization changes a word's length. `word_ids` marks them exactly.
            pre_entities = super().gather_pre_entities(
                sentence, input_ids, scores, offset_mapping, special_tokens_mask, aggregation_strategy
            )
            for entity in pre_entities:
                index = entity["index"]
                entity["is_subword"] = index > 0 and word_ids[index] is not None and word_ids[index] == word_ids[index - 1]
            return pre_entities

        def postprocess(self, all_outputs, aggregation_strategy=None, ignore_labels=None, **kwargs):
            entities = super().postprocess(all_outputs, aggregation_strategy=aggregation_strategy, ignore_labels=ignore_labels)
            sentence = all_outputs[0]["sentence"]
            probabilities = all_outputs[0]["sentiment_logits"][0].float().softmax(dim=-1).tolist()
            best = max(range(len(probabilities)), key=lambda k: probabilities[k])
            return {
                "entities": [
                    {
                        "text": sentence[entity["start"] : entity["end"]],
                        "type": entity["entity_group"],
                        "start": int(entity["start"]),
                        "end": int(entity["end"]),
                        "score": round(float(entity["score"]), 6),
                    }
                    for entity in entities
                ],
                "sentiment": {
                    "label": SENTIMENT_LABELS[best],
                    "probabilities": {label: round(p, 6) for label, p in zip(SENTIMENT_LABELS, probabilities)},
                },
            }

    model, encoder, config = load_model_folder(model_folder)
    tokenizer = encoder.tokenizer
    if config.get("tokenizer") == "unigram":
        split_words_at_punctuation(tokenizer)
    return SpecTagTokenClassificationPipeline(
        model=SpecTagTokenClassifier(model).eval(),
        tokenizer=tokenizer,
        device="cpu",
        aggregation_strategy="first",
        max_subwords=config["max_subwords"],
    )


def split_words_at_punctuation(tokenizer) -> None:
    """Make a SentencePiece tokenizer split words at whitespace and punctuation first.

    The recipe trains a Unigram model on words tokenized one by one, with punctuation as words
    of their own, so each word's pieces start with `▁`. The folder's tokenizer.json splits only
    at spaces (`profit,` stays one word). BERT's pre-tokenizer in front of it gives the same
    words as the WordPiece pipeline and the same pieces per word as the recipe.
    """
    from tokenizers import pre_tokenizers

    backend = tokenizer.backend_tokenizer
    backend.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.BertPreTokenizer(), backend.pre_tokenizer])


# MARK: - Messages


def texts_of(message) -> tuple[str | None, list[tuple[str, str]], str | None]:
    """Return (message id, [(field, text)], error) for one consumed record."""
    key = message.key().decode("utf-8", "replace") if message.key() is not None else None
    try:
        value = json.loads(message.value() or b"")
    except (ValueError, UnicodeDecodeError) as error:
        return key, [], f"value is not JSON: {error}"
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        return key, [], "value has no string field \"id\""
    fields = [(field, value[field]) for field in TEXT_FIELDS if isinstance(value.get(field), str)]
    if not fields:
        return value["id"], [], "value has no string field \"headline\" or \"body\""
    return value["id"], fields, None


def output_record(message_id: str, fields: list[tuple[str, str]], results: list[dict]) -> dict:
    """Merge the pipeline's results for one message's texts into its output record.

    The message's sentiment is the mean of its texts' probabilities, as spectag averages
    over sentences.
    """
    entities = []
    sums: dict[str, float] = {}
    for (field, _), result in zip(fields, results):
        entities += [{**entity, "field": field} for entity in result["entities"]]
        for label, probability in result["sentiment"]["probabilities"].items():
            sums[label] = sums.get(label, 0.0) + probability
    means = {label: round(total / len(results), 6) for label, total in sums.items()}
    label = max(sorted(means), key=lambda name: means[name])
    return {"id": message_id, "entities": entities, "sentiment": {"label": label, "probabilities": means}}


# MARK: - Kafka loop


class Stop:
    """Set by SIGTERM or SIGINT; the loop ends after the current batch."""

    requested = False

    @classmethod
    def request(cls, signum, frame):
        cls.requested = True


def run(arguments) -> int:
    import torch
    from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

    # NOTE: with more than one thread on cores that other processes keep busy, torch's OpenMP
    # threads wait for each other. On 2 cores at load average 3.4, a batch of 32 headlines
    # took 14.7 s with 2 threads and 0.95 s with 1 (transformers 5.25, torch 2.13 CPU).
    torch.set_num_threads(arguments.threads)
    tagger = build_pipeline(Path(arguments.model))
    tagger(["Warm-up sentence for Acme Corp in Oslo ."], batch_size=1)
    log(f"model {arguments.model} loaded; torch {torch.__version__} with {torch.get_num_threads()} threads")

    consumer = Consumer({
        "bootstrap.servers": arguments.brokers,
        "group.id": arguments.group,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        # Tansu delays a group join by about half the session timeout.
        "session.timeout.ms": arguments.session_timeout_ms,
        "heartbeat.interval.ms": max(100, arguments.session_timeout_ms // 6),
    })
    producer = Producer({"bootstrap.servers": arguments.brokers, "linger.ms": 5, "enable.idempotence": True})

    def on_assign(consumer, partitions):
        report({"event": "ready", "partitions": len(partitions)})

    consumer.subscribe([arguments.input_topic], on_assign=on_assign)
    signal.signal(signal.SIGTERM, Stop.request)
    signal.signal(signal.SIGINT, Stop.request)

    delivered = 0
    failures: list[str] = []

    def on_delivery(error, message):
        if error is not None:
            failures.append(f"{message.topic()} key {message.key()!r}: {error}")

    try:
        while not Stop.requested:
            batch = consumer.consume(num_messages=BATCH_MESSAGES, timeout=BATCH_WAIT_SECONDS)
            messages = []
            for message in batch:
                if message.error() is not None:
                    log(f"consume error: {message.error()}")
                else:
                    messages.append(message)
            if not messages:
                continue

            parsed = [texts_of(message) for message in messages]
            texts = [text for _, fields, _ in parsed for _, text in fields]
            results = tagger(texts, batch_size=len(texts)) if texts else []
            position = 0
            for message, (message_id, fields, error) in zip(messages, parsed):
                if error is not None:
                    record = {"id": message_id, "error": error}
                else:
                    record = output_record(message_id, fields, results[position : position + len(fields)])
                    position += len(fields)
                producer.produce(
                    arguments.output_topic,
                    key=(message_id or "").encode("utf-8"),
                    value=json.dumps(record, ensure_ascii=False).encode("utf-8"),
                    on_delivery=on_delivery,
                )
                producer.poll(0)
            remaining = producer.flush(30)
            if remaining or failures:
                log(f"delivery failed ({remaining} not delivered): {failures[:3]}")
                return 1
            delivered += len(messages)
            report({"event": "delivered", "messages": delivered})

            next_offsets: dict[tuple[str, int], int] = {}
            for message in messages:
                key = (message.topic(), message.partition())
                next_offsets[key] = max(next_offsets.get(key, 0), message.offset() + 1)
            consumer.commit(
                offsets=[TopicPartition(topic, partition, offset) for (topic, partition), offset in next_offsets.items()],
                asynchronous=False,
            )
    except KafkaException as error:
        log(f"Kafka error: {error}")
        return 1
    finally:
        consumer.close()
    log(f"stopped after {delivered} messages")
    return 0


def parse_arguments(argv: list[str]):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check that torch, transformers and confluent-kafka import, then exit")
    parser.add_argument("--brokers", default="127.0.0.1:9092", help="Kafka bootstrap servers, host:port separated by commas")
    parser.add_argument("--input-topic", help="topic of the news messages")
    parser.add_argument("--output-topic", help="topic of the tagged records")
    parser.add_argument("--group", default="python-taggers", help="consumer group id")
    parser.add_argument("--model", default=str(DEFAULT_MODEL), help="spectag model folder (default: the shipped model)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="torch intra-op threads (default: all cores)")
    parser.add_argument("--session-timeout-ms", type=int, default=6000, help="consumer group session timeout in milliseconds")
    arguments = parser.parse_args(argv)
    if not arguments.check:
        if not arguments.input_topic or not arguments.output_topic:
            parser.error("--input-topic and --output-topic are required")
        if arguments.threads < 1:
            parser.error(f"--threads must be at least 1, got {arguments.threads}")
    return arguments


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    import_dependencies()
    if arguments.check:
        return 0
    started = time.monotonic()
    status = run(arguments)
    log(f"ran {time.monotonic() - started:.1f} s")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

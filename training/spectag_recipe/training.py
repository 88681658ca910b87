"""The training loop: joint NER (decoder and drafting head) and sentiment training."""

from __future__ import annotations

import random
import time
from dataclasses import asdict, dataclass, field

import torch
from torch import nn

from .batching import IGNORED_LABEL, collate, length_grouped_batches
from .data import TAGS, Corpora
from .encoding import WordPieceEncoder
from .model import Batch, DecoderSettings, SpecTagModel
from .predict import conll_scores, predict, sentiment_accuracy


@dataclass
class TrainSettings:
    """Everything that shapes a training run; stored in `spectag.json` under `training`."""

    epochs: int = 5
    max_steps: int = 0
    max_minutes: float = 0.0
    batch_size: int = 32
    encoder_learning_rate: float = 5e-5
    head_learning_rate: float = 5e-4
    weight_decay: float = 0.01
    warmup_fraction: float = 0.06
    gradient_clip: float = 1.0
    previous_tag_noise: float = 0.0
    phrasebank_repeats: int = 1
    tweet_repeats: int = 0
    soft_sentiment: bool = False
    weight_average_decay: float = 0.0
    encoder_shape_input: bool = True
    freeze_word_embeddings: bool = True
    decoder: DecoderSettings = field(default_factory=DecoderSettings)
    seed: int = 13
    threads: int = 2
    evaluate_each_epoch: bool = True

    def as_dict(self) -> dict:
        return asdict(self)


# MARK: - Loss


def batch_loss(model: SpecTagModel, batch: Batch, previous_tag_noise: float, generator: torch.Generator) -> tuple[torch.Tensor, dict]:
    """Return the summed training loss of a batch and its parts.

    Words with gold tags train the decoder (teacher forcing on the gold previous tags) and the
    drafting head. Sentences without gold tags feed the decoder the drafting head's detached
    argmax as previous tags, the inputs the decoder meets when it verifies a draft. Sentences
    with a sentiment label train both sentiment classifiers.
    """
    states = model.encode(batch)
    draft_tag_logits, draft_sentiment_logits = model.draft_head(states, batch.word_shapes)

    has_tag = batch.tags != IGNORED_LABEL
    previous_tags = torch.where(has_tag, batch.tags, draft_tag_logits.argmax(dim=-1).detach())
    if previous_tag_noise > 0:
        noisy = (torch.rand(previous_tags.shape, generator=generator) < previous_tag_noise) & has_tag
        random_tags = torch.randint(0, len(TAGS), previous_tags.shape, generator=generator)
        previous_tags = torch.where(noisy, random_tags, previous_tags)
    tag_logits, sentiment_logits = model.tagger(states, batch.word_shapes, batch.word_count, previous_tags)

    cross_entropy = nn.functional.cross_entropy
    parts = {}
    if has_tag.any():
        parts["decoder_tags"] = cross_entropy(tag_logits[has_tag], batch.tags[has_tag])
        parts["draft_tags"] = cross_entropy(draft_tag_logits[has_tag], batch.tags[has_tag])
    has_sentiment = batch.sentiment != IGNORED_LABEL
    if has_sentiment.any():
        targets = batch.sentiment if batch.sentiment_targets is None else batch.sentiment_targets
        parts["decoder_sentiment"] = cross_entropy(sentiment_logits[has_sentiment], targets[has_sentiment])
        parts["draft_sentiment"] = cross_entropy(draft_sentiment_logits[has_sentiment], targets[has_sentiment])
    total = sum(parts.values())
    return total, {name: float(value.detach()) for name, value in parts.items()}


# MARK: - Optimizer


def make_optimizer(model: SpecTagModel, settings: TrainSettings) -> torch.optim.Optimizer:
    """AdamW with the pretrained encoder at `encoder_learning_rate` and every new parameter
    (shape input embeddings, decoder, drafting head) at `head_learning_rate`. Biases, norms
    and embeddings get no weight decay.

    With `freeze_word_embeddings` the 30,522 x 384 word embedding matrix stays fixed, which
    removes half of the encoder's parameters from the backward pass and the optimizer step.
    """
    if settings.freeze_word_embeddings:
        model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    groups = {"encoder_decay": [], "encoder_no_decay": [], "new_decay": [], "new_no_decay": []}
    for name, parameter in model.named_parameters():
        if not parameter.requires_grad:
            continue
        is_new = not name.startswith("bert.")
        no_decay = parameter.ndim < 2 or "norm" in name.lower() or "embeddings" in name
        part = "new" if is_new else "encoder"
        key = f"{part}_no_decay" if no_decay else f"{part}_decay"
        groups[key].append(parameter)
    rates = {"encoder": settings.encoder_learning_rate, "new": settings.head_learning_rate}
    parameter_groups = [
        {
            "params": parameters,
            "lr": rates[key.split("_")[0]],
            "weight_decay": 0.0 if key.endswith("no_decay") else settings.weight_decay,
        }
        for key, parameters in groups.items()
        if parameters
    ]
    return torch.optim.AdamW(parameter_groups, fused=True)


class LinearSchedule:
    """Linear warmup over the first steps, then linear decay to zero.

    The decay follows the share of steps done, or the share of `max_minutes` used when that
    is larger. A run on a slow or busy machine thus reaches a learning rate of zero when its
    time budget runs out, instead of stopping halfway down the schedule.
    """

    def __init__(self, optimizer: torch.optim.Optimizer, total_steps: int, warmup_fraction: float, max_minutes: float):
        self.optimizer = optimizer
        self.total_steps = total_steps
        self.warmup_steps = max(1, int(total_steps * warmup_fraction))
        self.max_minutes = max_minutes
        self.peak_rates = [group["lr"] for group in optimizer.param_groups]

    def factor(self, step: int, elapsed_minutes: float) -> float:
        """Return the multiplier of the peak rates for the next step."""
        if step < self.warmup_steps:
            return (step + 1) / self.warmup_steps
        progress = (step - self.warmup_steps) / max(1, self.total_steps - self.warmup_steps)
        if self.max_minutes:
            progress = max(progress, elapsed_minutes / self.max_minutes)
        return max(0.0, 1.0 - progress)

    def apply(self, step: int, elapsed_minutes: float) -> float:
        """Set every group's learning rate for the next step and return the multiplier."""
        factor = self.factor(step, elapsed_minutes)
        for group, peak in zip(self.optimizer.param_groups, self.peak_rates):
            group["lr"] = peak * factor
        return factor


class WeightAverage:
    """An exponential moving average of the trainable parameters, updated after each step.

    `decay` 0.995 averages over roughly the last 1 / (1 - decay) = 200 steps, which smooths out
    the noise of the final updates.
    """

    def __init__(self, model: nn.Module, decay: float):
        self.decay = decay
        self.shadow = {name: parameter.detach().clone() for name, parameter in model.named_parameters() if parameter.requires_grad}

    @torch.no_grad()
    def update(self, model: nn.Module) -> None:
        for name, parameter in model.named_parameters():
            if name in self.shadow:
                self.shadow[name].lerp_(parameter.detach(), 1.0 - self.decay)

    @torch.no_grad()
    def copy_to(self, model: nn.Module) -> None:
        """Overwrite the model's trainable parameters with their averages."""
        for name, parameter in model.named_parameters():
            if name in self.shadow:
                parameter.copy_(self.shadow[name])


# MARK: - Loop


def evaluate_dev(model: SpecTagModel, encoder: WordPieceEncoder, corpora: Corpora) -> dict:
    """Score greedy decoding on CoNLL dev and sentiment on both PhraseBank dev subsets."""
    started = time.monotonic()
    conll = conll_scores(corpora.conll_dev, predict(model, encoder, corpora.conll_dev))
    all_agree = sentiment_accuracy(
        corpora.phrasebank_dev_all_agree, predict(model, encoder, corpora.phrasebank_dev_all_agree)
    )
    fifty_agree = sentiment_accuracy(
        corpora.phrasebank_dev_50_agree, predict(model, encoder, corpora.phrasebank_dev_50_agree)
    )
    return {
        "conll2003_dev": conll,
        "phrasebank_dev_all_agree": all_agree,
        "phrasebank_dev_50_agree": fifty_agree,
        "evaluation_seconds": round(time.monotonic() - started, 1),
    }


def summary_line(scores: dict) -> str:
    """Return the headline dev figures as one log line."""
    conll = scores["conll2003_dev"]
    return (
        f"CoNLL dev F1 greedy {conll['greedy']['overall']['f1']:.2f} "
        f"draft {conll['draft_head']['overall']['f1']:.2f} "
        f"(word agreement {conll['draft_word_agreement']:.4f}); "
        f"PhraseBank dev all-agree {scores['phrasebank_dev_all_agree']['accuracy']:.4f} "
        f"50%-agree {scores['phrasebank_dev_50_agree']['accuracy']:.4f}"
    )


def train(model: SpecTagModel, encoder: WordPieceEncoder, corpora: Corpora, settings: TrainSettings, log) -> list[dict]:
    """Train in place and return the per-epoch history (losses and, if enabled, dev scores)."""
    rng = random.Random(settings.seed)
    generator = torch.Generator().manual_seed(settings.seed)
    sources = {"conll": corpora.conll_train, "phrasebank": corpora.phrasebank_train}
    repeats = {"conll": 1, "phrasebank": settings.phrasebank_repeats}
    if settings.tweet_repeats and corpora.tweets_train:
        sources["tweets"] = corpora.tweets_train
        repeats["tweets"] = settings.tweet_repeats
    encoded = {name: [encoder.encode(s.words) for s in sentences] for name, sentences in sources.items()}
    lengths = {name: [sum(len(c) for c in e.chunks) for e in items] for name, items in encoded.items()}

    batches_per_epoch = sum(
        repeats[name] * len(length_grouped_batches(lengths[name], settings.batch_size, random.Random(0)))
        for name in sources
    )
    total_steps = settings.epochs * batches_per_epoch
    if settings.max_steps:
        total_steps = min(total_steps, settings.max_steps)
    log(f"training for {total_steps} steps ({batches_per_epoch} batches per epoch)")

    optimizer = make_optimizer(model, settings)
    schedule = LinearSchedule(optimizer, total_steps, settings.warmup_fraction, settings.max_minutes)
    average = WeightAverage(model, settings.weight_average_decay) if settings.weight_average_decay else None
    history = []
    step = 0
    started = time.monotonic()
    evaluation_seconds = 0.0
    stopped_early = False
    model.train()
    for epoch in range(1, settings.epochs + 1):
        plan = []
        for name in sources:
            for _ in range(repeats[name]):
                plan += [(name, b) for b in length_grouped_batches(lengths[name], settings.batch_size, rng)]
        rng.shuffle(plan)

        sums: dict[str, float] = {}
        counts: dict[str, int] = {}
        for source, indices in plan:
            if step >= total_steps:
                break
            elapsed_minutes = (time.monotonic() - started - evaluation_seconds) / 60
            if schedule.apply(step, elapsed_minutes) == 0.0 and step >= schedule.warmup_steps:
                log(f"stopping at step {step}/{total_steps}: the {settings.max_minutes} min training budget is used up")
                total_steps = step
                stopped_early = True
                break
            batch = collate([encoded[source][i] for i in indices], [sources[source][i] for i in indices], encoder.pad_id)
            loss, parts = batch_loss(model, batch, settings.previous_tag_noise, generator)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), settings.gradient_clip)
            optimizer.step()
            if average is not None:
                average.update(model)
            step += 1
            for name, value in parts.items():
                sums[name] = sums.get(name, 0.0) + value
                counts[name] = counts.get(name, 0) + 1
            if step % 25 == 0:
                means = " ".join(f"{k} {sums[k] / counts[k]:.4f}" for k in sorted(sums))
                elapsed = time.monotonic() - started - evaluation_seconds
                log(f"epoch {epoch} step {step}/{total_steps} {elapsed:.0f}s training  {means}")

        record = {
            "epoch": epoch,
            "steps": step,
            "training_seconds": round(time.monotonic() - started - evaluation_seconds, 1),
            "mean_losses": {k: round(sums[k] / counts[k], 4) for k in sorted(sums)},
            "stopped_early": stopped_early,
        }
        if settings.evaluate_each_epoch:
            record["dev"] = evaluate_dev(model, encoder, corpora)
            evaluation_seconds += record["dev"]["evaluation_seconds"]
            log(f"epoch {epoch} dev: {summary_line(record['dev'])}")
        history.append(record)
        if step >= total_steps:
            break
    if average is not None:
        if history:
            history[-1]["dev_before_averaging"] = evaluate_dev(model, encoder, corpora)
            log(f"dev before weight averaging: {summary_line(history[-1]['dev_before_averaging'])}")
        average.copy_to(model)
        log(f"copied the moving average of the weights (decay {settings.weight_average_decay}) into the model")
    return history

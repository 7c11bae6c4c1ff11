"""Train and evaluate aspect sentiment classifiers: plain fine-tuning or CVIB.

``finetune``: cross-entropy of the original network. ``cvib``: the original network and its
self-pruned copy (same weights, VIB gates on) are trained together with

    L = CE(original) + CE(pruned) + λ · contrastive(original, pruned) + β · KL / units

where the contrastive term is :func:`~rl_text.cvib.losses.self_pruning_contrastive_loss`
and KL is the gates' compression term (:class:`~rl_text.cvib.vib.EncoderGates`) averaged
over gated units. The gates get their own (larger) learning rate.

The loop runs through :func:`rl_shared.runtime.make_accelerator` (``--device``,
``--precision``). Under ``torchrun`` every process draws the same global batch (the same
seed) and trains on its contiguous share; the contrastive term's in-batch negatives are
gathered across processes (:func:`rl_shared.losses.distributed.gather_with_grad`), so DDP's
averaged gradient is the one-process gradient of the whole batch's loss.

References:
    CVIB: "Reducing Spurious Correlations for Aspect-Based Sentiment Analysis with Variational
    Information Bottleneck and Contrastive Learning"; Dai et al., arXiv:1802.10399.

Example:
    >>> accuracy_macro_f1([0, 1, 2, 2], [0, 1, 2, 1])
    {'accuracy': 0.75, 'macro_f1': 0.7778}
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from rl_shared.errors import BadInput, NonFiniteLoss
from rl_shared.losses.distributed import gather_with_grad
from rl_shared.runtime import (
    autocast,
    make_accelerator,
    resolve_device,
    seed_everything,
    shard_bounds,
)
from rl_text.cvib.data import LABELS, AbsaExample
from rl_text.cvib.losses import self_pruning_contrastive_loss
from rl_text.cvib.model import AspectSentimentModel

__all__ = [
    "METHODS",
    "AbsaObjective",
    "AbsaTrainConfig",
    "absa_step_loss",
    "accuracy_macro_f1",
    "evaluate_absa",
    "train_absa",
]

METHODS = ("finetune", "cvib")


@dataclass
class AbsaTrainConfig:
    """Hyper-parameters of :func:`train_absa`.

    Args:
        method: ``finetune`` or ``cvib``.
        steps: optimiser steps.
        batch_size: examples per step.
        lr: learning rate of encoder and head.
        gate_lr: learning rate of the VIB gates.
        beta: weight of the per-unit KL compression term.
        contrastive_weight: weight ``λ`` of the self-pruning contrastive term.
        temperature: contrastive temperature.
        max_length: tokenised pair length.
        seed: seed of initialisation, shuffling and dropout.

    Example:
        >>> AbsaTrainConfig(method="cvib", steps=10).beta
        0.1
    """

    method: str = "finetune"
    steps: int = 200
    batch_size: int = 16
    lr: float = 5e-5
    gate_lr: float = 0.05
    beta: float = 0.1
    contrastive_weight: float = 0.5
    temperature: float = 0.1
    max_length: int = 96
    seed: int = 0


def accuracy_macro_f1(gold: list[int], pred: list[int]) -> dict[str, float]:
    """Accuracy and macro-F1 over the three polarity classes (absent classes count F1 = 0).

    Args:
        gold: gold labels (0 negative, 1 neutral, 2 positive).
        pred: predicted labels, as many.

    Example:
        >>> accuracy_macro_f1([0, 1, 2, 2], [0, 1, 2, 1])
        {'accuracy': 0.75, 'macro_f1': 0.7778}
    """
    if len(gold) != len(pred) or not gold:
        raise BadInput(f"need equally long, non-empty gold and pred, got {len(gold)}, {len(pred)}")
    acc = sum(g == p for g, p in zip(gold, pred)) / len(gold)
    f1s = []
    for c in range(len(LABELS)):
        tp = sum(g == c and p == c for g, p in zip(gold, pred))
        fp = sum(g != c and p == c for g, p in zip(gold, pred))
        fn = sum(g == c and p != c for g, p in zip(gold, pred))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return {"accuracy": round(acc, 4), "macro_f1": round(sum(f1s) / len(f1s), 4)}


def evaluate_absa(
    model: AspectSentimentModel,
    examples: list[AbsaExample],
    batch_size: int = 64,
    pruned: bool = False,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> dict[str, float]:
    """Accuracy and macro-F1 of ``model`` (original or self-pruned network) on ``examples``.

    Args:
        model: a trained (or untrained) :class:`~rl_text.cvib.model.AspectSentimentModel`;
            moved to ``device``.
        examples: labelled aspects to score.
        batch_size: examples per forward pass.
        pruned: run the self-pruned network (VIB gates on); needs a model built with
            ``vib=True``.
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``: where it scores.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the forward passes.

    Returns:
        ``{"accuracy", "macro_f1", "n"}`` (``n`` the number of examples).

    Raises:
        BadInput: an unavailable ``device`` or a ``precision`` it does not support.

    References:
        CVIB (evaluation by accuracy and macro-F1 on SemEval-2014).

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> from rl_text.cvib.data import AbsaExample
        >>> from rl_text.cvib.model import AspectSentimentModel
        >>> model = AspectSentimentModel(load_sentence_transformer("minilm"), vib=True)
        >>> ex = [AbsaExample("the food is good", "food", 2, 4), AbsaExample("slow service", "service", 0, 5)]
        >>> scores = evaluate_absa(model, ex, pruned=True)
        >>> sorted(scores), scores["n"], 0 <= scores["accuracy"] <= 1
        (['accuracy', 'macro_f1', 'n'], 2, True)
    """
    target = resolve_device(str(device))
    with autocast(target, precision):  # checks the precision before the model moves
        model.to(target)
        pred = model.predict(examples, batch_size=batch_size, pruned=pruned)
    return {**accuracy_macro_f1([e.label for e in examples], pred), "n": len(examples)}


class AbsaObjective(nn.Module):
    """One training step's forward passes and loss terms, as a module ``accelerate`` prepares.

    Runs the original network and, for CVIB, the self-pruned one on a tokenised batch and
    returns the loss terms of this process's rows. The contrastive term is computed on the
    representations of every process (gathered with gradients), so each process holds the
    global batch's contrastive loss; with DDP's gradient average that is the one-process
    gradient (see :func:`rl_shared.losses.distributed.gather_with_grad`).

    Args:
        model: the classifier (trained in place).
        config: the training configuration (method, temperature).

    Shapes:
        forward(batch of ``B`` rows, labels ``(B,)``) -> ``(ce, ce_pruned, contrastive, kl)``,
        scalars (the last three ``None`` for ``finetune``).

    References:
        CVIB (original + self-pruned network trained together).

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> from rl_text.cvib.data import AbsaExample
        >>> model = AspectSentimentModel(load_sentence_transformer("minilm"))
        >>> objective = AbsaObjective(model, AbsaTrainConfig())
        >>> batch = model.tokenize([AbsaExample("slow service", "service", 0, 5)])
        >>> ce, *rest = objective(batch, torch.tensor([0]))
        >>> ce.dim(), rest
        (0, [None, None, None])
    """

    def __init__(self, model: AspectSentimentModel, config: AbsaTrainConfig) -> None:
        super().__init__()
        self.model = model
        self.cvib = config.method == "cvib"
        self.temperature = config.temperature

    def forward(
        self, batch: dict[str, Tensor], labels: Tensor
    ) -> tuple[Tensor, Tensor | None, Tensor | None, Tensor | None]:
        logits, rep = self.model(batch)
        ce = F.cross_entropy(logits, labels)
        if not self.cvib:
            return ce, None, None, None
        logits_p, rep_p = self.model(batch, pruned=True)
        ce_p = F.cross_entropy(logits_p, labels)
        all_rep, _ = gather_with_grad(rep.float())
        all_rep_p, _ = gather_with_grad(rep_p.float())
        con = self_pruning_contrastive_loss(all_rep, all_rep_p, self.temperature)
        gates = self.model.gates
        assert gates is not None  # built with vib=True
        kl = gates.kl() / gates.total()
        return ce, ce_p, con, kl


def _over_ranks(acc: Any, value: float) -> float:
    """``value`` averaged over the processes (itself, untouched, in one process)."""
    if acc.num_processes == 1:
        return value
    return float(acc.reduce(torch.tensor(value, dtype=torch.float64, device=acc.device), "mean"))


def absa_step_loss(
    objective: nn.Module,
    model: AspectSentimentModel,
    batch_ex: list[AbsaExample],
    config: AbsaTrainConfig,
    acc: Any,
) -> tuple[Tensor, dict[str, float]]:
    """This process's training loss on its share of a global batch, and the logged terms.

    Every process passes the same global batch; it keeps its contiguous share
    (:func:`rl_shared.runtime.shard_bounds`), tokenises it on ``acc.device`` and runs
    ``objective`` under ``acc.autocast()``. ``L = CE + CE_pruned + λ·contrastive + β·KL``
    (``finetune``: ``CE``); the logged terms are averaged over the processes, so they are the
    global batch's (the batch is split in equal shares: ``len(batch_ex)`` must be a multiple
    of the number of processes).

    Args:
        objective: the prepared :class:`AbsaObjective` (or its DDP wrapper).
        model: the unwrapped classifier (its tokenizer).
        batch_ex: the global batch.
        config: the training configuration (``contrastive_weight``, ``beta``).
        acc: the ``accelerate.Accelerator`` from :func:`rl_shared.runtime.make_accelerator`.

    Returns:
        the loss to back-propagate (this process's) and the terms ``ce`` (and
        ``ce_pruned``, ``contrastive``, ``kl`` for CVIB) and ``loss`` averaged over processes.

    Shapes:
        batch_ex ``B`` examples -> a scalar loss.

    References:
        CVIB (joint objective of the original and self-pruned networks).

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> from rl_text.cvib.data import AbsaExample
        >>> acc = make_accelerator()
        >>> model = AspectSentimentModel(load_sentence_transformer("minilm"), vib=True)
        >>> config = AbsaTrainConfig(method="cvib")
        >>> ex = [AbsaExample("the food is good", "food", 2, 4), AbsaExample("slow service", "service", 0, 5)]
        >>> loss, parts = absa_step_loss(AbsaObjective(model, config), model, ex, config, acc)
        >>> sorted(parts), loss.requires_grad
        (['ce', 'ce_pruned', 'contrastive', 'kl', 'loss'], True)
    """
    start, stop = shard_bounds(len(batch_ex), acc.num_processes, acc.process_index)
    part = batch_ex[start:stop]
    labels = torch.tensor([e.label for e in part], device=acc.device)
    batch = model.tokenize(part)
    with acc.autocast():
        ce, ce_p, con, kl = objective(batch, labels)
    loss = ce
    parts = {"ce": _over_ranks(acc, ce.item())}
    if ce_p is not None and con is not None and kl is not None:
        loss = loss + ce_p + config.contrastive_weight * con + config.beta * kl
        parts.update(
            ce_pruned=_over_ranks(acc, ce_p.item()),
            contrastive=_over_ranks(acc, con.item()),
            kl=_over_ranks(acc, kl.item()),
        )
    parts["loss"] = _over_ranks(acc, loss.item())
    return loss, parts


def train_absa(
    st_or_name: Any,
    examples: list[AbsaExample],
    config: AbsaTrainConfig,
    out: str | Path | None = None,
    show_progress: bool = False,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> AspectSentimentModel:
    """Fine-tune (or CVIB-train) a classifier on ``examples``; save to ``out`` if given.

    The loop runs through :func:`rl_shared.runtime.make_accelerator`. Under ``torchrun``
    every process draws the same global batch and trains on its equal share
    (:func:`absa_step_loss`; ``batch_size`` must be a multiple of the number of processes);
    DDP averages the gradients, the log holds the terms averaged over processes, and only
    the main process shows progress and writes ``out``. (With dropout, each process draws
    its own dropout masks and VIB gate noise.)

    Args:
        st_or_name: a ``SentenceTransformer`` or a name / folder for
            :func:`rl_shared.models.load_sentence_transformer`.
        examples: training examples.
        config: :class:`AbsaTrainConfig`.
        out: folder for :func:`~rl_text.cvib.model.save_absa_model`.
        show_progress: a progress bar over steps (on stderr).
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``
            (:func:`rl_shared.runtime.resolve_device`).
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the forward passes.

    Raises:
        BadInput: an unknown method, no examples, non-positive sizes, an unavailable
            ``device`` or ``precision``, or a batch that does not split over the processes.
        NonFiniteLoss: the loss became NaN or infinite.

    References:
        CVIB; Dai et al., arXiv:1802.10399 (the VIB gates).

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> from rl_text.cvib.data import AbsaExample
        >>> data = [AbsaExample("the food is good", "food", 2, 4), AbsaExample("slow service", "service", 0, 5)]
        >>> config = AbsaTrainConfig(method="cvib", steps=1, batch_size=2, max_length=16)
        >>> model = train_absa(load_sentence_transformer("minilm"), data, config)
        >>> sorted(model.train_log[0])
        ['ce', 'ce_pruned', 'contrastive', 'kl', 'loss']
    """
    from rl_shared.cli import progress

    if config.method not in METHODS:
        raise BadInput(f"method must be one of {', '.join(METHODS)}, got '{config.method}'")
    if not examples:
        raise BadInput("no training examples")
    if config.steps < 1 or config.batch_size < 1:
        raise BadInput("steps and batch_size must be positive")
    acc = make_accelerator(str(device), precision)
    if config.batch_size % acc.num_processes:
        raise BadInput(
            f"the batch of {config.batch_size} is split over {acc.num_processes} processes; "
            "give a batch size that is a multiple of the number of processes"
        )
    if acc.num_processes > 1:
        from accelerate.utils import DistributedDataParallelKwargs

        # the encoder's pooler (and, for finetune, nothing else) is outside the loss graph;
        # make_accelerator takes no kwargs handlers
        acc.ddp_handler = DistributedDataParallelKwargs(find_unused_parameters=True)
    seed_everything(config.seed)
    if isinstance(st_or_name, str | Path):
        from rl_shared.models import load_sentence_transformer

        st = load_sentence_transformer(st_or_name)
    else:
        st = st_or_name
    cvib = config.method == "cvib"
    model = AspectSentimentModel(st, vib=cvib, max_length=config.max_length)
    model.to(acc.device)
    model.train()
    base = [p for n, p in model.named_parameters() if not n.startswith("gates.")]
    groups = [{"params": base, "lr": config.lr}]
    gates = model.gates
    if cvib:
        assert gates is not None  # built with vib=True
        groups.append({"params": list(gates.parameters()), "lr": config.gate_lr})
    optimizer = torch.optim.AdamW(groups, weight_decay=0.0)
    warmup = max(1, config.steps // 10)
    # on the raw optimizer: every process steps once per global batch
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        [lambda s: min(1.0, (s + 1) / warmup) * max(0.0, 1 - s / config.steps)]
        + ([lambda s: 1.0] if cvib else []),
    )
    objective, optimizer = acc.prepare(AbsaObjective(model, config), optimizer)
    rng = random.Random(config.seed)
    order: list[int] = []
    log: list[dict[str, float]] = []
    track = progress(not (show_progress and acc.is_main_process))
    for step in track(range(config.steps), f"cvib {config.method}"):
        if len(order) < config.batch_size:
            fresh = list(range(len(examples)))
            rng.shuffle(fresh)
            order.extend(fresh)
        batch_ex = [examples[i] for i in order[: config.batch_size]]
        del order[: config.batch_size]
        loss, parts = absa_step_loss(objective, model, batch_ex, config, acc)
        if not math.isfinite(parts["loss"]):
            raise NonFiniteLoss(f"ABSA training loss became {parts['loss']} at step {step}")
        optimizer.zero_grad(set_to_none=True)
        acc.backward(loss)
        acc.clip_grad_norm_(base, 1.0)
        optimizer.step()
        schedule.step()
        log.append(parts)
    model.eval()
    model.train_log = log
    if out is not None and acc.is_main_process:
        from rl_text.cvib.model import save_absa_model

        extra = gates.summary() if cvib and gates is not None else {}
        save_absa_model(model, out, method=config.method, config=vars(config), **extra)
    acc.wait_for_everyone()
    return model

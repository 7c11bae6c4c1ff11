"""Train and evaluate aspect sentiment classifiers: plain fine-tuning or CVIB.

``finetune``: cross-entropy of the original network. ``cvib``: the original network and its
self-pruned copy (same weights, VIB gates on) are trained together with

    L = CE(original) + CE(pruned) + λ · contrastive(original, pruned) + β · KL / units

where the contrastive term is :func:`~rl_text.cvib.losses.self_pruning_contrastive_loss`
and KL is the gates' compression term (:class:`~rl_text.cvib.vib.EncoderGates`) averaged
over gated units. The gates get their own (larger) learning rate.

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

from rl_shared.errors import BadInput, NonFiniteLoss
from rl_text.cvib.data import LABELS, AbsaExample
from rl_text.cvib.losses import self_pruning_contrastive_loss
from rl_text.cvib.model import AspectSentimentModel

__all__ = ["METHODS", "AbsaTrainConfig", "accuracy_macro_f1", "evaluate_absa", "train_absa"]

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
) -> dict[str, float]:
    """Accuracy and macro-F1 of ``model`` (original or self-pruned network) on ``examples``.

    Args:
        model: a trained (or untrained) :class:`~rl_text.cvib.model.AspectSentimentModel`.
        examples: labelled aspects to score.
        batch_size: examples per forward pass.
        pruned: run the self-pruned network (VIB gates on); needs a model built with
            ``vib=True``.

    Returns:
        ``{"accuracy", "macro_f1", "n"}`` (``n`` the number of examples).

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
    pred = model.predict(examples, batch_size=batch_size, pruned=pruned)
    return {**accuracy_macro_f1([e.label for e in examples], pred), "n": len(examples)}


def train_absa(
    st_or_name: Any,
    examples: list[AbsaExample],
    config: AbsaTrainConfig,
    out: str | Path | None = None,
    show_progress: bool = False,
    device: str = "cpu",
) -> AspectSentimentModel:
    """Fine-tune (or CVIB-train) a classifier on ``examples``; save to ``out`` if given.

    Args:
        st_or_name: a ``SentenceTransformer`` or a name / folder for
            :func:`rl_shared.models.load_sentence_transformer`.
        examples: training examples.
        config: :class:`AbsaTrainConfig`.
        out: folder for :func:`~rl_text.cvib.model.save_absa_model`.
        show_progress: a progress bar over steps (on stderr).
        device: ``auto``, ``cpu``, ``cuda``, ... (:func:`rl_shared.runtime.resolve_device`).

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
    from rl_shared.runtime import resolve_device, seed_everything

    if config.method not in METHODS:
        raise BadInput(f"method must be one of {', '.join(METHODS)}, got '{config.method}'")
    if not examples:
        raise BadInput("no training examples")
    if config.steps < 1 or config.batch_size < 1:
        raise BadInput("steps and batch_size must be positive")
    seed_everything(config.seed)
    if isinstance(st_or_name, str | Path):
        from rl_shared.models import load_sentence_transformer

        st = load_sentence_transformer(st_or_name)
    else:
        st = st_or_name
    cvib = config.method == "cvib"
    model = AspectSentimentModel(st, vib=cvib, max_length=config.max_length)
    model.to(resolve_device(device))
    model.train()
    base = [p for n, p in model.named_parameters() if not n.startswith("gates.")]
    groups = [{"params": base, "lr": config.lr}]
    gates = model.gates
    if cvib:
        assert gates is not None  # built with vib=True
        groups.append({"params": list(gates.parameters()), "lr": config.gate_lr})
    optimizer = torch.optim.AdamW(groups, weight_decay=0.0)
    warmup = max(1, config.steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        [lambda s: min(1.0, (s + 1) / warmup) * max(0.0, 1 - s / config.steps)]
        + ([lambda s: 1.0] if cvib else []),
    )
    rng = random.Random(config.seed)
    order: list[int] = []
    log: list[dict[str, float]] = []
    track = progress(not show_progress)
    for step in track(range(config.steps), f"cvib {config.method}"):
        if len(order) < config.batch_size:
            fresh = list(range(len(examples)))
            rng.shuffle(fresh)
            order.extend(fresh)
        batch_ex = [examples[i] for i in order[: config.batch_size]]
        del order[: config.batch_size]
        labels = torch.tensor([e.label for e in batch_ex], device=model.device)
        batch = model.tokenize(batch_ex)
        logits, rep = model(batch)
        loss = F.cross_entropy(logits, labels)
        parts = {"ce": loss.item()}
        if cvib:
            logits_p, rep_p = model(batch, pruned=True)
            ce_p = F.cross_entropy(logits_p, labels)
            con = self_pruning_contrastive_loss(rep, rep_p, config.temperature)
            assert gates is not None
            kl = gates.kl() / gates.total()
            loss = loss + ce_p + config.contrastive_weight * con + config.beta * kl
            parts.update(ce_pruned=ce_p.item(), contrastive=con.item(), kl=kl.item())
        if not math.isfinite(loss.item()):
            raise NonFiniteLoss(f"ABSA training loss became {loss.item()} at step {step}")
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(base, 1.0)
        optimizer.step()
        schedule.step()
        parts["loss"] = loss.item()
        log.append(parts)
    model.eval()
    model.train_log = log
    if out is not None:
        from rl_text.cvib.model import save_absa_model

        extra = gates.summary() if cvib and gates is not None else {}
        save_absa_model(model, out, method=config.method, config=vars(config), **extra)
    return model

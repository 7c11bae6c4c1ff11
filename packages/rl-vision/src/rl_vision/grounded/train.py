"""Train the grounded sentence encoder and its autoencoder baseline.

Data: generated scenes with ``captions_per_scene`` captions each
(:func:`~rl_vision.grounded.data.make_caption_data`). The grounded model pairs each image
with one of its captions per step and minimises
:func:`~rl_vision.grounded.losses.hinge_contrastive`; the baseline
(:class:`~rl_vision.grounded.autoencoder.CharAutoencoder`) reconstructs the same captions.

Given ``out_dir``, training writes checkpoints to ``out_dir/checkpoints`` with
:class:`rl_shared.checkpoint.CheckpointManager` (safetensors weights; optimizer,
scheduler, RNG and the data-order generator's state), and ``resume=True`` continues from
the newest one, reaching the weights of an uninterrupted run. The trained grounded model
is written to ``out_dir/model`` (:func:`~rl_vision.grounded.model.save_grounded`).

:func:`~rl_vision.grounded.evaluation.evaluate_retrieval` measures a trained model;
:mod:`rl_vision.grounded.runs` holds what the ``rl vision grounded`` commands run.

References:
    Merkx & Frank, "Learning semantic sentence representations from visually grounded language
    without lexical knowledge", Natural Language Engineering 25(4), 2019.
    https://arxiv.org/abs/1903.11393

Example:
    >>> from rl_vision.grounded.data import make_caption_data
    >>> from rl_vision.grounded.evaluation import evaluate_retrieval
    >>> cfg = GroundedConfig(steps=2, batch_size=4, num_scenes=8, size=32, hidden=16, depth=3)
    >>> data = make_caption_data(range(8), 32, 2)
    >>> model = train_grounded(cfg, data)
    >>> sorted(evaluate_retrieval(model, data))[:2]
    ['c2c.r@1', 'c2c.r@10']
"""

from __future__ import annotations

import base64
import shutil
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import torch
from torch import Tensor, nn

from rl_shared.checkpoint import CheckpointManager
from rl_shared.errors import BadInput, NonFiniteLoss
from rl_shared.io import read_json
from rl_shared.runtime import seed_everything
from rl_vision.grounded.autoencoder import CharAutoencoder
from rl_vision.grounded.char_encoder import CharVocab
from rl_vision.grounded.data import CaptionData
from rl_vision.grounded.losses import hinge_contrastive
from rl_vision.grounded.model import GroundedConfig, GroundedModel, save_grounded

__all__ = ["train_autoencoder", "train_grounded"]

Progress = Callable[..., Iterable[Any]]


def _check_finite(loss: Tensor, step: int) -> None:
    if not torch.isfinite(loss):
        raise NonFiniteLoss(
            f"the loss became {float(loss)} at step {step}; lower the learning rate"
        )


def _encode_generator(gen: torch.Generator) -> str:
    return base64.b64encode(gen.get_state().numpy().tobytes()).decode("ascii")


def _decode_generator(text: str) -> Tensor:
    return torch.frombuffer(bytearray(base64.b64decode(text)), dtype=torch.uint8)


def _fit(
    model: nn.Module,
    config: GroundedConfig,
    step_loss: Callable[[torch.Generator], Tensor],
    desc: str,
    out_dir: str | Path | None,
    resume: bool,
    progress: Progress | None,
) -> None:
    """Adam + one-cycle loop shared by both models, with checkpoints in ``out_dir``.

    Without ``resume`` the checkpoints of an earlier run in ``out_dir`` are removed first.
    """
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, config.lr, total_steps=config.steps, pct_start=0.1
    )
    gen = torch.Generator().manual_seed(config.seed)
    manager = CheckpointManager(Path(out_dir) / "checkpoints") if out_dir is not None else None
    start = 0
    latest = manager.latest() if resume and manager is not None else None
    if manager is not None and latest is not None:
        saved = read_json(latest / "state.json")
        saved = saved if isinstance(saved, dict) else {}
        extra = saved.get("extra")
        if (
            saved.get("config") != asdict(config)
            or not isinstance(extra, dict)
            or "generator" not in extra
        ):
            raise BadInput(
                f"the checkpoint in {manager.directory} was trained with another configuration"
            )
        state = manager.load(model, opt, sched)
        gen.set_state(_decode_generator(state.extra["generator"]))
        start = state.step
    elif manager is not None and manager.directory.is_dir():
        shutil.rmtree(manager.directory)  # --no-resume: start over
    steps: Iterable[int] = range(start, config.steps)
    if progress is not None:
        steps = progress(steps, desc)
    model.train()
    for step in steps:
        loss = step_loss(gen)
        _check_finite(loss, step)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 2.0)
        opt.step()
        sched.step()
        done = step + 1
        if manager is not None and (
            done == config.steps
            or (config.checkpoint_every and done % config.checkpoint_every == 0)
        ):
            extra = {"generator": _encode_generator(gen)}
            manager.save(done, model, opt, sched, config=asdict(config), extra=extra)
    model.eval()


def train_grounded(
    config: GroundedConfig,
    data: CaptionData,
    progress: Progress | None = None,
    *,
    out_dir: str | Path | None = None,
    resume: bool = False,
    device: str | torch.device = "cpu",
) -> GroundedModel:
    """Train the grounded model on image-caption pairs with the hinge contrastive loss.

    Args:
        config: what to train.
        data: training images and their captions.
        progress: wraps the step range, e.g. ``rl_shared.cli.progress(as_json)``.
        out_dir: run folder (checkpoints in ``out_dir/checkpoints``, the trained model in
            ``out_dir/model``); ``None`` keeps everything in memory.
        resume: continue from the newest checkpoint in ``out_dir`` (none there: start).
        device: where to train (the saved model is on the CPU).
    """
    if len(data.captions) < max(2, config.batch_size):
        raise BadInput("need at least batch_size (and 2) scenes to train the grounded model")
    seed_everything(config.seed)
    model = GroundedModel(config).to(device)

    def step_loss(gen: torch.Generator) -> Tensor:
        idx = torch.randperm(len(data.captions), generator=gen)[: config.batch_size]
        pick = torch.randint(0, 1 << 30, (len(idx),), generator=gen).tolist()
        texts = [data.captions[i][p % len(data.captions[i])] for i, p in zip(idx.tolist(), pick)]
        images = data.images[idx].to(device)
        return hinge_contrastive(
            model.images(images), model.encode_text(texts), margin=config.margin
        )

    _fit(model, config, step_loss, "train grounded", out_dir, resume, progress)
    if out_dir is not None:
        save_grounded(model, config, Path(out_dir) / "model")
    return model


def train_autoencoder(
    config: GroundedConfig,
    data: CaptionData,
    progress: Progress | None = None,
    *,
    out_dir: str | Path | None = None,
    resume: bool = False,
    device: str | torch.device = "cpu",
) -> CharAutoencoder:
    """Train the caption-only character autoencoder for the same number of steps.

    Args:
        config: what to train (``hidden``, ``steps``, ``batch_size``, ``lr``, ``seed``).
        data: the captions (the images are not used).
        progress: wraps the step range.
        out_dir: run folder for checkpoints (``out_dir/checkpoints``); nothing else is saved.
        resume: continue from the newest checkpoint in ``out_dir``.
        device: where to train.

    Example:
        >>> from rl_vision.grounded.data import make_caption_data
        >>> from rl_vision.grounded.evaluation import evaluate_retrieval
        >>> cfg = GroundedConfig(steps=2, batch_size=4, num_scenes=4, hidden=8)
        >>> data = make_caption_data(range(4), 16, 2)
        >>> ae = train_autoencoder(cfg, data)
        >>> type(ae).__name__, ae.training, sorted(evaluate_retrieval(None, data, ae.encoder))[0]
        ('CharAutoencoder', False, 'c2c.r@1')
    """
    seed_everything(config.seed)
    vocab = CharVocab()
    model = CharAutoencoder(len(vocab), hidden=config.hidden).to(device)
    flat = [c for caps in data.captions for c in caps]

    def step_loss(gen: torch.Generator) -> Tensor:
        idx = torch.randperm(len(flat), generator=gen)[: config.batch_size].tolist()
        ids, lengths = vocab.encode_batch([flat[i] for i in idx])
        return model.loss(ids.to(device), lengths)

    _fit(model, config, step_loss, "train autoencoder", out_dir, resume, progress)
    return model

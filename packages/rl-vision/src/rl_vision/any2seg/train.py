"""Training of Any2Seg, its ablations, the baselines and the LSCD teacher.

One loop (:func:`train`) trains every kind of model, on generated scenes
(:mod:`rl_vision.core.scenes`) or on a real dataset streamed by a
:class:`~rl_vision.any2seg.sources.DatasetSource` (DELIVER, MCubeS; the config's
``channels`` and ``classes`` then come from the dataset):

* ``teacher`` — :class:`~rl_vision.any2seg.teacher.TrainedTeacher` on all modalities,
  each modality classified alone against the class-prompt text embeddings;
* ``any2seg`` — :class:`~rl_vision.any2seg.model.Any2Seg` with random modality dropout,
  cross-entropy plus ``lscd_weight`` times LSCD against a frozen teacher;
* ``early`` / ``single`` — :class:`~rl_vision.any2seg.baselines.EarlyFusionUnet`.

Labels equal to :data:`~rl_vision.any2seg.losses.IGNORE_INDEX` (255, void) count neither
in the loss nor in the metrics. The data order and the modality-dropout draws of step
``t`` come from a generator seeded by ``(seed, t)`` (see :mod:`rl_vision.any2seg.sources`),
and :class:`rl_shared.checkpoint.CheckpointManager` restores weights, optimizer, scheduler
and RNG, so a resumed run ends where an uninterrupted one does.

With ``out_dir``, :func:`train` writes the trained model to ``out_dir/model``
(:func:`~rl_vision.any2seg.model_folder.save_model`). :func:`~rl_vision.any2seg.runs.train_run`
is what ``rl vision any2seg train`` does.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation from Any
    Modalities", ECCV 2024. https://arxiv.org/abs/2407.11351

Example:
    >>> from rl_vision.any2seg.evaluation import evaluate
    >>> cfg = TrainConfig(kind="early", steps=2, batch_size=2, size=32, num_scenes=4, depth=3)
    >>> model = train(cfg)
    >>> evaluate(model, make_batch(range(10**6, 10**6 + 2), 32), ("rgb",))["miou"] >= 0
    True
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import torch
from torch import nn

from rl_shared.checkpoint import CheckpointManager
from rl_shared.errors import BadInput, NonFiniteLoss
from rl_shared.io import read_json
from rl_shared.runtime import seed_everything
from rl_vision.any2seg.config import TrainConfig, _jsonable, build_model
from rl_vision.any2seg.losses import LSCDLoss, segmentation_loss
from rl_vision.any2seg.model_folder import save_model
from rl_vision.any2seg.sources import BatchSource, PoolSource
from rl_vision.any2seg.teacher import ModalityTeacher
from rl_vision.core.scenes.dataset import SceneBatch, make_batch

__all__ = ["train"]

Progress = Callable[..., Iterable[Any]]


def _draw_subset(gen: torch.Generator, names: Sequence[str], p: float) -> list[str]:
    keep = torch.rand(len(names), generator=gen) < p
    if not keep.any():
        keep[int(torch.randint(len(names), (1,), generator=gen))] = True
    return [m for m, k in zip(names, keep.tolist()) if k]


def train(
    config: TrainConfig,
    out_dir: str | Path | None = None,
    *,
    teacher: ModalityTeacher | None = None,
    text: torch.Tensor | None = None,
    resume: bool = False,
    progress: Progress | None = None,
    pool: SceneBatch | None = None,
    source: BatchSource | None = None,
    device: str | torch.device = "cpu",
) -> nn.Module:
    """Train the model of ``config``; checkpoints and the trained model go to ``out_dir``.

    Args:
        config: what to train.
        out_dir: run folder (checkpoints in ``out_dir/checkpoints``, the trained model in
            ``out_dir/model``); ``None`` keeps it in memory.
        teacher: frozen teacher for LSCD (needed when ``kind="any2seg"`` and ``lscd_weight > 0``).
        text: ``(K, D)`` class text embeddings (for LSCD and the teacher).
        resume: continue from the newest checkpoint in ``out_dir`` (none there: start).
        progress: wraps the step range, e.g. ``rl_shared.cli.progress(as_json)``.
        pool: pre-rendered training scenes (default: render ``config.num_scenes``).
        source: where the batches come from instead (e.g. a
            :class:`~rl_vision.any2seg.sources.DatasetSource` over DELIVER); overrides ``pool``.
        device: where the model trains (batches are moved there; the saved model is on the CPU).

    Shapes:
        - text: (K, D), ``K = len(config.classes)`` class text embeddings of width ``D``
    """
    uses_lscd = config.kind == "any2seg" and config.lscd_weight > 0
    if uses_lscd and (teacher is None or text is None):
        raise BadInput("LSCD needs a teacher and the class text embeddings (or set lscd_weight=0)")
    device = torch.device(device)
    seed_everything(config.seed)
    text_dim = text.shape[1] if text is not None else 384
    model = build_model(config, text_dim, text).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=config.lr, total_steps=config.steps, pct_start=0.1
    )
    manager = CheckpointManager(Path(out_dir) / "checkpoints") if out_dir is not None else None
    start = 0
    latest = manager.latest() if resume and manager is not None else None
    if manager is not None and latest is not None:
        saved = read_json(latest / "state.json")
        if not isinstance(saved, dict) or saved.get("config") != _jsonable(config):
            raise BadInput(
                f"the checkpoint in {manager.directory} was trained with another configuration; "
                "add --no-resume to start over or choose another --out"
            )
        start = manager.load(model, opt, sched).step
    elif manager is not None and manager.directory.is_dir():
        shutil.rmtree(manager.directory)  # --no-resume: start over
    if source is None:
        if pool is None:
            pool = make_batch(range(config.num_scenes), config.size, config.train_conditions)
        source = PoolSource(pool)
    lscd = LSCDLoss(text).to(device) if uses_lscd and text is not None else None
    if isinstance(teacher, nn.Module):
        teacher.to(device).eval()
    steps: Iterable[int] = range(start, config.steps)
    if progress is not None:
        steps = progress(steps, f"train {config.kind}")
    model.train()
    batches = source.batches(range(start, config.steps), config.batch_size, config.seed)
    for step, (batch_inputs, labels, gen) in zip(steps, batches):
        names = list(config.modalities)
        if config.modality_dropout and config.kind in ("any2seg", "early"):
            names = _draw_subset(gen, names, config.keep_probability)
        inputs = {m: batch_inputs[m].to(device) for m in names}
        labels = labels.to(device)
        if config.kind == "teacher":
            logits = model(inputs)
            loss = torch.stack([segmentation_loss(v, labels) for v in logits.values()]).mean()
        else:
            out = model(inputs, embeddings=lscd is not None)
            loss = segmentation_loss(out.logits, labels)
            if lscd is not None:
                with torch.no_grad():
                    target = teacher.embed(inputs)  # type: ignore[union-attr]
                loss = loss + config.lscd_weight * lscd(out.embeddings, target)
        if not torch.isfinite(loss):
            raise NonFiniteLoss(
                f"the training loss became {float(loss)} at step {step}; lower the learning rate"
            )
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        done = step + 1
        if manager is not None and (
            done == config.steps
            or (config.checkpoint_every and done % config.checkpoint_every == 0)
        ):
            manager.save(done, model, opt, sched, config=_jsonable(config))
    model.eval()
    if out_dir is not None:
        save_model(model, config, Path(out_dir) / "model", text_dim=text_dim)
    return model

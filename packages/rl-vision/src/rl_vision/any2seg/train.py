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

The loop runs through :func:`rl_shared.runtime.make_accelerator` (``device``, ``precision``).
Under ``torchrun`` every process draws the whole batch of a step (and the same modality
subset) from the step's generator and keeps its rows ``rank::world``; DDP averages the
gradients. BatchNorm statistics are those of each process's rows (plain DDP, no
``SyncBatchNorm``), so a run over several processes matches one process that normalises
each process's rows apart. Only the main process writes checkpoints and the model.

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
from rl_shared.runtime import make_accelerator, seed_everything
from rl_vision.any2seg.config import TrainConfig, _jsonable, build_model
from rl_vision.any2seg.losses import LSCDLoss, segmentation_loss
from rl_vision.any2seg.model_folder import save_model
from rl_vision.any2seg.sources import BatchSource, PoolSource
from rl_vision.any2seg.teacher import ModalityTeacher
from rl_vision.core.scenes.dataset import SceneBatch, make_batch

__all__ = ["step_loss", "train"]

Progress = Callable[..., Iterable[Any]]


def _draw_subset(gen: torch.Generator, names: Sequence[str], p: float) -> list[str]:
    keep = torch.rand(len(names), generator=gen) < p
    if not keep.any():
        keep[int(torch.randint(len(names), (1,), generator=gen))] = True
    return [m for m, k in zip(names, keep.tolist()) if k]


def step_loss(
    model: nn.Module,
    kind: str,
    inputs: dict[str, torch.Tensor],
    labels: torch.Tensor,
    *,
    lscd: LSCDLoss | None = None,
    teacher: ModalityTeacher | None = None,
    lscd_weight: float = 1.0,
) -> torch.Tensor:
    """The loss :func:`train` minimises on one batch (called through DDP when distributed).

    Args:
        model: the model being trained (or its DDP wrapper).
        kind: ``config.kind``; a teacher averages the loss of each modality's own logits.
        inputs: the batch's present modalities.
        labels: the pixel labels (:data:`~rl_vision.any2seg.losses.IGNORE_INDEX`: void).
        lscd: the LSCD loss (``None``: cross-entropy only).
        teacher: the frozen teacher LSCD distils from (needed with ``lscd``).
        lscd_weight: the weight of LSCD.

    Shapes:
        - inputs: ``{m: (B, C_m, H, W)}``
        - labels: ``(B, H, W)``
        - output: a scalar

    Example:
        >>> cfg = TrainConfig(kind="early", num_scenes=2, batch_size=2, size=32, depth=3)
        >>> batch = make_batch(range(2), 32)
        >>> loss = step_loss(build_model(cfg), "early", batch.inputs, batch.labels)
        >>> bool(loss > 0)
        True
    """
    if kind == "teacher":
        logits = model(inputs)
        return torch.stack([segmentation_loss(v, labels) for v in logits.values()]).mean()
    out = model(inputs, embeddings=lscd is not None)
    loss = segmentation_loss(out.logits, labels)
    if lscd is not None:
        with torch.no_grad():
            target = teacher.embed(inputs)  # type: ignore[union-attr]
        loss = loss + lscd_weight * lscd(out.embeddings, target)
    return loss


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
    device: str | torch.device = "auto",
    precision: str = "fp32",
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
        device: where the model trains: ``auto``, ``cpu``, ``cuda[:N]`` or ``mps`` (batches
            are moved there; the saved model is on the CPU; under ``torchrun`` each process
            takes its local device).
        precision: ``fp32``, ``bf16`` or ``fp16`` (autocast of the forward pass).

    Raises:
        BadInput: LSCD without a teacher, a checkpoint of another configuration, or fewer
            batch rows than processes.

    Shapes:
        - text: (K, D), ``K = len(config.classes)`` class text embeddings of width ``D``
    """
    uses_lscd = config.kind == "any2seg" and config.lscd_weight > 0
    if uses_lscd and (teacher is None or text is None):
        raise BadInput("LSCD needs a teacher and the class text embeddings (or set lscd_weight=0)")
    acc = make_accelerator(str(device), precision)
    if acc.num_processes > 1:
        from accelerate.utils import DistributedDataParallelKwargs

        # modality dropout leaves the encoders of dropped modalities (and, without LSCD, the
        # embedding head) out of a step's graph, and an smp encoder of depth < 5 keeps its
        # deeper stages unused; make_accelerator takes no kwargs handlers
        acc.ddp_handler = DistributedDataParallelKwargs(find_unused_parameters=True)
    if config.batch_size < acc.num_processes:
        raise BadInput(
            f"the batch of {config.batch_size} is split over {acc.num_processes} processes; "
            "give at least one row per process"
        )
    seed_everything(config.seed)
    text_dim = text.shape[1] if text is not None else 384
    model = build_model(config, text_dim, text)
    opt = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=config.lr, total_steps=config.steps, pct_start=0.1
    )
    # the scheduler is stepped by hand, once per step: a prepared one would step per process
    model, opt = acc.prepare(model, opt)
    plain = acc.unwrap_model(model)
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
        start = manager.load(plain, opt, sched).step
    elif manager is not None and manager.directory.is_dir() and acc.is_main_process:
        shutil.rmtree(manager.directory)  # --no-resume: start over
    acc.wait_for_everyone()
    if source is None:
        if pool is None:
            pool = make_batch(range(config.num_scenes), config.size, config.train_conditions)
        source = PoolSource(pool)
    lscd = LSCDLoss(text).to(acc.device) if uses_lscd and text is not None else None
    if isinstance(teacher, nn.Module):
        teacher.to(acc.device).eval()
    steps: Iterable[int] = range(start, config.steps)
    if progress is not None and acc.is_main_process:
        steps = progress(steps, f"train {config.kind}")
    model.train()
    # every process draws the whole batch from the step's generator and keeps its own rows
    rows = slice(acc.process_index, None, acc.num_processes)
    batches = source.batches(range(start, config.steps), config.batch_size, config.seed)
    for step, (batch_inputs, labels, gen) in zip(steps, batches):
        names = list(config.modalities)
        if config.modality_dropout and config.kind in ("any2seg", "early"):
            names = _draw_subset(gen, names, config.keep_probability)
        inputs = {m: batch_inputs[m][rows].to(acc.device) for m in names}
        with acc.autocast():
            loss = step_loss(
                model, config.kind, inputs, labels[rows].to(acc.device), lscd=lscd,
                teacher=teacher, lscd_weight=config.lscd_weight,
            )  # fmt: skip
        if not torch.isfinite(acc.reduce(loss.detach(), "mean")):  # every process stops
            raise NonFiniteLoss(
                f"the training loss became {float(loss)} at step {step}; lower the learning rate"
            )
        opt.zero_grad(set_to_none=True)
        acc.backward(loss)
        opt.step()
        sched.step()
        done = step + 1
        if (
            manager is not None
            and acc.is_main_process
            and (
                done == config.steps
                or (config.checkpoint_every and done % config.checkpoint_every == 0)
            )
        ):
            manager.save(done, plain, opt, sched, config=_jsonable(config))
    plain.eval()
    if out_dir is not None and acc.is_main_process:
        save_model(plain, config, Path(out_dir) / "model", text_dim=text_dim)
    acc.wait_for_everyone()
    return plain

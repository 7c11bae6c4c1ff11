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

Both loops run through :func:`rl_shared.runtime.make_accelerator` (``device``,
``precision``). Under ``torchrun`` every process draws the whole batch of a step from the
seeded generator and encodes its contiguous share of the rows; DDP averages the gradients.
The grounded model gathers every process's image and caption embeddings
(:func:`rl_shared.losses.distributed.gather_with_grad`), so the hinge loss sees the whole
batch's negatives and each process's gradient equals the one-process gradient, except that
BatchNorm in the image encoder normalises each process's images apart (plain DDP, no
``SyncBatchNorm``). The autoencoder's per-character mean is taken over the whole batch's
characters. Only the main process writes checkpoints and the model.

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
from rl_shared.losses.distributed import gather_with_grad
from rl_shared.runtime import make_accelerator, seed_everything
from rl_vision.grounded.autoencoder import CharAutoencoder, reconstruction_targets
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


def _accelerator(device: str | torch.device, precision: str, batch_size: int) -> Any:
    acc = make_accelerator(str(device), precision)
    if acc.num_processes > 1:
        from accelerate.utils import DistributedDataParallelKwargs

        # an smp encoder of depth < 5 keeps its deeper stages out of the graph
        acc.ddp_handler = DistributedDataParallelKwargs(find_unused_parameters=True)
    if batch_size % acc.num_processes:
        raise BadInput(
            f"the batch of {batch_size} does not split evenly over {acc.num_processes} "
            f"processes; choose a batch size that is a multiple of {acc.num_processes}"
        )
    return acc


def _share(n: int, acc: Any) -> slice:
    """This process's contiguous rows of a global batch of ``n`` (equal shares)."""
    per = n // acc.num_processes
    return slice(acc.process_index * per, (acc.process_index + 1) * per)


def _encode_generator(gen: torch.Generator) -> str:
    return base64.b64encode(gen.get_state().numpy().tobytes()).decode("ascii")


def _decode_generator(text: str) -> Tensor:
    return torch.frombuffer(bytearray(base64.b64decode(text)), dtype=torch.uint8)


def _fit(
    model: nn.Module,
    config: GroundedConfig,
    step_loss: Callable[[nn.Module, torch.Generator], Tensor],
    desc: str,
    out_dir: str | Path | None,
    resume: bool,
    progress: Progress | None,
    acc: Any,
) -> None:
    """Adam + one-cycle loop shared by both models, with checkpoints in ``out_dir``.

    ``step_loss(prepared, gen)`` is this process's loss of a step, computed through the
    ``acc.prepare``-d model (DDP syncs the gradients). Without ``resume`` the checkpoints of
    an earlier run in ``out_dir`` are removed first.
    """
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, config.lr, total_steps=config.steps, pct_start=0.1
    )
    # the scheduler is stepped by hand, once per step: a prepared one would step per process
    prepared, opt = acc.prepare(model, opt)
    model = acc.unwrap_model(prepared)
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
    elif manager is not None and manager.directory.is_dir() and acc.is_main_process:
        shutil.rmtree(manager.directory)  # --no-resume: start over
    acc.wait_for_everyone()
    steps: Iterable[int] = range(start, config.steps)
    if progress is not None and acc.is_main_process:
        steps = progress(steps, desc)
    prepared.train()
    for step in steps:
        with acc.autocast():
            loss = step_loss(prepared, gen)
        _check_finite(acc.reduce(loss.detach(), "mean"), step)  # every process stops
        opt.zero_grad(set_to_none=True)
        acc.backward(loss)
        acc.clip_grad_norm_(prepared.parameters(), 2.0)
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
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> GroundedModel:
    """Train the grounded model on image-caption pairs with the hinge contrastive loss.

    Args:
        config: what to train.
        data: training images and their captions.
        progress: wraps the step range, e.g. ``rl_shared.cli.progress(as_json)``.
        out_dir: run folder (checkpoints in ``out_dir/checkpoints``, the trained model in
            ``out_dir/model``); ``None`` keeps everything in memory.
        resume: continue from the newest checkpoint in ``out_dir`` (none there: start).
        device: where to train: ``auto``, ``cpu``, ``cuda[:N]`` or ``mps`` (under
            ``torchrun`` each process takes its local device; the saved model is on the CPU).
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the training steps.

    Raises:
        BadInput: fewer scenes than the batch (or 2), a checkpoint of another configuration,
            a batch that does not split evenly over the processes, or a bad ``device`` /
            ``precision``.

    Shapes:
        ``data.images``: ``(N, 3, H, W)``; one step embeds ``(B, 2 * hidden)`` images and
        captions, ``B = config.batch_size``.
    """
    if len(data.captions) < max(2, config.batch_size):
        raise BadInput("need at least batch_size (and 2) scenes to train the grounded model")
    acc = _accelerator(device, precision, config.batch_size)
    seed_everything(config.seed)
    model = GroundedModel(config)
    vocab = model.vocab

    def step_loss(prepared: nn.Module, gen: torch.Generator) -> Tensor:
        idx = torch.randperm(len(data.captions), generator=gen)[: config.batch_size]
        pick = torch.randint(0, 1 << 30, (len(idx),), generator=gen).tolist()
        texts = [data.captions[i][p % len(data.captions[i])] for i, p in zip(idx.tolist(), pick)]
        mine = _share(len(idx), acc)
        ids, lengths = vocab.encode_batch(texts[mine])
        images, captions = prepared(
            data.images[idx[mine]].to(acc.device), ids.to(acc.device), lengths
        )
        # every process scores the whole batch; the gather sums the ranks' gradients back
        images, captions = gather_with_grad(images)[0], gather_with_grad(captions)[0]
        return hinge_contrastive(images, captions, margin=config.margin)

    _fit(model, config, step_loss, "train grounded", out_dir, resume, progress, acc)
    if out_dir is not None and acc.is_main_process:
        save_grounded(model, config, Path(out_dir) / "model")
    acc.wait_for_everyone()
    return model


def train_autoencoder(
    config: GroundedConfig,
    data: CaptionData,
    progress: Progress | None = None,
    *,
    out_dir: str | Path | None = None,
    resume: bool = False,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> CharAutoencoder:
    """Train the caption-only character autoencoder for the same number of steps.

    Args:
        config: what to train (``hidden``, ``steps``, ``batch_size``, ``lr``, ``seed``).
        data: the captions (the images are not used).
        progress: wraps the step range.
        out_dir: run folder for checkpoints (``out_dir/checkpoints``); nothing else is saved.
        resume: continue from the newest checkpoint in ``out_dir``.
        device: where to train (see :func:`train_grounded`).
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the training steps.

    Raises:
        BadInput: a checkpoint of another configuration, a batch that does not split
            evenly over the processes, or a bad ``device`` / ``precision``.

    Shapes:
        one step reconstructs ``config.batch_size`` captions of up to ``L`` characters.

    Example:
        >>> from rl_vision.grounded.data import make_caption_data
        >>> from rl_vision.grounded.evaluation import evaluate_retrieval
        >>> cfg = GroundedConfig(steps=2, batch_size=4, num_scenes=4, hidden=8)
        >>> data = make_caption_data(range(4), 16, 2)
        >>> ae = train_autoencoder(cfg, data)
        >>> type(ae).__name__, ae.training, sorted(evaluate_retrieval(None, data, ae.encoder))[0]
        ('CharAutoencoder', False, 'c2c.r@1')
    """
    flat = [c for caps in data.captions for c in caps]
    acc = _accelerator(device, precision, min(config.batch_size, len(flat)))
    seed_everything(config.seed)
    vocab = CharVocab()
    model = CharAutoencoder(len(vocab), hidden=config.hidden)

    def step_loss(prepared: nn.Module, gen: torch.Generator) -> Tensor:
        idx = torch.randperm(len(flat), generator=gen)[: config.batch_size].tolist()
        texts = [flat[i] for i in idx]
        if acc.num_processes == 1:
            ids, lengths = vocab.encode_batch(texts)
            return prepared(ids.to(acc.device), lengths)
        # the mean over the whole batch's characters: this share's sum over their count
        count = int((reconstruction_targets(*vocab.encode_batch(texts)) != 0).sum())
        ids, lengths = vocab.encode_batch(texts[_share(len(texts), acc)])
        total = prepared(ids.to(acc.device), lengths, reduction="sum")
        return total * acc.num_processes / count

    _fit(model, config, step_loss, "train autoencoder", out_dir, resume, progress, acc)
    acc.wait_for_everyone()
    return model

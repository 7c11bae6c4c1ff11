"""Evaluation of segmentation models: mIoU and per-class IoU on generated scenes or real frames.

:func:`evaluate` measures a model on generated scenes (the test scenes' seeds start at
:data:`TEST_SEED_OFFSET`), :func:`evaluate_frames` on every frame of a real dataset, at
the labels' full resolution. Labels equal to :data:`~rl_vision.any2seg.losses.IGNORE_INDEX`
(255, void) do not count.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation from Any
    Modalities", ECCV 2024. https://arxiv.org/abs/2407.11351

Example:
    >>> from rl_vision.any2seg.config import TrainConfig, build_model
    >>> from rl_vision.core.scenes.dataset import make_batch
    >>> model = build_model(TrainConfig(kind="early", num_scenes=8, depth=3))
    >>> scenes = make_batch(range(TEST_SEED_OFFSET, TEST_SEED_OFFSET + 2), 32)
    >>> 0 <= evaluate(model, scenes, ("rgb",))["miou"] <= 1
    True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.utils.data import DataLoader, Dataset

from rl_shared.errors import RLError
from rl_vision.any2seg.losses import IGNORE_INDEX
from rl_vision.any2seg.metrics import SegmentationMeter
from rl_vision.any2seg.sources import (
    Refused,
    collate_frames,
    raise_refused,
    resize_frame,
    resize_shorter_side,
)
from rl_vision.core.scenes.dataset import SceneBatch
from rl_vision.core.scenes.layout import CLASSES

__all__ = ["TEST_SEED_OFFSET", "evaluate", "evaluate_frames"]

Progress = Callable[..., Iterable[Any]]

#: seeds of the generated test scenes start here (training scenes use 0 .. num_scenes - 1)
TEST_SEED_OFFSET = 1_000_000


def _device_of(model: nn.Module) -> torch.device:
    param = next(iter(model.parameters()), None)
    return param.device if param is not None else torch.device("cpu")


@torch.no_grad()
def evaluate(
    model: nn.Module,
    data: SceneBatch,
    modalities: Sequence[str],
    batch_size: int = 32,
    classes: Sequence[str] = CLASSES,
) -> dict[str, Any]:
    """mIoU and per-class IoU of ``model`` on generated scenes given only ``modalities``.

    Args:
        model: a segmentation model (on any device; the batches follow it).
        data: test scenes (:func:`~rl_vision.core.scenes.dataset.make_batch`).
        modalities: the modalities given to the model.
        batch_size: scenes per forward pass.
        classes: class names in label order.

    For real datasets see :func:`evaluate_frames`.
    """
    model.eval()
    device = _device_of(model)
    meter = SegmentationMeter(len(classes), ignore_index=IGNORE_INDEX)
    for i in range(0, len(data), batch_size):
        part = data.index(slice(i, i + batch_size))
        inputs = {m: part.inputs[m].to(device) for m in modalities}
        out = model(inputs, embeddings=False)
        logits = out.logits if hasattr(out, "logits") else out
        meter.update(logits.float().cpu(), part.labels)
    per_class = meter.per_class_iou().tolist()
    return {"miou": meter.miou(), "per_class_iou": dict(zip(classes, per_class))}


class _EvalFrames(Dataset):
    """Frames with inputs resized (shorter side ``size``) and labels at full resolution."""

    def __init__(self, dataset: Dataset, size: int) -> None:
        self.dataset, self.size = dataset, size

    def __len__(self) -> int:
        return len(self.dataset)  # type: ignore[arg-type]

    def __getitem__(self, index: int) -> tuple[dict[str, Tensor], Tensor] | Refused:
        try:
            return self._frame(index)
        except RLError as err:  # carried back to the main process as data
            return Refused(err)

    def _frame(self, index: int) -> tuple[dict[str, Tensor], Tensor]:
        inputs, label = self.dataset[index]
        first = next(iter(inputs.values()))
        height, width = first.shape[-2:]
        shape = resize_shorter_side(height, width, self.size, multiple=32)
        resized, _ = resize_frame(inputs, None, shape)
        return resized, label


@torch.no_grad()
def evaluate_frames(
    model: nn.Module,
    dataset: Dataset,
    modalities: Sequence[str],
    classes: Sequence[str],
    size: int,
    *,
    num_workers: int = 0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """mIoU and per-class IoU of ``model`` on every frame of a real dataset (void left out).

    Each frame's inputs are resized so the shorter side is ``size`` (the longer side keeps
    the aspect, rounded to a multiple of 32; no crop), the logits are upsampled bilinearly
    to the label map, and void pixels (255) are left out.

    Args:
        model: a segmentation model (``Any2Seg``, ``EarlyFusionUnet``).
        dataset: frames ``({modality: (C, H, W)}, label (H, W))`` (255 = void).
        modalities: the modalities given to the model.
        classes: class names in label order.
        size: shorter side of the model's input.
        num_workers: DataLoader workers reading frames.
        progress: wraps the frame loop, e.g. ``rl_shared.cli.progress(as_json)``.

    Shapes:
        dataset items: inputs ``{m: (C_m, H, W)}``, label ``(H, W)``; frames may differ in size.

    Example:
        >>> from rl_vision.any2seg.config import TrainConfig, build_model
        >>> cfg = TrainConfig(kind="early", modalities=("rgb",), channels={"rgb": 3},
        ...                   classes=("a", "b"), num_scenes=8, depth=3)
        >>> frames = [({"rgb": torch.rand(3, 20, 30)}, torch.randint(0, 2, (20, 30)))] * 2
        >>> result = evaluate_frames(build_model(cfg), frames, ("rgb",), cfg.classes, size=32)
        >>> result["frames"], sorted(result["per_class_iou"]), 0 <= result["miou"] <= 1
        (2, ['a', 'b'], True)
    """
    model.eval()
    device = _device_of(model)
    meter = SegmentationMeter(len(classes), ignore_index=IGNORE_INDEX)
    loader: Iterable[Any] = DataLoader(
        _EvalFrames(dataset, size),
        batch_size=1,  # frames may differ in size; labels stay at full resolution
        num_workers=num_workers,
        collate_fn=collate_frames,
        generator=torch.Generator(),
    )
    if progress is not None:
        loader = progress(loader, "evaluate")
    frames = 0
    for batch in loader:
        inputs, label = raise_refused(batch)
        out = model({m: inputs[m].to(device) for m in modalities}, embeddings=False)
        logits = out.logits if hasattr(out, "logits") else out
        logits = F.interpolate(
            logits.float().cpu(), size=label.shape[-2:], mode="bilinear", align_corners=False
        )
        meter.update(logits.argmax(dim=1), label)
        frames += 1
    per_class = meter.per_class_iou().tolist()
    return {"miou": meter.miou(), "per_class_iou": dict(zip(classes, per_class)), "frames": frames}

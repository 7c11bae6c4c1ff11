"""Any2Seg on real multi-modal datasets: which ones, how they are opened and evaluated.

:data:`REAL_DATASETS` names the real datasets Any2Seg trains on (DELIVER, MCubeS) with
their class names and modalities; :func:`open_dataset` opens a split of one
(``--data-root``, or the folder :mod:`rl_vision.datasets` registers below
``$RL_DATA_DIR``). Channel counts are read from the first frame
(:func:`frame_channels`): 3 for each DELIVER modality; for MCubeS 3 (RGB), 2 (AoLP as sin
and cos, or 1 if stored as the raw angle), 1 (DoLP) and 1 (NIR).

:func:`evaluate_frames` measures mIoU at the labels' own resolution: each frame's
inputs are resized so the shorter side is ``size`` (the longer side keeps the aspect,
rounded to a multiple of 32; no crop), the logits are upsampled bilinearly to the label
map, and void pixels (255) are left out.

Example:
    >>> REAL_DATASETS["deliver"].modalities, len(REAL_DATASETS["mcubes"].classes)
    (('rgb', 'depth', 'event', 'lidar'), 20)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.utils.data import DataLoader, Dataset

from rl_shared.data import Dataset as RegisteredDataset
from rl_shared.errors import BadInput, UnknownName
from rl_vision.any2seg.metrics import SegmentationMeter
from rl_vision.any2seg.sources import resize_frame, resize_shorter_side
from rl_vision.any2seg.training import IGNORE_INDEX
from rl_vision.data import DELIVER_CLASSES, MCUBES_CLASSES, DeliverDataset, MCubeSDataset
from rl_vision.data.mcubes import MCUBES_MODALITIES
from rl_vision.datasets import DELIVER, MCUBES

__all__ = [
    "DELIVER_CONDITIONS",
    "REAL_DATASETS",
    "RealDataset",
    "evaluate_frames",
    "frame_channels",
    "open_dataset",
    "resolve_root",
]

DELIVER_CONDITIONS: tuple[str, ...] = ("cloud", "fog", "night", "rain", "sun")


@dataclass(frozen=True)
class RealDataset:
    """A real dataset Any2Seg can train on: its names, classes, modalities and registry entry."""

    name: str
    title: str
    classes: tuple[str, ...]
    modalities: tuple[str, ...]
    registered: RegisteredDataset


REAL_DATASETS: dict[str, RealDataset] = {
    "deliver": RealDataset(
        "deliver", "DELIVER", DELIVER_CLASSES, ("rgb", "depth", "event", "lidar"), DELIVER
    ),
    "mcubes": RealDataset("mcubes", "MCubeS", MCUBES_CLASSES, MCUBES_MODALITIES, MCUBES),
}


def _spec(name: str) -> RealDataset:
    if name not in REAL_DATASETS:
        raise UnknownName("dataset", name, list(REAL_DATASETS))
    return REAL_DATASETS[name]


def resolve_root(name: str, data_root: str | Path | None) -> Path:
    """``data_root``, or the registered folder below ``$RL_DATA_DIR`` (raises if absent)."""
    if data_root is not None:
        return Path(data_root)
    return _spec(name).registered.locate()


def _conditions(name: str, condition: str | Sequence[str] | None) -> list[str] | None:
    if condition is None:
        return None
    names = condition.split(",") if isinstance(condition, str) else list(condition)
    names = [c.strip().lower() for c in names if c.strip()]
    if name != "deliver":
        raise BadInput(f"{_spec(name).title} has no weather conditions; leave out --condition")
    bad = [c for c in names if c not in DELIVER_CONDITIONS]
    if bad or not names:
        raise BadInput(f"DELIVER conditions are {', '.join(DELIVER_CONDITIONS)}; got {condition!r}")
    return names


def open_dataset(
    name: str,
    root: str | Path,
    split: str,
    modalities: Sequence[str] | None = None,
    condition: str | Sequence[str] | None = None,
) -> Dataset:
    """Open ``split`` of dataset ``name`` at ``root`` with ``modalities`` (default all).

    Args:
        name: ``"deliver"`` or ``"mcubes"``.
        root: the dataset's folder.
        split: ``"train"``, ``"val"`` or ``"test"``.
        modalities: modalities to load.
        condition: DELIVER only: one condition or a comma-separated list (default all).
    """
    spec = _spec(name)
    if split not in ("train", "val", "test"):
        raise BadInput(f"{spec.title} split must be train, val or test, got '{split}'")
    mods = tuple(modalities) if modalities is not None else spec.modalities
    conditions = _conditions(name, condition)
    if name == "deliver":
        return DeliverDataset(root, split, mods, conditions=conditions)
    return MCubeSDataset(root, split, mods)


def frame_channels(dataset: Dataset) -> dict[str, int]:
    """Modality -> channels, read from the first frame of ``dataset``."""
    inputs, _ = dataset[0]
    return {m: int(x.shape[0]) for m, x in inputs.items()}


class _EvalFrames(Dataset):
    """Frames with inputs resized (shorter side ``size``) and labels at full resolution."""

    def __init__(self, dataset: Dataset, size: int) -> None:
        self.dataset, self.size = dataset, size

    def __len__(self) -> int:
        return len(self.dataset)  # type: ignore[arg-type]

    def __getitem__(self, index: int) -> tuple[dict[str, Tensor], Tensor]:
        inputs, label = self.dataset[index]
        first = next(iter(inputs.values()))
        shape = resize_shorter_side(*first.shape[-2:], self.size, multiple=32)
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
    progress: Callable[[Iterable[Any], str], Iterable[Any]] | None = None,
) -> dict[str, Any]:
    """mIoU and per-class IoU of ``model`` on every frame of ``dataset`` (void left out).

    Args:
        model: a segmentation model (``Any2Seg``, ``EarlyFusionUnet``).
        dataset: frames ``({modality: (C, H, W)}, label (H, W))`` (255 = void).
        modalities: the modalities given to the model.
        classes: class names in label order.
        size: shorter side of the model's input.
        num_workers: DataLoader workers reading frames.
        progress: wraps the frame loop, e.g. a tqdm factory.
    """
    model.eval()
    meter = SegmentationMeter(len(classes), ignore_index=IGNORE_INDEX)
    loader: Iterable[Any] = DataLoader(
        _EvalFrames(dataset, size),
        batch_size=1,  # frames may differ in size; labels stay at full resolution
        num_workers=num_workers,
        generator=torch.Generator(),
    )
    if progress is not None:
        loader = progress(loader, "evaluate")
    frames = 0
    for inputs, label in loader:
        out = model({m: inputs[m] for m in modalities}, embeddings=False)
        logits = out.logits if hasattr(out, "logits") else out
        logits = F.interpolate(logits, size=label.shape[-2:], mode="bilinear", align_corners=False)
        meter.update(logits.argmax(dim=1), label)
        frames += 1
    per_class = meter.per_class_iou().tolist()
    return {"miou": meter.miou(), "per_class_iou": dict(zip(classes, per_class)), "frames": frames}

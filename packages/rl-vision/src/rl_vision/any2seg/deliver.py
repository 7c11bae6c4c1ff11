"""Loader of DELIVER: RGB, depth, event and LiDAR frames with 25 classes.

DELIVER has weather conditions and sensor failures; folder layout as released with CMNeXt::

    DELIVER/
      img/{split}/{condition}/{scene...}/<frame>_rgb_front.png
      depth/{split}/{condition}/.../<frame>_depth_front.png
      event/{split}/{condition}/.../<frame>_event_front.png
      lidar/{split}/{condition}/.../<frame>_lidar_front.png
      semantic/{split}/{condition}/.../<frame>_semantic_front.png

``split`` is train, val or test; ``condition`` one of cloud, fog, night, rain, sun. The
semantic PNG's first channel holds ``class id + 1`` with 0 (and 255) for void; the
loader returns ``class id`` with void as 255 (:data:`IGNORE_INDEX`), as CMNeXt does.
Frames of DELIVER's sensor-failure cases are picked with ``case`` (a substring of the
file path, e.g. ``"MB"``, ``"OE"``, ``"UE"``, ``"LJ"``, ``"EL"``).

References:
    Zhang et al., "Delivering Arbitrary-Modal Semantic Segmentation", CVPR 2023,
    arXiv:2303.01480.

Example:
    >>> DELIVER_CLASSES[:3], len(DELIVER_CLASSES), DELIVER_CONDITIONS[0]
    (('Building', 'Fence', 'Other'), 25, 'cloud')
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import Dataset

from rl_shared.errors import BadInput, DatasetNotFound, MalformedFile, UnknownName
from rl_vision.any2seg.files import read_image
from rl_vision.any2seg.losses import IGNORE_INDEX

__all__ = ["DELIVER_CLASSES", "DELIVER_CONDITIONS", "DELIVER_MODALITIES", "DeliverDataset"]

DELIVER_CLASSES: tuple[str, ...] = (
    "Building", "Fence", "Other", "Pedestrian", "Pole", "RoadLine", "Road", "SideWalk",
    "Vegetation", "Cars", "Wall", "TrafficSign", "Sky", "Ground", "Bridge", "RailTrack",
    "GroundRail", "TrafficLight", "Static", "Dynamic", "Water", "Terrain", "TwoWheeler",
    "Bus", "Truck",
)  # fmt: skip
#: modality -> (folder, file suffix replacing "_rgb", channels)
DELIVER_MODALITIES: dict[str, tuple[str, str, int]] = {
    "rgb": ("img", "_rgb", 3),
    "depth": ("depth", "_depth", 3),
    "event": ("event", "_event", 3),
    "lidar": ("lidar", "_lidar", 3),
}

DELIVER_CONDITIONS: tuple[str, ...] = ("cloud", "fog", "night", "rain", "sun")


class DeliverDataset(Dataset):
    """DELIVER frames as ``({modality: (C, H, W) float in [0, 1]}, label (H, W) int64)``.

    Args:
        root: the DELIVER folder.
        split: ``"train"``, ``"val"`` or ``"test"``.
        modalities: which of rgb, depth, event, lidar to load.
        conditions: only these condition folders (default all).
        case: keep only frames whose path contains this substring (sensor-failure cases).

    Raises:
        BadInput: an unknown split, or no modality.
        UnknownName: an unknown modality.
        DatasetNotFound: no ``img/{split}`` folder, or no frame matches.
        MalformedFile: a frame lacks the file of a modality asked for or its label (checked
            for every frame before any is read); per item, a file that is not a readable image.

    Shapes:
        each item: inputs ``{modality: (3, H, W)}``, label ``(H, W)`` (255 void).

    Example:
        >>> import tempfile
        >>> from PIL import Image
        >>> root = Path(tempfile.mkdtemp())
        >>> for folder, suffix, value in [("img", "rgb", 255), ("semantic", "semantic", 3)]:
        ...     (root / folder / "train" / "rain" / "MB").mkdir(parents=True)
        ...     Image.fromarray(np.full((4, 6, 3), value, np.uint8)).save(
        ...         root / folder / "train" / "rain" / "MB" / f"7_{suffix}_front.png")
        >>> ds = DeliverDataset(root, "train", ["rgb"], case="MB")
        >>> inputs, label = ds[0]
        >>> len(ds), float(inputs["rgb"].max()), DELIVER_CLASSES[int(label[0, 0])]
        (1, 1.0, 'Other')
        >>> ds.path_of(0, "semantic").name
        '7_semantic_front.png'
    """

    def __init__(
        self,
        root: str | Path,
        split: str = "train",
        modalities: Sequence[str] = ("rgb", "depth", "event", "lidar"),
        conditions: Sequence[str] | None = None,
        case: str | None = None,
    ) -> None:
        self.root = Path(root)
        if split not in ("train", "val", "test"):
            raise BadInput(f"DELIVER split must be train, val or test, got '{split}'")
        bad = [m for m in modalities if m not in DELIVER_MODALITIES]
        if bad:
            raise UnknownName("DELIVER modality name", bad[0], list(DELIVER_MODALITIES))
        if not modalities:
            raise BadInput(f"give at least one DELIVER modality of {', '.join(DELIVER_MODALITIES)}")
        folder = self.root / "img" / split
        if not folder.is_dir():
            raise DatasetNotFound(
                "deliver",
                self.root,
                f"expected img/{split}/<condition>/.../*_rgb_front.png below it",
            )
        files = sorted(folder.rglob("*_rgb*.png"))
        if conditions is not None:
            files = [f for f in files if f.relative_to(folder).parts[0] in set(conditions)]
        if case is not None:
            files = [f for f in files if case in str(f.relative_to(folder))]
        if not files:
            raise DatasetNotFound(
                "deliver", folder, "no *_rgb*.png frames match the split/conditions/case"
            )
        self.files = files
        self.modalities = tuple(modalities)
        for index in range(len(files)):  # every frame complete before any is read
            for m in (*self.modalities, "semantic"):
                path = self.path_of(index, m)
                if not path.is_file():
                    what = "label" if m == "semantic" else f"{m} frame"
                    raise MalformedFile(path, None, f"missing (the {what} of {files[index].name})")

    def __len__(self) -> int:
        return len(self.files)

    def path_of(self, index: int, modality: str) -> Path:
        """Path of ``modality`` (or ``"semantic"``) for frame ``index``."""
        rgb = self.files[index]
        rel = rgb.relative_to(self.root / "img")
        folder, suffix = (
            ("semantic", "_semantic")
            if modality == "semantic"
            else DELIVER_MODALITIES[modality][:2]
        )
        return self.root / folder / rel.parent / rgb.name.replace("_rgb", suffix)

    def __getitem__(self, index: int) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        inputs = {}
        for m in self.modalities:
            path = self.path_of(index, m)
            if not path.is_file():
                raise MalformedFile(
                    path, None, f"missing (the {m} frame of {self.files[index].name})"
                )
            arr = read_image(path, channels=DELIVER_MODALITIES[m][2])
            scale = 65535.0 if arr.dtype == np.uint16 else 255.0
            inputs[m] = torch.from_numpy(arr.astype(np.float32) / scale)
        lbl_path = self.path_of(index, "semantic")
        if not lbl_path.is_file():
            raise MalformedFile(lbl_path, None, f"missing (the label of {self.files[index].name})")
        raw = read_image(lbl_path)[0].astype(np.int64)
        label = np.where((raw == 0) | (raw == 255), IGNORE_INDEX, raw - 1)
        if (label[label != IGNORE_INDEX] >= len(DELIVER_CLASSES)).any():
            raise MalformedFile(lbl_path, None, f"has class ids above {len(DELIVER_CLASSES)}")
        return inputs, torch.from_numpy(label)

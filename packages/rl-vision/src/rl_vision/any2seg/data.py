"""Loaders of the real multi-modal segmentation datasets Any2Seg reads: DELIVER and MCubeS.

**DELIVER** (RGB, depth, event, LiDAR; 25 classes; weather conditions and sensor failures),
folder layout as released with CMNeXt::

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

**MCubeS** (RGB, AoLP, DoLP, NIR; 20 material classes), layout as used by MCubeSNet,
CMNeXt and MMSFormer::

    MCubeS/
      polL_color/<name>.png        RGB
      polL_aolp_sin/<name>.npy     angle of linear polarisation, sin and cos
      polL_aolp_cos/<name>.npy     (or a single polL_aolp/<name>.npy)
      polL_dolp/<name>.npy         degree of linear polarisation
      NIR_warped/<name>.png        near infrared, warped onto the RGB view
      NIR_warped_mask/<name>.png   optional: 0 where the warp has no NIR (label ignored)
      GT/<name>.png                class ids 0..19, 255 void
      list_folder/{train,val,test}.txt   one <name> per line

:data:`REAL_DATASETS` names both with their class names and modalities;
:func:`resolve_data` turns a ``--data`` value (``generated``, ``deliver[:split]``,
``mcubes[:split]``, or a folder holding either tree, optionally ``FOLDER:split``) into
what to open, and :func:`open_dataset` opens a split. Channel counts are read from the
first frame (:func:`frame_channels`): 3 for each DELIVER modality; for MCubeS 3 (RGB), 2
(AoLP as sin and cos, or 1 if stored as the raw angle), 1 (DoLP) and 1 (NIR).

References:
    Zhang et al., "Delivering Arbitrary-Modal Semantic Segmentation", CVPR 2023,
    arXiv:2303.01480.
    Liang et al., "Multimodal Material Segmentation", CVPR 2022.

Example:
    >>> DELIVER_CLASSES[:3], len(DELIVER_CLASSES), len(MCUBES_CLASSES), MCUBES_CLASSES[0]
    (('Building', 'Fence', 'Other'), 25, 20, 'asphalt')
    >>> REAL_DATASETS["deliver"].modalities
    ('rgb', 'depth', 'event', 'lidar')
    >>> resolve_data("generated", "test")
    DataSpec(kind='generated', root=None, split=None)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError
from torch.utils.data import Dataset

from rl_shared.data import Dataset as RegisteredDataset
from rl_shared.errors import BadInput, DatasetNotFound, MalformedFile, UnknownName
from rl_vision.any2seg.datasets import DELIVER, MCUBES
from rl_vision.any2seg.losses import IGNORE_INDEX

__all__ = [
    "DATA_KINDS",
    "DELIVER_CLASSES",
    "DELIVER_CONDITIONS",
    "DELIVER_MODALITIES",
    "IGNORE_INDEX",
    "MCUBES_CLASSES",
    "MCUBES_MODALITIES",
    "REAL_DATASETS",
    "SPLITS",
    "DataSpec",
    "DeliverDataset",
    "MCubeSDataset",
    "RealDataset",
    "frame_channels",
    "open_dataset",
    "read_array",
    "read_image",
    "resolve_data",
]


def read_image(path: Path, *, channels: int | None = None) -> np.ndarray:
    """Read a PNG/JPEG as ``(C, H, W)`` uint8/uint16 array (alpha dropped; gray repeated if asked)."""
    try:
        with Image.open(path) as img:
            arr = np.asarray(img)
    except (OSError, UnidentifiedImageError) as err:
        raise MalformedFile(path, None, f"not a readable image ({err})") from None
    arr = arr[None] if arr.ndim == 2 else arr.transpose(2, 0, 1)
    if arr.shape[0] == 4:
        arr = arr[:3]
    if channels is not None and arr.shape[0] != channels:
        if arr.shape[0] == 1:
            arr = np.repeat(arr, channels, axis=0)
        elif channels == 1:
            arr = arr[:1]
        else:
            raise MalformedFile(path, None, f"has {arr.shape[0]} channels, expected {channels}")
    return arr


def read_array(path: Path) -> np.ndarray:
    """Read a ``.npy`` array as float32 ``(C, H, W)`` (no pickles)."""
    try:
        arr = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as err:
        raise MalformedFile(path, None, f"not a readable .npy array ({err})") from None
    arr = np.asarray(arr, dtype=np.float32)
    return (
        arr[None]
        if arr.ndim == 2
        else arr.transpose(2, 0, 1)
        if arr.shape[-1] <= 4 and arr.ndim == 3
        else arr
    )


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


class DeliverDataset(Dataset):
    """DELIVER frames as ``({modality: (C, H, W) float in [0, 1]}, label (H, W) int64)``.

    Args:
        root: the DELIVER folder.
        split: ``"train"``, ``"val"`` or ``"test"``.
        modalities: which of rgb, depth, event, lidar to load.
        conditions: only these condition folders (default all).
        case: keep only frames whose path contains this substring (sensor-failure cases).
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
        if bad or not modalities:
            raise BadInput(
                f"DELIVER modalities are {', '.join(DELIVER_MODALITIES)}; got {list(modalities)}"
            )
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


MCUBES_CLASSES: tuple[str, ...] = (
    "asphalt", "concrete", "metal", "road_marking", "fabric", "glass", "plaster", "plastic",
    "rubber", "sand", "gravel", "ceramic", "cobblestone", "brick", "grass", "wood", "leaf",
    "water", "human", "sky",
)  # fmt: skip
MCUBES_MODALITIES: tuple[str, ...] = ("rgb", "aolp", "dolp", "nir")


class MCubeSDataset(Dataset):
    """MCubeS frames as ``({modality: (C, H, W) float}, label (H, W) int64)``.

    RGB and NIR are scaled to [0, 1]; AoLP is ``(sin, cos)`` (2 channels) or the raw angle
    (1 channel) as stored; DoLP is as stored. Pixels outside ``NIR_warped_mask`` are void.

    Args:
        root: the MCubeS folder.
        split: ``"train"``, ``"val"`` or ``"test"`` (read from ``list_folder/{split}.txt``).
        modalities: any of rgb, aolp, dolp, nir.
    """

    def __init__(
        self,
        root: str | Path,
        split: str = "train",
        modalities: Sequence[str] = MCUBES_MODALITIES,
    ) -> None:
        self.root = Path(root)
        bad = [m for m in modalities if m not in MCUBES_MODALITIES]
        if bad or not modalities:
            raise BadInput(
                f"MCubeS modalities are {', '.join(MCUBES_MODALITIES)}; got {list(modalities)}"
            )
        listing = self.root / "list_folder" / f"{split}.txt"
        if not listing.is_file():
            raise DatasetNotFound("mcubes", self.root, f"expected list_folder/{split}.txt below it")
        self.names = [
            ln.strip() for ln in listing.read_text(encoding="utf-8").splitlines() if ln.strip()
        ]
        if not self.names:
            raise MalformedFile(listing, None, "lists no frames")
        self.modalities = tuple(modalities)

    def __len__(self) -> int:
        return len(self.names)

    def _need(self, path: Path) -> Path:
        if not path.is_file():
            raise MalformedFile(path, None, "missing")
        return path

    def _load(self, name: str, modality: str) -> np.ndarray:
        r = self.root
        if modality == "rgb":
            return read_image(self._need(r / "polL_color" / f"{name}.png"), channels=3) / 255.0
        if modality == "nir":
            return read_image(self._need(r / "NIR_warped" / f"{name}.png"), channels=1) / 255.0
        if modality == "dolp":
            return read_array(self._need(r / "polL_dolp" / f"{name}.npy"))
        sin, cos = r / "polL_aolp_sin" / f"{name}.npy", r / "polL_aolp_cos" / f"{name}.npy"
        if sin.is_file() and cos.is_file():
            return np.concatenate([read_array(sin), read_array(cos)])
        return read_array(self._need(r / "polL_aolp" / f"{name}.npy"))

    def __getitem__(self, index: int) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        name = self.names[index]
        inputs = {
            m: torch.from_numpy(np.ascontiguousarray(self._load(name, m), dtype=np.float32))
            for m in self.modalities
        }
        label = read_image(self._need(self.root / "GT" / f"{name}.png"))[0].astype(np.int64)
        mask = self.root / "NIR_warped_mask" / f"{name}.png"
        if mask.is_file():
            label[read_image(mask)[0] == 0] = IGNORE_INDEX
        bad = (label != IGNORE_INDEX) & (label >= len(MCUBES_CLASSES))
        if bad.any():
            raise MalformedFile(
                self.root / "GT" / f"{name}.png",
                None,
                f"has class ids above {len(MCUBES_CLASSES) - 1}",
            )
        shapes = {tuple(t.shape[-2:]) for t in inputs.values()} | {label.shape}
        if len(shapes) != 1:
            raise MalformedFile(
                self.root / "list_folder",
                None,
                f"the modalities of frame '{name}' differ in size: {sorted(shapes)}",
            )
        return inputs, torch.from_numpy(label)


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


SPLITS: tuple[str, ...] = ("train", "val", "test")
#: what ``--data`` may name: generated scenes or a real dataset
DATA_KINDS: tuple[str, ...] = ("generated", *REAL_DATASETS)


@dataclass(frozen=True)
class DataSpec:
    """What a ``--data`` value names: the kind, the dataset's folder and the split.

    ``kind`` is ``"generated"`` (``root`` and ``split`` are ``None``), ``"deliver"`` or
    ``"mcubes"``.
    """

    kind: str
    root: Path | None
    split: str | None


def _detect(root: Path) -> str:
    if (root / "img").is_dir() and (root / "semantic").is_dir():
        return "deliver"
    if (root / "list_folder").is_dir() and (root / "GT").is_dir():
        return "mcubes"
    raise BadInput(
        f"{root} holds neither a DELIVER tree (img/, semantic/) nor an MCubeS tree "
        "(list_folder/, GT/); give the dataset's top folder"
    )


def resolve_data(value: str, default_split: str = "train") -> DataSpec:
    """Resolve a ``--data`` value into a :class:`DataSpec`.

    Args:
        value: ``generated``; ``deliver[:split]`` or ``mcubes[:split]`` (the registered
            folder below ``$RL_DATA_DIR/vision/``); or a folder holding a DELIVER or MCubeS
            tree, optionally followed by ``:split``.
        default_split: the split when ``value`` names none.

    Raises:
        BadInput: an unknown split, or a folder that holds neither dataset.
        DatasetNotFound: a registered dataset that is not below the data directory.
    """
    text = value.strip()
    if text == "generated":
        return DataSpec("generated", None, None)
    path, split = Path(text), default_split
    if not path.exists():
        head, sep, tail = text.rpartition(":")
        if sep and tail in SPLITS:
            path, split = Path(head), tail
        elif sep and (head in REAL_DATASETS or Path(head).is_dir()):
            raise BadInput(f"unknown split '{tail}' in --data {value}; use train, val or test")
    if path.is_dir():
        return DataSpec(_detect(path), path, split)
    name = str(path)
    if name == "generated":
        raise BadInput("generated scenes have no splits; give --data generated")
    if name in REAL_DATASETS:
        return DataSpec(name, _spec(name).registered.locate(), split)
    raise BadInput(
        f"--data {value} is neither generated, deliver[:split], mcubes[:split] nor an existing "
        "folder"
    )

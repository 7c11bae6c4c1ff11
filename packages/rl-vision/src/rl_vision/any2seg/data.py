"""The real datasets Any2Seg reads, DELIVER and MCubeS, and what a ``--data`` value names.

The readers are :class:`~rl_vision.any2seg.deliver.DeliverDataset` and
:class:`~rl_vision.any2seg.mcubes.MCubeSDataset` (folder layouts there).
:data:`REAL_DATASETS` names both with their class names and modalities;
:func:`resolve_data` turns a ``--data`` value (``generated``, ``deliver[:split]``,
``mcubes[:split]``, or a folder holding either tree, optionally ``FOLDER:split``) into
what to open, and :func:`open_dataset` opens a split. Channel counts are read from the
first frame (:func:`frame_channels`): 3 for each DELIVER modality; for MCubeS 3 (RGB), 2
(AoLP as sin and cos, or 1 if stored as the raw angle), 1 (DoLP) and 1 (NIR).

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation from Any
    Modalities", ECCV 2024. https://arxiv.org/abs/2407.11351
    Zhang et al., "Delivering Arbitrary-Modal Semantic Segmentation", CVPR 2023 (DELIVER).
    https://arxiv.org/abs/2303.01480
    Liang et al., "Multimodal Material Segmentation", CVPR 2022 (MCubeS).

Example:
    >>> REAL_DATASETS["deliver"].modalities
    ('rgb', 'depth', 'event', 'lidar')
    >>> resolve_data("generated", "test")
    DataSpec(kind='generated', root=None, split=None)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from torch.utils.data import Dataset

from rl_shared.data import Dataset as RegisteredDataset
from rl_shared.errors import BadInput, UnknownName
from rl_vision.any2seg.datasets import DELIVER, MCUBES
from rl_vision.any2seg.deliver import DELIVER_CLASSES, DELIVER_CONDITIONS, DeliverDataset
from rl_vision.any2seg.mcubes import MCUBES_CLASSES, MCUBES_MODALITIES, MCubeSDataset

__all__ = [
    "DATA_KINDS",
    "REAL_DATASETS",
    "SPLITS",
    "DataSpec",
    "RealDataset",
    "frame_channels",
    "open_dataset",
    "resolve_data",
]


@dataclass(frozen=True)
class RealDataset:
    """A real dataset Any2Seg can train on: its names, classes, modalities and registry entry.

    Attributes:
        name: the short name ``--data`` uses (``"deliver"``, ``"mcubes"``).
        title: the dataset's name as printed.
        classes: class names, in label order.
        modalities: the modalities the dataset stores.
        registered: its entry in the shared dataset registry (where it lives on disk).

    Example:
        >>> mc = REAL_DATASETS["mcubes"]
        >>> mc.title, len(mc.classes), mc.modalities
        ('MCubeS', 20, ('rgb', 'aolp', 'dolp', 'nir'))
    """

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
    if bad:
        raise UnknownName("DELIVER condition", bad[0], list(DELIVER_CONDITIONS))
    if not names:
        raise BadInput(
            f"give a DELIVER condition of {', '.join(DELIVER_CONDITIONS)}; got {condition!r}"
        )
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

    Raises:
        UnknownName: an unknown dataset name, modality or DELIVER condition.
        BadInput: an unknown split, or a condition for MCubeS.
        MalformedFile: a listing that cannot be read, or a frame whose files are not all
            there (see the dataset classes).

    Example:
        >>> import tempfile
        >>> import numpy as np
        >>> from PIL import Image
        >>> root = Path(tempfile.mkdtemp())
        >>> for folder, suffix in [("img", "rgb"), ("depth", "depth"), ("semantic", "semantic")]:
        ...     (root / folder / "val" / "fog" / "s0").mkdir(parents=True)
        ...     Image.fromarray(np.ones((4, 6, 3), np.uint8)).save(
        ...         root / folder / "val" / "fog" / "s0" / f"0_{suffix}_front.png")
        >>> ds = open_dataset("deliver", root, "val", ["rgb", "depth"], condition="fog")
        >>> inputs, label = ds[0]
        >>> len(ds), {m: tuple(x.shape) for m, x in inputs.items()}, tuple(label.shape)
        (1, {'rgb': (3, 4, 6), 'depth': (3, 4, 6)}, (4, 6))
        >>> frame_channels(ds)
        {'rgb': 3, 'depth': 3}
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
    """Modality -> channels, read from the first frame of ``dataset``.

    Args:
        dataset: a dataset whose items are ``({modality: (C, H, W)}, label)``.

    Example:
        >>> import torch
        >>> frame_channels([({"rgb": torch.zeros(3, 2, 2), "nir": torch.zeros(1, 2, 2)}, None)])
        {'rgb': 3, 'nir': 1}
    """
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

    Attributes:
        kind: what to train or evaluate on.
        root: the dataset's folder (``None`` for generated scenes).
        split: the split to open (``None`` for generated scenes).

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> (root / "list_folder").mkdir(); (root / "GT").mkdir()
        >>> spec = resolve_data(f"{root}:val")
        >>> spec.kind, spec.root == root, spec.split
        ('mcubes', True, 'val')
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

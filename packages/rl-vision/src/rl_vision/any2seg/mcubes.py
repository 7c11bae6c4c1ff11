"""Loader of MCubeS (RGB, AoLP, DoLP, NIR; 20 material classes).

Folder layout as used by MCubeSNet, CMNeXt and MMSFormer::

    MCubeS/
      polL_color/<name>.png        RGB
      polL_aolp_sin/<name>.npy     angle of linear polarisation, sin and cos
      polL_aolp_cos/<name>.npy     (or a single polL_aolp/<name>.npy)
      polL_dolp/<name>.npy         degree of linear polarisation
      NIR_warped/<name>.png        near infrared, warped onto the RGB view
      NIR_warped_mask/<name>.png   optional: 0 where the warp has no NIR (label ignored)
      GT/<name>.png                class ids 0..19, 255 void
      list_folder/{train,val,test}.txt   one <name> per line

Channels: 3 (RGB), 2 (AoLP as sin and cos, or 1 if stored as the raw angle), 1 (DoLP)
and 1 (NIR).

References:
    Liang et al., "Multimodal Material Segmentation", CVPR 2022.

Example:
    >>> len(MCUBES_CLASSES), MCUBES_CLASSES[0], MCUBES_MODALITIES
    (20, 'asphalt', ('rgb', 'aolp', 'dolp', 'nir'))
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import Dataset

from rl_shared.errors import BadInput, DatasetNotFound, MalformedFile, UnknownName
from rl_shared.io import iter_lines
from rl_vision.any2seg.files import read_array, read_image
from rl_vision.any2seg.losses import IGNORE_INDEX

__all__ = ["MCUBES_CLASSES", "MCUBES_MODALITIES", "MCubeSDataset", "read_listing"]

MCUBES_CLASSES: tuple[str, ...] = (
    "asphalt", "concrete", "metal", "road_marking", "fabric", "glass", "plaster", "plastic",
    "rubber", "sand", "gravel", "ceramic", "cobblestone", "brick", "grass", "wood", "leaf",
    "water", "human", "sky",
)  # fmt: skip
MCUBES_MODALITIES: tuple[str, ...] = ("rgb", "aolp", "dolp", "nir")


def read_listing(path: str | Path) -> list[tuple[int, str]]:
    """The frame names of an MCubeS split listing, one a line, with their line numbers.

    Blank lines are skipped; surrounding spaces are dropped.

    Args:
        path: a ``list_folder/{split}.txt`` file.

    Raises:
        MalformedFile: not UTF-8 (the line is named), a folder, no frame listed, or a name
            that is a path (holds ``/`` or ``\\``).
        BadInput: the file does not exist.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "test.txt"
        >>> _ = path.write_text("f0\\n\\n f1 \\n")
        >>> read_listing(path)
        [(1, 'f0'), (3, 'f1')]
    """
    path = Path(path)
    out = []
    for number, raw in enumerate(iter_lines(path), start=1):
        name = raw.strip()
        if not name:
            continue
        if "/" in name or "\\" in name or name in (".", ".."):
            raise MalformedFile(path, number, f"'{name}' is not a frame name (it is a path)")
        out.append((number, name))
    if not out:
        raise MalformedFile(path, None, "lists no frames")
    return out


class MCubeSDataset(Dataset):
    """MCubeS frames as ``({modality: (C, H, W) float}, label (H, W) int64)``.

    RGB and NIR are scaled to [0, 1]; AoLP is ``(sin, cos)`` (2 channels) or the raw angle
    (1 channel) as stored; DoLP is as stored. Pixels outside ``NIR_warped_mask`` are void.

    Args:
        root: the MCubeS folder.
        split: ``"train"``, ``"val"`` or ``"test"`` (read from ``list_folder/{split}.txt``).
        modalities: any of rgb, aolp, dolp, nir.

    Raises:
        UnknownName: an unknown modality.
        BadInput: no modality.
        DatasetNotFound: no ``list_folder/{split}.txt``.
        MalformedFile: a listing that is not UTF-8, empty, or names a frame whose files
            (the modalities asked for, the label) are not all there (its line is named);
            per item, a file that is not a readable image or array, or inconsistent.

    Shapes:
        each item: inputs ``{modality: (C, H, W)}``, label ``(H, W)`` (255 void).

    Example:
        >>> import tempfile
        >>> from PIL import Image
        >>> root = Path(tempfile.mkdtemp())
        >>> for d in ("list_folder", "polL_color", "polL_dolp", "GT"):
        ...     (root / d).mkdir()
        >>> _ = (root / "list_folder" / "test.txt").write_text("f0")
        >>> Image.fromarray(np.zeros((4, 6, 3), np.uint8)).save(root / "polL_color" / "f0.png")
        >>> np.save(root / "polL_dolp" / "f0.npy", np.full((4, 6), 0.5))
        >>> Image.fromarray(np.full((4, 6), 19, np.uint8)).save(root / "GT" / "f0.png")
        >>> inputs, label = MCubeSDataset(root, "test", ["rgb", "dolp"])[0]
        >>> {m: tuple(x.shape) for m, x in inputs.items()}, MCUBES_CLASSES[int(label[0, 0])]
        ({'rgb': (3, 4, 6), 'dolp': (1, 4, 6)}, 'sky')
    """

    def __init__(
        self,
        root: str | Path,
        split: str = "train",
        modalities: Sequence[str] = MCUBES_MODALITIES,
    ) -> None:
        self.root = Path(root)
        bad = [m for m in modalities if m not in MCUBES_MODALITIES]
        if bad:
            raise UnknownName("MCubeS modality name", bad[0], list(MCUBES_MODALITIES))
        if not modalities:
            raise BadInput(f"give at least one MCubeS modality of {', '.join(MCUBES_MODALITIES)}")
        listing = self.root / "list_folder" / f"{split}.txt"
        if not listing.exists():
            raise DatasetNotFound("mcubes", self.root, f"expected list_folder/{split}.txt below it")
        self.modalities = tuple(modalities)
        self.names = []
        for line, name in read_listing(listing):
            missing = self._missing(name)
            if missing is not None:
                raise MalformedFile(
                    listing, line, f"frame '{name}' has no {missing.relative_to(self.root)}"
                )
            self.names.append(name)

    def __len__(self) -> int:
        return len(self.names)

    def _missing(self, name: str) -> Path | None:
        """The first file frame ``name`` needs (its modalities, its label) that is not there."""
        r = self.root
        need = [r / "GT" / f"{name}.png"]
        for m in self.modalities:
            if m == "rgb":
                need.append(r / "polL_color" / f"{name}.png")
            elif m == "nir":
                need.append(r / "NIR_warped" / f"{name}.png")
            elif m == "dolp":
                need.append(r / "polL_dolp" / f"{name}.npy")
            else:
                sin, cos = r / "polL_aolp_sin" / f"{name}.npy", r / "polL_aolp_cos" / f"{name}.npy"
                if not (sin.is_file() and cos.is_file()):
                    need.append(r / "polL_aolp" / f"{name}.npy")
        return next((path for path in need if not path.is_file()), None)

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

"""The user files Any2Seg's commands read, registered in :mod:`rl_shared.formats`.

* ``any2seg-model``: a model folder written by ``rl vision any2seg train``
  (:func:`~rl_vision.any2seg.model_folder.save_model`), read by ``evaluate --model``; its
  text part is ``config.json`` (``model.safetensors`` is binary).
* ``any2seg-deliver``: a DELIVER tree (``img/``, ``depth/``, ``event/``, ``lidar/``,
  ``semantic/``; train and test splits). It is all PNG images: no text part.
* ``any2seg-mcubes-train`` / ``any2seg-mcubes-test``: an MCubeS tree (PNG and ``.npy``
  frames, ``list_folder/{train,test}.txt``); the text part is the listing of the split the
  command reads (``train`` reads the train split, ``evaluate`` the test split by default).

This module imports no torch (the ``rl --help`` listing stays light); the sample writers
import what they need when they run.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation from Any
    Modalities", ECCV 2024. https://arxiv.org/abs/2407.11351
    Zhang et al., "Delivering Arbitrary-Modal Semantic Segmentation", CVPR 2023 (DELIVER).
    Liang et al., "Multimodal Material Segmentation", CVPR 2022 (MCubeS).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from rl_shared.formats import get_format
    >>> root = get_format("any2seg-mcubes-test").write_sample(Path(tempfile.mkdtemp()))
    >>> sorted(p.name for p in (root / "list_folder").iterdir())
    ['test.txt', 'train.txt']
"""

from __future__ import annotations

from pathlib import Path

from rl_shared.formats import FileFormat, Lines, register_format

__all__: list[str] = []

#: side of the sample frames
_SIDE = 8


def _model_sample(folder: Path) -> Path:
    """A tiny random-init early-fusion model (generated scenes), saved by ``save_model``."""
    from rl_vision.any2seg.config import TrainConfig, build_model
    from rl_vision.any2seg.model_folder import save_model

    cfg = TrainConfig(
        kind="early", steps=1, batch_size=1, num_scenes=2, size=32, depth=3,
        encoder="tu-mobilenetv3_small_050",
    )  # fmt: skip
    return save_model(build_model(cfg), cfg, folder / "model")


def _png(path: Path, array: object) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path)  # type: ignore[arg-type]


def _deliver_sample(folder: Path) -> Path:
    """Two frames a split (train, test) of every DELIVER modality, with labels."""
    import numpy as np

    rng = np.random.default_rng(0)
    root = folder / "DELIVER"
    for split in ("train", "test"):
        for frame in ("000001", "000002"):
            rel = f"{split}/fog/MAP_1_point1/{frame}"
            for sub, suffix in (("img", "rgb"), ("depth", "depth"), ("event", "event"),
                                ("lidar", "lidar")):  # fmt: skip
                pixels = rng.integers(0, 256, (_SIDE, _SIDE, 3), dtype=np.uint8)
                _png(root / sub / f"{rel}_{suffix}_front.png", pixels)
            label = np.zeros((_SIDE, _SIDE, 3), np.uint8)
            label[..., 0] = rng.integers(0, 26, (_SIDE, _SIDE))  # 0 void, 1..25 the classes
            _png(root / "semantic" / f"{rel}_semantic_front.png", label)
    return root


def _mcubes_sample(folder: Path) -> Path:
    """Two frames a split (train, test) of every MCubeS modality, labels and the listings."""
    import numpy as np

    rng = np.random.default_rng(0)
    root = folder / "MCubeS"
    (root / "list_folder").mkdir(parents=True)
    for split in ("train", "test"):
        names = [f"{split}scene_000{i}" for i in (1, 2)]
        for name in names:
            _png(root / "polL_color" / f"{name}.png",
                 rng.integers(0, 256, (_SIDE, _SIDE, 3), dtype=np.uint8))  # fmt: skip
            _png(root / "NIR_warped" / f"{name}.png",
                 rng.integers(0, 256, (_SIDE, _SIDE), dtype=np.uint8))  # fmt: skip
            for sub in ("polL_aolp_sin", "polL_aolp_cos", "polL_dolp"):
                (root / sub).mkdir(exist_ok=True)
                np.save(root / sub / f"{name}.npy", rng.random((_SIDE, _SIDE), dtype=np.float32))
            _png(root / "GT" / f"{name}.png", rng.integers(0, 20, (_SIDE, _SIDE), dtype=np.uint8))
        (root / "list_folder" / f"{split}.txt").write_text("\n".join(names) + "\n")
    return root


MODEL = register_format(
    FileFormat(
        "any2seg-model",
        "an Any2Seg model folder (config.json, model.safetensors) from `rl vision any2seg train`",
        _model_sample,
        (Lines("config.json"),),
    )
)
DELIVER = register_format(
    FileFormat(
        "any2seg-deliver",
        "a DELIVER folder: img/, depth/, event/, lidar/, semantic/ PNG frames per split",
        _deliver_sample,
    )
)
MCUBES_TRAIN = register_format(
    FileFormat(
        "any2seg-mcubes-train",
        "an MCubeS folder: PNG and .npy frames, GT/ labels, list_folder/train.txt",
        _mcubes_sample,
        (Lines("list_folder/train.txt"),),
    )
)
MCUBES_TEST = register_format(
    FileFormat(
        "any2seg-mcubes-test",
        "an MCubeS folder: PNG and .npy frames, GT/ labels, list_folder/test.txt",
        _mcubes_sample,
        (Lines("list_folder/test.txt"),),
    )
)

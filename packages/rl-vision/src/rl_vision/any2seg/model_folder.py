"""Any2Seg model folders: :func:`save_model` and :func:`load_model`.

A trained model is a folder written by :func:`rl_shared.artifacts.save_model` (kind
``vision.any2seg``; ``config.json`` holds the
:class:`~rl_vision.any2seg.config.TrainConfig` and the width of the LSCD embeddings):
:func:`~rl_vision.any2seg.train.train` with ``out_dir`` writes it to ``out_dir/model``,
:func:`load_model` reads it back from that folder or the run folder above it.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation from Any
    Modalities", ECCV 2024. https://arxiv.org/abs/2407.11351
"""

from __future__ import annotations

from pathlib import Path

from torch import nn

from rl_shared.artifacts import CONFIG
from rl_shared.artifacts import load_model as load_artifact
from rl_shared.artifacts import save_model as save_artifact
from rl_shared.errors import BadInput, MalformedFile, ShapeMismatch
from rl_vision.any2seg.config import TrainConfig, _jsonable, build_model
from rl_vision.core.encoders import check_encoder
from rl_vision.core.model_folders import check_finite_weights, find_model_folder, reason

__all__ = ["CITATION", "KIND", "load_model", "save_model"]

#: the artifact kind of a saved Any2Seg (or baseline, or teacher) model folder
KIND = "vision.any2seg"

CITATION = """@inproceedings{zheng2024any2seg,
  title     = {Learning Modality-agnostic Representation for Semantic Segmentation from Any Modalities},
  author    = {Zheng, Xu and Lyu, Yuanhuiyi and Wang, Lin},
  booktitle = {European Conference on Computer Vision (ECCV)},
  year      = {2024},
  eprint    = {2407.11351},
  archivePrefix = {arXiv}
}"""


def save_model(
    model: nn.Module, config: TrainConfig, folder: str | Path, *, text_dim: int = 384
) -> Path:
    """Write ``model`` and its ``config`` as a model folder (:func:`rl_shared.artifacts.save_model`).

    Args:
        model: a model :func:`build_model` made for ``config``.
        config: its configuration (saved in ``config.json``).
        folder: the model folder (replaced atomically if it exists).
        text_dim: width of the LSCD embeddings (the text model's width).

    Example:
        >>> import tempfile
        >>> cfg = TrainConfig(kind="early", steps=1, batch_size=2, num_scenes=2, depth=3)
        >>> folder = save_model(build_model(cfg), cfg, tempfile.mkdtemp() + "/model")
        >>> load_model(folder)[1] == cfg
        True
    """
    summary = (
        f"A {config.kind} segmentation model ({', '.join(config.modalities)}; "
        f"{len(config.classes)} classes, trained on {config.dataset} data) from rl-vision's "
        "Any2Seg (`rl vision any2seg train`)."
    )
    return save_artifact(
        folder,
        kind=KIND,
        config={**_jsonable(config), "text_dim": int(text_dim)},
        tensors=model,
        citation=CITATION,
        summary=summary,
    )


def load_model(path: str | Path) -> tuple[nn.Module, TrainConfig]:
    """Load a model folder of :func:`save_model`; ``path`` is the folder or the run folder above it.

    Args:
        path: the model folder, or a run folder holding ``model/config.json``.

    Returns:
        The model (in eval mode, weights loaded) and its configuration.

    Raises:
        ModelNotFound: no model is there.
        BadInput: the folder holds another kind of model, or weights that do not fit it.
        MalformedFile: ``config.json`` is not UTF-8 JSON, a folder, or no Any2Seg
            configuration (unknown keys or values, an encoder smp cannot build); the weights
            file is missing or holds NaN / infinity.

    Example:
        >>> import tempfile
        >>> cfg = TrainConfig(kind="early", modalities=("depth",), num_scenes=8, depth=3)
        >>> run = Path(tempfile.mkdtemp())
        >>> _ = save_model(build_model(cfg), cfg, run / "model")
        >>> model, loaded = load_model(run)  # the run folder above the model folder
        >>> type(model).__name__, loaded.modalities, model.training
        ('EarlyFusionUnet', ('depth',), False)
    """
    run = Path(path)
    folder = find_model_folder(run, "`rl vision any2seg train --out {run}`")
    art = load_artifact(folder, kind=KIND)
    config_path = folder / CONFIG
    try:
        saved = dict(art.config)
        text_dim = int(saved.pop("text_dim", 384))
        config = TrainConfig(**saved)
        check_encoder(config.encoder)
    except (TypeError, ValueError, KeyError, AttributeError) as err:
        raise MalformedFile(
            config_path, None, f"not an Any2Seg configuration ({reason(err)})"
        ) from None
    if config.dataset not in ("generated", "deliver", "mcubes"):
        raise MalformedFile(config_path, None, f"unknown dataset '{config.dataset}'")
    check_finite_weights(folder, art.tensors)
    try:
        model = build_model(config, text_dim, art.tensors.get("text"))
    except (BadInput, ShapeMismatch) as err:
        raise MalformedFile(
            config_path, None, f"describes no model that can be built ({err})"
        ) from None
    art.load_into(model)
    return model.eval(), config

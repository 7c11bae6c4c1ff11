"""Configuration of an Any2Seg training run, and the untrained model it describes.

:class:`TrainConfig` names the kind of model (``teacher``, ``any2seg``, ``early``,
``single``), its modalities, fusion, LSCD weight, optimisation and data (generated scenes,
or the ``channels`` and ``classes`` of a real dataset); :func:`build_model` makes the
untrained model of a configuration. Training is in :mod:`rl_vision.any2seg.train`.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation from Any
    Modalities", ECCV 2024. https://arxiv.org/abs/2407.11351

Example:
    >>> cfg = TrainConfig(kind="early", num_scenes=8, depth=3)
    >>> type(build_model(cfg)).__name__, cfg.channels["rgb"], len(cfg.classes) > 1
    ('EarlyFusionUnet', 3, True)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import torch
from torch import nn

from rl_shared.errors import BadInput, RLError
from rl_vision.any2seg.baselines import EarlyFusionUnet
from rl_vision.any2seg.model import Any2Seg
from rl_vision.any2seg.teacher import TrainedTeacher
from rl_vision.core.encoders import check_encoder
from rl_vision.core.scenes.conditions import CONDITIONS
from rl_vision.core.scenes.dataset import MODALITIES
from rl_vision.core.scenes.layout import CLASSES

__all__ = ["TRAIN_CONDITIONS", "TrainConfig", "build_model"]

#: training mixes clean scenes (weight 4) with every condition (weight 1 each)
TRAIN_CONDITIONS: tuple[str, ...] = ("clean",) * 3 + CONDITIONS


@dataclass
class TrainConfig:
    """Hyper-parameters of one training run (saved beside the weights as JSON).

    Args:
        kind: ``"any2seg"``, ``"teacher"``, ``"early"`` or ``"single"``.
        modalities: modalities the model takes (one for ``"single"``).
        fusion: ``"mff"`` or ``"mean"`` (Any2Seg without MFF).
        lscd_weight: weight of LSCD (0 trains Any2Seg without LSCD).
        modality_dropout: draw a random non-empty subset of modalities each step.
        keep_probability: probability that a modality is kept by the dropout.
        steps, batch_size, lr: optimisation (AdamW, cosine schedule).
        size, num_scenes: training image size and number of training scenes (generated
            scenes, or the frames of the real training split).
        encoder, depth: smp encoder name and depth.
        shared_encoder: one modality-embedded encoder for all modalities, or one each.
        seed: seed of initialisation, data order and dropout.
        checkpoint_every: steps between checkpoints (0: only at the end).
        train_conditions: conditions of the generated training scenes (empty for real data).
        dataset: ``"generated"``, ``"deliver"`` or ``"mcubes"`` (what the model was trained on).
        channels: modality -> input channels (default: the generated scenes' channels).
        classes: class names, in label order (default: the generated scenes' classes).
    """

    kind: str = "any2seg"
    modalities: tuple[str, ...] = tuple(MODALITIES)
    fusion: str = "mff"
    lscd_weight: float = 1.0
    modality_dropout: bool = True
    keep_probability: float = 0.5
    steps: int = 400
    batch_size: int = 8
    lr: float = 2e-3
    size: int = 64
    num_scenes: int = 512
    encoder: str = "resnet18"
    depth: int = 4
    shared_encoder: bool = False
    seed: int = 0
    checkpoint_every: int = 100
    train_conditions: tuple[str, ...] = field(default=TRAIN_CONDITIONS)
    dataset: str = "generated"
    channels: dict[str, int] = field(default_factory=dict)
    classes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.modalities = tuple(self.modalities)
        self.train_conditions = tuple(self.train_conditions)
        self.classes = tuple(self.classes) or CLASSES
        known = dict(self.channels) or MODALITIES
        missing = [m for m in self.modalities if m not in known]
        if missing or not self.modalities:
            raise BadInput(
                f"modalities must be a non-empty subset of {', '.join(known)}; got {list(self.modalities)}"
            )
        self.channels = {m: int(known[m]) for m in self.modalities}
        if self.kind not in ("any2seg", "teacher", "early", "single"):
            raise BadInput(
                f"unknown model kind '{self.kind}'; use any2seg, teacher, early or single"
            )
        if self.kind == "single" and len(self.modalities) != 1:
            raise BadInput(f"a single-modality model takes one modality, got {self.modalities}")
        if self.steps < 1 or self.batch_size < 1 or self.num_scenes < self.batch_size:
            raise BadInput("steps and batch size must be positive and num_scenes >= batch_size")


def build_model(
    config: TrainConfig, text_dim: int = 384, text: torch.Tensor | None = None
) -> nn.Module:
    """The untrained model ``config`` describes.

    Args:
        config: the run's configuration (``kind`` picks Any2Seg, the teacher or the
            early-fusion baseline, which also serves ``"single"``).
        text_dim: width of the class text embeddings Any2Seg aligns to.
        text: class text embeddings ``(classes, text_dim)``; required for a teacher.

    Shapes:
        - text: (K, text_dim), ``K = len(config.classes)``

    Raises:
        UnknownName: an encoder name smp cannot build (:func:`~rl_vision.any2seg.encoders.check_encoder`).
        BadInput: a teacher without ``text``, or an encoder that cannot be built at ``depth``.

    Example:
        >>> cfg = TrainConfig(kind="teacher", modalities=("rgb",), num_scenes=8, depth=3)
        >>> type(build_model(cfg, text=torch.randn(len(cfg.classes), 384))).__name__
        'TrainedTeacher'
    """
    check_encoder(config.encoder)
    try:
        return _build(config, text_dim, text)
    except RLError:
        raise
    except (KeyError, ValueError, RuntimeError, AttributeError, TypeError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise BadInput(
            f"the encoder '{config.encoder}' cannot be built at depth {config.depth} ({reason}); "
            "choose another --encoder"
        ) from None


def _build(config: TrainConfig, text_dim: int, text: torch.Tensor | None) -> nn.Module:
    channels = dict(config.channels)
    if config.kind == "any2seg":
        return Any2Seg(
            len(config.classes),
            channels,
            config.encoder,
            config.depth,
            config.fusion,
            text_dim,
            shared_encoder=config.shared_encoder,
        )
    if config.kind == "teacher":
        if text is None:
            raise BadInput("a teacher needs the class text embeddings")
        return TrainedTeacher(
            channels, text, config.encoder, config.depth, shared_encoder=config.shared_encoder
        )
    return EarlyFusionUnet(len(config.classes), channels, config.encoder, config.depth)


def _jsonable(config: TrainConfig) -> dict[str, Any]:
    d = asdict(config)
    d["modalities"] = list(config.modalities)
    d["train_conditions"] = list(config.train_conditions)
    d["classes"] = list(config.classes)
    d["channels"] = dict(config.channels)
    return d

"""Tensors of generated scenes for training: model inputs per modality and label maps.

:data:`MODALITIES` fixes the order and channel count of the four modalities. Inputs are
normalised: RGB to zero mean, depth and LiDAR as ``log1p(metres) / log1p(MAX_DEPTH)``
(LiDAR stays 0 where there is no return), events as given.

Example:
    >>> batch = make_batch(range(2), size=32)
    >>> {m: tuple(t.shape) for m, t in batch.inputs.items()}["event"], tuple(batch.labels.shape)
    ((2, 2, 32, 32), (2, 32, 32))
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from rl_shared.errors import BadInput, UnknownName
from rl_vision.core.scenes.conditions import CONDITIONS, apply_condition
from rl_vision.core.scenes.layout import make_layout
from rl_vision.core.scenes.render import MAX_DEPTH, Scene, render_scene

__all__ = ["MODALITIES", "SceneBatch", "make_batch", "parse_modalities", "scene_inputs"]

#: modality name -> input channels, in canonical order
MODALITIES: dict[str, int] = {"rgb": 3, "depth": 1, "event": 2, "lidar": 1}
_LOG_MAX = math.log1p(MAX_DEPTH)


def parse_modalities(
    text: str | Sequence[str], known: Sequence[str] = tuple(MODALITIES)
) -> tuple[str, ...]:
    """``"rgb,depth"`` -> ``("rgb", "depth")`` in the order of ``known``; unknown names raise.

    Args:
        text: comma-separated names (or a list of names).
        known: the valid names, in canonical order (default: the generated scenes' modalities).

    Raises:
        UnknownName: a name not in ``known`` (the message lists them).
        BadInput: no name at all.

    Example:
        >>> parse_modalities("lidar, RGB")
        ('rgb', 'lidar')
        >>> parse_modalities(["depth"], known=("rgb", "depth"))
        ('depth',)
    """
    names = [t.strip().lower() for t in (text.split(",") if isinstance(text, str) else text)]
    names = [n for n in names if n]
    bad = [n for n in names if n not in known]
    if bad:
        raise UnknownName("modality name", bad[0], list(known))
    if not names:
        raise BadInput(
            f"modalities must be a comma-separated non-empty subset of {', '.join(known)}; "
            f"got {text!r}"
        )
    return tuple(m for m in known if m in names)


def scene_inputs(scene: Scene) -> dict[str, np.ndarray]:
    """Normalised model inputs of one scene, ``modality -> (C, H, W)`` float32.

    Args:
        scene: a rendered (and possibly degraded) scene.

    Shapes:
        rgb ``(3, H, W)``, depth ``(1, H, W)``, event ``(2, H, W)``, lidar ``(1, H, W)``.

    Example:
        >>> from rl_vision.core.scenes.layout import make_layout
        >>> from rl_vision.core.scenes.render import render_scene
        >>> x = scene_inputs(render_scene(make_layout(0), 16))
        >>> {m: a.shape for m, a in x.items()} == {m: (c, 16, 16) for m, c in MODALITIES.items()}
        True
        >>> bool(0 <= x["depth"].min() and x["depth"].max() <= 1)
        True
    """
    return {
        "rgb": (scene.rgb - 0.5) / 0.25,
        "depth": (np.log1p(scene.depth) / _LOG_MAX).astype(np.float32),
        "event": scene.event,
        "lidar": (np.log1p(scene.lidar) / _LOG_MAX).astype(np.float32),
    }


@dataclass
class SceneBatch:
    """Inputs ``modality -> (B, C, H, W)`` and labels ``(B, H, W)`` of a set of scenes.

    Attributes:
        inputs: normalised inputs per modality (see :func:`scene_inputs`).
        labels: class ids, int64.
        seeds: the layout seed of each scene.

    Shapes:
        inputs ``modality -> (B, C, H, W)`` float32; labels ``(B, H, W)``.

    Example:
        >>> batch = make_batch(range(3), size=16)
        >>> sub = batch.index(torch.tensor([2, 0]))
        >>> len(batch), sub.seeds, tuple(sub.inputs["rgb"].shape)
        (3, [2, 0], (2, 3, 16, 16))
        >>> batch.index(slice(0, 1)).seeds
        [0]
    """

    inputs: dict[str, torch.Tensor]
    labels: torch.Tensor
    seeds: list[int]

    def __len__(self) -> int:
        return len(self.seeds)

    def index(self, idx: torch.Tensor | slice) -> SceneBatch:
        """Sub-batch at ``idx``."""
        seeds = (
            [self.seeds[i] for i in idx.tolist()]
            if isinstance(idx, torch.Tensor)
            else self.seeds[idx]
        )
        return SceneBatch({m: t[idx] for m, t in self.inputs.items()}, self.labels[idx], seeds)


def make_batch(
    seeds: Iterable[int],
    size: int = 64,
    conditions: Sequence[str] | str = "clean",
    *,
    condition_seed: int = 0,
) -> SceneBatch:
    """Render scenes for ``seeds`` under a condition (or one drawn per scene from a list).

    Args:
        seeds: layout seeds.
        size: image size.
        conditions: one condition name, or a list to draw from per scene (by seed).
        condition_seed: seed of the condition noise and of the draw.

    Raises:
        UnknownName: a condition not in :data:`~rl_vision.core.scenes.conditions.CONDITIONS`
            (checked before any scene is rendered).
    """
    seeds = list(seeds)
    choices = [conditions] if isinstance(conditions, str) else list(conditions)
    for c in choices:
        if c not in CONDITIONS:
            raise UnknownName("condition", c, list(CONDITIONS))
    per: dict[str, list[np.ndarray]] = {m: [] for m in MODALITIES}
    labels = []
    for s in seeds:
        scene = render_scene(make_layout(s), size)
        cond = choices[int(np.random.default_rng([condition_seed, s]).integers(len(choices)))]
        scene = apply_condition(scene, cond, seed=condition_seed)
        for m, x in scene_inputs(scene).items():
            per[m].append(x)
        labels.append(scene.label)
    inputs = {m: torch.from_numpy(np.stack(v)).float() for m, v in per.items()}
    return SceneBatch(inputs, torch.from_numpy(np.stack(labels)).long(), seeds)

"""Picture of generated scenes: one row per scene, one column per modality and the labels."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from rl_shared.plotting import save_figure, subplots
from rl_vision.core.scenes.conditions import apply_condition
from rl_vision.core.scenes.layout import CLASSES, make_layout
from rl_vision.core.scenes.render import render_scene

__all__ = ["plot_scenes"]


def plot_scenes(
    out: str | Path, seeds: Iterable[int], size: int = 128, condition: str = "clean"
) -> Path:
    """Write a PNG grid of the scenes of ``seeds`` under ``condition``; returns its path.

    Args:
        out: the PNG file to write.
        seeds: one scene (row) per seed.
        size: image side in pixels.
        condition: a condition of :data:`~rl_vision.core.scenes.conditions.CONDITIONS`.

    Example:
        >>> import tempfile, pathlib
        >>> p = plot_scenes(pathlib.Path(tempfile.mkdtemp()) / "s.png", [0], 32)
        >>> p.stat().st_size > 0
        True
    """
    seeds = list(seeds)
    fig, axes = subplots(len(seeds), 5, figsize=(12, 2.5 * len(seeds)), squeeze=False)
    for row, seed in zip(axes, seeds):
        scene = apply_condition(render_scene(make_layout(seed), size), condition, seed=seed)
        ev = scene.event[0] - scene.event[1]
        lidar = np.ma.masked_equal(scene.lidar[0], 0)
        panels: list[tuple[Any, dict[str, Any], str]] = [
            (scene.rgb.transpose(1, 2, 0), {}, f"RGB ({condition})"),
            (np.log1p(scene.depth[0]), {"cmap": "magma"}, "depth (log m)"),
            (ev, {"cmap": "bwr", "vmin": -1, "vmax": 1}, "events (+/-)"),
            (lidar, {"cmap": "viridis"}, "LiDAR (m)"),
            (
                scene.label,
                {"cmap": "tab10", "vmin": 0, "vmax": len(CLASSES) - 1, "interpolation": "nearest"},
                "labels",
            ),
        ]
        for ax, (img, kw, title) in zip(row, panels):
            ax.imshow(img, **kw)
            ax.set_title(f"{title} #{seed}", fontsize=8)
            ax.axis("off")
    fig.tight_layout()
    return save_figure(fig, Path(out), dpi=100)

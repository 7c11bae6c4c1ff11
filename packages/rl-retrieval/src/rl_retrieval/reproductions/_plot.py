"""Small matplotlib helpers shared by the reproductions (Agg backend, atomic PNG writes)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from rl_shared.io import atomic_open

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["bar_chart", "pyplot", "save"]


def pyplot() -> ModuleType:
    """``matplotlib.pyplot`` on the Agg backend, imported on first use (not when listing)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save(fig: Figure, path: Path) -> str:
    """Write ``fig`` to ``path`` as PNG atomically; return the file name."""
    plt = pyplot()
    with atomic_open(path, "wb") as handle:
        fig.savefig(handle, format="png", dpi=120, bbox_inches="tight")
    plt.close(fig)
    return path.name


def bar_chart(values: Mapping[str, Mapping[str, float]], title: str, path: Path) -> str:
    """Grouped bars: ``values[system][metric]``."""
    plt = pyplot()
    systems = list(values)
    metrics = list(next(iter(values.values())))
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    width = 0.8 / len(systems)
    for i, system in enumerate(systems):
        xs = [j + i * width for j in range(len(metrics))]
        ax.bar(xs, [values[system][m] for m in metrics], width, label=system)
    ax.set_xticks([j + width * (len(systems) - 1) / 2 for j in range(len(metrics))], metrics)
    ax.set_ylim(0, 1.05)
    ax.set_title(title)
    ax.legend()
    return save(fig, path)

"""The grouped bar chart both papers' reproductions draw, on :mod:`rl_shared.plotting`.

Example:
    >>> fig = bar_chart({"bm25": {"nDCG@10": 0.4}, "dense": {"nDCG@10": 0.3}}, "demo")
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['bm25', 'dense']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rl_shared.plotting import subplots

__all__ = ["bar_chart"]


def bar_chart(
    values: Mapping[str, Mapping[str, float]],
    title: str,
    *,
    ylabel: str = "score",
    ylim: tuple[float, float] | None = (0.0, 1.05),
) -> Any:
    """Grouped bars, one group per metric and one colour per system.

    Args:
        values: ``values[system][metric]``; every system has the same metrics.
        title: the figure's title.
        ylabel: the y axis label (with its unit).
        ylim: the y range (``None``: matplotlib's choice).

    Returns:
        The matplotlib figure (save it with ``ctx.save_figure`` or
        :func:`rl_shared.plotting.save_figure`).

    Example:
        >>> fig = bar_chart({"bm25": {"nDCG@10": 0.5}}, "demo", ylabel="nDCG@10")
        >>> fig.axes[0].get_title(), fig.axes[0].get_ylabel()
        ('demo', 'nDCG@10')
    """
    systems = list(values)
    metrics = list(next(iter(values.values())))
    fig, ax = subplots(figsize=(6.5, 3.6))
    width = 0.8 / len(systems)
    for i, system in enumerate(systems):
        xs = [j + i * width for j in range(len(metrics))]
        ax.bar(xs, [values[system][m] for m in metrics], width, label=system)
    ax.set_xticks([j + width * (len(systems) - 1) / 2 for j in range(len(metrics))], metrics)
    ax.set_xlabel("measure")
    ax.set_ylabel(ylabel)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig

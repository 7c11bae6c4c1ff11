"""Figures without global backend state: the only module that touches matplotlib's backend.

:func:`subplots` builds a :class:`matplotlib.figure.Figure` directly (the object-oriented API),
so no pyplot state machine and no interactive backend is involved; :func:`save_figure` writes
it atomically as PNG and releases it. :func:`pyplot` is for the rare code that needs pyplot
itself: it selects the Agg backend once, here.

Example:
    >>> import pathlib, tempfile
    >>> fig, ax = subplots()
    >>> _ = ax.plot([0, 1], [1, 0]); _ = ax.set_xlabel("x")
    >>> path = save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "line.png")
    >>> path.read_bytes()[:4] == b"\\x89PNG"
    True
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from rl_shared.io import atomic_open

__all__ = ["figure_labels", "hidden_points", "pyplot", "save_figure", "subplots"]


def subplots(nrows: int = 1, ncols: int = 1, **kwargs: Any) -> tuple[Any, Any]:
    """A new Agg-backed figure and its axes, as ``pyplot.subplots`` returns them.

    Args:
        nrows: rows of axes.
        ncols: columns of axes.
        **kwargs: ``figsize``, ``dpi``, ``layout`` go to the figure; the rest (``sharex``,
            ``squeeze``, ``subplot_kw``, ...) to :meth:`Figure.subplots`.
    """
    from matplotlib.figure import Figure

    figure_keys = {"figsize", "dpi", "layout", "facecolor", "constrained_layout"}
    fig_kw = {k: kwargs.pop(k) for k in list(kwargs) if k in figure_keys}
    fig = Figure(**fig_kw)
    axes = fig.subplots(nrows, ncols, **kwargs)
    return fig, axes


def save_figure(fig: Any, path: str | Path, *, dpi: int = 120) -> Path:
    """Write ``fig`` to ``path`` as PNG (atomically) and close it.

    Args:
        fig: a matplotlib figure (from :func:`subplots` or pyplot).
        path: the PNG to write; its folder is created.
        dpi: resolution.
    """
    path = Path(path)
    with atomic_open(path, "wb") as handle:
        fig.savefig(handle, format="png", dpi=dpi, bbox_inches="tight")
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close(fig)
    return path


def figure_labels(fig: Any) -> dict[str, Any]:
    """What a figure says about itself: its title and, per axes that shows data, its labels.

    An axes shows data when it holds lines, collections (scatter, bars' error bars), patches
    (bars, histograms) or images; colour bars and empty panels are left out. The title of
    an axes falls back to the figure's ``suptitle``, a label to that of an axes it shares the
    axis with (``sharex``/``sharey``); a picture drawn with its axes off needs none.

    Args:
        fig: a matplotlib figure.

    Returns:
        ``{"suptitle": str, "axes": [{"xlabel", "ylabel", "title", "legend", "hidden"}]}``;
        ``legend`` is whether a legend is drawn (on this or another panel of the figure) where
        more than one labelled artist is plotted (``None`` when there is nothing to tell
        apart); ``hidden`` counts the data points a legend covers (see :func:`hidden_points`).

    Example:
        >>> fig, ax = subplots()
        >>> _ = ax.plot([0, 1], [1, 2]); _ = ax.set_xlabel("epoch"); _ = ax.set_title("loss")
        >>> figure_labels(fig)["axes"]
        [{'xlabel': 'epoch', 'ylabel': '', 'title': 'loss', 'legend': None, 'hidden': 0}]
    """
    suptitle = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) is not None else ""
    hidden = hidden_points(fig)
    axes = []
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            continue
        if not (ax.lines or ax.collections or ax.patches or ax.images):
            continue
        labelled = [
            a
            for a in [*ax.lines, *ax.collections, *ax.patches]
            if a.get_label() and not str(a.get_label()).startswith("_")
        ]
        # one legend serves panels that plot the same series
        drawn = bool(fig.legends) or any(a.get_legend() is not None for a in fig.axes)
        legend = drawn if len(labelled) > 1 else None
        title = ax.get_title() or ax.get_title("left") or ax.get_title("right") or suptitle
        if not ax.axison:  # a picture (a rendered image), not a chart: no axes to label
            xlabel = ylabel = "(no axes)"
        else:  # a shared axis is labelled once, on one of the axes that share it
            xlabel = ax.get_xlabel() or next(
                (o.get_xlabel() for o in ax.get_shared_x_axes().get_siblings(ax) if o.get_xlabel()),
                "",
            )
            ylabel = ax.get_ylabel() or next(
                (o.get_ylabel() for o in ax.get_shared_y_axes().get_siblings(ax) if o.get_ylabel()),
                "",
            )
        axes.append(
            {
                "xlabel": xlabel,
                "ylabel": ylabel,
                "title": title,
                "legend": legend,
                "hidden": hidden.get(id(ax), 0),
            }
        )
    return {"suptitle": suptitle, "axes": axes}


def _value_points(ax: Any) -> np.ndarray:
    """Display coordinates of the values an axes shows: line vertices, scatter offsets, bar ends."""
    points = [np.empty((0, 2))]
    for line in ax.lines:
        if line.get_visible() and len(line.get_xydata()):
            points.append(line.get_transform().transform(np.asarray(line.get_xydata(), float)))
    for coll in ax.collections:
        offsets = np.asarray(coll.get_offsets(), float)
        if coll.get_visible() and offsets.size:
            points.append(coll.get_offset_transform().transform(offsets.reshape(-1, 2)))
    for patch in ax.patches:
        if not (patch.get_visible() and hasattr(patch, "get_width")):
            continue
        x, y, w, h = patch.get_x(), patch.get_y(), patch.get_width(), patch.get_height()
        # a bar's value is its far end from the baseline; anything else, its centre
        if y == 0:
            end = (x + w / 2, y + h)
        elif x == 0:
            end = (x + w, y + h / 2)
        else:
            end = (x + w / 2, y + h / 2)
        points.append(ax.transData.transform([end]))
    return np.concatenate(points)


def hidden_points(fig: Any) -> dict[int, int]:
    """How many data points a legend covers, per axes (keyed by ``id(axes)``).

    The figure is laid out as it is drawn (legends placed, ``loc="best"`` resolved); a point
    counts when it lies inside the axes and inside any legend's box, the axes' own or the
    figure's. Points are line vertices, scatter offsets and bar ends, so a legend over a line
    between two vertices goes unseen, but one over a marker or a bar's value does not.

    Args:
        fig: a matplotlib figure (laid out here, not saved).

    Example:
        >>> fig, ax = subplots()
        >>> _ = ax.plot(range(10), range(10), label="a"); _ = ax.plot(range(10), label="b")
        >>> _ = ax.legend(loc="upper left")  # over the left end, where no line runs
        >>> hidden_points(fig)[id(ax)]
        0
        >>> _ = ax.legend(loc="center")  # over the middle of both lines
        >>> hidden_points(fig)[id(ax)] > 0
        True
    """
    fig.draw_without_rendering()
    renderer = fig._get_renderer()
    legends = [*fig.legends, *(a.get_legend() for a in fig.axes)]
    boxes = [leg.get_window_extent(renderer) for leg in legends if leg is not None]
    out: dict[int, int] = {}
    for ax in fig.axes:
        pts = _value_points(ax)
        pts = pts[np.isfinite(pts).all(axis=1)]
        frame = ax.get_window_extent(renderer)
        pts = pts[
            (pts[:, 0] >= frame.x0) & (pts[:, 0] <= frame.x1)
            & (pts[:, 1] >= frame.y0) & (pts[:, 1] <= frame.y1)
        ]  # fmt: skip
        covered = np.zeros(len(pts), bool)
        for box in boxes:
            covered |= (
                (pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1)
                & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)
            )  # fmt: skip
        out[id(ax)] = int(covered.sum())
    return out


def pyplot() -> ModuleType:
    """``matplotlib.pyplot`` on the non-interactive Agg backend.

    Example:
        >>> plt = pyplot()
        >>> plt.get_backend().lower()
        'agg'
        >>> fig = plt.figure()
        >>> plt.close(fig)
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt

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

from rl_shared.io import atomic_open

__all__ = ["figure_labels", "pyplot", "save_figure", "subplots"]


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
        ``{"suptitle": str, "axes": [{"xlabel", "ylabel", "title", "legend"}]}``; ``legend``
        is whether a legend is drawn (on this or another panel of the figure) where more than one
        labelled artist is plotted (``None``
        when there is nothing to tell apart).

    Example:
        >>> fig, ax = subplots()
        >>> _ = ax.plot([0, 1], [1, 2]); _ = ax.set_xlabel("epoch"); _ = ax.set_title("loss")
        >>> figure_labels(fig)["axes"]
        [{'xlabel': 'epoch', 'ylabel': '', 'title': 'loss', 'legend': None}]
    """
    suptitle = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) is not None else ""
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
        axes.append({"xlabel": xlabel, "ylabel": ylabel, "title": title, "legend": legend})
    return {"suptitle": suptitle, "axes": axes}


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

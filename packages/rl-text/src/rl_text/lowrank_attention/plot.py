"""Plot per-token attention weights of a few sentences as coloured text rows.

References:
    Mehta et al., "Low Rank Factorization for Compact Multi-Head Self-Attention", arXiv 2019.
    https://arxiv.org/abs/1912.00835

Example:
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "w.png"
    >>> plot_token_weights([["good", "food"]], [[0.2, 0.8]], path, titles=["demo"])
    >>> path.stat().st_size > 0
    True
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["plot_token_weights"]


def plot_token_weights(
    tokens: list[list[str]],
    weights: list[list[float]],
    path: str | Path,
    titles: list[str] | None = None,
) -> None:
    """One heat strip per sentence (colour range = that sentence's min..max weight).

    Args:
        tokens: the tokens of each sentence.
        weights: one attention weight per token.
        path: the PNG to write (atomically, through :func:`rl_shared.plotting.save_figure`).
        titles: one title per sentence.
    """
    import numpy as np

    from rl_shared.plotting import save_figure, subplots

    rows = len(tokens)
    width = max(6.0, 0.28 * max(len(t) for t in tokens) + 1.5)
    fig, axes = subplots(rows, 1, figsize=(width, 1.25 * rows + 0.3), squeeze=False)
    for r, (ax, toks, ws) in enumerate(zip(axes[:, 0], tokens, weights)):
        values = np.asarray(ws, dtype=float)[None, :]
        image = ax.imshow(
            values,
            cmap="Reds",
            vmin=values.min(),
            vmax=max(values.min() + 1e-9, values.max()),
            aspect="auto",
        )
        ax.set_xticks(range(len(toks)), toks, rotation=70, fontsize=7)
        ax.set_yticks([])
        if titles:
            ax.set_title(titles[r], fontsize=8, loc="left")
        fig.colorbar(image, ax=ax, pad=0.01, fraction=0.02, label="attention weight")
    fig.suptitle("Per-token attention weights")
    save_figure(fig, path, dpi=110)

"""STS evaluation: Spearman and Pearson of cosine similarity against gold scores.

Any depth (first ``L`` layers) and width (first ``D`` dimensions) of a model can be scored;
:func:`evaluate_sts_grid` scores a layers × dims grid from one forward pass per batch.
Correlations come from :func:`rl_shared.sts.correlations` (SciPy, as in sentence-transformers'
``EmbeddingSimilarityEvaluator``, which scores the full model only).

References:
    Li et al., "2D Matryoshka Sentence Embeddings", arXiv:2402.14776 (layer × dim evaluation).

Example:
    >>> from rl_shared.models import load_sentence_transformer
    >>> model = load_sentence_transformer("minilm")
    >>> pairs = StsPairs(["A man plays a guitar.", "A cat sleeps.", "A dog runs."],
    ...                  ["A man is playing guitar.", "Stocks fell.", "A dog is running."],
    ...                  [4.8, 0.2, 4.5])
    >>> result = evaluate_sts(model, pairs, layer=3, dim=64)
    >>> result["pairs"], result["layer"], result["dim"]
    (3, 3, 64)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from rl_shared.errors import BadInput
from rl_shared.sts import StsPairs, correlations
from rl_text.core.layers import embedding_dim, encode_layers, num_layers, unwrap_model

__all__ = ["evaluate_sts", "evaluate_sts_grid", "subsample"]


def subsample(pairs: StsPairs, n: int | None, seed: int) -> StsPairs:
    """``n`` pairs drawn at random (seeded, in their original order); all when ``n`` is ``None``.

    Args:
        pairs: sentence pairs with gold scores.
        n: pairs kept (``None``, or ``n >= len(pairs)``: ``pairs`` itself).
        seed: seeds the draw.

    Example:
        >>> pairs = StsPairs(["a", "b", "c"], ["A", "B", "C"], [1.0, 2.0, 3.0])
        >>> len(subsample(pairs, 2, seed=0)), len(subsample(pairs, None, seed=0))
        (2, 3)
    """
    import random

    if n is None or n >= len(pairs):
        return pairs
    rows = sorted(random.Random(seed).sample(range(len(pairs)), n))
    s1, s2, scores = pairs.sentences1, pairs.sentences2, pairs.scores
    return StsPairs([s1[i] for i in rows], [s2[i] for i in rows], [scores[i] for i in rows])


def _cosines(a: torch.Tensor, b: torch.Tensor, dim: int) -> np.ndarray:
    a = torch.nn.functional.normalize(a[:, :dim].double(), dim=-1)
    b = torch.nn.functional.normalize(b[:, :dim].double(), dim=-1)
    return (a * b).sum(-1).numpy()


def evaluate_sts_grid(
    model: nn.Module,
    pairs: StsPairs,
    layers: Sequence[int] | None = None,
    dims: Sequence[int] | None = None,
    *,
    batch_size: int = 64,
    show_progress: bool = False,
    precision: str = "fp32",
) -> dict[tuple[int, int], dict[str, float | None]]:
    """Spearman/Pearson for every ``(layer, dim)``, encoding each sentence once.

    Args:
        model: a ``SentenceTransformer``.
        pairs: sentence pairs with gold scores.
        layers: depths (default: the last layer only).
        dims: leading embedding dimensions kept (default: all).
        batch_size: sentences per forward pass.
        show_progress: progress bar on stderr.
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the forward passes (on the
            model's device; see :func:`rl_text.core.layers.encode_layers`).

    Returns:
        ``{(layer, dim): {"spearman": ..., "pearson": ...}}``; a correlation that is undefined
        (constant gold scores or similarities) is ``None``, with one ``warning:`` line on
        stderr.

    References:
        Li et al., "2D Matryoshka Sentence Embeddings", arXiv:2402.14776 (layer × dim evaluation).

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> model = load_sentence_transformer("minilm")
        >>> pairs = StsPairs(["A man plays a guitar.", "A cat sleeps.", "A dog runs."],
        ...                  ["A man is playing guitar.", "Stocks fell.", "A dog is running."],
        ...                  [4.8, 0.2, 4.5])
        >>> grid = evaluate_sts_grid(model, pairs, layers=[3, 6], dims=[64, 384])
        >>> sorted(grid), sorted(grid[(6, 384)])
        ([(3, 64), (3, 384), (6, 64), (6, 384)], ['pearson', 'spearman'])
    """
    st = unwrap_model(model)
    full_dim = embedding_dim(st)
    layers = [num_layers(st)] if layers is None else list(layers)
    dims = [full_dim] if dims is None else list(dims)
    for d in dims:
        if not 1 <= d <= full_dim:
            raise BadInput(f"dim must be between 1 and {full_dim}, got {d}")
    unique = list(dict.fromkeys([*pairs.sentences1, *pairs.sentences2]))
    where = {s: i for i, s in enumerate(unique)}
    embs = encode_layers(
        st, unique, layers, batch_size=batch_size, show_progress=show_progress, precision=precision
    )
    left = torch.tensor([where[s] for s in pairs.sentences1])
    right = torch.tensor([where[s] for s in pairs.sentences2])
    grid = {}
    for layer in layers:
        for d in dims:
            cos = _cosines(embs[layer][left], embs[layer][right], d)
            grid[(layer, d)] = correlations(cos, pairs.scores)
    _warn_undefined(grid, pairs)
    return grid


def _warn_undefined(grid: dict[tuple[int, int], dict[str, float | None]], pairs: StsPairs) -> None:
    """One ``warning:`` line on stderr when a correlation is undefined (reported as ``None``)."""
    import sys

    cells = [key for key, scores in grid.items() if None in scores.values()]
    if not cells:
        return
    why = (
        f"all {len(pairs)} gold scores are {pairs.scores[0]:g}"
        if len(set(pairs.scores)) == 1
        else "the cosine similarities are constant"
    )
    where = ", ".join(f"layer {layer} dim {dim}" for layer, dim in cells[:3])
    more = f" and {len(cells) - 3} more" if len(cells) > 3 else ""
    print(
        f"warning: the correlation is undefined ({why}) at {where}{more}; reported as null",
        file=sys.stderr,
    )


def evaluate_sts(
    model: nn.Module,
    pairs: StsPairs,
    layer: int | None = None,
    dim: int | None = None,
    *,
    batch_size: int = 64,
    show_progress: bool = False,
    precision: str = "fp32",
) -> dict[str, float | None]:
    """Spearman and Pearson of cosine similarity for the model cut to ``layer`` layers and ``dim`` dims.

    Args:
        model: a ``SentenceTransformer``.
        pairs: sentence pairs with gold scores.
        layer: use the first ``layer`` transformer layers (default: all).
        dim: keep the first ``dim`` embedding dimensions (default: all).
        batch_size: sentences per forward pass.
        show_progress: progress bar on stderr.
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the forward passes.

    Returns:
        ``{"spearman": ..., "pearson": ..., "layer": L, "dim": D, "pairs": n}``; an undefined
        correlation is ``None`` (see :func:`evaluate_sts_grid`).

    References:
        Li et al., "2D Matryoshka Sentence Embeddings", arXiv:2402.14776 (layer × dim evaluation).
    """
    st = unwrap_model(model)
    layer = num_layers(st) if layer is None else layer
    dim = embedding_dim(st) if dim is None else dim
    grid = evaluate_sts_grid(
        st,
        pairs,
        [layer],
        [dim],
        batch_size=batch_size,
        show_progress=show_progress,
        precision=precision,
    )
    return {**grid[(layer, dim)], "layer": layer, "dim": dim, "pairs": len(pairs)}

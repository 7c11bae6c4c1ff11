"""STS evaluation: Spearman and Pearson of cosine similarity against gold scores.

Any depth (first ``L`` layers) and width (first ``D`` dimensions) of a model can be scored;
:func:`evaluate_sts_grid` scores a layers × dims grid from one forward pass per batch.
Correlations come from SciPy, as in sentence-transformers'
``EmbeddingSimilarityEvaluator`` (which scores the full model only).

Example:
    >>> from rl_shared.models import load_sentence_transformer
    >>> from rl_text.sts import load_stsb
    >>> model = load_sentence_transformer("minilm")  # doctest: +SKIP
    >>> round(evaluate_sts(model, load_stsb("test"))["spearman"], 4)  # doctest: +SKIP
    0.8203
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from scipy.stats import pearsonr, spearmanr
from torch import nn

from rl_shared.errors import BadInput
from rl_text.layers import embedding_dim, encode_layers, num_layers, unwrap_model
from rl_text.sts import StsPairs

__all__ = ["correlations", "evaluate_sts", "evaluate_sts_grid"]


def correlations(
    predicted: Sequence[float] | np.ndarray, gold: Sequence[float]
) -> dict[str, float]:
    """Spearman and Pearson correlation of predicted and gold scores.

    Example:
        >>> correlations([0.1, 0.5, 0.9], [1.0, 2.0, 5.0])["spearman"]
        1.0
    """
    pred = np.asarray(predicted, dtype=np.float64)
    gold_arr = np.asarray(gold, dtype=np.float64)
    if pred.shape != gold_arr.shape or pred.size < 2:
        raise BadInput("correlations need two equally long score lists of at least 2 pairs")
    return {
        "spearman": float(spearmanr(pred, gold_arr).statistic),
        "pearson": float(pearsonr(pred, gold_arr).statistic),
    }


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
) -> dict[tuple[int, int], dict[str, float]]:
    """Spearman/Pearson for every ``(layer, dim)``, encoding each sentence once.

    Args:
        model: a ``SentenceTransformer``.
        pairs: sentence pairs with gold scores.
        layers: depths (default: the last layer only).
        dims: leading embedding dimensions kept (default: all).
        batch_size: sentences per forward pass.
        show_progress: progress bar on stderr.

    Returns:
        ``{(layer, dim): {"spearman": ..., "pearson": ...}}``.
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
    embs = encode_layers(st, unique, layers, batch_size=batch_size, show_progress=show_progress)
    left = torch.tensor([where[s] for s in pairs.sentences1])
    right = torch.tensor([where[s] for s in pairs.sentences2])
    grid = {}
    for layer in layers:
        for d in dims:
            cos = _cosines(embs[layer][left], embs[layer][right], d)
            grid[(layer, d)] = correlations(cos, pairs.scores)
    return grid


def evaluate_sts(
    model: nn.Module,
    pairs: StsPairs,
    layer: int | None = None,
    dim: int | None = None,
    *,
    batch_size: int = 64,
    show_progress: bool = False,
) -> dict[str, float]:
    """Spearman and Pearson of cosine similarity for the model cut to ``layer`` layers and ``dim`` dims.

    Args:
        model: a ``SentenceTransformer``.
        pairs: sentence pairs with gold scores.
        layer: use the first ``layer`` transformer layers (default: all).
        dim: keep the first ``dim`` embedding dimensions (default: all).
        batch_size: sentences per forward pass.
        show_progress: progress bar on stderr.

    Returns:
        ``{"spearman": ..., "pearson": ..., "layer": L, "dim": D, "pairs": n}``.

    References:
        Li et al., "2D Matryoshka Sentence Embeddings", arXiv:2402.14776 (layer × dim evaluation).
    """
    st = unwrap_model(model)
    layer = num_layers(st) if layer is None else layer
    dim = embedding_dim(st) if dim is None else dim
    grid = evaluate_sts_grid(
        st, pairs, [layer], [dim], batch_size=batch_size, show_progress=show_progress
    )
    return {**grid[(layer, dim)], "layer": layer, "dim": dim, "pairs": len(pairs)}

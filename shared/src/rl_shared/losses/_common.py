"""Helpers shared by the losses: embedding a sentence-transformers batch, input checks."""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor, nn

from rl_shared.errors import NonFiniteLoss, ShapeMismatch

__all__ = ["check_finite", "check_rows", "cos_sim", "embed"]


def embed(model: nn.Module, sentence_features: Iterable[dict[str, Tensor]]) -> list[Tensor]:
    """Run a sentence-transformers model on each input column; return the sentence embeddings."""
    return [model(features)["sentence_embedding"] for features in sentence_features]


def check_finite(name: str, *tensors: Tensor | None) -> None:
    """Raise :class:`NonFiniteLoss` if any tensor holds NaN or infinity."""
    for tensor in tensors:
        if tensor is not None and not torch.isfinite(tensor).all():
            raise NonFiniteLoss(
                f"{name} got an input with NaN or infinite values; check the embeddings and the learning rate"
            )


def check_rows(name: str, **tensors: Tensor | None) -> int:
    """All given tensors must have the same number of rows (the batch size); return it."""
    sizes = {key: t.shape[0] for key, t in tensors.items() if t is not None}
    if len(set(sizes.values())) > 1:
        listed = ", ".join(f"{k} has {v}" for k, v in sizes.items())
        raise ShapeMismatch(f"{name} needs the same batch size for every input, but {listed} rows")
    return next(iter(sizes.values()))


def cos_sim(a: Tensor, b: Tensor) -> Tensor:
    """Cosine similarity of every row of ``a`` with every row of ``b``: ``(n, d), (m, d) -> (n, m)``."""
    a = torch.nn.functional.normalize(a, p=2, dim=-1)
    b = torch.nn.functional.normalize(b, p=2, dim=-1)
    return a @ b.transpose(-2, -1)

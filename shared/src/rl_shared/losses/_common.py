"""Helpers shared by the losses: embedding a sentence-transformers batch, input checks.

These helpers implement no paper of their own; each loss that uses them cites its paper in
its module (see :mod:`rl_shared.losses`).

References:
    Reimers & Gurevych, "Sentence-BERT", arXiv 2019 (the sentence-transformers features ->
    ``sentence_embedding`` interface that :func:`embed` runs). https://arxiv.org/abs/1908.10084
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor, nn

from rl_shared.errors import NonFiniteLoss, ShapeMismatch

__all__ = ["check_finite", "check_rows", "cos_sim", "embed"]


def embed(model: nn.Module, sentence_features: Iterable[dict[str, Tensor]]) -> list[Tensor]:
    """Run a sentence-transformers model on each input column; return the sentence embeddings.

    Args:
        model: a module mapping a features dict to a dict with ``"sentence_embedding"``
            (a ``SentenceTransformer`` does).
        sentence_features: one tokenised features dict per text column.

    Shapes:
        one ``(batch, dim)`` tensor per column.

    Example:
        >>> import torch
        >>> class Toy(torch.nn.Module):
        ...     def forward(self, features):
        ...         return {"sentence_embedding": features["input_ids"].float()}
        >>> columns = [{"input_ids": torch.ones(2, 3)}, {"input_ids": torch.zeros(2, 3)}]
        >>> [tuple(e.shape) for e in embed(Toy(), columns)]
        [(2, 3), (2, 3)]
    """
    return [model(features)["sentence_embedding"] for features in sentence_features]


def check_finite(name: str, *tensors: Tensor | None) -> None:
    """Raise :class:`NonFiniteLoss` if any tensor holds NaN or infinity.

    Args:
        name: the caller, named in the message.
        *tensors: the tensors to check; ``None`` entries are skipped.

    Example:
        >>> import torch
        >>> check_finite("my_loss", torch.ones(2), None)
        >>> check_finite("my_loss", torch.tensor([1.0, float("nan")]))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        rl_shared.errors.NonFiniteLoss: my_loss got an input with NaN or infinite values; ...
    """
    for tensor in tensors:
        if tensor is not None and not torch.isfinite(tensor).all():
            raise NonFiniteLoss(
                f"{name} got an input with NaN or infinite values; check the embeddings and the learning rate"
            )


def check_rows(name: str, **tensors: Tensor | None) -> int:
    """All given tensors must have the same number of rows (the batch size); return it.

    Args:
        name: the caller, named in the message.
        **tensors: the tensors by name (named in the message); ``None`` values are skipped.
            At least one must be a tensor.

    Raises:
        ShapeMismatch: the tensors' first dimensions differ.

    Example:
        >>> import torch
        >>> check_rows("my_loss", anchors=torch.ones(4, 8), positives=torch.ones(4, 8), extra=None)
        4
        >>> check_rows("my_loss", anchors=torch.ones(4, 8), positives=torch.ones(3, 8))
        Traceback (most recent call last):
        ...
        rl_shared.errors.ShapeMismatch: my_loss needs the same batch size for every input, but anchors has 4, positives has 3 rows
    """
    sizes = {key: t.shape[0] for key, t in tensors.items() if t is not None}
    if len(set(sizes.values())) > 1:
        listed = ", ".join(f"{k} has {v}" for k, v in sizes.items())
        raise ShapeMismatch(f"{name} needs the same batch size for every input, but {listed} rows")
    return next(iter(sizes.values()))


def cos_sim(a: Tensor, b: Tensor) -> Tensor:
    """Cosine similarity of every row of ``a`` with every row of ``b``: ``(n, d), (m, d) -> (n, m)``.

    Args:
        a: the first set of vectors.
        b: the second set, of the same width.

    Shapes:
        a ``(..., n, d)``, b ``(..., m, d)`` -> ``(..., n, m)``.

    Example:
        >>> import torch
        >>> cos_sim(torch.tensor([[1.0, 0.0], [1.0, 1.0]]), torch.tensor([[2.0, 0.0]]))
        tensor([[1.0000],
                [0.7071]])
    """
    a = torch.nn.functional.normalize(a, p=2, dim=-1)
    b = torch.nn.functional.normalize(b, p=2, dim=-1)
    return a @ b.transpose(-2, -1)

"""Merge fine-tuned weights: a uniform model soup, and delta-guided fusion.

* :func:`uniform_soup` averages the parameters of several fine-tuned models of one
  architecture (Wortsman et al.'s "uniform soup"; KaLM-Embedding-V2 averages checkpoints).
* :func:`delta_fusion` (CoDiEmb) merges per parameter: each model ``k`` moved its weights by
  ``δ_k = θ_k − θ_0`` from the common start ``θ_0``; the merged weight is
  ``θ_0 + Σ_k w_k δ_k`` with ``w_k = |δ_k|^p / Σ_j |δ_j|^p`` element by element (or per tensor
  with ``granularity="tensor"``, from ``‖δ_k‖``), so each coordinate follows the models that
  changed it most instead of being diluted by those that left it alone. Where no model moved
  a coordinate the weights are uniform.

:func:`merge_models` applies either to ``SentenceTransformer`` objects or saved folders and
returns a new model.

References:
    Wortsman et al., "Model soups", ICML 2022, arXiv:2203.05482; Zhang et al., "CoDiEmb: A
    Collaborative yet Distinct Framework for Unified Representation Learning in Information
    Retrieval and Semantic Textual Similarity", arXiv:2508.11442; Zhao et al.,
    "KaLM-Embedding-V2", arXiv:2506.20923.

Example:
    >>> import torch
    >>> base = {"w": torch.zeros(2)}
    >>> a, b = {"w": torch.tensor([1.0, 0.0])}, {"w": torch.tensor([0.0, 2.0])}
    >>> uniform_soup([a, b])["w"].tolist()
    [0.5, 1.0]
    >>> delta_fusion(base, [a, b])["w"].tolist()
    [1.0, 2.0]
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import torch
from torch import Tensor

from rl_shared.errors import BadInput, ShapeMismatch

__all__ = ["delta_fusion", "merge_models", "uniform_soup"]

StateDict = Mapping[str, Tensor]


def _check(states: Sequence[StateDict]) -> None:
    if not states:
        raise BadInput("merging needs at least one model")
    keys = set(states[0])
    for s in states[1:]:
        if set(s) != keys:
            raise ShapeMismatch("the models to merge have different parameter names")
        for k in keys:
            if s[k].shape != states[0][k].shape:
                raise ShapeMismatch(f"parameter {k} has different shapes in the models to merge")


def uniform_soup(states: Sequence[StateDict]) -> dict[str, Tensor]:
    """The element-wise mean of the floating-point tensors (others from the first model).

    Args:
        states: state dicts of one architecture (same names and shapes).

    Shapes:
        - states: name -> tensor of any shape, the same shape for a name in every state dict
        - output: name -> tensor of that shape and dtype

    Raises:
        BadInput: ``states`` is empty.
        ShapeMismatch: the state dicts differ in names or shapes.

    References:
        Wortsman et al., "Model soups", ICML 2022, arXiv:2203.05482 (the uniform soup).
    """
    _check(states)
    out = {}
    for key, first in states[0].items():
        if first.is_floating_point():
            out[key] = torch.stack([s[key].float() for s in states]).mean(0).to(first.dtype)
        else:
            out[key] = first.clone()
    return out


def delta_fusion(
    base: StateDict,
    states: Sequence[StateDict],
    *,
    power: float = 1.0,
    granularity: Literal["element", "tensor"] = "element",
) -> dict[str, Tensor]:
    """Merge ``states`` fine-tuned from ``base`` with weights from their deviations.

    Args:
        base: the common initial weights ``θ_0``.
        states: the fine-tuned weights ``θ_k``.
        power: sharpness ``p`` of the weights (0: uniform soup).
        granularity: ``"element"`` (a weight per coordinate) or ``"tensor"`` (per tensor).

    Shapes:
        - base: name -> tensor of any shape
        - states: name -> tensor, each the shape of ``base``'s tensor of that name
        - output: name -> tensor of ``base``'s shape and dtype
    """
    _check([base, *states])
    if power < 0:
        raise BadInput(f"power must be non-negative, got {power}")
    if granularity not in ("element", "tensor"):
        raise BadInput(f"granularity must be 'element' or 'tensor', got {granularity!r}")
    out = {}
    for key, start in base.items():
        if not start.is_floating_point():
            out[key] = states[0][key].clone()
            continue
        deltas = torch.stack([s[key].float() - start.float() for s in states])
        size = deltas.abs()
        if granularity == "tensor":
            size = deltas.flatten(1).norm(dim=1).view(-1, *([1] * start.dim())).expand_as(deltas)
        score = size.pow(power)
        total = score.sum(0, keepdim=True)
        weights = torch.where(total > 0, score / total.clamp_min(1e-30), 1.0 / len(states))
        out[key] = (start.float() + (weights * deltas).sum(0)).to(start.dtype)
    return out


def _state(model: Any) -> dict[str, Tensor]:
    from rl_shared.models import load_sentence_transformer

    if isinstance(model, torch.nn.Module):
        return {k: v.detach() for k, v in model.state_dict().items()}
    return load_sentence_transformer(model).state_dict()


def merge_models(
    models: Sequence[Any],
    *,
    method: Literal["soup", "delta"] = "soup",
    base: Any = None,
    power: float = 1.0,
    granularity: Literal["element", "tensor"] = "element",
) -> Any:
    """A new ``SentenceTransformer`` merged from ``models`` (objects or folders).

    Args:
        models: fine-tuned models of one architecture.
        method: ``"soup"`` (uniform mean) or ``"delta"`` (:func:`delta_fusion`, needs ``base``).
        base: the common starting model for ``"delta"``.
        power, granularity: as :func:`delta_fusion`.

    Returns:
        a deep copy of the first model (or the first folder loaded) with the merged weights.

    References:
        Wortsman et al., "Model soups", arXiv:2203.05482; Zhang et al., "CoDiEmb",
        arXiv:2508.11442 (delta-guided fusion).

    Example:
        >>> a, b = torch.nn.Linear(2, 1), torch.nn.Linear(2, 1)
        >>> merged = merge_models([a, b])
        >>> torch.allclose(merged.weight, (a.weight + b.weight) / 2), merged is a
        (True, False)
    """
    from rl_shared.models import load_sentence_transformer

    if method not in ("soup", "delta"):
        raise BadInput(f"merge method must be 'soup' or 'delta', got {method!r}")
    states = [_state(m) for m in models]
    if method == "soup":
        merged = uniform_soup(states)
    else:
        if base is None:
            raise BadInput("delta-guided fusion needs the base model the others started from")
        merged = delta_fusion(_state(base), states, power=power, granularity=granularity)
    first = models[0]
    model = (
        copy.deepcopy(first)
        if isinstance(first, torch.nn.Module)
        else load_sentence_transformer(first)
    )
    model.load_state_dict(merged)
    return model

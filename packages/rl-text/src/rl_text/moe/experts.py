"""Domain experts for the MLP of BERT-like layers, routed by a domain id per input.

:func:`install_experts` turns the feed-forward block (``intermediate`` + ``output``: dense,
activation, dense, dropout, residual LayerNorm) of chosen layers into ``N`` experts, each a
copy of the pretrained block. Which expert an input goes through is not learned: it is the
domain id set on the shared :class:`RouteState` before the forward pass (the paper's
enforced routing by domain token). Inputs with domain ``-1`` (untagged) go through every
expert and get the mean of their outputs.

What it adds: sentence-transformers' ``Router`` picks whole module stacks per task (query vs
document); transformers' MoE models learn a token-level gate. Neither copies a pretrained
dense MLP into hard-routed per-domain experts.

References:
    Hallee, Kapur, Patil, Gleghorn and Bichakjian, "Contrastive Learning and Mixture of
    Experts Enables Precise Vector Embeddings", arXiv:2401.15713 (2024).

Example:
    >>> import torch
    >>> from transformers import BertConfig, BertModel
    >>> bert = BertModel(BertConfig(hidden_size=8, num_hidden_layers=2, num_attention_heads=2,
    ...                             intermediate_size=16, vocab_size=20)).eval()
    >>> ids = torch.tensor([[2, 5, 6, 3]])
    >>> before = bert(ids).last_hidden_state
    >>> state = install_experts(bert, num_experts=3)
    >>> state.domain_ids = torch.tensor([1])
    >>> torch.allclose(bert(ids).last_hidden_state, before, atol=1e-6)
    True
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput

__all__ = ["Expert", "MoEFeedForward", "PassThroughOutput", "RouteState", "install_experts"]


class RouteState:
    """The domain id of each input of the current batch, shared by every MoE layer.

    ``domain_ids`` has shape ``(batch,)``; ``-1`` means untagged (mean over experts);
    ``None`` outside a forward pass (then every input counts as untagged).

    Example:
        >>> state = RouteState()
        >>> layer = MoEFeedForward(nn.Linear(4, 4), PassThroughOutput(), 2, state)
        >>> state.domain_ids is None
        True
        >>> state.domain_ids = torch.tensor([1, -1])
        >>> layer(torch.ones(2, 3, 4)).shape
        torch.Size([2, 3, 4])
    """

    def __init__(self) -> None:
        self.domain_ids: Tensor | None = None


class Expert(nn.Module):
    """One expert: a copy of a layer's ``intermediate`` and ``output`` modules.

    ``forward(x)`` is ``output(intermediate(x), x)``, the feed-forward half of a BERT layer
    (``output`` adds the residual ``x`` and normalises).

    Args:
        intermediate: the layer's ``intermediate`` module (deep-copied).
        output: the layer's ``output`` module, called as ``output(hidden, x)`` (deep-copied).

    Shapes:
        ``forward(x)``: ``(n, seq, hidden) -> (n, seq, hidden)``.

    Example:
        >>> from transformers import BertConfig
        >>> from transformers.models.bert.modeling_bert import BertLayer
        >>> layer = BertLayer(BertConfig(hidden_size=8, num_attention_heads=2,
        ...                              intermediate_size=16)).eval()
        >>> expert = Expert(layer.intermediate, layer.output)
        >>> x = torch.randn(2, 5, 8)
        >>> torch.allclose(expert(x), layer.output(layer.intermediate(x), x))
        True
        >>> expert.intermediate is layer.intermediate
        False
    """

    def __init__(self, intermediate: nn.Module, output: nn.Module) -> None:
        super().__init__()
        self.intermediate = copy.deepcopy(intermediate)
        self.output = copy.deepcopy(output)

    def forward(self, attention_output: Tensor) -> Tensor:
        return self.output(self.intermediate(attention_output), attention_output)


class MoEFeedForward(nn.Module):
    """Hard-routed mixture of :class:`Expert` blocks, in place of a layer's ``intermediate``.

    Returns the finished layer output (residual and LayerNorm included); the layer's
    ``output`` is replaced by :class:`PassThroughOutput`.

    Args:
        intermediate: the pretrained ``intermediate`` module (copied ``num_experts`` times).
        output: the pretrained ``output`` module (copied likewise).
        num_experts: number of domains.
        state: the shared routing state.

    Shapes:
        ``forward(x)``: ``(batch, seq, hidden) -> (batch, seq, hidden)``; ``state.domain_ids``
        ``(batch,)``.

    Example:
        Two experts whose ``output`` adds the residual; after their weights diverge an input
        of domain 0 and one of domain 1 go different ways, an untagged one gets the mean.

        >>> class AddResidual(nn.Module):  # stands in for BertOutput
        ...     def forward(self, hidden_states, input_tensor):
        ...         return hidden_states + input_tensor
        >>> state = RouteState()
        >>> moe = MoEFeedForward(nn.Linear(2, 2, bias=False), AddResidual(), 2, state)
        >>> with torch.no_grad():
        ...     _ = moe.experts[0].intermediate.weight.copy_(torch.eye(2))
        ...     _ = moe.experts[1].intermediate.weight.copy_(-torch.eye(2))
        >>> state.domain_ids = torch.tensor([0, 1, -1])
        >>> moe(torch.ones(3, 1, 2)).squeeze(1).tolist()
        [[2.0, 2.0], [0.0, 0.0], [1.0, 1.0]]
    """

    def __init__(
        self, intermediate: nn.Module, output: nn.Module, num_experts: int, state: RouteState
    ) -> None:
        super().__init__()
        if num_experts < 1:
            raise BadInput(f"num_experts must be at least 1, got {num_experts}")
        self.experts = nn.ModuleList(Expert(intermediate, output) for _ in range(num_experts))
        self.state = state

    def forward(self, attention_output: Tensor) -> Tensor:
        batch = attention_output.shape[0]
        ids = self.state.domain_ids
        if ids is None:
            ids = torch.full((batch,), -1, dtype=torch.long)
        ids = ids.to(attention_output.device)
        if ids.shape != (batch,):
            raise BadInput(
                f"routing needs one domain id per input: got {tuple(ids.shape)} ids for a batch "
                f"of {batch} (packed/unpadded inputs are not supported)"
            )
        if int(ids.max()) >= len(self.experts) or int(ids.min()) < -1:
            raise BadInput(
                f"domain ids must lie in -1 … {len(self.experts) - 1}, got {ids.tolist()}"
            )
        out = torch.zeros_like(attention_output)
        untagged = (ids == -1).nonzero().squeeze(1)
        mean = None
        for e, expert in enumerate(self.experts):
            rows = (ids == e).nonzero().squeeze(1)
            if rows.numel():
                out = out.index_copy(0, rows, expert(attention_output[rows]))
            if untagged.numel():
                part = expert(attention_output[untagged]) / len(self.experts)
                mean = part if mean is None else mean + part
        if mean is not None:
            out = out.index_copy(0, untagged, mean)
        return out


class PassThroughOutput(nn.Module):
    """Stands in for a layer's ``output`` after :class:`MoEFeedForward` did its work.

    ``forward(hidden_states, input_tensor)`` returns ``hidden_states`` unchanged (the
    experts already added the residual and normalised).

    Shapes:
        ``(batch, seq, hidden) -> (batch, seq, hidden)``.

    Example:
        >>> h = torch.randn(2, 3, 4)
        >>> PassThroughOutput()(h, torch.zeros(2, 3, 4)) is h
        True
    """

    def forward(self, hidden_states: Tensor, input_tensor: Tensor) -> Tensor:
        return hidden_states


def _encoder_layers(model: nn.Module) -> nn.ModuleList:
    encoder = getattr(model, "encoder", None)
    layers = getattr(encoder, "layer", None)
    if not isinstance(layers, nn.ModuleList):
        raise BadInput("experts can be installed in BERT-like encoders (encoder.layer) only")
    return layers


def install_experts(
    model: nn.Module, num_experts: int, layers: Sequence[int] | None = None
) -> RouteState:
    """Replace the MLP of ``layers`` (0-based; default all) by ``num_experts`` copies of it.

    Args:
        model: a Hugging Face BERT-like model (``model.encoder.layer[i].intermediate/output``).
        num_experts: number of experts (domains).
        layers: 0-based layer indices to convert.

    Returns:
        The :class:`RouteState` every converted layer reads its routing from.
    """
    blocks = _encoder_layers(model)
    chosen = list(range(len(blocks))) if layers is None else sorted(set(layers))
    for i in chosen:
        if not 0 <= i < len(blocks):
            raise BadInput(f"MoE layers must lie in 0 … {len(blocks) - 1}, got {i}")
        block: Any = blocks[i]
        if isinstance(block.intermediate, MoEFeedForward):
            raise BadInput(f"layer {i} already holds experts")
        if not hasattr(block, "output") or not hasattr(block, "intermediate"):
            raise BadInput(f"layer {i} has no intermediate/output MLP to copy")
    state = RouteState()
    for i in chosen:
        block = blocks[i]
        block.intermediate = MoEFeedForward(block.intermediate, block.output, num_experts, state)
        block.output = PassThroughOutput()
    return state

"""Variational information bottleneck gates that prune hidden units and attention heads.

Each gate holds, per unit, a mean ``μ`` and a log-variance ``log σ²`` of a multiplicative
Gaussian ``z = μ + σ ε`` (``ε ~ N(0, 1)`` in training). The compression term is the KL upper
bound of Dai et al., ``Σ log(1 + μ² / σ²)``: minimising it drives the signal-to-noise ratio
``α = μ² / σ²`` of useless units down, and a unit is *pruned* once ``log α`` falls below a
threshold (0 by default). In evaluation the gate is deterministic: ``z = μ · 1[log α ≥ θ]``.

:class:`EncoderGates` attaches one gate per attention head and one per feed-forward unit of
every layer of a BERT-style encoder through forward pre-hooks on ``attention.output.dense``
(input: the heads' concatenated outputs) and ``output.dense`` (input: the intermediate
activations). The hooks act only while :attr:`EncoderGates.enabled` is ``True``: the same
weights give the *original* network (gates off) and the *self-pruned* network (gates on).

References:
    Dai, Zhu, Guo & Wipf, "Compressing Neural Networks using the Variational Information
    Bottleneck", ICML 2018, arXiv:1802.10399.
    Chang et al., "Reducing Spurious Correlations for Aspect-Based Sentiment Analysis with
    Variational Information Bottleneck and Contrastive Learning" (CVIB).

Example:
    >>> import torch
    >>> gate = VIBGate(4)
    >>> gate.keep_mask().tolist()
    [True, True, True, True]
    >>> _ = gate.eval()
    >>> gate(torch.ones(2, 4)).shape
    torch.Size([2, 4])
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor, nn
from torch.utils.hooks import RemovableHandle

from rl_shared.errors import BadInput

__all__ = ["EncoderGates", "VIBGate"]


class VIBGate(nn.Module):
    """Multiplicative Gaussian gate over the last dimension of its input.

    Args:
        size: number of units.
        init_log_sigma2: initial ``log σ²`` (small noise: every unit starts kept).
        threshold: units with ``log α < threshold`` are pruned.
        repeat: each unit gates ``repeat`` consecutive features (an attention head gates
            its ``head_dim`` features).

    Shapes:
        x ``(..., size · repeat)`` -> same shape.

    Example:
        >>> import torch
        >>> gate = VIBGate(4).eval()
        >>> gate(torch.ones(2, 4)).shape, int(gate.keep_mask().sum())
        (torch.Size([2, 4]), 4)
    """

    def __init__(
        self, size: int, init_log_sigma2: float = -6.0, threshold: float = 0.0, repeat: int = 1
    ) -> None:
        super().__init__()
        if size < 1 or repeat < 1:
            raise BadInput(f"VIBGate needs positive size and repeat, got {size}, {repeat}")
        self.mu = nn.Parameter(torch.ones(size))
        self.log_sigma2 = nn.Parameter(torch.full((size,), float(init_log_sigma2)))
        self.threshold, self.repeat = threshold, repeat

    def log_alpha(self) -> Tensor:
        """``log(μ² / σ²)`` per unit."""
        return torch.log(self.mu.pow(2) + 1e-8) - self.log_sigma2

    def keep_mask(self) -> Tensor:
        """Bool mask of the units that survive pruning."""
        return (self.log_alpha() >= self.threshold).detach()

    def kl(self) -> Tensor:
        """Compression term ``Σ log(1 + μ²/σ²)`` (Dai et al.'s KL bound, up to a factor ½)."""
        return torch.log1p(torch.exp(self.log_alpha())).sum()

    def forward(self, x: Tensor) -> Tensor:
        if self.training:
            eps = torch.randn_like(self.mu)
            z = self.mu + torch.exp(0.5 * self.log_sigma2) * eps
        else:
            z = self.mu * self.keep_mask().to(self.mu.dtype)
        if self.repeat > 1:
            z = z.repeat_interleave(self.repeat)
        return x * z


class EncoderGates(nn.Module):
    """VIB gates on every attention head and feed-forward unit of a BERT-style encoder.

    Args:
        encoder: a ``transformers`` BERT-like model (``encoder.layer[i].attention.output.dense``
            and ``encoder.layer[i].output.dense`` must exist).
        heads: gate attention heads.
        units: gate feed-forward (intermediate) units.
        init_log_sigma2: initial ``log σ²`` of every gate.

    Example:
        >>> from transformers import BertConfig, BertModel
        >>> bert = BertModel(BertConfig(vocab_size=20, hidden_size=8, num_hidden_layers=2,
        ...                             num_attention_heads=2, intermediate_size=16))
        >>> gates = EncoderGates(bert)
        >>> gates.kept(), gates.total()
        (36, 36)
    """

    def __init__(
        self,
        encoder: nn.Module,
        heads: bool = True,
        units: bool = True,
        init_log_sigma2: float = -6.0,
    ) -> None:
        super().__init__()
        layers = _layers(encoder)
        config: Any = encoder.config  # a transformers config
        head_dim = config.hidden_size // config.num_attention_heads
        self.head_gates = nn.ModuleList(
            VIBGate(config.num_attention_heads, init_log_sigma2, repeat=head_dim)
            for _ in layers
            if heads
        )
        self.unit_gates = nn.ModuleList(
            VIBGate(config.intermediate_size, init_log_sigma2) for _ in layers if units
        )
        self.enabled = False
        self._handles: list[RemovableHandle] = []
        layer: Any  # a transformers encoder layer
        for i, layer in enumerate(layers):
            if heads:
                self._handles.append(
                    layer.attention.output.dense.register_forward_pre_hook(self._hook("head", i))
                )
            if units:
                self._handles.append(
                    layer.output.dense.register_forward_pre_hook(self._hook("unit", i))
                )

    def _hook(self, kind: str, index: int):
        def hook(module: nn.Module, args: tuple) -> tuple | None:
            if not self.enabled:
                return None
            gate = (self.head_gates if kind == "head" else self.unit_gates)[index]
            return (gate(args[0]), *args[1:])

        return hook

    def gates(self) -> list[VIBGate]:
        return [*self.head_gates, *self.unit_gates]

    def kl(self) -> Tensor:
        """Sum of the compression terms of all gates."""
        return torch.stack([g.kl() for g in self.gates()]).sum()

    def kept(self) -> int:
        """Number of heads + units that survive pruning."""
        return int(sum(int(g.keep_mask().sum()) for g in self.gates()))

    def total(self) -> int:
        return int(sum(g.mu.numel() for g in self.gates()))

    def summary(self) -> dict[str, int]:
        """Kept and total heads and units."""
        head_gates: list[VIBGate] = [*self.head_gates]
        unit_gates: list[VIBGate] = [*self.unit_gates]
        kept_h = int(sum(int(g.keep_mask().sum()) for g in head_gates))
        kept_u = int(sum(int(g.keep_mask().sum()) for g in unit_gates))
        return {
            "heads_kept": kept_h,
            "heads_total": int(sum(g.mu.numel() for g in head_gates)),
            "units_kept": kept_u,
            "units_total": int(sum(g.mu.numel() for g in unit_gates)),
        }

    def remove(self) -> None:
        """Detach the hooks from the encoder."""
        for handle in self._handles:
            handle.remove()
        self._handles = []


def _layers(encoder: nn.Module) -> nn.ModuleList:
    inner = getattr(encoder, "encoder", None)
    layers = getattr(inner, "layer", None)
    if layers is None:
        raise BadInput(
            f"EncoderGates needs a BERT-style model with .encoder.layer, got {type(encoder).__name__}"
        )
    return layers

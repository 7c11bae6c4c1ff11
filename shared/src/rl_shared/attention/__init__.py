"""Attention: Triton flash attention, 2-simplicial (Kronecker) attention, low-rank attention.

Triton kernels run on CUDA tensors, and on CPU tensors under ``TRITON_INTERPRET=1`` (how
they are tested); elsewhere each function falls back to its PyTorch implementation.

| function / class | what | paper |
|---|---|---|
| :func:`flash_attention` | softmax attention, Triton fwd+bwd, causal, varlen | FlashAttention-2, arXiv:2307.08691 |
| :func:`simplicial_attention` | 2-simplicial attention: reference, Triton, bounded-entry approximation | Alman & Song, arXiv:2310.04064; Roy et al., arXiv:2507.02754 |
| :class:`LowRankMultiheadAttention` | low-rank factorized multi-head attention pooling, O(n) memory | Mehta et al., arXiv:1912.00835 |
"""

from rl_shared.attention.flash import flash_attention, flash_attention_reference
from rl_shared.attention.low_rank import LowRankMultiheadAttention
from rl_shared.attention.simplicial import (
    approximation_error,
    simplicial_attention,
    simplicial_attention_approx,
    simplicial_attention_reference,
)
from rl_shared.attention.simplicial_triton import simplicial_attention_triton

__all__ = [
    "LowRankMultiheadAttention",
    "approximation_error",
    "flash_attention",
    "flash_attention_reference",
    "simplicial_attention",
    "simplicial_attention_approx",
    "simplicial_attention_reference",
    "simplicial_attention_triton",
]

"""Attention: Triton flash attention, 2-simplicial (Kronecker) attention, low-rank attention.

Triton kernels run on CUDA tensors, and on CPU tensors under ``TRITON_INTERPRET=1`` (how
they are tested); elsewhere each function falls back to its PyTorch implementation.
"""

from rl_shared.attention.flash import flash_attention, flash_attention_reference

__all__ = ["flash_attention", "flash_attention_reference"]

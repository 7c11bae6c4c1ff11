"""FlashAttention-2-style softmax attention in Triton, forward and backward, with a varlen path.

``flash_attention(q, k, v, causal=..., cu_seqlens=..., scale=...)`` computes
``softmax(scale * q k^T) v`` tile by tile with an online softmax, so no ``n x n`` matrix
is ever stored: the forward keeps the output and the row log-sum-exp, the backward
recomputes the probabilities block by block (one kernel for dK/dV over query blocks, one
for dQ over key blocks; deterministic, no atomics).

*Variable-length batches*: pass the sequences concatenated along the sequence axis of a
batch of one, ``q`` of shape ``(1, heads, total, head_dim)``, and ``cu_seqlens`` the
``int32`` offsets ``[0, len_0, len_0 + len_1, ...]``; tokens attend only within their
own sequence.

Where Triton cannot run (CPU tensors without ``TRITON_INTERPRET=1``) the function falls
back to :func:`torch.nn.functional.scaled_dot_product_attention`, one call per sequence for
varlen batches, silently.

References:
    Dao, "FlashAttention-2: Faster Attention with Better Parallelism and Work
    Partitioning", arXiv:2307.08691. Dao et al., "FlashAttention", arXiv:2205.14135.

Example:
    >>> import torch
    >>> from rl_shared.attention import flash_attention
    >>> q = k = v = torch.randn(2, 4, 128, 64)
    >>> flash_attention(q, k, v, causal=True).shape
    torch.Size([2, 4, 128, 64])
"""

from __future__ import annotations

import itertools
import math

import torch
from torch import Tensor

from rl_shared.attention._dispatch import use_triton
from rl_shared.errors import BadInput, ShapeMismatch

__all__ = ["flash_attention", "flash_attention_reference"]

HEAD_DIMS = (16, 32, 64, 128)


def flash_attention(
    q: Tensor,
    k: Tensor,
    v: Tensor,
    *,
    causal: bool = False,
    cu_seqlens: Tensor | None = None,
    scale: float | None = None,
) -> Tensor:
    """Softmax attention without the ``n x n`` matrix.

    Args:
        q, k, v: queries, keys, values.
        causal: query ``i`` sees keys ``j <= i`` (of its own sequence).
        cu_seqlens: ``(num_seqs + 1,)`` cumulative sequence offsets for a packed batch.
        scale: softmax scale, ``head_dim ** -0.5`` by default.

    Shapes:
        q, k, v ``(batch, heads, seq, head_dim)`` with head_dim in 16/32/64/128
        (``batch = 1`` and ``seq = total tokens`` with ``cu_seqlens``) -> same as ``q``.
    """
    _check(q, k, v, cu_seqlens)
    scale = q.shape[-1] ** -0.5 if scale is None else float(scale)
    if use_triton(q, k, v):
        return _FlashAttention.apply(q, k, v, causal, cu_seqlens, scale)
    return flash_attention_reference(q, k, v, causal=causal, cu_seqlens=cu_seqlens, scale=scale)


def flash_attention_reference(
    q: Tensor,
    k: Tensor,
    v: Tensor,
    *,
    causal: bool = False,
    cu_seqlens: Tensor | None = None,
    scale: float | None = None,
) -> Tensor:
    """The same function through PyTorch SDPA (per sequence for a packed batch).

    Args:
        q, k, v: queries, keys, values.
        causal: query ``i`` sees keys ``j <= i`` (of its own sequence).
        cu_seqlens: ``(num_seqs + 1,)`` cumulative sequence offsets for a packed batch.
        scale: softmax scale, ``head_dim ** -0.5`` by default (SDPA's default).

    Shapes:
        q, k, v ``(batch, heads, seq, head_dim)`` (``batch = 1`` and ``seq = total tokens``
        with ``cu_seqlens``) -> same as ``q``.

    References:
        Dao, "FlashAttention-2: Faster Attention with Better Parallelism and Work
        Partitioning", arXiv:2307.08691 (the function :func:`flash_attention` computes).

    Example:
        >>> import torch
        >>> q = k = v = torch.randn(1, 2, 5, 16)
        >>> cu = torch.tensor([0, 2, 5], dtype=torch.int32)
        >>> out = flash_attention_reference(q, k, v, causal=True, cu_seqlens=cu)
        >>> out.shape
        torch.Size([1, 2, 5, 16])
        >>> first = flash_attention_reference(q[:, :, :2], k[:, :, :2], v[:, :, :2], causal=True)
        >>> torch.allclose(out[:, :, :2], first)
        True
    """
    sdpa = torch.nn.functional.scaled_dot_product_attention
    if cu_seqlens is None:
        return sdpa(q, k, v, is_causal=causal, scale=scale)
    bounds = cu_seqlens.tolist()
    parts = [
        sdpa(q[:, :, s:e], k[:, :, s:e], v[:, :, s:e], is_causal=causal, scale=scale)
        for s, e in itertools.pairwise(bounds)
    ]
    return torch.cat(parts, dim=2)


def _check(q: Tensor, k: Tensor, v: Tensor, cu_seqlens: Tensor | None) -> None:
    if q.dim() != 4 or q.shape != k.shape or q.shape != v.shape:
        raise ShapeMismatch(
            "flash_attention needs q, k, v of one shape (batch, heads, seq, head_dim), got "
            f"{tuple(q.shape)}, {tuple(k.shape)}, {tuple(v.shape)}"
        )
    if q.shape[-1] not in HEAD_DIMS:
        raise BadInput(f"flash_attention supports head_dim {HEAD_DIMS}, got {q.shape[-1]}")
    if cu_seqlens is not None:
        if q.shape[0] != 1:
            raise ShapeMismatch(f"a packed batch (cu_seqlens) has batch size 1, got {q.shape[0]}")
        if (
            cu_seqlens.dim() != 1
            or len(cu_seqlens) < 2
            or int(cu_seqlens[0]) != 0
            or int(cu_seqlens[-1]) != q.shape[2]
        ):
            raise BadInput(
                f"cu_seqlens must run from 0 to the packed length {q.shape[2]}, got {cu_seqlens.tolist()}"
            )
        if bool((cu_seqlens[1:] < cu_seqlens[:-1]).any()):
            raise BadInput("cu_seqlens must be non-decreasing")


def _blocks(head_dim: int, device: torch.device) -> tuple[int, int]:
    if device.type != "cuda":  # the interpreter: fewer, larger programs run faster
        return 32, 32
    return (128, 64) if head_dim <= 64 else (64, 64)


class _FlashAttention(torch.autograd.Function):
    @staticmethod
    def forward(ctx, q, k, v, causal, cu_seqlens, scale):  # type: ignore[override]
        from rl_shared.attention import _flash_kernels as kern

        q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
        batch, heads, n, d = q.shape
        varlen = cu_seqlens is not None
        cu = (
            cu_seqlens.to(device=q.device, dtype=torch.int32)
            if varlen
            else torch.zeros(1, dtype=torch.int32, device=q.device)
        )
        n_seq = len(cu) - 1 if varlen else batch
        max_len = int((cu[1:] - cu[:-1]).max()) if varlen else n
        block_m, block_n = _blocks(d, q.device)
        o = torch.empty_like(q)
        lse = torch.empty((batch, heads, n), dtype=torch.float32, device=q.device)
        grid = (math.ceil(max(max_len, 1) / block_m), n_seq * heads)
        kern.forward_kernel[grid](
            q,
            k,
            v,
            o,
            lse,
            cu,
            scale,
            *q.stride()[:3],
            *lse.stride()[:2],
            heads,
            n,
            HEAD_DIM=d,
            BLOCK_M=block_m,
            BLOCK_N=block_n,
            CAUSAL=causal,
            VARLEN=varlen,
        )
        ctx.save_for_backward(q, k, v, o, lse, cu)
        ctx.meta = (causal, varlen, scale, n_seq, max_len, block_m, block_n)
        return o

    @staticmethod
    def backward(ctx, do):  # type: ignore[override]
        from rl_shared.attention import _flash_kernels as kern

        q, k, v, o, lse, cu = ctx.saved_tensors
        causal, varlen, scale, n_seq, max_len, block_m, block_n = ctx.meta
        do = do.contiguous()
        _, heads, n, d = q.shape
        delta = (do.float() * o.float()).sum(-1)  # (B, H, N)
        dq, dk, dv = torch.empty_like(q), torch.empty_like(k), torch.empty_like(v)
        common = (*q.stride()[:3], *lse.stride()[:2], heads, n)
        kern.backward_dkdv_kernel[(math.ceil(max(max_len, 1) / block_n), n_seq * heads)](
            q,
            k,
            v,
            do,
            lse,
            delta,
            dk,
            dv,
            cu,
            scale,
            *common,
            HEAD_DIM=d,
            BLOCK_M=block_m,
            BLOCK_N=block_n,
            CAUSAL=causal,
            VARLEN=varlen,
        )
        kern.backward_dq_kernel[(math.ceil(max(max_len, 1) / block_m), n_seq * heads)](
            q,
            k,
            v,
            do,
            lse,
            delta,
            dq,
            cu,
            scale,
            *common,
            HEAD_DIM=d,
            BLOCK_M=block_m,
            BLOCK_N=block_n,
            CAUSAL=causal,
            VARLEN=varlen,
        )
        return dq, dk, dv, None, None, None

"""2-simplicial attention as a Triton kernel, forward and backward, exact, optionally windowed.

For each query ``i`` the output is ``sum_{j,l} softmax_{j,l}(scale * <q_i, k1_j * k2_l>) (v1_j * v2_l)``.
The kernel never stores the ``n x n`` score slice of a query: it walks ``j`` one key at a
time and ``l`` in tiles with an online softmax (forward), and recomputes the probabilities
from the saved log-sum-exp in three backward kernels (dq; dk2/dv2; dk1/dv1 by the same
kernel with the two key sides swapped, the scores being symmetric in them).
``window=(w1, w2)`` restricts the pairs to the causal local windows
``i - w1 < j <= i`` and ``i - w2 < l <= i``, the sliding-window form of the published kernel,
which costs ``O(n w1 w2)`` instead of ``O(n^3)``.

References:
    Roy et al., "Fast and Simplex: 2-Simplicial Attention in Triton", arXiv:2507.02754.
    Alman & Song, "How to Capture Higher-order Correlations? Generalizing Matrix Softmax
    Attention to Kronecker Computation", arXiv:2310.04064.

Example:
    >>> import os, torch  # doctest: +SKIP
    >>> os.environ["TRITON_INTERPRET"] = "1"  # on a CPU  # doctest: +SKIP
    >>> x = torch.randn(1, 2, 32, 16)  # doctest: +SKIP
    >>> simplicial_attention_triton(x, x, x, x, x, window=(8, 8)).shape  # doctest: +SKIP
    torch.Size([1, 2, 32, 16])
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from rl_shared.errors import BadInput, ShapeMismatch

__all__ = ["normalize_window", "simplicial_attention_triton"]


def normalize_window(window: int | tuple[int, int] | None) -> tuple[int, int]:
    """``None -> (0, 0)`` (every pair); ``w -> (w, w)``; both sizes must be positive.

    Args:
        window: ``None``, one size for both key sides, or the pair ``(w1, w2)``.

    Raises:
        BadInput: a window size below 1.

    Example:
        >>> normalize_window(None), normalize_window(4), normalize_window((2, 3))
        ((0, 0), (4, 4), (2, 3))
    """
    if window is None:
        return 0, 0
    w1, w2 = (window, window) if isinstance(window, int) else tuple(window)
    if w1 < 1 or w2 < 1:
        raise BadInput(f"window sizes must be positive, got {window}")
    return int(w1), int(w2)


def simplicial_attention_triton(
    q: Tensor,
    k1: Tensor,
    k2: Tensor,
    v1: Tensor,
    v2: Tensor,
    *,
    window: int | tuple[int, int] | None = None,
    scale: float | None = None,
) -> Tensor:
    """Exact 2-simplicial attention through the Triton kernels (CUDA, or ``TRITON_INTERPRET=1``).

    Args:
        q, k1, k2, v1, v2: queries, the two key sets, the two value sets.
        window: ``None`` (all pairs) or causal local windows ``(w1, w2)`` / ``w``.
        scale: score scale, ``head_dim ** -0.5`` by default.

    Shapes:
        all ``(batch, heads, seq, head_dim)``, head_dim in 16/32/64/128 -> ``(batch, heads, seq, head_dim)``.
    """
    shapes = {tuple(t.shape) for t in (q, k1, k2, v1, v2)}
    if q.dim() != 4 or len(shapes) != 1:
        raise ShapeMismatch(
            f"simplicial attention needs five tensors of one shape (B, H, N, D), got {sorted(shapes)}"
        )
    if q.shape[-1] not in (16, 32, 64, 128):
        raise BadInput(
            f"the Triton simplicial kernel supports head_dim 16/32/64/128, got {q.shape[-1]}"
        )
    w1, w2 = normalize_window(window)
    scale = q.shape[-1] ** -0.5 if scale is None else float(scale)
    return _Simplicial.apply(q, k1, k2, v1, v2, w1, w2, scale)


def _blocks(device: torch.device) -> tuple[int, int]:
    return (64, 32) if device.type == "cuda" else (16, 16)


class _Simplicial(torch.autograd.Function):
    @staticmethod
    def forward(ctx, q, k1, k2, v1, v2, w1, w2, scale):  # type: ignore[override]
        from rl_shared.attention import _simplicial_kernels as kern

        q, k1, k2, v1, v2 = (t.contiguous() for t in (q, k1, k2, v1, v2))
        batch, heads, n, d = q.shape
        block_m, block_l = _blocks(q.device)
        o = torch.empty_like(q)
        lse = torch.empty((batch, heads, n), dtype=torch.float32, device=q.device)
        kern.forward_kernel[(math.ceil(n / block_m), batch * heads)](
            q,
            k1,
            k2,
            v1,
            v2,
            o,
            lse,
            scale,
            *q.stride()[:3],
            *lse.stride()[:2],
            heads,
            n,
            HEAD_DIM=d,
            BLOCK_M=block_m,
            BLOCK_L=block_l,
            W1=w1,
            W2=w2,
        )
        ctx.save_for_backward(q, k1, k2, v1, v2, o, lse)
        ctx.meta = (w1, w2, scale, block_m, block_l)
        return o

    @staticmethod
    def backward(ctx, do):  # type: ignore[override]
        from rl_shared.attention import _simplicial_kernels as kern

        q, k1, k2, v1, v2, o, lse = ctx.saved_tensors
        w1, w2, scale, block_m, block_l = ctx.meta
        do = do.contiguous()
        batch, heads, n, d = q.shape
        delta = (do.float() * o.float()).sum(-1)
        common = (*q.stride()[:3], *lse.stride()[:2], heads, n)
        meta = {"HEAD_DIM": d, "BLOCK_M": block_m, "BLOCK_L": block_l}
        dq = torch.empty_like(q)
        kern.backward_dq_kernel[(math.ceil(n / block_m), batch * heads)](
            q, k1, k2, v1, v2, do, lse, delta, dq, scale, *common, W1=w1, W2=w2, **meta
        )
        grads = {}
        for side_a, side_b, wa, wb in (((k1, v1), (k2, v2), w1, w2), ((k2, v2), (k1, v1), w2, w1)):
            dk, dv = torch.empty_like(q), torch.empty_like(q)
            kern.backward_dkv_kernel[(math.ceil(n / block_l), batch * heads)](
                q,
                side_a[0],
                side_b[0],
                side_a[1],
                side_b[1],
                do,
                lse,
                delta,
                dk,
                dv,
                scale,
                *common,
                WA=wa,
                WB=wb,
                **meta,
            )
            grads[id(side_b[0])] = (dk, dv)
        (dk2, dv2), (dk1, dv1) = grads[id(k2)], grads[id(k1)]
        return dq, dk1, dk2, dv1, dv2, None, None, None

"""2-simplicial (Kronecker) attention: an exact PyTorch reference and Alman & Song's approximation.

For every query ``i`` the attention is a softmax over *pairs* of keys ``(j, l)``::

    s[i, j, l] = scale * <q_i, k1_j ⊙ k2_l>,   o_i = Σ_{j,l} softmax_{(j,l)}(s[i]) · (v1_j ⊙ v2_l)

with ``scale = head_dim ** -0.5`` by default (as in the Triton kernel). ``window=None``: all
pairs (non-causal); ``window=(w1, w2)`` (int ``w``: ``(w, w)``): the causal local window of the
published 2-simplicial kernels, ``j ∈ [i - w1 + 1, i]``, ``l ∈ [i - w2 + 1, i]``.

Implementations behind :func:`simplicial_attention`: :func:`simplicial_attention_reference`
(exact, O(n³·d), chunked over queries and recomputed per chunk in backward, so n = 512 fits);
the Triton kernel (exact; ``impl="auto"`` on CUDA or under ``TRITON_INTERPRET=1``); and
:func:`simplicial_attention_approx`, Alman & Song's bounded-entry algorithm: ``exp`` is replaced
on ``[-B, B]`` (``B ≥ |s|``) by a degree-``g`` polynomial ``P(s) = Σ_t c_t s^t``. As
``<q, k1 ⊙ k2>^t = Σ_{|m|=t} multinomial(m) q^m k1^m k2^m`` (``m`` a multi-index over the ``d``
coordinates), ``P(s_ijl) = <φ(q_i), ψ(k1_j) ⊙ ψ(k2_l)>`` with ``F = C(d + g, g)`` features, and
the pair sums factor: ``Σ_{j,l} P(s_ijl) v1_j ⊙ v2_l = φ(q_i) @ [(ψ(K1)ᵀ V1) ⊙ (ψ(K2)ᵀ V2)]``
(the denominator likewise, with ones for values): time ``O(n·F·d)``, linear in ``n``. The
error is small when the entries are bounded (the paper: ``o((log n)^{1/3})``).

References:
    Alman & Song, "How to Capture Higher-order Correlations? Generalizing Matrix Softmax
    Attention to Kronecker Computation", arXiv:2310.04064.
    Roy et al., "Fast and Simplex: 2-Simplicial Attention in Triton", arXiv:2507.02754.
    Clift et al., "Logic and the 2-Simplicial Transformer", arXiv:1909.00668.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import combinations_with_replacement

import numpy as np
import torch
from torch import Tensor

from rl_shared.errors import BadInput, ShapeMismatch

__all__ = [
    "approximation_error",
    "simplicial_attention",
    "simplicial_attention_approx",
    "simplicial_attention_reference",
]

Window = int | tuple[int, int] | None
_IMPLS = ("auto", "reference", "triton", "approx")
_CHUNK = 1 << 23  # ~32 MiB of float32 logits per query chunk


def _check(q: Tensor, k1: Tensor, k2: Tensor, v1: Tensor, v2: Tensor) -> None:
    named = {"q": q, "k1": k1, "k2": k2, "v1": v1, "v2": v2}
    for name, t in named.items():
        if not isinstance(t, Tensor) or t.dim() != 4:
            got = tuple(t.shape) if isinstance(t, Tensor) else type(t).__name__
            raise ShapeMismatch(
                f"simplicial attention expects {name} of shape (batch, heads, seq, head_dim), got {got}"
            )
    if len({t.dtype for t in named.values()}) > 1 or len({t.device for t in named.values()}) > 1:
        raise BadInput("simplicial attention needs q, k1, k2, v1, v2 on one device with one dtype")
    if not q.is_floating_point():
        raise BadInput(f"simplicial attention needs floating-point inputs, got {q.dtype}")
    b, h, _, d = q.shape
    if any(t.shape[:2] != (b, h) for t in (k1, k2, v1, v2)):
        raise ShapeMismatch("simplicial attention needs one batch size and head count for all")
    if (k1.shape[-1], k2.shape[-1]) != (d, d) or v1.shape[-1] != v2.shape[-1]:
        raise ShapeMismatch(f"k1 and k2 need q's head_dim {d}, and v1 and v2 one head_dim")
    if k1.shape[2] != v1.shape[2] or k2.shape[2] != v2.shape[2]:
        raise ShapeMismatch("k1 and v1 (and k2 and v2) need the same sequence length")


def _window(window: Window, q: Tensor, k1: Tensor, k2: Tensor) -> tuple[int, int] | None:
    if window is None:
        return None
    pair = (window, window) if isinstance(window, int) else tuple(window)
    if len(pair) != 2 or not all(type(w) is int and w >= 1 for w in pair):
        raise BadInput(f"window must be None, a positive int or a pair of them, got {window!r}")
    if not q.shape[2] == k1.shape[2] == k2.shape[2]:
        raise ShapeMismatch("a causal window needs q, k1 and k2 of the same sequence length")
    return pair[0], pair[1]


def _positive(name: str, value: float) -> float:
    if not math.isfinite(value) or value <= 0:
        raise BadInput(f"{name} must be a positive finite number, got {value}")
    return float(value)


def _chunk(
    q: Tensor, k1: Tensor, k2: Tensor, v1: Tensor, v2: Tensor, mask: Tensor | None
) -> Tensor:
    """Exact attention of a chunk of (already scaled) queries; ``mask`` (C, M1, M2) True=keep."""
    logits = (q.unsqueeze(3) * k1.unsqueeze(2)) @ k2.transpose(-1, -2).unsqueeze(2)  # (B,H,C,M1,M2)
    if mask is not None:
        logits = logits.masked_fill(~mask, float("-inf"))
    p = torch.softmax(logits.flatten(-2), dim=-1).view_as(logits)
    return ((p @ v2.unsqueeze(2)) * v1.unsqueeze(2)).sum(dim=-2)  # (B,H,C,Dv)


class _Recompute(torch.autograd.Function):
    """A chunk rebuilt in backward (as torch.utils.checkpoint, minus its slow dynamo import)."""

    @staticmethod
    def forward(ctx, *args):  # type: ignore[override]
        ctx.mask = args[-1]
        ctx.save_for_backward(*args[:-1])
        return _chunk(*args)

    @staticmethod
    def backward(ctx, grad):  # type: ignore[override]
        needs = ctx.needs_input_grad[:-1]
        inputs = [t.detach().requires_grad_(n) for t, n in zip(ctx.saved_tensors, needs)]
        with torch.enable_grad():
            out = _chunk(*inputs, ctx.mask)
        grads = iter(torch.autograd.grad(out, [t for t in inputs if t.requires_grad], grad))
        return (*(next(grads) if n else None for n in needs), None)


def simplicial_attention_reference(
    q: Tensor,
    k1: Tensor,
    k2: Tensor,
    v1: Tensor,
    v2: Tensor,
    *,
    window: Window = None,
    scale: float | None = None,
    chunk_size: int | None = None,
) -> Tensor:
    """Exact 2-simplicial attention in PyTorch, chunked over queries (O(n³·d) time).

    Args:
        q, k1, k2, v1, v2: queries, the two key sets and the two value sets.
        window: ``None`` for all pairs; ``(w1, w2)`` or ``w`` for the causal local window
            ``j ∈ [i-w1+1, i]``, ``l ∈ [i-w2+1, i]``.
        scale: multiplies the logits; default ``head_dim ** -0.5``.
        chunk_size: queries per chunk; default keeps each chunk's logits near 32 MiB. With
            autograd, each chunk is recomputed in the backward pass (activation checkpointing),
            so memory stays that of one chunk.

    Shapes:
        q ``(B, H, N, D)``, k1 ``(B, H, M1, D)``, k2 ``(B, H, M2, D)``, v1 ``(B, H, M1, Dv)``,
        v2 ``(B, H, M2, Dv)`` (with a window: ``M1 = M2 = N``) -> ``(B, H, N, Dv)``.

    References:
        Clift et al., arXiv:1909.00668; Roy et al., arXiv:2507.02754 (windows).

    Example:
        >>> import torch
        >>> q, k1, k2, v1, v2 = torch.randn(5, 2, 1, 4, 3).unbind(0)
        >>> simplicial_attention_reference(q, k1, k2, v1, v2).shape
        torch.Size([2, 1, 4, 3])
    """
    _check(q, k1, k2, v1, v2)
    win = _window(window, q, k1, k2)
    q = q * (q.shape[-1] ** -0.5 if scale is None else _positive("scale", scale))
    b, h, n, _ = q.shape
    m1, m2 = k1.shape[2], k2.shape[2]
    if chunk_size is None:
        chunk_size = n
        while chunk_size > 1 and b * h * chunk_size * _span(chunk_size, win, m1, m2) > _CHUNK:
            chunk_size = (chunk_size + 1) // 2
    elif not isinstance(chunk_size, int) or chunk_size < 1:
        raise BadInput(f"chunk_size must be a positive int, got {chunk_size!r}")
    needs_grad = torch.is_grad_enabled() and any(t.requires_grad for t in (q, k1, k2, v1, v2))
    recompute = needs_grad and chunk_size < n
    outs = []
    for start in range(0, n, chunk_size):
        stop = min(n, start + chunk_size)
        a1 = a2 = 0
        mask = None
        if win is not None:
            a1, a2 = max(0, start - win[0] + 1), max(0, start - win[1] + 1)
            i = torch.arange(start, stop, device=q.device).view(-1, 1, 1)
            j = torch.arange(a1, stop, device=q.device).view(1, -1, 1)
            l_ = torch.arange(a2, stop, device=q.device).view(1, 1, -1)
            mask = (j <= i) & (j > i - win[0]) & (l_ <= i) & (l_ > i - win[1])
        s1, s2 = (slice(a1, stop), slice(a2, stop)) if win else (slice(None), slice(None))
        args = (q[:, :, start:stop], k1[:, :, s1], k2[:, :, s2], v1[:, :, s1], v2[:, :, s2], mask)
        outs.append(_Recompute.apply(*args) if recompute else _chunk(*args))
    return torch.cat(outs, dim=2)


def _span(c: int, win: tuple[int, int] | None, m1: int, m2: int) -> int:
    if win is None:
        return m1 * m2
    return min(m1, c + win[0] - 1) * min(m2, c + win[1] - 1)


@lru_cache(maxsize=64)
def _monomials(d: int, t: int) -> tuple[tuple[tuple[int, ...], ...], tuple[float, ...]]:
    """Multi-indices of degree ``t`` over ``d`` coordinates and their multinomial coefficients."""
    combos = tuple(combinations_with_replacement(range(d), t))
    fact = math.factorial
    return combos, tuple(fact(t) / math.prod(fact(c.count(i)) for i in set(c)) for c in combos)


def _entry_bound(q: Tensor, k1: Tensor, k2: Tensor) -> float:
    """``Σ_c max|q_c| · max|k1_c| · max|k2_c|``: bounds every ``|<q_i, k1_j ⊙ k2_l>|`` in O(n·d)."""
    m = [t.detach().abs().amax(dim=(0, 1, 2)) for t in (q, k1, k2)]
    return float((m[0] * m[1] * m[2]).sum())


def _exp_coefficients(degree: int, bound: float, polynomial: str) -> list[float]:
    """Power-basis coefficients ``c_t`` of a degree-``degree`` approximation of ``exp`` on ``[-bound, bound]``."""
    if polynomial == "taylor":
        return [1.0 / math.factorial(t) for t in range(degree + 1)]
    if polynomial != "chebyshev":
        raise BadInput(f"polynomial must be 'chebyshev' or 'taylor', got {polynomial!r}")
    cheb = np.polynomial.chebyshev.Chebyshev.interpolate(lambda y: np.exp(bound * y), degree)
    power = np.polynomial.chebyshev.cheb2poly(cheb.coef)  # coefficients in y = s / bound
    return [float(power[t]) / bound**t if t < len(power) else 0.0 for t in range(degree + 1)]


def _features(x: Tensor, degree: int, weights: Sequence[float] | None) -> Tensor:
    """Monomial features of ``x`` (..., n, d) up to ``degree``: (..., n, C(d + degree, degree))."""
    parts = []
    for t in range(degree + 1):
        combos, coefs = _monomials(x.shape[-1], t)
        f = x[..., torch.tensor(combos, device=x.device)].prod(-1) if t else x[..., :1] * 0 + 1
        if weights is not None:
            f = f * (weights[t] * torch.tensor(coefs, dtype=x.dtype, device=x.device))
        parts.append(f)
    return torch.cat(parts, dim=-1)


def simplicial_attention_approx(
    q: Tensor,
    k1: Tensor,
    k2: Tensor,
    v1: Tensor,
    v2: Tensor,
    *,
    degree: int,
    bound: float | None = None,
    scale: float | None = None,
    polynomial: str = "chebyshev",
) -> Tensor:
    """Alman & Song's near-linear-time approximation of 2-simplicial attention (non-causal).

    Args:
        q, k1, k2, v1, v2: as in :func:`simplicial_attention_reference` (no window).
        degree: degree ``g`` of the polynomial replacing ``exp``; features have
            ``C(d + g, g)`` entries, so keep ``d`` small (the paper's regime is ``d = O(log n)``).
        bound: ``B`` with ``|scale · <q_i, k1_j ⊙ k2_l>| ≤ B`` for all triples; default the
            bound ``Σ_c max_i|q_ic| · max_j|k1_jc| · max_l|k2_lc| · scale`` (O(n·d) to compute).
        scale: multiplies the logits; default ``head_dim ** -0.5``.
        polynomial: ``"chebyshev"`` (interpolant of ``exp`` on ``[-B, B]`` at Chebyshev nodes,
            near-minimax) or ``"taylor"`` (truncated series at 0).

    Shapes:
        q ``(B, H, N, D)``, k1/k2 ``(B, H, M, D)``, v1/v2 ``(B, H, M, Dv)`` -> ``(B, H, N, Dv)``.

    References:
        Alman & Song, arXiv:2310.04064 (polynomial method for bounded entries).

    Example:
        >>> import torch
        >>> g = torch.Generator().manual_seed(0)
        >>> x = torch.rand(5, 1, 1, 64, 4, generator=g, dtype=torch.float64) * 2 - 1
        >>> q, k1, k2, v1, v2 = x.unbind(0)  # entries in [-1, 1]
        >>> approx = simplicial_attention_approx(q, k1, k2, v1, v2, degree=6)
        >>> exact = simplicial_attention_reference(q, k1, k2, v1, v2)
        >>> bool((approx - exact).abs().max() < 1e-3)
        True
    """
    _check(q, k1, k2, v1, v2)
    if type(degree) is not int or degree < 0:
        raise BadInput(f"degree must be a non-negative int, got {degree!r}")
    q = q * (q.shape[-1] ** -0.5 if scale is None else _positive("scale", scale))
    bound = max(_entry_bound(q, k1, k2), 1e-6) if bound is None else _positive("bound", bound)
    coefs = _exp_coefficients(degree, float(bound), polynomial)
    a, c = (  # (B, H, F, Dv + 1): Σ_j ψ(k_j) ⊗ [v_j, 1]
        _features(k, degree, None).transpose(-1, -2) @ torch.cat([v, v[..., :1] * 0 + 1], dim=-1)
        for k, v in ((k1, v1), (k2, v2))
    )
    num_den = _features(q, degree, coefs) @ (a * c)  # (B, H, N, Dv + 1)
    return num_den[..., :-1] / num_den[..., -1:]


def simplicial_attention(
    q: Tensor,
    k1: Tensor,
    k2: Tensor,
    v1: Tensor,
    v2: Tensor,
    *,
    window: Window = None,
    impl: str = "auto",
    scale: float | None = None,
    degree: int | None = None,
    bound: float | None = None,
) -> Tensor:
    """2-simplicial (Kronecker) attention: softmax over key pairs of ``<q_i, k1_j ⊙ k2_l>``.

    Args:
        q, k1, k2, v1, v2: queries, the two key sets and the two value sets.
        window: ``None`` (all pairs) or the causal local window ``(w1, w2)`` / ``w``.
        impl: ``"auto"`` (the Triton kernel on CUDA tensors or under ``TRITON_INTERPRET=1``
            when :mod:`rl_shared.attention.simplicial_triton` imports, else the reference),
            ``"reference"``, ``"triton"`` or ``"approx"``.
        scale: multiplies the logits; default ``head_dim ** -0.5``.
        degree, bound: only for ``impl="approx"`` (default degree 4); see
            :func:`simplicial_attention_approx`.

    Shapes:
        q ``(B, H, N, D)``, k1/k2 ``(B, H, M, D)``, v1/v2 ``(B, H, M, Dv)`` -> ``(B, H, N, Dv)``.

    References:
        Alman & Song, arXiv:2310.04064; Roy et al., arXiv:2507.02754.

    Example:
        >>> import torch
        >>> q, k1, k2, v1, v2 = torch.randn(5, 1, 2, 8, 4).unbind(0)
        >>> simplicial_attention(q, k1, k2, v1, v2, impl="reference").shape
        torch.Size([1, 2, 8, 4])
    """
    if impl not in _IMPLS:
        raise BadInput(f"impl must be one of {', '.join(_IMPLS)}, got {impl!r}")
    if impl != "approx" and (degree is not None or bound is not None):
        raise BadInput("degree and bound only apply to impl='approx'; drop them or set that impl")
    if impl == "approx":
        if window is not None:
            raise BadInput("impl='approx' computes non-causal attention only; use window=None")
        return simplicial_attention_approx(
            q, k1, k2, v1, v2, degree=4 if degree is None else degree, bound=bound, scale=scale
        )
    if impl == "reference":
        return simplicial_attention_reference(q, k1, k2, v1, v2, window=window, scale=scale)
    _check(q, k1, k2, v1, v2)
    _window(window, q, k1, k2)
    if impl == "auto":
        from rl_shared.attention._dispatch import use_triton

        kernel = _triton_kernel() if use_triton(q, k1, k2, v1, v2) else None
        if kernel is None:
            return simplicial_attention_reference(q, k1, k2, v1, v2, window=window, scale=scale)
    else:
        kernel = _triton_kernel()
        if kernel is None:
            raise BadInput("impl='triton' needs the triton package; install it or use 'reference'")
    return kernel(q, k1, k2, v1, v2, window=window, scale=scale)


def _triton_kernel() -> Callable[..., Tensor] | None:
    try:
        from rl_shared.attention.simplicial_triton import simplicial_attention_triton
    except ImportError:
        return None
    return simplicial_attention_triton


def approximation_error(
    n: int, d: int, bound: float, degrees: Sequence[int], seed: int = 0
) -> dict[str, object]:
    """Error of :func:`simplicial_attention_approx` against the exact result, per degree.

    Inputs follow Alman & Song's bounded-entry setting: entries of ``q, k1, k2`` uniform in
    ``[-bound, bound]``, values uniform in ``[-1, 1]``, logits scaled by ``1/d`` (the paper's
    normalization), so every logit lies in ``[-bound³, bound³]``. Computed in float64.

    Args:
        n, d: sequence length (the exact result costs O(n³·d)) and head dimension.
        bound: entry bound ``B``; degrees: polynomial degrees to try; seed: of the inputs.

    Returns:
        ``n, d, bound``; ``logit_bound`` (the ``B`` given to the polynomial); ``max_logit``; and
        per degree, lists ``degrees, max_abs_error, relative_error`` (‖approx − exact‖_F / ‖exact‖_F).

    References:
        Alman & Song, arXiv:2310.04064.

    Example:
        >>> errs = approximation_error(32, 4, 1.0, [1, 3, 5], seed=0)
        >>> errs["relative_error"][0] > errs["relative_error"][2]
        True
    """
    if n < 1 or d < 1 or not bound > 0:
        raise BadInput(f"approximation_error needs n, d >= 1 and bound > 0, got {n}, {d}, {bound}")
    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(5, 1, 1, n, d, generator=gen, dtype=torch.float64) * 2 - 1
    q, k1, k2, v1, v2 = (x * torch.tensor([bound] * 3 + [1.0] * 2).view(5, 1, 1, 1, 1)).unbind(0)
    scale = 1.0 / d
    with torch.no_grad():
        exact = simplicial_attention_reference(q, k1, k2, v1, v2, scale=scale)
        logits = torch.einsum("bhid,bhjd,bhld->bhijl", q, k1, k2) * scale
        logit_bound = _entry_bound(q * scale, k1, k2)
        max_abs, rel = [], []
        for g in degrees:
            approx = simplicial_attention_approx(q, k1, k2, v1, v2, degree=int(g), scale=scale)
            max_abs.append(float((approx - exact).abs().max()))
            rel.append(float(torch.linalg.norm(approx - exact) / torch.linalg.norm(exact)))
    out: dict[str, object] = {"n": n, "d": d, "bound": float(bound), "logit_bound": logit_bound}
    out["max_logit"], out["degrees"] = float(logits.abs().max()), [int(g) for g in degrees]
    out["max_abs_error"], out["relative_error"] = max_abs, rel
    return out

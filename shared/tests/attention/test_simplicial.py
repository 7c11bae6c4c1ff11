"""2-simplicial attention: the PyTorch reference and Alman & Song's approximation (CPU, PyTorch only)."""

from __future__ import annotations

from itertools import pairwise

import pytest
import torch

from rl_shared.attention.simplicial import (
    approximation_error,
    simplicial_attention,
    simplicial_attention_approx,
    simplicial_attention_reference,
)
from rl_shared.errors import BadInput, ShapeMismatch


def naive(q, k1, k2, v1, v2, scale, mask=None):
    """Materialize every logit with one einsum: the definition, nothing else."""
    s = torch.einsum("bhid,bhjd,bhld->bhijl", q, k1, k2) * scale
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf"))
    p = torch.softmax(s.flatten(-2), dim=-1).view_as(s)
    return torch.einsum("bhijl,bhjd,bhld->bhid", p, v1, v2)


def window_mask(n, w1, w2):
    i, j, l_ = (
        torch.arange(n).view(-1, 1, 1),
        torch.arange(n).view(1, -1, 1),
        torch.arange(n).view(1, 1, -1),
    )
    return (j <= i) & (j > i - w1) & (l_ <= i) & (l_ > i - w2)


def inputs(b=2, h=2, n=7, d=4, dtype=torch.float64, seed=0, scale=1.0):
    gen = torch.Generator().manual_seed(seed)
    return [scale * torch.randn(b, h, n, d, generator=gen, dtype=dtype) for _ in range(5)]


def test_reference_matches_naive_einsum():
    q, k1, k2, v1, v2 = inputs()
    out = simplicial_attention_reference(q, k1, k2, v1, v2)
    torch.testing.assert_close(out, naive(q, k1, k2, v1, v2, 4**-0.5), rtol=1e-12, atol=1e-12)
    assert out.shape == (2, 2, 7, 4)


def test_different_key_lengths_and_value_dim():
    gen = torch.Generator().manual_seed(1)
    q = torch.randn(1, 2, 3, 4, generator=gen, dtype=torch.float64)
    k1, v1 = (
        torch.randn(1, 2, 5, 4, generator=gen, dtype=torch.float64),
        torch.randn(1, 2, 5, 6, generator=gen, dtype=torch.float64),
    )
    k2, v2 = (
        torch.randn(1, 2, 4, 4, generator=gen, dtype=torch.float64),
        torch.randn(1, 2, 4, 6, generator=gen, dtype=torch.float64),
    )
    out = simplicial_attention_reference(q, k1, k2, v1, v2, scale=0.3)
    torch.testing.assert_close(out, naive(q, k1, k2, v1, v2, 0.3), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("window", [1, (2, 3), (3, 2), (7, 7), (10, 1)])
@pytest.mark.parametrize("chunk_size", [None, 1, 3])
def test_window_matches_masked_naive(window, chunk_size):
    q, k1, k2, v1, v2 = inputs()
    w1, w2 = (window, window) if isinstance(window, int) else window
    out = simplicial_attention_reference(q, k1, k2, v1, v2, window=window, chunk_size=chunk_size)
    expected = naive(q, k1, k2, v1, v2, 0.5, window_mask(7, w1, w2))
    torch.testing.assert_close(out, expected, rtol=1e-12, atol=1e-12)


def test_window_is_causal():
    q, k1, k2, v1, v2 = inputs(n=6)
    out = simplicial_attention_reference(q, k1, k2, v1, v2, window=(3, 4))
    k1b, v2b = k1.clone(), v2.clone()
    k1b[:, :, 4:] += 1.0
    v2b[:, :, 4:] -= 2.0
    changed = simplicial_attention_reference(q, k1b, k2, v1, v2b, window=(3, 4))
    torch.testing.assert_close(changed[:, :, :4], out[:, :, :4], rtol=0, atol=0)
    assert not torch.allclose(changed[:, :, 4:], out[:, :, 4:])


@pytest.mark.parametrize("window", [None, (2, 3)])
def test_gradcheck_float64(window):
    args = [t.requires_grad_() for t in inputs(b=1, h=2, n=5, d=3)]
    # chunk_size=2 also exercises the per-chunk recomputation (checkpointing) in backward.
    assert torch.autograd.gradcheck(
        lambda *a: simplicial_attention_reference(*a, window=window, chunk_size=2), args
    )


def test_dispatcher_reference_and_default_scale():
    q, k1, k2, v1, v2 = inputs(n=5)
    out = simplicial_attention(q, k1, k2, v1, v2, window=2, impl="reference")
    torch.testing.assert_close(out, naive(q, k1, k2, v1, v2, 0.5, window_mask(5, 2, 2)))


def test_approx_matches_exact_for_small_bound():
    q, k1, k2, v1, v2 = inputs(b=1, h=2, n=40, d=4, scale=0.4)
    exact = simplicial_attention_reference(q, k1, k2, v1, v2)
    approx = simplicial_attention_approx(q, k1, k2, v1, v2, degree=6)
    torch.testing.assert_close(approx, exact, rtol=0, atol=1e-5)
    via_api = simplicial_attention(q, k1, k2, v1, v2, impl="approx", degree=6)
    torch.testing.assert_close(via_api, approx, rtol=0, atol=0)
    taylor = simplicial_attention_approx(q, k1, k2, v1, v2, degree=8, polynomial="taylor")
    torch.testing.assert_close(taylor, exact, rtol=0, atol=1e-5)


def test_approx_is_exact_polynomial_kernel():
    """With a polynomial whose features are exact, the factorized sums equal the brute-force ones."""
    q, k1, k2, v1, v2 = inputs(b=1, h=1, n=6, d=3, scale=0.5)
    approx = simplicial_attention_approx(
        q, k1, k2, v1, v2, degree=3, polynomial="taylor", scale=1.0
    )
    s = torch.einsum("bhid,bhjd,bhld->bhijl", q, k1, k2)
    w = 1 + s + s**2 / 2 + s**3 / 6
    expected = torch.einsum("bhijl,bhjd,bhld->bhid", w, v1, v2) / w.sum(dim=(-1, -2)).unsqueeze(-1)
    torch.testing.assert_close(approx, expected, rtol=1e-10, atol=1e-12)


def test_approx_error_falls_with_degree():
    errs = approximation_error(n=32, d=4, bound=1.0, degrees=[1, 3, 5, 7], seed=0)
    rel = errs["relative_error"]
    assert all(a > b for a, b in pairwise(rel)), rel
    assert rel[-1] < 1e-5
    assert (
        errs["max_logit"] <= errs["logit_bound"] <= 1.0 + 1e-12
    )  # entries ≤ B, scale 1/d => |s| ≤ B³


def test_approx_error_grows_with_bound():
    small = approximation_error(n=24, d=4, bound=0.8, degrees=[4], seed=1)["max_abs_error"][0]
    large = approximation_error(n=24, d=4, bound=1.6, degrees=[4], seed=1)["max_abs_error"][0]
    assert small < large


def test_approx_gradients_flow():
    args = [t.requires_grad_() for t in inputs(b=1, h=1, n=8, d=3, scale=0.5)]
    simplicial_attention_approx(*args, degree=3).sum().backward()
    assert all(t.grad is not None and torch.isfinite(t.grad).all() for t in args)


def test_bad_inputs():
    q, k1, k2, v1, v2 = inputs(n=5)
    with pytest.raises(ShapeMismatch, match="shape"):
        simplicial_attention_reference(q[0], k1, k2, v1, v2)
    with pytest.raises(ShapeMismatch, match="head_dim"):
        simplicial_attention_reference(q, k1[..., :3], k2, v1, v2)
    with pytest.raises(BadInput, match="window"):
        simplicial_attention_reference(q, k1, k2, v1, v2, window=0)
    with pytest.raises(BadInput, match="window"):
        simplicial_attention_reference(q, k1, k2, v1, v2, window=(1, 2, 3))
    with pytest.raises(ShapeMismatch, match="window"):
        simplicial_attention_reference(q, k1[:, :, :4], k2, v1[:, :, :4], v2, window=2)
    with pytest.raises(BadInput, match="impl"):
        simplicial_attention(q, k1, k2, v1, v2, impl="fast")
    with pytest.raises(BadInput, match="non-causal"):
        simplicial_attention(q, k1, k2, v1, v2, impl="approx", window=2)
    with pytest.raises(BadInput, match="approx"):
        simplicial_attention(q, k1, k2, v1, v2, impl="reference", degree=3)
    with pytest.raises(BadInput, match="degree"):
        simplicial_attention_approx(q, k1, k2, v1, v2, degree=-1)
    with pytest.raises(BadInput, match="dtype"):
        simplicial_attention_reference(q.float(), k1, k2, v1, v2)

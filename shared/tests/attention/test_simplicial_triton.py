"""The Triton 2-simplicial kernel (interpreted on the CPU) against a naive einsum: outputs and gradients."""

import os

import pytest
import torch

from rl_shared.attention.simplicial_triton import simplicial_attention_triton
from rl_shared.errors import BadInput, ShapeMismatch

pytestmark = pytest.mark.skipif(
    os.environ.get("TRITON_INTERPRET") != "1", reason="needs the Triton interpreter"
)

# max-abs error allowed, relative to the largest reference value: float32 differs only in the order of
# accumulation; float16 rounds inputs, products and outputs to 11 bits (2**-11 ~ 5e-4)
TOL = {torch.float32: 1e-5, torch.float16: 4e-3}


def naive(q, k1, k2, v1, v2, window=None):
    n, d = q.shape[-2:]
    s = torch.einsum("bhid,bhjd,bhld->bhijl", q, k1, k2) * d**-0.5
    if window is not None:
        i, j, l = (
            torch.arange(n)[:, None, None],
            torch.arange(n)[None, :, None],
            torch.arange(n)[None, None, :],
        )
        keep = (j <= i) & (j > i - window[0]) & (l <= i) & (l > i - window[1])
        s = s.masked_fill(~keep, float("-inf"))
    p = torch.softmax(s.flatten(-2), -1).view_as(s)
    return torch.einsum("bhijl,bhjd,bhld->bhid", p, v1, v2)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16])
@pytest.mark.parametrize(("n", "window"), [(20, None), (24, (5, 3)), (17, (1, 4))])
def test_matches_naive(dtype, n, window):
    g = torch.Generator().manual_seed(n)
    xs = [torch.randn(1, 2, n, 16, generator=g).to(dtype).requires_grad_() for _ in range(5)]
    out = simplicial_attention_triton(*xs, window=window)
    grad_out = torch.randn(out.shape, generator=g).to(dtype)
    out.backward(grad_out)
    ref_in = [x.detach().double().requires_grad_() for x in xs]
    ref = naive(*ref_in, window=window)
    ref.backward(grad_out.double())
    for name, ours, theirs in zip(
        ("out", "dq", "dk1", "dk2", "dv1", "dv2"),
        (out, *(x.grad for x in xs)),
        (ref, *(r.grad for r in ref_in)),
        strict=True,
    ):
        err = (ours.double() - theirs).abs().max().item()
        assert err <= TOL[dtype] * theirs.abs().max().item(), f"{name}: max error {err:.3g}"


def test_window_one_by_one_is_attention_to_own_token():
    xs = [torch.randn(1, 1, 16, 16) for _ in range(5)]
    out = simplicial_attention_triton(*xs, window=1)
    torch.testing.assert_close(out, xs[3] * xs[4])


def test_bad_inputs():
    x = torch.randn(1, 1, 8, 16)
    with pytest.raises(ShapeMismatch, match="five tensors of one shape"):
        simplicial_attention_triton(x, x, x, x, x[:, :, :4])
    with pytest.raises(BadInput, match="window sizes must be positive"):
        simplicial_attention_triton(x, x, x, x, x, window=(0, 2))


def test_public_api_dispatches_to_the_kernel_and_agrees_with_reference(monkeypatch):
    from rl_shared.attention import simplicial, simplicial_attention

    xs = [torch.randn(1, 2, 20, 16, generator=torch.Generator().manual_seed(i)) for i in range(5)]
    calls = []
    real = simplicial_attention_triton
    monkeypatch.setattr(
        simplicial, "_triton_kernel", lambda: lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    auto = simplicial_attention(*xs, window=(6, 4))
    reference = simplicial_attention(*xs, window=(6, 4), impl="reference")
    assert calls, "impl='auto' did not use the Triton kernel under the interpreter"
    torch.testing.assert_close(auto, reference, atol=1e-5, rtol=0)

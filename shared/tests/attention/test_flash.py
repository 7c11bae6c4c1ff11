"""Triton flash attention (interpreted on the CPU) against PyTorch SDPA: outputs and gradients."""

import os

import pytest
import torch

from rl_shared.attention import flash, flash_attention, flash_attention_reference
from rl_shared.errors import BadInput, ShapeMismatch

# max-abs error allowed, relative to the largest reference value: float32 differs only in the order of
# accumulation; float16 rounds inputs, products and outputs to 11 bits (2**-11 ~ 5e-4)
TOL = {torch.float32: 1e-5, torch.float16: 4e-3}

pytestmark = pytest.mark.skipif(
    os.environ.get("TRITON_INTERPRET") != "1", reason="needs the Triton interpreter"
)


def _check(q, k, v, causal=False, cu_seqlens=None):
    out = flash_attention(q, k, v, causal=causal, cu_seqlens=cu_seqlens)
    grad_out = torch.randn(out.shape, generator=torch.Generator().manual_seed(7)).to(out.dtype)
    out.backward(grad_out)
    ref_in = [t.detach().double().requires_grad_() for t in (q, k, v)]
    ref = flash_attention_reference(*ref_in, causal=causal, cu_seqlens=cu_seqlens)
    ref.backward(grad_out.double())
    assert out.dtype == q.dtype
    for name, ours, theirs in zip(
        ("out", "dq", "dk", "dv"),
        (out, q.grad, k.grad, v.grad),
        (ref, *(t.grad for t in ref_in)),
        strict=True,
    ):
        err = (ours.double() - theirs).abs().max().item()
        assert err <= TOL[q.dtype] * theirs.abs().max().item(), f"{name}: max error {err:.3g}"


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16])
@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize(("seq", "head_dim"), [(40, 32), (17, 64), (33, 128)])
def test_matches_sdpa(dtype, causal, seq, head_dim):
    g = torch.Generator().manual_seed(seq + head_dim)
    q, k, v = (
        torch.randn(2, 2, seq, head_dim, generator=g).to(dtype).requires_grad_() for _ in range(3)
    )
    _check(q, k, v, causal=causal)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16])
@pytest.mark.parametrize("causal", [False, True])
def test_varlen_matches_per_sequence_sdpa(dtype, causal):
    cu = torch.tensor(
        [0, 5, 37, 38, 70], dtype=torch.int32
    )  # one sequence of length 1, blocks straddled
    g = torch.Generator().manual_seed(1)
    q, k, v = (torch.randn(1, 3, 70, 32, generator=g).to(dtype).requires_grad_() for _ in range(3))
    _check(q, k, v, causal=causal, cu_seqlens=cu)


def test_varlen_sequences_do_not_see_each_other():
    cu = torch.tensor([0, 10, 30], dtype=torch.int32)
    q, k, v = (torch.randn(1, 1, 30, 16) for _ in range(3))
    out = flash_attention(q, k, v, cu_seqlens=cu)
    v2 = v.clone()
    v2[:, :, 10:] += 100.0  # change only the second sequence
    torch.testing.assert_close(flash_attention(q, k, v2, cu_seqlens=cu)[:, :, :10], out[:, :, :10])


def test_custom_scale():
    q, k, v = (torch.randn(1, 1, 20, 16, requires_grad=True) for _ in range(3))
    out = flash_attention(q, k, v, scale=0.3)
    torch.testing.assert_close(
        out, flash_attention_reference(q, k, v, scale=0.3), atol=1e-5, rtol=0
    )


def test_cpu_without_interpreter_falls_back_to_sdpa_silently(monkeypatch, recwarn):
    monkeypatch.delenv("TRITON_INTERPRET")

    def triton_called(*args):
        raise AssertionError("the Triton path must not run on the CPU without the interpreter")

    monkeypatch.setattr(flash._FlashAttention, "apply", triton_called)
    cu = torch.tensor([0, 3, 8], dtype=torch.int32)
    q, k, v = (torch.randn(1, 2, 8, 32) for _ in range(3))
    out = flash_attention(q, k, v, causal=True, cu_seqlens=cu)
    torch.testing.assert_close(out, flash_attention_reference(q, k, v, causal=True, cu_seqlens=cu))
    assert len(recwarn) == 0


def test_bad_inputs_are_clear_errors():
    q = torch.randn(1, 1, 8, 32)
    with pytest.raises(ShapeMismatch, match="one shape"):
        flash_attention(q, q[:, :, :4], q)
    with pytest.raises(BadInput, match="head_dim"):
        flash_attention(*(torch.randn(1, 1, 8, 24) for _ in range(3)))
    with pytest.raises(BadInput, match="from 0 to the packed length 8"):
        flash_attention(q, q, q, cu_seqlens=torch.tensor([0, 5], dtype=torch.int32))

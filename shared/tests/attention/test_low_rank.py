"""LowRankMultiheadAttention: shapes, padding, gradients and memory linear in the sequence length."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from rl_shared.attention.low_rank import LowRankMultiheadAttention
from rl_shared.errors import BadInput, ShapeMismatch


def make(**kwargs):
    torch.manual_seed(0)
    return LowRankMultiheadAttention(8, num_heads=3, rank=4, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "width"), [({}, 24), ({"head_dim": 5}, 15), ({"out_dim": 7}, 7)]
)
def test_shapes(kwargs, width):
    pool = make(**kwargs)
    pooled, weights = pool(torch.randn(2, 6, 8))
    assert pooled.shape == (2, width) and pool.out_dim == width
    assert weights.shape == (2, 3, 6)
    torch.testing.assert_close(weights.sum(-1), torch.ones(2, 3))


def test_pooling_is_attention_weighted_sum():
    pool = make()
    x = torch.randn(2, 6, 8)
    pooled, weights = pool(x)
    torch.testing.assert_close(pooled, torch.einsum("bmn,bnd->bmd", weights, x).flatten(1))


def test_padded_tokens_change_nothing():
    pool = make(head_dim=5).eval()
    x = torch.randn(2, 6, 8)
    mask = torch.zeros(2, 6, dtype=torch.bool)
    mask[0, 4:] = True
    mask[1, 2:] = True
    pooled, weights = pool(x, key_padding_mask=mask)
    assert (weights.masked_select(mask.unsqueeze(1)) == 0).all()
    torch.testing.assert_close(weights.sum(-1), torch.ones(2, 3))
    noisy = x.clone()
    noisy[mask] = 100 * torch.randn(int(mask.sum()), 8)
    pooled2, weights2 = pool(noisy, key_padding_mask=mask)
    torch.testing.assert_close(pooled2, pooled, rtol=0, atol=0)
    torch.testing.assert_close(weights2, weights, rtol=0, atol=0)
    short, _ = pool(x[1:, :2])  # the second sequence truncated to its real tokens
    torch.testing.assert_close(pooled[1:], short)


def test_all_padding_gives_zeros_not_nan():
    pool = make()
    mask = torch.ones(1, 4, dtype=torch.bool)
    x = torch.randn(1, 4, 8, requires_grad=True)
    pooled, weights = pool(x, key_padding_mask=mask)
    assert (pooled == 0).all() and (weights == 0).all()
    pooled.sum().backward()
    assert torch.isfinite(x.grad).all()


def test_gradients_reach_every_parameter_and_input():
    pool = make(head_dim=5, out_dim=2)
    x = torch.randn(2, 6, 8, requires_grad=True)
    pooled, _ = pool(x, key_padding_mask=torch.tensor([[False] * 6, [False] * 4 + [True] * 2]))
    (pooled**2).sum().backward()
    assert x.grad is not None and x.grad[0].abs().sum() > 0
    assert (x.grad[1, 4:] == 0).all()  # padded tokens receive no gradient
    for name, p in pool.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name


def test_gradcheck_float64():
    pool = make().double()
    x = torch.randn(2, 5, 8, dtype=torch.float64, requires_grad=True)
    mask = torch.tensor([[False] * 5, [False] * 3 + [True] * 2])
    assert torch.autograd.gradcheck(lambda t: pool(t, key_padding_mask=mask)[0], (x,))


def saved_bytes(module: nn.Module, n: int, *args) -> int:
    """Bytes autograd keeps for the backward pass after one forward on (1, n, 16) inputs.

    Distinct storages are counted once; the count depends only on shapes, so it is exact and
    deterministic (no allocator, no timing).
    """
    torch.manual_seed(0)
    x = torch.randn(1, n, 16, requires_grad=True)
    seen: dict[tuple[int, int], int] = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        storage = t.untyped_storage()
        seen[(storage.data_ptr(), storage.nbytes())] = storage.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        module(x, *args)
    return sum(seen.values())


def test_memory_is_linear_in_sequence_length():
    pool = LowRankMultiheadAttention(16, num_heads=4, rank=4)
    sizes = [saved_bytes(pool, n) for n in (64, 128, 256)]
    # affine in n (a + b·n): going 128 -> 256 adds exactly twice what 64 -> 128 added
    assert sizes[2] - sizes[1] == 2 * (sizes[1] - sizes[0]), sizes
    mha = nn.MultiheadAttention(16, 4, batch_first=True)
    quad = [saved_bytes(lambda x: mha(x, x, x), n) for n in (64, 128, 256)]
    assert quad[2] - quad[1] > 3 * (quad[1] - quad[0]), quad  # self-attention grows ~n²
    assert sizes[2] * 4 < quad[2]


def test_bad_inputs():
    pool = make()
    with pytest.raises(ShapeMismatch, match="expects x"):
        pool(torch.randn(2, 6, 5))
    with pytest.raises(ShapeMismatch, match="key_padding_mask"):
        pool(torch.randn(2, 6, 8), key_padding_mask=torch.zeros(2, 5, dtype=torch.bool))
    with pytest.raises(BadInput, match="bool"):
        pool(torch.randn(2, 6, 8), key_padding_mask=torch.zeros(2, 6))
    with pytest.raises(BadInput, match="rank"):
        LowRankMultiheadAttention(8, rank=0)

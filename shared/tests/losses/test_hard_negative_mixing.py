import pytest
import torch

from rl_shared.errors import BadInput
from rl_shared.losses import HardNegativeMixingLoss, info_nce, mix_hard_negatives
from rl_shared.losses.info_nce import info_nce_logits


def _data(seed=0):
    g = torch.Generator().manual_seed(seed)
    return (
        torch.randn(8, 16, generator=g),
        torch.randn(8, 16, generator=g),
        torch.randn(8, 2, 16, generator=g),
    )


def test_mixed_negatives_lie_between_hardest_negatives():
    a, p, n = _data()
    logits, own, cands = info_nce_logits(a, p, n)
    other = logits.scatter(1, own, float("-inf"))
    extra = mix_hard_negatives(
        a,
        cands,
        other,
        num_mixed=16,
        top_k=2,
        temperature=1.0,
        generator=torch.Generator().manual_seed(0),
    )
    top2 = other.topk(2, dim=1).values  # cosine / 0.05 of the two hardest
    # a normalised mixture of two unit vectors has cosine with the anchor >= min of the two
    assert (extra >= top2[:, 1:2] * 0.05 - 1e-6).all()


def test_adds_negatives_so_loss_grows_and_gradients_skip_synthetic(model):
    a, p, n = _data(1)
    a.requires_grad_()
    loss = HardNegativeMixingLoss(model, num_mixed=4, top_k=4, seed=0)
    value = loss([{"x": a}, {"x": p}, {"x": n[:, 0]}, {"x": n[:, 1]}])
    assert float(value) > float(info_nce(a, p, n))
    value.backward()
    assert torch.isfinite(a.grad).all()


def test_seeded_mixing_is_deterministic(model):
    a, p, n = _data(2)
    cols = [{"x": a}, {"x": p}, {"x": n[:, 0]}]
    first = HardNegativeMixingLoss(model, seed=3)(cols)
    assert torch.equal(first, HardNegativeMixingLoss(model, seed=3)(cols))


def test_too_small_batch_raises():
    a = torch.randn(1, 4)
    logits, own, cands = info_nce_logits(a, a)
    other = logits.scatter(1, own, float("-inf"))
    with pytest.raises(BadInput, match="two negatives"):
        mix_hard_negatives(a, cands, other)

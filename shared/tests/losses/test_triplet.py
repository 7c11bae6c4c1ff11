import pytest
import torch

from rl_shared.errors import BadInput
from rl_shared.losses import TripletLoss, triplet_loss


def _abc(seed=0):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(10, 6, generator=g, dtype=torch.float64) for _ in range(3)]


def test_hinge_equals_torch_triplet_margin_loss():
    a, p, n = _abc()
    ref = torch.nn.TripletMarginLoss(margin=1.0, p=2, eps=0.0)(a, p, n)
    assert torch.allclose(triplet_loss(a, p, n, margin=1.0), ref)


def test_soft_form_is_bradley_terry_likelihood(model):
    a, p, n = _abc(1)
    d_p, d_n = (a - p).norm(dim=1), (a - n).norm(dim=1)
    expected = -torch.log(torch.sigmoid(d_n - d_p)).mean()
    assert torch.allclose(TripletLoss(model, margin=0.0)([{"x": a}, {"x": p}, {"x": n}]), expected)


def test_swapping_answer_changes_sign_of_gap_and_gradcheck():
    a, p, n = (t.requires_grad_() for t in _abc(2))
    assert torch.autograd.gradcheck(
        lambda a, p, n: triplet_loss(a, p, n, distance="cosine"), (a, p, n)
    )
    with pytest.raises(BadInput, match="distance"):
        triplet_loss(a, p, n, distance="manhattan")

"""CoSENT, Pearson and rank-KL: CoDiEmb's order-aware STS losses."""

import numpy as np
import pytest
import torch
from sentence_transformers.sentence_transformer.losses import CoSENTLoss as STCoSENTLoss

from rl_shared.errors import BadInput, ShapeMismatch
from rl_shared.losses import CoSENTLoss, PearsonLoss, RankKLLoss, cosent, pearson_loss, rank_kl


def _pairs(b=12, d=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    u, v = (
        torch.randn(b, d, generator=g, dtype=torch.float64),
        torch.randn(b, d, generator=g, dtype=torch.float64),
    )
    labels = torch.randint(0, 6, (b,), generator=g).to(torch.float64) / 5  # ties included
    return u, v, labels


@pytest.mark.parametrize("scale", [20.0, 5.0])
def test_cosent_equals_sentence_transformers(model, scale):
    u, v, y = _pairs()
    ref = STCoSENTLoss(None, scale=scale).compute_loss_from_embeddings([u, v], y)
    ours = CoSENTLoss(model, scale=scale)([{"x": u}, {"x": v}], y)
    assert abs(float(ours) - float(ref)) < 1e-6


def test_pearson_loss_matches_numpy():
    u, v, y = _pairs(seed=1)
    scores = torch.nn.functional.cosine_similarity(u, v)
    expected = 1 - np.corrcoef(scores.numpy(), y.numpy())[0, 1]
    assert abs(float(pearson_loss(scores, y)) - expected) < 1e-9


def test_pearson_is_invariant_to_affine_labels(model):
    u, v, y = _pairs(seed=2)
    loss = PearsonLoss(model)
    assert torch.allclose(loss([{"x": u}, {"x": v}], y), loss([{"x": u}, {"x": v}], 5 * y + 3))


def test_rank_kl_zero_when_orders_and_spacings_agree_and_matches_formula():
    y = torch.tensor([0.1, 0.3, 0.8, 0.5], dtype=torch.float64)
    assert float(rank_kl(y, y, scale=20.0, label_temperature=0.05)) < 1e-12
    s = torch.tensor([0.2, 0.1, 0.4, 0.9], dtype=torch.float64)
    p, q = torch.softmax(y / 0.05, 0), torch.softmax(s * 20, 0)
    assert torch.allclose(rank_kl(s, y), (p * (p / q).log()).sum())


@pytest.mark.parametrize("fn", [cosent, pearson_loss, rank_kl])
def test_gradcheck(fn):
    g = torch.Generator().manual_seed(3)
    s = torch.rand(6, generator=g, dtype=torch.float64).requires_grad_()
    y = torch.tensor([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda s: fn(s, y), (s,))


def test_mismatched_labels_and_bad_inputs(model):
    u, v, y = _pairs()
    with pytest.raises(ShapeMismatch, match="one label per pair: got 5 labels for 12 pairs"):
        CoSENTLoss(model)([{"x": u}, {"x": v}], y[:5])
    with pytest.raises(ShapeMismatch, match="two text columns"):
        RankKLLoss(model)([{"x": u}], y)
    with pytest.raises(BadInput, match="at least two pairs"):
        pearson_loss(torch.ones(1), torch.ones(1))

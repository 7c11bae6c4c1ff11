import pytest
import torch
from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

from rl_shared.errors import NonFiniteLoss, RLError, ShapeMismatch
from rl_shared.losses import InfoNCELoss, info_nce


def _batch(b=16, d=32, seed=0):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(b, d, generator=g, dtype=torch.float64) for _ in range(4)]


@pytest.mark.parametrize("n_neg", [0, 1, 2])
@pytest.mark.parametrize("temperature", [0.05, 0.2])
def test_equals_sentence_transformers_mnrl(n_neg, temperature):
    a, p, n1, n2 = _batch()
    negs = [n1, n2][:n_neg]
    ref = MultipleNegativesRankingLoss(None, scale=1 / temperature).compute_loss_from_embeddings(
        [a, p, *negs], None
    )
    ours = info_nce(a, p, torch.stack(negs, 1) if negs else None, temperature=temperature)
    assert abs(float(ours) - float(ref)) < 1e-6


def test_module_form_equals_function(model):
    a, p, n1, _ = _batch()
    loss = InfoNCELoss(model, temperature=0.05)
    value = loss([{"x": a}, {"x": p}, {"x": n1}], torch.zeros(16))
    assert torch.allclose(value, info_nce(a, p, n1))
    assert "oord" in loss.citation


def test_several_positives_is_mean_over_single_positive_losses_without_sibling():
    a, p1, p2, n = _batch(b=6)
    both = info_nce(a, torch.stack([p1, p2], 1), n)
    # positive p of anchor i competes with every candidate except the anchor's other positive
    per = []
    for own, other in ((p1, p2), (p2, p1)):
        cands = torch.cat([own, other, n])
        logits = (
            torch.nn.functional.normalize(a, dim=1)
            @ torch.nn.functional.normalize(cands, dim=1).T
            / 0.05
        )
        idx = torch.arange(6)
        logits[idx, 6 + idx] = float("-inf")
        per.append(torch.nn.functional.cross_entropy(logits, idx))
    assert torch.allclose(both, torch.stack(per).mean())


def test_gradcheck():
    a, p, n, _ = (t[:4, :5].clone().requires_grad_() for t in _batch())
    assert torch.autograd.gradcheck(lambda a, p, n: info_nce(a, p, n, temperature=0.5), (a, p, n))


def test_mismatched_batch_sizes_raise_clear_error():
    a, p, _, _ = _batch()
    with pytest.raises(ShapeMismatch, match=r"same batch size.*anchors has 16.*positives has 8"):
        info_nce(a, p[:8])


def test_nan_raises():
    a, p, _, _ = _batch()
    a[0, 0] = float("nan")
    with pytest.raises(NonFiniteLoss, match="NaN"):
        info_nce(a, p)


def test_bad_temperature_and_columns(model):
    a, p, _, _ = _batch()
    with pytest.raises(RLError, match="temperature"):
        info_nce(a, p, temperature=0)
    with pytest.raises(ShapeMismatch, match="2 positive column"):
        InfoNCELoss(model, num_positives=2)([{"x": a}, {"x": p}])

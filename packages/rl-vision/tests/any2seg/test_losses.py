import pytest
import torch
import torch.nn.functional as F

from rl_shared.errors import BadInput, ShapeMismatch
from rl_vision.any2seg.losses import LSCDLoss, lscd_loss, semantic_distribution


def _emb(seed, names=("rgb", "depth", "event"), d=6, hw=4):
    g = torch.Generator().manual_seed(seed)
    return {m: torch.randn(2, d, hw, hw, generator=g) for m in names}


def test_zero_when_correlations_match():
    text = torch.randn(5, 6)
    t = _emb(0)
    assert float(lscd_loss(t, t, text)) == 0.0
    scaled = {m: 3.5 * v for m, v in t.items()}  # same directions, same correlations
    assert float(lscd_loss(scaled, t, text)) == pytest.approx(0.0, abs=1e-10)


def test_positive_when_different_and_differentiable():
    text = torch.randn(5, 6)
    s = {m: v.requires_grad_() for m, v in _emb(1).items()}
    loss = lscd_loss(s, _emb(2), text)
    assert float(loss.detach()) > 0
    loss.backward()
    assert all(v.grad is not None and v.grad.abs().sum() > 0 for v in s.values())


def test_matches_a_loop_reference():
    text = torch.randn(4, 6)
    s, t = _emb(3, ("a", "b"), hw=2), _emb(4, ("a", "b"), hw=2)

    def dist(e):  # (B, N, K) by loops over positions
        b, _d, h, w = e.shape
        out = torch.zeros(b, h * w, 4)
        for i in range(b):
            for p in range(h * w):
                v = e[i, :, p // w, p % w]
                out[i, p] = torch.softmax(F.cosine_similarity(v[None], text, dim=1) / 0.1, 0)
        return out

    def corr(p, q):
        return torch.stack([
            torch.tensor([[float(F.cosine_similarity(p[i, x], q[i, y], dim=0)) for y in range(p.shape[1])]
                          for x in range(p.shape[1])]) for i in range(p.shape[0])
        ])  # fmt: skip

    ps, pt = {m: dist(v) for m, v in s.items()}, {m: dist(v) for m, v in t.items()}
    intra = sum(F.mse_loss(corr(ps[m], ps[m]), corr(pt[m], pt[m])) for m in "ab") / 2
    inter = F.mse_loss(corr(ps["a"], ps["b"]), corr(pt["a"], pt["b"]))
    expected = 0.7 * intra + 0.3 * inter
    got = lscd_loss(s, t, text, alpha=0.7, beta=0.3)
    assert float(got) == pytest.approx(float(expected), rel=1e-4)


def test_single_modality_has_only_the_intra_term():
    text = torch.randn(5, 6)
    s, t = _emb(5, ("rgb",)), _emb(6, ("rgb",))
    assert float(lscd_loss(s, t, text, beta=100.0)) == pytest.approx(
        float(lscd_loss(s, t, text, beta=0.0))
    )


def test_teacher_is_pooled_to_the_student_grid_and_errors():
    text = torch.randn(3, 6)
    s = {"rgb": torch.randn(1, 6, 4, 4)}
    t = {"rgb": torch.randn(1, 6, 16, 16)}
    assert torch.isfinite(lscd_loss(s, t, text))
    with pytest.raises(BadInput, match="no embedding"):
        lscd_loss(s, {"depth": t["rgb"]}, text)
    with pytest.raises(ShapeMismatch):
        semantic_distribution(torch.randn(1, 5, 2, 2), text)
    assert float(LSCDLoss(text)(s, s)) == 0.0

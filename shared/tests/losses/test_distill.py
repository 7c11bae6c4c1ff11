import pytest
import torch
from sentence_transformers.sentence_transformer.losses import MSELoss as STMSELoss

from rl_shared.errors import ShapeMismatch
from rl_shared.losses import ScoreDistillationLoss, score_distillation


def test_mse_equals_sentence_transformers_mse_on_embeddings():
    g = torch.Generator().manual_seed(0)
    student, teacher = torch.randn(16, 384, generator=g), torch.randn(16, 384, generator=g)
    ref = STMSELoss.compute_loss_from_embeddings(_st_mse(), [student], [teacher])
    assert abs(float(score_distillation(student, teacher)) - float(ref)) < 1e-6


def _st_mse():
    loss = STMSELoss.__new__(STMSELoss)
    torch.nn.Module.__init__(loss)
    loss.projection, loss.distance_metric = None, "mse"
    return loss


def test_kl_is_zero_for_equal_scores_and_matches_formula():
    s = torch.randn(4, 5, dtype=torch.float64)
    assert float(score_distillation(s, s, kind="kl")) == pytest.approx(0.0, abs=1e-12)
    t = torch.randn(4, 5, dtype=torch.float64)
    p, q = torch.softmax(t / 2, -1), torch.softmax(s / 2, -1)
    expected = (p * (p / q).log()).sum(-1).mean() * 4
    assert torch.allclose(score_distillation(s, t, kind="kl", temperature=2.0), expected)


def test_module_regresses_teacher_pair_scores(model):
    g = torch.Generator().manual_seed(1)
    u, v = torch.randn(8, 16, generator=g), torch.randn(8, 16, generator=g)
    teacher = torch.rand(8, generator=g)
    value = ScoreDistillationLoss(model)([{"x": u}, {"x": v}], teacher)
    assert torch.allclose(value, ((torch.cosine_similarity(u, v) - teacher) ** 2).mean())


def test_gradcheck_and_shape_error():
    s = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    t = torch.randn(3, 4, dtype=torch.float64)
    assert torch.autograd.gradcheck(
        lambda s: score_distillation(s, t, kind="kl", temperature=0.7), (s,)
    )
    with pytest.raises(ShapeMismatch, match="one shape"):
        score_distillation(s, t[:2])

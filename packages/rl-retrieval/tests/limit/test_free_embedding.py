from __future__ import annotations

import torch

from rl_retrieval.limit.free_embedding import (
    PAPER_CUBIC,
    critical_n,
    fit_cubic,
    fit_free_embedding,
    free_embedding_loss,
    polyval,
)


def test_critical_n_small_dimensions():
    assert critical_n(2).n == 3
    assert critical_n(3).n == 4


def test_analytic_gradient_matches_autograd():
    torch.manual_seed(0)
    q = torch.nn.functional.normalize(torch.randn(2, 6, 3), dim=-1).double().requires_grad_()
    d = torch.nn.functional.normalize(torch.randn(2, 4, 3), dim=-1).double().requires_grad_()
    qrels = torch.combinations(torch.arange(4), 2)
    free_embedding_loss(q, d, qrels, 0.1).backward()
    target = torch.zeros(6, 4, dtype=torch.double).scatter_(1, qrels, 0.5)
    grad = (torch.softmax(q @ d.transpose(1, 2) / 0.1, 2) - target) / (0.1 * 2 * 6)
    torch.testing.assert_close(q.grad, grad @ d.detach())
    torch.testing.assert_close(d.grad, grad.transpose(1, 2) @ q.detach())


def test_fit_reports():
    ok = fit_free_embedding(5, 4)
    assert ok.solved and ok.best_fraction == 1.0
    bad = fit_free_embedding(6, 2, max_steps=300, patience=100)
    assert not bad.solved and 0 < bad.best_fraction < 1


def test_cubic_helpers():
    ds = [4, 6, 8, 10, 12]
    coef = fit_cubic(ds, [polyval(PAPER_CUBIC, d) for d in ds])
    assert all(abs(a - b) < 1e-6 for a, b in zip(coef, PAPER_CUBIC))

from __future__ import annotations

import pytest
import torch

from rl_shared.errors import ShapeMismatch
from rl_shared.runtime import seed_everything
from rl_text.cvib.losses import self_pruning_contrastive_loss


def test_zero_for_identical_representations():
    seed_everything(0)
    h = torch.randn(8, 16)
    assert float(self_pruning_contrastive_loss(h, h.clone())) == pytest.approx(0.0, abs=1e-6)
    # scaling does not change cosine: still zero
    assert float(self_pruning_contrastive_loss(h, 3 * h)) == pytest.approx(0.0, abs=1e-6)


def test_positive_when_pairs_mismatched_and_nonnegative():
    seed_everything(1)
    h = torch.randn(8, 16)
    assert float(self_pruning_contrastive_loss(h, h.roll(1, 0))) > 0.5
    for _ in range(5):
        assert float(self_pruning_contrastive_loss(h, torch.randn(8, 16))) >= 0


def test_gradient_pulls_positive_and_pushes_negative():
    seed_everything(2)
    h = torch.randn(6, 16)
    p = (h + 0.5 * torch.randn(6, 16)).requires_grad_()
    loss = self_pruning_contrastive_loss(h, p)
    loss.backward()
    with torch.no_grad():
        stepped = p - 0.1 * p.grad
    assert float(self_pruning_contrastive_loss(h, stepped)) < loss.item()
    # the step raises the positive cosine of every row
    cos = torch.nn.functional.cosine_similarity
    assert bool((cos(h, stepped) > cos(h, p.detach())).all())


def test_shape_errors():
    with pytest.raises(ShapeMismatch):
        self_pruning_contrastive_loss(torch.randn(4, 3), torch.randn(4, 2))

import numpy as np
import pytest
import torch

from rl_shared.errors import ShapeMismatch
from rl_vision.any2seg.metrics import SegmentationMeter


def test_iou_matches_numpy_reference_over_batches():
    g = torch.Generator().manual_seed(0)
    k = 5
    meter = SegmentationMeter(k)
    preds, targets = [], []
    for _ in range(3):
        p = torch.randint(0, k - 1, (2, 6, 7), generator=g)  # class 4 never predicted
        t = torch.randint(0, k - 1, (2, 6, 7), generator=g)  # nor present
        meter.update(p, t)
        preds.append(p.numpy().ravel())
        targets.append(t.numpy().ravel())
    p, t = np.concatenate(preds), np.concatenate(targets)
    ref = []
    for c in range(k - 1):
        inter = np.sum((p == c) & (t == c))
        union = np.sum((p == c) | (t == c))
        ref.append(inter / union)
    iou = meter.per_class_iou()
    np.testing.assert_allclose(iou[: k - 1].numpy(), ref)
    assert torch.isnan(iou[k - 1])
    assert meter.miou() == pytest.approx(np.mean(ref))


def test_logits_and_ignore_index():
    meter = SegmentationMeter(2, ignore_index=255)
    logits = torch.tensor([[[[5.0, 0.0]], [[0.0, 5.0]]]])  # predicts [0, 1]
    meter.update(logits, torch.tensor([[[0, 255]]]))
    assert meter.per_class_iou()[0] == 1.0 and torch.isnan(meter.per_class_iou()[1])
    with pytest.raises(ShapeMismatch):
        meter.update(torch.zeros(1, 2, 2, dtype=torch.long), torch.zeros(1, 3, 3, dtype=torch.long))

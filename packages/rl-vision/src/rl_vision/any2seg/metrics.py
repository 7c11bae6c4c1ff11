"""Segmentation metrics through smp: per-class IoU and mIoU accumulated over batches.

Confusion counts come from ``smp.metrics.get_stats`` (multiclass mode) and are summed
over every image; IoU per class is ``smp.metrics.iou_score`` on the summed counts. mIoU
averages over classes that occur in the labels or the predictions (a class absent from
both has no defined IoU).

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation from Any
    Modalities", ECCV 2024. https://arxiv.org/abs/2407.11351

Example:
    >>> import torch
    >>> meter = SegmentationMeter(3)
    >>> meter.update(torch.tensor([[[0, 1], [2, 2]]]), torch.tensor([[[0, 1], [2, 1]]]))
    >>> [round(v, 3) for v in meter.per_class_iou().tolist()], round(meter.miou(), 3)
    ([1.0, 0.5, 0.5], 0.667)
"""

from __future__ import annotations

import segmentation_models_pytorch as smp
import torch
from torch import Tensor

from rl_shared.errors import ShapeMismatch

__all__ = ["SegmentationMeter"]


class SegmentationMeter:
    """Accumulates true/false positives/negatives per class.

    Args:
        num_classes: number of classes ``K``.
        ignore_index: label value to ignore (e.g. 255 in DELIVER), or ``None``.
    """

    def __init__(self, num_classes: int, ignore_index: int | None = None) -> None:
        self.num_classes = num_classes
        self.ignore_index = ignore_index
        self.stats = torch.zeros(4, num_classes, dtype=torch.long)

    def update(self, prediction: Tensor, target: Tensor) -> None:
        """Add a batch: ``prediction`` class ids ``(B, H, W)`` or logits ``(B, K, H, W)``."""
        if prediction.dim() == 4:
            prediction = prediction.argmax(dim=1)
        if prediction.shape != target.shape:
            raise ShapeMismatch(
                f"prediction {tuple(prediction.shape)} and target {tuple(target.shape)} differ"
            )
        tp, fp, fn, tn = smp.metrics.get_stats(
            prediction.long(),
            target.long(),
            mode="multiclass",
            num_classes=self.num_classes,
            ignore_index=self.ignore_index,
        )
        self.stats += torch.stack([tp.sum(0), fp.sum(0), fn.sum(0), tn.sum(0)])

    def per_class_iou(self) -> Tensor:
        """``(K,)`` IoU per class (NaN where the class is absent from labels and predictions)."""
        tp, fp, fn, tn = (s[None] for s in self.stats)
        iou = smp.metrics.iou_score(tp, fp, fn, tn, reduction="none", zero_division=0.0)[0]
        absent = (self.stats[0] + self.stats[1] + self.stats[2]) == 0
        return torch.where(absent, torch.nan, iou.double())

    def miou(self) -> float:
        """Mean IoU over the classes that occur."""
        return float(torch.nanmean(self.per_class_iou()))

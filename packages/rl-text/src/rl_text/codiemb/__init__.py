"""CoDiEmb: joint retrieval + STS training with single-task batches and task-specific losses.

Single-task batches with a batch size per task (:class:`TaskBatchSampler`), multi-positive
InfoNCE with mined hard negatives for retrieval, the order-aware CoSENT + Pearson + rank-KL
loss for STS (:class:`OrderAwareStsLoss`), and delta-guided fusion of checkpoints
(:func:`rl_text.core.soup.delta_fusion`).

References:
    Zhang et al., "CoDiEmb: A Collaborative yet Distinct Framework for Unified Representation
    Learning in Information Retrieval and Semantic Textual Similarity", arXiv:2508.11442.

Example:
    >>> from rl_text.codiemb import OrderAwareStsLoss
    >>> OrderAwareStsLoss(model=None).weights
    (1.0, 1.0, 1.0)
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "OrderAwareStsLoss": "rl_text.codiemb.losses",
    "PerTaskBatchSizes": "rl_text.codiemb.sampler",
    "TaskBatchSampler": "rl_text.codiemb.sampler",
    "train_codiemb": "rl_text.codiemb.train",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

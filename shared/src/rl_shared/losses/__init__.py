"""Contrastive and order-aware losses, each a pure function and a sentence-transformers module.

| function | module | paper |
|---|---|---|
| :func:`info_nce` | :class:`InfoNCELoss` | InfoNCE / multiple-negatives ranking |
| :func:`focal_info_nce` | :class:`FocalInfoNCELoss` | KaLM-Embedding-V2 focal reweighting |
| :func:`mix_hard_negatives` | :class:`HardNegativeMixingLoss` | KaLM-Embedding-V2 hard-negative mixing |
| :func:`cosent` | :class:`CoSENTLoss` | CoSENT (CoDiEmb STS) |
| :func:`pearson_loss` | :class:`PearsonLoss` | CoDiEmb STS |
| :func:`rank_kl` | :class:`RankKLLoss` | CoDiEmb STS |
| :func:`score_distillation` | :class:`ScoreDistillationLoss` | DSE |
| :func:`triplet_loss` | :class:`TripletLoss` | similarity queries (SIRL) |
| :func:`mim_loss`, :func:`cmim_contrastive` | :class:`CMIMLoss` | cMIM |
"""

from rl_shared.lazy import lazy_exports
from rl_shared.losses.cosent import CoSENTLoss, cosent
from rl_shared.losses.distill import ScoreDistillationLoss, score_distillation
from rl_shared.losses.focal import FocalInfoNCELoss, focal_info_nce
from rl_shared.losses.hard_negative_mixing import HardNegativeMixingLoss, mix_hard_negatives
from rl_shared.losses.info_nce import InfoNCELoss, info_nce
from rl_shared.losses.pearson import PearsonLoss, pearson_loss
from rl_shared.losses.rank_kl import RankKLLoss, rank_kl
from rl_shared.losses.triplet import TripletLoss, triplet_loss

# cMIM's objectives live in its paper folder and import this package's helpers: lazy, no cycle
__getattr__, _dir = lazy_exports(
    __name__,
    {n: "rl_shared.cmim.losses" for n in ("CMIMLoss", "cmim_contrastive", "mim_loss")},
)


def __dir__() -> list[str]:
    return sorted({*globals(), *_dir()})


__all__ = [
    "CMIMLoss",
    "CoSENTLoss",
    "FocalInfoNCELoss",
    "HardNegativeMixingLoss",
    "InfoNCELoss",
    "PearsonLoss",
    "RankKLLoss",
    "ScoreDistillationLoss",
    "TripletLoss",
    "cmim_contrastive",
    "cosent",
    "focal_info_nce",
    "info_nce",
    "mim_loss",
    "mix_hard_negatives",
    "pearson_loss",
    "rank_kl",
    "score_distillation",
    "triplet_loss",
]

"""Any2Seg: semantic segmentation from any combination of modalities, on smp parts.

A modality-agnostic segmenter (:class:`Any2Seg`: per-modality smp encoders, MFF fusion,
smp's Unet decoder) trained with random modality dropout and LSCD (language-guided
semantic correlation distillation, :class:`LSCDLoss`) from a teacher whose per-modality
embeddings live in the space of class-prompt text embeddings; early-fusion and
single-modality smp Unet baselines; loaders of DELIVER and MCubeS. Names are imported on
first use (``import rl_vision.any2seg`` loads no torch).

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation
    from Any Modalities" (Any2Seg), ECCV 2024, arXiv:2407.11351.

Example:
    >>> import rl_vision.any2seg as a2s
    >>> a2s.TrainConfig(kind="early", num_scenes=8).kind
    'early'
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "Any2Seg": "rl_vision.any2seg.model",
    "SegOutput": "rl_vision.any2seg.model",
    "ModalityEncoder": "rl_vision.any2seg.encoders",
    "ModalityAgnosticFusion": "rl_vision.any2seg.fusion",
    "MeanFusion": "rl_vision.any2seg.fusion",
    "EmbeddingHead": "rl_vision.any2seg.heads",
    "EarlyFusionUnet": "rl_vision.any2seg.baselines",
    "ModalityTeacher": "rl_vision.any2seg.teacher",
    "TrainedTeacher": "rl_vision.any2seg.teacher",
    "LSCDLoss": "rl_vision.any2seg.losses",
    "lscd_loss": "rl_vision.any2seg.losses",
    "segmentation_loss": "rl_vision.any2seg.losses",
    "IGNORE_INDEX": "rl_vision.any2seg.losses",
    "SegmentationMeter": "rl_vision.any2seg.metrics",
    "PoolSource": "rl_vision.any2seg.sources",
    "DatasetSource": "rl_vision.any2seg.sources",
    "DeliverDataset": "rl_vision.any2seg.deliver",
    "MCubeSDataset": "rl_vision.any2seg.mcubes",
    "DELIVER_CLASSES": "rl_vision.any2seg.deliver",
    "MCUBES_CLASSES": "rl_vision.any2seg.mcubes",
    "class_text_embeddings": "rl_vision.any2seg.text",
    "TrainConfig": "rl_vision.any2seg.config",
    "evaluate": "rl_vision.any2seg.evaluation",
    "evaluate_frames": "rl_vision.any2seg.evaluation",
    "save_model": "rl_vision.any2seg.model_folder",
    "load_model": "rl_vision.any2seg.model_folder",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

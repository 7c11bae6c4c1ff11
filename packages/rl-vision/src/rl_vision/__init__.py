"""rl-vision: segmentation from any combination of modalities (Any2Seg) and visually grounded
character-level sentence representations, on generated multi-modal street scenes.

One subpackage per paper: :mod:`rl_vision.any2seg` and :mod:`rl_vision.grounded`; the
generated scenes both train on are in :mod:`rl_vision.core.scenes`. The main components
are exported here too, imported on first use (``import rl_vision`` loads no torch).

Example:
    >>> import rl_vision
    >>> rl_vision.__version__
    '0.1.0'
"""

from rl_shared.lazy import lazy_exports

__version__ = "0.1.0"
_EXPORTS = {
    "Any2Seg": "rl_vision.any2seg.model",
    "EarlyFusionUnet": "rl_vision.any2seg.baselines",
    "LSCDLoss": "rl_vision.any2seg.losses",
    "ModalityAgnosticFusion": "rl_vision.any2seg.fusion",
    "TrainedTeacher": "rl_vision.any2seg.teacher",
    "CharSentenceEncoder": "rl_vision.grounded.char_encoder",
    "GroundedModel": "rl_vision.grounded.model",
    "hinge_contrastive": "rl_vision.grounded.losses",
    "make_batch": "rl_vision.core.scenes.dataset",
    "render_scene": "rl_vision.core.scenes.render",
}
__all__ = ["__version__", *_EXPORTS]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

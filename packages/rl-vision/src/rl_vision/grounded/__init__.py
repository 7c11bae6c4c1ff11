"""Visually grounded character-level sentence representations (Merkx & Frank).

A character-level bi-GRU sentence encoder with attention pooling
(:class:`CharSentenceEncoder`) trained with an image encoder into one space
(:class:`GroundedModel`, :func:`hinge_contrastive`), and the caption-only autoencoder
baseline (:class:`CharAutoencoder`). Names are imported on first use
(``import rl_vision.grounded`` loads no torch).

References:
    Merkx & Frank, "Learning semantic sentence representations from visually grounded
    language without lexical knowledge", Natural Language Engineering 2019, arXiv:1903.11393.

Example:
    >>> import rl_vision.grounded as g
    >>> g.CharVocab().encode("ab")
    [5, 6]
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "CharSentenceEncoder": "rl_vision.grounded.char_encoder",
    "CharVocab": "rl_vision.grounded.char_encoder",
    "ImageEncoder": "rl_vision.grounded.image_encoder",
    "CharAutoencoder": "rl_vision.grounded.autoencoder",
    "hinge_contrastive": "rl_vision.grounded.losses",
    "GroundedConfig": "rl_vision.grounded.model",
    "GroundedModel": "rl_vision.grounded.model",
    "save_grounded": "rl_vision.grounded.model",
    "load_grounded": "rl_vision.grounded.model",
    "CaptionData": "rl_vision.grounded.data",
    "make_caption_data": "rl_vision.grounded.data",
    "read_sentences": "rl_vision.grounded.data",
    "recall_at_k": "rl_vision.grounded.evaluation",
    "sts_correlations": "rl_vision.grounded.evaluation",
    "train_grounded": "rl_vision.grounded.train",
    "train_autoencoder": "rl_vision.grounded.train",
    "encode_sentences": "rl_vision.grounded.evaluation",
    "evaluate_retrieval": "rl_vision.grounded.evaluation",
    "grounded_experiment": "rl_vision.grounded.runs",
    "encode_file": "rl_vision.grounded.runs",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

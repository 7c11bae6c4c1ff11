"""Pixel sentence representations: render text, perturb it visually, encode with a ViT.

References:
    Xiao et al., "Pixel Sentence Representation Learning", arXiv:2402.08183.

Example:
    >>> from rl_text.pixel import TextRenderer
    >>> TextRenderer(max_patches=4).render("hi").shape
    (16, 64)
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "PixelConfig": "rl_text.pixel.model",
    "PixelEncoder": "rl_text.pixel.model",
    "masked_mean": "rl_text.pixel.model",
    "PERTURBATIONS": "rl_text.pixel.perturbations",
    "Perturber": "rl_text.pixel.perturbations",
    "TextRenderer": "rl_text.pixel.rendering",
    "default_fonts": "rl_text.pixel.rendering",
    "iterative_multilingual": "rl_text.pixel.train",
    "load_sick_entailment": "rl_text.pixel.train",
    "pair_loss": "rl_text.pixel.loss",
    "rank_share": "rl_text.pixel.loss",
    "symmetric_info_nce": "rl_text.pixel.loss",
    "train_pairs": "rl_text.pixel.train",
    "train_unsupervised": "rl_text.pixel.train",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "PERTURBATIONS",
    "Perturber",
    "PixelConfig",
    "PixelEncoder",
    "TextRenderer",
    "default_fonts",
    "iterative_multilingual",
    "load_sick_entailment",
    "masked_mean",
    "pair_loss",
    "rank_share",
    "symmetric_info_nce",
    "train_pairs",
    "train_unsupervised",
]

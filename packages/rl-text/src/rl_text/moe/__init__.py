"""Contrastive mixture-of-experts sentence embeddings with domain-enforced routing.

The MLP of chosen BERT layers becomes one expert per domain, each a copy of the pretrained
MLP; a text tagged ``"<domain> ..."`` goes through its domain's experts only. Trained with
multiple-negatives ranking on per-domain positive pairs.

References:
    Hallee et al., "Contrastive Learning and Mixture of Experts Enables Precise Vector
    Embeddings", arXiv:2401.15713 (2024).

Example:
    >>> from rl_text.moe import tag_text
    >>> tag_text("Two dogs play.", "captions")
    '<captions> Two dogs play.'
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "DOMAINS": "rl_text.moe.data",
    "GENRES": "rl_text.moe.data",
    "domain_positive_pairs": "rl_text.moe.data",
    "load_domain": "rl_text.moe.data",
    "load_domains": "rl_text.moe.data",
    "load_stsb_genres": "rl_text.moe.data",
    "positive_pairs": "rl_text.moe.data",
    "Expert": "rl_text.moe.experts",
    "MoEFeedForward": "rl_text.moe.experts",
    "RouteState": "rl_text.moe.experts",
    "install_experts": "rl_text.moe.experts",
    "MoETransformer": "rl_text.moe.model",
    "load_moe": "rl_text.moe.model",
    "load_with_classes": "rl_text.core.loading",
    "split_tag": "rl_text.moe.model",
    "tag_text": "rl_text.moe.model",
    "to_moe": "rl_text.moe.model",
    "train_moe": "rl_text.moe.train",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "DOMAINS",
    "GENRES",
    "Expert",
    "MoEFeedForward",
    "MoETransformer",
    "RouteState",
    "domain_positive_pairs",
    "install_experts",
    "load_domain",
    "load_domains",
    "load_moe",
    "load_stsb_genres",
    "load_with_classes",
    "positive_pairs",
    "split_tag",
    "tag_text",
    "to_moe",
    "train_moe",
]

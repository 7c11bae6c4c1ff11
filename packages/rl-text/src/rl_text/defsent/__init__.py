"""DefSent+: sentence embeddings from projecting definitions onto isotropic entry embeddings.

Dictionary entries (WordNet lemmas, multi-word ones included) get embeddings built by the
encoder itself, refreshed progressively during training and made (quasi-)isotropic by
whitening or ICA; the encoder is trained so that each definition sentence lands on its entry.
Prompt-based [MASK] pooling is an option.

References:
    Liu, "DefSent+: Improving sentence embeddings of language models by projecting
    definition sentences into a quasi-isotropic or isotropic vector space of unlimited
    dictionary entries", arXiv:2405.16153 (2024).

Example:
    >>> from rl_text.defsent import make_definition_set
    >>> make_definition_set([("frozen dessert", "ice cream"), ("a canine", "dog")]).entries
    ['ice cream', 'dog']
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "DefinitionSet": "rl_text.defsent.entries",
    "definition_pairs": "rl_text.defsent.entries",
    "load_wordnet_pairs": "rl_text.defsent.entries",
    "make_definition_set": "rl_text.defsent.entries",
    "wordnet_reader": "rl_text.defsent.entries",
    "ISOTROPY": "rl_text.defsent.isotropy",
    "AffineTransform": "rl_text.defsent.isotropy",
    "fit_isotropy": "rl_text.defsent.isotropy",
    "DefSentLoss": "rl_text.defsent.loss",
    "DEFAULT_TEMPLATE": "rl_text.defsent.prompt",
    "MaskTokenPooling": "rl_text.defsent.prompt",
    "PromptTransformer": "rl_text.defsent.prompt",
    "load_prompt_model": "rl_text.defsent.prompt",
    "render_template": "rl_text.defsent.prompt",
    "with_prompt_pooling": "rl_text.defsent.prompt",
    "ENTRY_MODES": "rl_text.defsent.space",
    "EntrySpace": "rl_text.defsent.space",
    "encode_texts": "rl_text.defsent.space",
    "EntryRefresh": "rl_text.defsent.train",
    "train_defsent": "rl_text.defsent.train",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "DEFAULT_TEMPLATE",
    "ENTRY_MODES",
    "ISOTROPY",
    "AffineTransform",
    "DefSentLoss",
    "DefinitionSet",
    "EntryRefresh",
    "EntrySpace",
    "MaskTokenPooling",
    "PromptTransformer",
    "definition_pairs",
    "encode_texts",
    "fit_isotropy",
    "load_prompt_model",
    "load_wordnet_pairs",
    "make_definition_set",
    "render_template",
    "train_defsent",
    "with_prompt_pooling",
    "wordnet_reader",
]

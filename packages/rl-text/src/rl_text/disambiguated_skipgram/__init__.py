"""Disambiguated Skip-gram: multi-sense word embeddings with a learned sense choice.

References:
    Grzegorczyk, Kurdziel, "Disambiguated skip-gram model", EMNLP 2018.

Example:
    >>> from rl_text.disambiguated_skipgram import DisambiguatedSkipGram
    >>> DisambiguatedSkipGram(5, dim=4, senses=2).sense_vectors(__import__("torch").tensor([0])).shape
    torch.Size([1, 2, 4])
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "DisambiguatedSkipGram": "rl_text.disambiguated_skipgram.model",
    "load_skipgram": "rl_text.disambiguated_skipgram.model",
    "save_skipgram": "rl_text.disambiguated_skipgram.model",
    "choose_pseudoword_pairs": "rl_text.disambiguated_skipgram.pseudowords",
    "corpus_sentences": "rl_text.disambiguated_skipgram.pseudowords",
    "merge_pseudowords": "rl_text.disambiguated_skipgram.pseudowords",
    "pseudoword_scores": "rl_text.disambiguated_skipgram.pseudowords",
    "wordnet_reader": "rl_text.disambiguated_skipgram.pseudowords",
    "context_windows": "rl_text.disambiguated_skipgram.train",
    "sense_usage": "rl_text.disambiguated_skipgram.train",
    "subsample": "rl_text.disambiguated_skipgram.train",
    "train_skipgram": "rl_text.disambiguated_skipgram.train",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "DisambiguatedSkipGram",
    "choose_pseudoword_pairs",
    "context_windows",
    "corpus_sentences",
    "load_skipgram",
    "merge_pseudowords",
    "pseudoword_scores",
    "save_skipgram",
    "sense_usage",
    "subsample",
    "train_skipgram",
    "wordnet_reader",
]

"""gFun (Generalized Funnelling) for cross-lingual classification, and its view generators.

References:
    Moreo, Pedrotti, Sebastiani, arXiv:2110.14764.

Example:
    >>> from rl_text.gfun import word_class_embeddings
    >>> import numpy as np
    >>> word_class_embeddings(np.eye(2), np.eye(2), standardise=False).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "GENRES": "rl_text.gfun.data",
    "GenreCorpus": "rl_text.gfun.data",
    "load_genre_corpus": "rl_text.gfun.data",
    "nonparallel_split": "rl_text.gfun.data",
    "LabelledDocuments": "rl_text.gfun.data",
    "read_documents": "rl_text.gfun.data",
    "GeneralizedFunnelling": "rl_text.gfun.model",
    "PerLanguageBaseline": "rl_text.gfun.model",
    "f1_scores": "rl_text.gfun.model",
    "MultilingualEmbeddingView": "rl_text.gfun.views",
    "PosteriorView": "rl_text.gfun.views",
    "SentenceEncoderView": "rl_text.gfun.views",
    "View": "rl_text.gfun.views",
    "WordClassEmbeddingView": "rl_text.gfun.views",
    "language_vectorizer": "rl_text.gfun.views",
    "label_matrix": "rl_text.gfun.wce",
    "word_class_embeddings": "rl_text.gfun.wce",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "GENRES",
    "GeneralizedFunnelling",
    "GenreCorpus",
    "LabelledDocuments",
    "MultilingualEmbeddingView",
    "PerLanguageBaseline",
    "PosteriorView",
    "SentenceEncoderView",
    "View",
    "WordClassEmbeddingView",
    "f1_scores",
    "label_matrix",
    "language_vectorizer",
    "load_genre_corpus",
    "nonparallel_split",
    "read_documents",
    "word_class_embeddings",
]

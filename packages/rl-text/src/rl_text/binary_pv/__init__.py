"""Binary Paragraph Vectors (PV-DBOW with binary codes) and Hamming-distance retrieval.

References:
    Grzegorczyk, Kurdziel, "Binary Paragraph Vectors", arXiv:1611.01116.

Example:
    >>> from rl_text.binary_pv import binarize_ste
    >>> import torch
    >>> binarize_ste(torch.tensor([3.0, -3.0])).tolist()
    [1.0, 0.0]
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "Corpus": "rl_text.binary_pv.data",
    "tokenize": "rl_text.binary_pv.data",
    "BinaryParagraphVector": "rl_text.binary_pv.model",
    "RealBinaryParagraphVector": "rl_text.binary_pv.model",
    "binarize_ste": "rl_text.binary_pv.model",
    "ns_loss": "rl_text.binary_pv.model",
    "load_pv": "rl_text.binary_pv.model",
    "save_pv": "rl_text.binary_pv.model",
    "hamming": "rl_text.binary_pv.retrieval",
    "mean_average_precision": "rl_text.binary_pv.retrieval",
    "precision_at_k": "rl_text.binary_pv.retrieval",
    "random_hyperplane_codes": "rl_text.binary_pv.retrieval",
    "rank_by_hamming": "rl_text.binary_pv.retrieval",
    "rerank": "rl_text.binary_pv.retrieval",
    "infer_codes": "rl_text.binary_pv.train",
    "train_pv": "rl_text.binary_pv.train",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "BinaryParagraphVector",
    "Corpus",
    "RealBinaryParagraphVector",
    "binarize_ste",
    "hamming",
    "infer_codes",
    "load_pv",
    "mean_average_precision",
    "ns_loss",
    "precision_at_k",
    "random_hyperplane_codes",
    "rank_by_hamming",
    "rerank",
    "save_pv",
    "tokenize",
    "train_pv",
]

"""Low-rank multi-head attention pooling classifier (Mehta et al., arXiv:1912.00835) vs MHA.

| module | what |
|---|---|
| :mod:`rl_text.lowrank_attention.model` | BiGRU + low-rank attention pooling or ``nn.MultiheadAttention`` |
| :mod:`rl_text.lowrank_attention.train` | encode ABSA pairs, train, evaluate, time |
| :mod:`rl_text.lowrank_attention.plot` | per-token attention weight plots |
| :mod:`rl_text.lowrank_attention.cli` | ``rl text lowrank-attention train|evaluate`` |
| :mod:`rl_text.lowrank_attention.reproduction` | the ``text.lowrank-attention`` reproduction |

References:
    Mehta, Rangwala & Ramakrishnan, "Low Rank Factorization for Compact Multi-Head
    Self-Attention", arXiv:1912.00835.

Example:
    >>> from rl_text.lowrank_attention import count_parameters
    >>> import torch
    >>> count_parameters(torch.nn.Linear(4, 2))
    10
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "ATTENTIONS": "rl_text.lowrank_attention.model",
    "GRUAttentionClassifier": "rl_text.lowrank_attention.model",
    "count_parameters": "rl_text.lowrank_attention.model",
    "load_classifier": "rl_text.lowrank_attention.model",
    "save_classifier": "rl_text.lowrank_attention.model",
    "EncodedText": "rl_text.lowrank_attention.train",
    "encode_absa": "rl_text.lowrank_attention.train",
    "evaluate_classifier": "rl_text.lowrank_attention.train",
    "minilm_embeddings": "rl_text.lowrank_attention.train",
    "throughput": "rl_text.lowrank_attention.train",
    "train_classifier": "rl_text.lowrank_attention.train",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "ATTENTIONS",
    "EncodedText",
    "GRUAttentionClassifier",
    "count_parameters",
    "encode_absa",
    "evaluate_classifier",
    "load_classifier",
    "minilm_embeddings",
    "save_classifier",
    "throughput",
    "train_classifier",
]

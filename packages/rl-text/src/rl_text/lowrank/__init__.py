"""Low-rank multi-head attention pooling classifier (Mehta et al., arXiv:1912.00835) vs MHA.

| module | what |
|---|---|
| :mod:`rl_text.lowrank.classifier` | BiGRU + low-rank attention pooling or ``nn.MultiheadAttention`` |
| :mod:`rl_text.lowrank.training` | encode ABSA pairs, train, evaluate, time |
| :mod:`rl_text.lowrank.plot` | per-token attention weight plots |
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "ATTENTIONS": "rl_text.lowrank.classifier",
    "GRUAttentionClassifier": "rl_text.lowrank.classifier",
    "count_parameters": "rl_text.lowrank.classifier",
    "EncodedText": "rl_text.lowrank.training",
    "encode_absa": "rl_text.lowrank.training",
    "evaluate_classifier": "rl_text.lowrank.training",
    "minilm_embeddings": "rl_text.lowrank.training",
    "throughput": "rl_text.lowrank.training",
    "train_classifier": "rl_text.lowrank.training",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "ATTENTIONS",
    "EncodedText",
    "GRUAttentionClassifier",
    "count_parameters",
    "encode_absa",
    "evaluate_classifier",
    "minilm_embeddings",
    "throughput",
    "train_classifier",
]

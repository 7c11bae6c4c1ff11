"""rl-text: sentence embeddings on sentence-transformers.

STS evaluation at any depth × width (:func:`evaluate_sts`, :func:`evaluate_sts_grid`),
loaders for STS-B, SICK and any pair file, and 2D Matryoshka training
(:class:`Matryoshka2dLoss`, arXiv:2402.14776) through ``SentenceTransformerTrainer``.

Example:
    >>> from rl_text import StsPairs
    >>> len(StsPairs(["a"], ["b"], [1.0]))
    1
"""

from rl_text.evaluation import correlations, evaluate_sts, evaluate_sts_grid
from rl_text.layers import encode_layers, truncate_layers
from rl_text.matryoshka2d import Matryoshka2dLoss
from rl_text.sts import StsPairs, load_sick, load_sts_pairs, load_stsb
from rl_text.train import train_sts

__all__ = [
    "Matryoshka2dLoss",
    "StsPairs",
    "correlations",
    "encode_layers",
    "evaluate_sts",
    "evaluate_sts_grid",
    "load_sick",
    "load_sts_pairs",
    "load_stsb",
    "train_sts",
    "truncate_layers",
]

__version__ = "0.1.0"

"""The user files ``rl text lowrank-attention`` reads, declared for :mod:`rl_shared.formats`.

``--data`` takes the SemEval-2014 ABSA files of :mod:`rl_text.cvib.formats` (``cvib-absa-seg``,
``cvib-absa-xml``, ``cvib-absa-folder``); ``--model`` of ``evaluate`` takes the ``OUT/model``
folder that ``train`` writes, declared here as ``lowrank-attention-model`` (its sample: a tiny
random-init classifier on the tiny sentence encoder of :mod:`rl_text.core.samples`, saved by
:func:`rl_text.lowrank_attention.model.save_classifier`).

References:
    Mehta et al., "Low Rank Factorization for Compact Multi-Head Self-Attention", arXiv 2019.
    https://arxiv.org/abs/1912.00835

Example:
    >>> from rl_shared.formats import get_format
    >>> get_format("lowrank-attention-model").parts
    (Lines(file='config.json'),)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import rl_text.cvib.formats  # noqa: F401  (registers the ABSA data formats)
from rl_shared.formats import FileFormat, Lines, register_format

__all__: list[str] = []


def _model(folder: Path) -> Path:
    from rl_shared.models import load_sentence_transformer
    from rl_text.core.samples import save_tiny_sentence_transformer
    from rl_text.lowrank_attention.model import GRUAttentionClassifier, save_classifier
    from rl_text.lowrank_attention.train import minilm_embeddings

    encoder = save_tiny_sentence_transformer(folder / "encoder", layers=1)
    matrix, tokenizer = minilm_embeddings(load_sentence_transformer(encoder))
    config: dict[str, Any] = {
        "vocab_size": int(matrix.shape[0]),
        "hidden": 4,
        "num_classes": 3,
        "attention": "lowrank",
        "num_heads": 2,
        "rank": 2,
        "padding_idx": int(tokenizer.pad_token_id or 0),
    }
    classifier = GRUAttentionClassifier(embeddings=matrix, **config)
    return save_classifier(folder / "model", classifier, config, str(encoder))


register_format(
    FileFormat(
        "lowrank-attention-model",
        "the OUT/model folder of `rl text lowrank-attention train` (config.json names the "
        "encoder, model.safetensors)",
        _model,
        (Lines("config.json"),),
    )
)

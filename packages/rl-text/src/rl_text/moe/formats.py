"""The model folder ``rl text moe evaluate --model`` reads, declared for :mod:`rl_shared.formats`.

* ``moe-model``: the ``OUT/model`` folder of ``rl text moe train`` with experts: a
  sentence-transformers folder whose ``modules.json`` names
  :class:`rl_text.moe.model.MoETransformer`, with ``moe_config.json`` (domains and converted
  layers) beside the weights; here a tiny random-init one with a ``news`` expert.

``--model`` also takes any plain sentence-transformers folder or ``minilm`` (scored without
domain tags). Importing this module is light (no torch); the sample imports torch and
sentence-transformers when it is written.

References:
    Hallee et al., "Contrastive Learning and Mixture of Experts Enables Precise Vector Embeddings",
    arXiv 2024. https://arxiv.org/abs/2401.15713

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from rl_shared.formats import get_format
    >>> from rl_text.moe.model import load_moe
    >>> path = get_format("moe-model").write_sample(Path(tempfile.mkdtemp()))
    >>> load_moe(path)[0].domains
    ['news', 'forum']
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from rl_shared.formats import FileFormat, Lines, register_format

__all__ = ["MOE_MODEL"]


def _model(folder: Path) -> Path:
    from rl_shared.models import load_sentence_transformer
    from rl_text.core.samples import save_tiny_sentence_transformer
    from rl_text.moe.model import to_moe

    base = load_sentence_transformer(save_tiny_sentence_transformer(folder / "tiny"))
    path = folder / "model"
    moe: Any = to_moe(base, ["news", "forum"], layers=[1])
    moe.save(str(path))
    shutil.rmtree(folder / "tiny")
    return path


#: ``--model`` of ``rl text moe evaluate`` given an expert model
MOE_MODEL = register_format(
    FileFormat(
        "moe-model",
        "the OUT/model folder of `rl text moe train` (modules.json naming MoETransformer, "
        "moe_config.json, config.json, model.safetensors)",
        _model,
        (Lines("moe_config.json"), Lines("modules.json"), Lines("config.json")),
    )
)

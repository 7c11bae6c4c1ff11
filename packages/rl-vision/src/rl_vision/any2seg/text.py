"""Text embeddings of class-name prompts from a real sentence encoder (MiniLM by default).

Prompts ``"a photo of a {name}."``, ``"a street scene with a {name}."`` and
``"the {name} in a driving scene."`` are embedded by
``rl_shared.models.load_sentence_transformer`` and averaged per class. Results are
cached in ``cache_dir("vision", "text")`` keyed by model and prompts, so MiniLM is loaded
once per machine.

Example:
    >>> emb = class_text_embeddings(("road", "sky"))  # doctest: +SKIP
    >>> tuple(emb.shape)  # doctest: +SKIP
    (2, 384)
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import torch

from rl_shared.data import cache_dir

__all__ = ["PROMPTS", "class_text_embeddings"]

PROMPTS: tuple[str, ...] = (
    "a photo of a {}.",
    "a street scene with a {}.",
    "the {} in a driving scene.",
)
_READABLE = {"vegetation": "tree", "terrain": "grass terrain", "car": "car", "pole": "pole"}


def class_text_embeddings(classes: Sequence[str], model: str = "minilm") -> torch.Tensor:
    """``(K, D)`` L2-normalised prompt-ensemble embeddings of ``classes``.

    Args:
        classes: class names.
        model: a name or path for :func:`rl_shared.models.load_sentence_transformer`.
    """
    prompts = [[p.format(_READABLE.get(c, c)) for p in PROMPTS] for c in classes]
    key = hashlib.sha1(repr((model, prompts)).encode()).hexdigest()[:16]
    path = cache_dir("vision", "text") / f"{key}.npy"
    if path.is_file():
        return torch.from_numpy(np.load(path))
    from rl_shared.models import load_sentence_transformer

    encoder = load_sentence_transformer(model)
    flat = [p for group in prompts for p in group]
    emb = encoder.encode(flat, convert_to_numpy=True, normalize_embeddings=True)
    emb = emb.reshape(len(classes), len(PROMPTS), -1).mean(axis=1)
    emb = emb / np.linalg.norm(emb, axis=1, keepdims=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, emb.astype(np.float32))
    tmp.replace(path)
    return torch.from_numpy(emb.astype(np.float32))

"""Text embeddings of class-name prompts from a real sentence encoder (MiniLM by default).

Class names are made readable first (:func:`readable_name`: ``"RoadLine"`` and
``"road_marking"`` become ``"road line"`` and ``"road marking"``), then prompts
``"a photo of a {name}."``, ``"a street scene with a {name}."`` and
``"the {name} in a driving scene."`` are embedded by
``rl_shared.models.load_sentence_transformer`` and averaged per class. Results are
cached in ``cache_dir("vision", "text")`` keyed by model and prompts, so MiniLM is loaded
once per machine.

Example:
    >>> readable_name("TwoWheeler"), readable_name("road_marking"), readable_name("Vegetation")
    ('two wheeler', 'road marking', 'tree')
    >>> emb = class_text_embeddings(("road", "sky"))  # doctest: +SKIP
    >>> tuple(emb.shape)  # doctest: +SKIP
    (2, 384)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
import torch

from rl_shared.data import cache_dir

__all__ = ["PROMPTS", "class_text_embeddings", "readable_name"]

PROMPTS: tuple[str, ...] = (
    "a photo of a {}.",
    "a street scene with a {}.",
    "the {} in a driving scene.",
)
_READABLE = {"vegetation": "tree", "terrain": "grass terrain", "car": "car", "pole": "pole"}


def readable_name(name: str) -> str:
    """A class name as words: CamelCase and underscores split, lower-cased, a few renamed."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ")
    words = " ".join(words.lower().split())
    return _READABLE.get(words, words)


def class_text_embeddings(classes: Sequence[str], model: str = "minilm") -> torch.Tensor:
    """``(K, D)`` L2-normalised prompt-ensemble embeddings of ``classes``.

    Args:
        classes: class names (as a dataset spells them; see :func:`readable_name`).
        model: a name or path for :func:`rl_shared.models.load_sentence_transformer`.
    """
    prompts = [[p.format(readable_name(c)) for p in PROMPTS] for c in classes]
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

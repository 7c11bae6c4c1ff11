"""Text embeddings of class-name prompts from a real sentence encoder (MiniLM by default).

Class names are made readable first (:func:`readable_name`: ``"RoadLine"`` and
``"road_marking"`` become ``"road line"`` and ``"road marking"``), then prompts
``"a photo of a {name}."``, ``"a street scene with a {name}."`` and
``"the {name} in a driving scene."`` are embedded through
:func:`rl_shared.embeddings.encode_cached` (the workspace's one content-hashed embedding
cache) and averaged per class.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation from Any
    Modalities", ECCV 2024. https://arxiv.org/abs/2407.11351

Example:
    >>> readable_name("TwoWheeler"), readable_name("road_marking"), readable_name("Vegetation")
    ('two wheeler', 'road marking', 'tree')
    >>> emb = class_text_embeddings(("road", "sky"))
    >>> tuple(emb.shape), round(float(emb.norm(dim=1)[0]), 4)
    ((2, 384), 1.0)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from rl_shared.embeddings import encode_cached

if TYPE_CHECKING:
    import torch

__all__ = ["PROMPTS", "class_text_embeddings", "readable_name"]

PROMPTS: tuple[str, ...] = (
    "a photo of a {}.",
    "a street scene with a {}.",
    "the {} in a driving scene.",
)
_READABLE = {"vegetation": "tree", "terrain": "grass terrain", "car": "car", "pole": "pole"}


def readable_name(name: str) -> str:
    """A class name as words: CamelCase and underscores split, lower-cased, a few renamed.

    Args:
        name: a class name as a dataset spells it (``"RoadLine"``, ``"road_marking"``).
    """
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ")
    words = " ".join(words.lower().split())
    return _READABLE.get(words, words)


def class_text_embeddings(classes: Sequence[str], model: str = "minilm") -> torch.Tensor:
    """``(K, D)`` L2-normalised prompt-ensemble embeddings of ``classes``.

    Args:
        classes: class names (as a dataset spells them; see :func:`readable_name`).
        model: a short name, folder or hub id for :func:`rl_shared.embeddings.encode_cached`.

    Shapes:
        ``-> (len(classes), D)`` float32, ``D`` the sentence encoder's width (384 for MiniLM).

    References:
        Zheng et al., Any2Seg, ECCV 2024, arXiv:2407.11351 (class-prompt text embeddings
        anchor LSCD; the paper uses LanguageBind's text tower).
    """
    import torch

    prompts = [p.format(readable_name(c)) for c in classes for p in PROMPTS]
    emb = encode_cached(model, prompts, normalize=True)
    emb = emb.reshape(len(classes), len(PROMPTS), -1).mean(axis=1)
    emb = emb / np.linalg.norm(emb, axis=1, keepdims=True)
    return torch.from_numpy(np.ascontiguousarray(emb, dtype=np.float32))

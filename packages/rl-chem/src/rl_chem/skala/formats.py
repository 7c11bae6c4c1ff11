"""The user files ``rl chem skala`` reads: a saved neural functional (``skala-model``).

``--model`` of ``rl chem skala evaluate``, ``rl chem xcnn evaluate`` and ``rl chem scf``
takes a functional's name or the ``OUT/model`` folder ``rl chem skala train`` wrote:
``config.json`` (the architecture), ``model.safetensors`` (the weights) and a model card.
The sample is a tiny random-initialised functional saved by
:func:`rl_chem.skala.model.save_functional`. Registering imports nothing heavy.

References:
    Luise et al., "Accurate and scalable exchange-correlation with deep learning", arXiv 2025.
    https://arxiv.org/abs/2506.14665

Example:
    >>> from rl_shared.formats import get_format
    >>> get_format(SKALA_MODEL).parts
    (Lines(file='config.json'),)
"""

from __future__ import annotations

from pathlib import Path

from rl_shared.formats import FileFormat, Lines, register_format

__all__ = ["SKALA_MODEL"]

#: the registered name of a saved neural-functional folder
SKALA_MODEL = "skala-model"


def _model_sample(folder: Path) -> Path:
    """A tiny random-initialised functional, saved as ``folder/model``."""
    import torch

    from rl_chem.skala.model import NeuralXC, save_functional

    torch.manual_seed(0)
    model = NeuralXC(hidden=4, layers=1)
    with torch.no_grad():  # random last layers: not the zero-initialised (= PBE) model
        for p in model.parameters():
            p.normal_(0.0, 0.1)
    return save_functional(model, folder / "model")


register_format(
    FileFormat(
        SKALA_MODEL,
        "a neural XC functional saved by `rl chem skala train` (OUT/model: config.json, "
        "model.safetensors, README.md)",
        _model_sample,
        (Lines("config.json"),),
    )
)

"""The user files the grounded commands read, registered in :mod:`rl_shared.formats`.

* ``grounded-model``: a model folder written by ``rl vision grounded train``
  (:func:`~rl_vision.grounded.model.save_grounded`), read by ``evaluate`` and ``encode``
  ``--model``; its text part is ``config.json`` (``model.safetensors`` is binary).
* ``grounded-sentences``: UTF-8 text, one sentence a line (``encode --data``).
* ``sts-pairs`` (registered by :mod:`rl_shared.sts`) and ``grounded-sts-tsv``: STS pairs
  ``sentence1, sentence2, score`` without a header, comma- or tab-separated (``evaluate``
  and ``compare --data``).

This module imports no torch (the ``rl --help`` listing stays light); the model sample
imports it when it runs.

References:
    Merkx & Frank, "Learning semantic sentence representations from visually grounded
    language without lexical knowledge", Natural Language Engineering 2019, arXiv:1903.11393.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from rl_shared.formats import get_format
    >>> get_format("grounded-sentences").write_sample(Path(tempfile.mkdtemp())).read_text()[:9]
    'a red car'
"""

from __future__ import annotations

from pathlib import Path

import rl_shared.sts  # noqa: F401  (registers sts-pairs)
from rl_shared.formats import FileFormat, Lines, Table, register_format

__all__: list[str] = []


def _model_sample(folder: Path) -> Path:
    """A tiny random-init grounded model (8 hidden units, a small timm image encoder)."""
    from rl_vision.grounded.model import GroundedConfig, GroundedModel, save_grounded

    cfg = GroundedConfig(hidden=8, depth=3, size=32, encoder="tu-mobilenetv3_small_050")
    return save_grounded(GroundedModel(cfg), cfg, folder / "model")


def _sentences_sample(folder: Path) -> Path:
    path = folder / "sentences.txt"
    path.write_text(
        "a red car on the road\nthere is a tree far away\ntwo people next to a bus\n",
        encoding="utf-8",
    )
    return path


def _tsv_sample(folder: Path) -> Path:
    path = folder / "pairs.tsv"
    path.write_text(
        "A man plays a guitar.\tA man is playing a guitar.\t4.8\n"
        "A cat sleeps on the bed.\tStocks fell sharply.\t0.2\n"
        "A dog runs in the park.\tA dog is running in a park.\t4.5\n",
        encoding="utf-8",
    )
    return path


MODEL = register_format(
    FileFormat(
        "grounded-model",
        "a grounded model folder (config.json, model.safetensors) from `rl vision grounded train`",
        _model_sample,
        (Lines("config.json"),),
    )
)
SENTENCES = register_format(
    FileFormat(
        "grounded-sentences", "UTF-8 text, one sentence a line", _sentences_sample, (Lines(""),)
    )
)
STS_TSV = register_format(
    FileFormat(
        "grounded-sts-tsv",
        "TSV (.tsv or .txt) of sentence1, sentence2, score rows (no header; score finite)",
        _tsv_sample,
        (Table("", "\t", header=False, numeric=(2,)),),
    )
)

"""The formats of the user files ``rl recsys dual-embeddings`` reads, in :mod:`rl_shared.formats`.

* ``dual-embeddings-baskets``: basket lines, one basket a line, items separated by commas, no
  header (the Groceries layout), read by :func:`rl_recsys.dual_embeddings.data.read_baskets`.
  Lines have as many items as their basket, so the file is a list of lines, not a table.
  (A transaction table is read only with ``--transaction-col`` and ``--item-col``.)
* ``dual-embeddings-model``: a model folder written by
  :meth:`rl_recsys.dual_embeddings.model.DualEmbeddings.save` (``config.json``,
  ``items.json``, ``model.safetensors``, ``README.md``); its sample is a tiny random model saved
  with that same function. Its text parts are the two JSON files; the weights are binary.

This module is imported by the paper's ``cli.py`` and imports nothing heavy; the model
sample imports numpy and torch when it is written.

References:
    Kvernadze et al., "Two Is Better Than One: Dual Embeddings for Complementary Product
    Recommendations", arXiv 2022. https://arxiv.org/abs/2211.14982

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from rl_recsys.dual_embeddings.data import read_baskets
    >>> from rl_shared.formats import get_format
    >>> sample = get_format("dual-embeddings-baskets").write_sample(Path(tempfile.mkdtemp()))
    >>> read_baskets(sample)[0]
    ['whole milk', 'yogurt', 'rolls/buns']
"""

from __future__ import annotations

from pathlib import Path

from rl_shared.formats import FileFormat, Lines, register_format

__all__ = ["BASKETS", "MODEL", "SAMPLE_ITEMS"]

#: the items of both samples (``whole milk`` is what the hostile-input suite recommends for)
SAMPLE_ITEMS = ("whole milk", "yogurt", "rolls/buns", "soda", "bottled water", "tropical fruit")


def _baskets_sample(folder: Path) -> Path:
    path = folder / "baskets.csv"
    baskets = [
        "whole milk,yogurt,rolls/buns",
        "soda,bottled water",
        "tropical fruit,yogurt,whole milk",
        "rolls/buns,soda",
        "whole milk,bottled water,tropical fruit",
        "yogurt,rolls/buns",
    ]
    path.write_text("\n".join(baskets) + "\n", encoding="utf-8")
    return path


def _model_sample(folder: Path) -> Path:
    import numpy as np

    from rl_recsys.dual_embeddings.model import DualEmbeddings
    from rl_recsys.dual_embeddings.sgns import SGNSConfig

    rng = np.random.default_rng(0)
    shape = (len(SAMPLE_ITEMS), 4)
    model = DualEmbeddings(
        list(SAMPLE_ITEMS),
        rng.normal(size=shape),
        rng.normal(size=shape),
        np.arange(1, len(SAMPLE_ITEMS) + 1),
        SGNSConfig(dim=4, epochs=1, negative=1),
    )
    return model.save(folder / "model")


#: basket lines: one basket a line, comma-separated items, no header
BASKETS = register_format(
    FileFormat(
        "dual-embeddings-baskets",
        "baskets: one basket a line, items separated by commas (--delimiter), no header",
        _baskets_sample,
        (Lines(""),),
    )
)
#: a model folder saved by DualEmbeddings.save (``OUT/model`` of ``train``)
MODEL = register_format(
    FileFormat(
        "dual-embeddings-model",
        "a dual-embeddings model folder (OUT/model of `rl recsys dual-embeddings train`): "
        "config.json, items.json, model.safetensors",
        _model_sample,
        (Lines("config.json"), Lines("items.json")),
    )
)

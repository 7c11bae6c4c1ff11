"""The user files ``rl text binary-pv`` reads, declared for :mod:`rl_shared.formats`.

* ``binary-pv-docs``: a UTF-8 text file, one document a line (``train`` and ``encode``);
* ``binary-pv-model``: the ``OUT/model`` folder ``train`` writes (``config.json`` with the
  vocabulary, ``model.safetensors``); its sample is a tiny random-init model saved by
  :func:`rl_text.binary_pv.model.save_pv`.

References:
    Grzegorczyk & Kurdziel, "Binary Paragraph Vectors", RepL4NLP 2017.
    https://arxiv.org/abs/1611.01116

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from rl_shared.formats import get_format
    >>> path = get_format("binary-pv-docs").write_sample(Path(tempfile.mkdtemp()))
    >>> len(path.read_text().splitlines())
    4
"""

from __future__ import annotations

from pathlib import Path

from rl_shared.formats import FileFormat, Lines, register_format

__all__: list[str] = []

DOCS = (
    "the stock market fell sharply today\n"
    "a cat sits on the warm mat\n"
    "markets rallied as the stock price rose\n"
    "the dog sleeps on the mat\n"
)


def _docs(folder: Path) -> Path:
    path = folder / "docs.txt"
    path.write_text(DOCS, encoding="utf-8")
    return path


def _model(folder: Path) -> Path:
    from rl_shared.runtime import seed_everything
    from rl_text.binary_pv.data import Corpus
    from rl_text.binary_pv.model import BinaryParagraphVector, save_pv

    seed_everything(0)
    corpus = Corpus.build(DOCS.splitlines(), min_count=1)
    model = BinaryParagraphVector(len(corpus.vocab), len(corpus.docs), bits=8)
    return save_pv(folder / "model", model, corpus)


register_format(
    FileFormat("binary-pv-docs", "a text file, one document a line", _docs, (Lines(""),))
)
register_format(
    FileFormat(
        "binary-pv-model",
        "the OUT/model folder of `rl text binary-pv train` (config.json, model.safetensors)",
        _model,
        (Lines("config.json"),),
    )
)

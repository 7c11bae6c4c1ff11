"""The user files ``rl text disambiguated-skipgram`` reads, declared for :mod:`rl_shared.formats`.

* ``disambiguated-skipgram-corpus``: a UTF-8 text file, one sentence a line (``train``);
* ``disambiguated-skipgram-model``: the ``OUT/model`` folder ``train`` writes (``config.json``
  with the vocabulary, ``model.safetensors``); its sample is a tiny random-init model saved by
  :func:`rl_text.disambiguated_skipgram.model.save_skipgram`.

References:
    Grzegorczyk & Kurdziel, "Disambiguated skip-gram model", EMNLP 2018, pp. 1445–1454.

Example:
    >>> from rl_shared.formats import get_format
    >>> get_format("disambiguated-skipgram-model").parts
    (Lines(file='config.json'),)
"""

from __future__ import annotations

from pathlib import Path

from rl_shared.formats import FileFormat, Lines, register_format

__all__: list[str] = []

CORPUS = (
    "the bank of the river was muddy\n"
    "she put her money in the bank\n"
    "the river bank flooded in spring\n"
    "the bank raised its interest rate\n"
)


def _corpus(folder: Path) -> Path:
    path = folder / "sentences.txt"
    path.write_text(CORPUS, encoding="utf-8")
    return path


def _model(folder: Path) -> Path:
    from rl_shared.runtime import seed_everything
    from rl_text.disambiguated_skipgram.model import DisambiguatedSkipGram, save_skipgram

    seed_everything(0)
    vocab = sorted({w for line in CORPUS.splitlines() for w in line.split()})
    model = DisambiguatedSkipGram(len(vocab), dim=4, senses=2)
    return save_skipgram(folder / "model", model, vocab)


register_format(
    FileFormat(
        "disambiguated-skipgram-corpus", "a text file, one sentence a line", _corpus, (Lines(""),)
    )
)
register_format(
    FileFormat(
        "disambiguated-skipgram-model",
        "the OUT/model folder of `rl text disambiguated-skipgram train` (config.json, "
        "model.safetensors)",
        _model,
        (Lines("config.json"),),
    )
)

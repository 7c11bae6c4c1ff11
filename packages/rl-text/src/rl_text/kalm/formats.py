"""The user file ``rl text kalm train --data`` reads, declared for :mod:`rl_shared.formats`.

* ``kalm-pairs``: a CSV with a header ``anchor,positive[,negative...]`` (any number of
  ``positive*`` / ``negative*`` columns), one training example a row, read by
  :func:`rl_text.core.tasks.load_examples`. Every row has every column; an empty negative
  cell is allowed, an empty anchor or a row without a positive is not.

Importing this module is light (no torch).

References:
    Zhao et al., "KaLM-Embedding-V2: Superior Training Techniques and Data Inspire A Versatile
    Embedding Model", arXiv 2025. https://arxiv.org/abs/2506.20923

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from rl_shared.formats import get_format
    >>> from rl_text.core.tasks import load_examples
    >>> examples = load_examples(get_format("kalm-pairs").write_sample(Path(tempfile.mkdtemp())))
    >>> len(examples), examples.negatives[0]
    (3, ['Stocks fell sharply today.'])
"""

from __future__ import annotations

from pathlib import Path

from rl_shared.formats import FileFormat, Table, register_format

__all__ = ["KALM_PAIRS"]

_SAMPLE = (
    "anchor,positive,negative\n"
    'A man plays a guitar.,"A man, playing a guitar.",Stocks fell sharply today.\n'
    "A cat sleeps on the bed.,A cat is sleeping.,A dog runs in the park.\n"
    "A woman drives a red car.,A woman is driving.,A child kicks a ball.\n"
)


def _write(folder: Path) -> Path:
    path = folder / "pairs.csv"
    path.write_text(_SAMPLE, encoding="utf-8")
    return path


#: ``--data`` of ``rl text kalm train`` given a file
KALM_PAIRS = register_format(
    FileFormat(
        "kalm-pairs",
        "CSV with a header anchor,positive[,negative...]: one example a row, every column filled "
        "but the negatives",
        _write,
        (Table("", ",", header=True, quoted=True),),
    )
)

"""The user files ``rl text pixel`` reads, declared for :mod:`rl_shared.formats`.

* ``pixel-sentences``: a UTF-8 text file, one sentence a line (``train --stage visual``,
  ``encode``);
* ``pixel-pairs``: ``anchor<TAB>positive`` lines (``train --stage entailment``); declared as
  plain lines, since the visual stage reads the same file one sentence a line;
* ``pixel-model``: the ``OUT/model`` folder ``train`` writes (``config.json``,
  ``model.safetensors``); its sample is a tiny random-init encoder saved by
  :meth:`rl_text.pixel.model.PixelEncoder.save`.

``evaluate --data`` takes the workspace's ``sts-pairs`` files (:mod:`rl_shared.sts`).

References:
    Xiao et al., "Pixel Sentence Representation Learning", arXiv 2024.
    https://arxiv.org/abs/2402.08183

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from rl_shared.formats import get_format
    >>> path = get_format("pixel-pairs").write_sample(Path(tempfile.mkdtemp()))
    >>> path.read_text().splitlines()[0].split("\\t")
    ['A man plays a guitar.', 'A person is playing music.']
"""

from __future__ import annotations

from pathlib import Path

from rl_shared.formats import FileFormat, Lines, register_format

__all__: list[str] = []

PAIRS = (
    ("A man plays a guitar.", "A person is playing music."),
    ("A dog runs in the park.", "An animal is running outside."),
    ("A woman slices an onion.", "Someone is cutting a vegetable."),
)


def _sentences(folder: Path) -> Path:
    path = folder / "sentences.txt"
    path.write_text("".join(f"{a}\n{b}\n" for a, b in PAIRS), encoding="utf-8")
    return path


def _pairs(folder: Path) -> Path:
    path = folder / "pairs.tsv"
    path.write_text("".join(f"{a}\t{b}\n" for a, b in PAIRS), encoding="utf-8")
    return path


def _model(folder: Path) -> Path:
    from rl_text.pixel.model import PixelConfig
    from rl_text.pixel.train import new_encoder

    config = PixelConfig(max_patches=4, hidden_size=16, layers=1, heads=2)
    return new_encoder(config, seed=0).save(folder / "model")


register_format(
    FileFormat("pixel-sentences", "a text file, one sentence a line", _sentences, (Lines(""),))
)
register_format(
    FileFormat("pixel-pairs", "anchor<TAB>positive lines (entailment pairs)", _pairs, (Lines(""),))
)
register_format(
    FileFormat(
        "pixel-model",
        "the OUT/model folder of `rl text pixel train` (config.json, model.safetensors)",
        _model,
        (Lines("config.json"),),
    )
)

"""The model folders ``rl text dse`` reads, declared for :mod:`rl_shared.formats`.

* ``dse-model``: the ``OUT/model`` folder of ``rl text dse train`` (the ``--model`` of
  ``rl text dse evaluate``): the pair head as an :mod:`rl_shared.artifacts` folder
  (``config.json``, ``model.safetensors``) with the student's sentence-transformers folder
  in ``student/``; here a tiny random-init one.
* ``dse-teacher``: a saved sentence-transformers ``CrossEncoder`` (``config.json``,
  ``model.safetensors``, tokenizer files), the ``--teacher`` of ``rl text dse train`` such as
  ``OUT/teacher/model`` of an earlier run; here a tiny random-init one.

The STS pairs ``--data`` reads are :data:`rl_shared.sts.STS_PAIRS_FORMAT`. Importing this
module is light (no torch); the samples import torch and sentence-transformers when written.

References:
    Barkan et al., "Scalable Attentive Sentence-Pair Modeling via Distilled Sentence
    Embedding", AAAI 2020. https://arxiv.org/abs/1908.05161

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from rl_shared.formats import get_format
    >>> from rl_text.dse.model import DistilledSentenceEmbedding
    >>> path = get_format("dse-model").write_sample(Path(tempfile.mkdtemp()))
    >>> DistilledSentenceEmbedding.load(path).score(["a cat"], ["a dog"]).shape
    (1,)
"""

from __future__ import annotations

from pathlib import Path

from rl_shared.formats import FileFormat, Lines, register_format

__all__ = ["DSE_MODEL", "DSE_TEACHER"]


def _model(folder: Path) -> Path:
    from rl_shared.models import load_sentence_transformer
    from rl_text.core.samples import save_tiny_sentence_transformer
    from rl_text.dse.model import DistilledSentenceEmbedding, PairHead

    student = load_sentence_transformer(save_tiny_sentence_transformer(folder / "tiny"))
    path = DistilledSentenceEmbedding(student, PairHead(16, hidden=8)).save(folder / "model")
    import shutil

    shutil.rmtree(folder / "tiny")
    return path


def _teacher(folder: Path) -> Path:
    from rl_text.core.samples import save_tiny_cross_encoder

    return save_tiny_cross_encoder(folder / "teacher")


#: ``--model`` of ``rl text dse evaluate``
DSE_MODEL = register_format(
    FileFormat(
        "dse-model",
        "the OUT/model folder of `rl text dse train` (config.json, model.safetensors, student/)",
        _model,
        (Lines("config.json"), Lines("student/modules.json"), Lines("student/config.json")),
    )
)

#: ``--teacher`` of ``rl text dse train``
DSE_TEACHER = register_format(
    FileFormat(
        "dse-teacher",
        "a saved CrossEncoder folder (config.json, model.safetensors, tokenizer), e.g. "
        "OUT/teacher/model",
        _teacher,
        (Lines("config.json"), Lines("tokenizer_config.json")),
    )
)

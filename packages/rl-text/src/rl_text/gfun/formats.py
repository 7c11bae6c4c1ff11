"""The user files ``rl text gfun`` reads, declared for :mod:`rl_shared.formats`.

* ``gfun-docs-tsv`` / ``gfun-docs-csv``: labelled documents, a header naming ``lang``,
  ``text`` and ``label`` (``train``, ``evaluate``), read by
  :func:`rl_text.gfun.data.read_documents`;
* ``gfun-texts-tsv`` / ``gfun-texts-csv``: documents to encode, a header naming ``lang`` and
  ``text`` (``encode``);
* ``gfun-model``: the ``OUT/model`` folder ``train`` writes (``config.json``, ``gfun.joblib``);
  its sample is a tiny gFun (posterior view only) fitted on the sample documents and saved by
  :meth:`rl_text.gfun.model.GeneralizedFunnelling.save`.

References:
    Moreo et al., "Generalized Funnelling: Ensemble Learning and Heterogeneous Document Embeddings
    for Cross-Lingual Text Classification", ACM TOIS 40 (2022). https://arxiv.org/abs/2110.14764

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from rl_shared.formats import get_format
    >>> from rl_text.gfun.data import read_documents
    >>> path = get_format("gfun-docs-tsv").write_sample(Path(tempfile.mkdtemp()))
    >>> sorted(read_documents(path, labelled=True).by_language())
    ['en', 'it']
"""

from __future__ import annotations

import csv
from pathlib import Path

from rl_shared.formats import FileFormat, Lines, Table, register_format

__all__ = ["LABELLED", "UNLABELLED"]

#: ``(lang, text, label)`` rows of the samples: two languages, two classes
ROWS = [
    ("en", "the stock market fell today", "news"),
    ("en", "a cat sits on the mat", "captions"),
    ("en", "markets rallied as stocks rose", "news"),
    ("en", "a dog runs on the grass", "captions"),
    ("it", "la borsa è scesa oggi", "news"),
    ("it", "un gatto siede sul tappeto", "captions"),
    ("it", "i mercati sono saliti, con le azioni", "news"),
    ("it", "un cane corre sull'erba", "captions"),
]
#: the formats of labelled documents (``train``, ``evaluate``) and of documents to encode
LABELLED = ("gfun-docs-tsv", "gfun-docs-csv")
UNLABELLED = ("gfun-texts-tsv", "gfun-texts-csv")


def _writer(name: str, labelled: bool):
    def write(folder: Path) -> Path:
        path = folder / name
        tsv = name.endswith(".tsv")
        with path.open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(
                handle,
                delimiter="\t" if tsv else ",",
                quoting=csv.QUOTE_NONE if tsv else csv.QUOTE_MINIMAL,
                lineterminator="\n",
            )
            out.writerow(["lang", "text", "label"] if labelled else ["lang", "text"])
            for lang, text, label in ROWS:
                out.writerow([lang, text, label] if labelled else [lang, text])
        return path

    return write


def _model(folder: Path) -> Path:
    import numpy as np

    from rl_text.gfun.model import GeneralizedFunnelling

    names = sorted({label for _, _, label in ROWS})
    docs: dict[str, list[str]] = {}
    labels: dict[str, list[int]] = {}
    for lang, text, label in ROWS:
        docs.setdefault(lang, []).append(text)
        labels.setdefault(lang, []).append(names.index(label))
    model = GeneralizedFunnelling(len(names), class_names=names)
    model.fit(docs, {x: np.array(y) for x, y in labels.items()})
    return model.save(folder / "model")


for _name, _file, _labelled, _what in (
    ("gfun-docs-tsv", "docs.tsv", True, "TSV with a header lang, text, label"),
    ("gfun-docs-csv", "docs.csv", True, "CSV with a header lang, text, label"),
    ("gfun-texts-tsv", "texts.tsv", False, "TSV with a header lang, text"),
    ("gfun-texts-csv", "texts.csv", False, "CSV with a header lang, text"),
):
    _tsv = _file.endswith(".tsv")
    register_format(
        FileFormat(
            _name,
            _what,
            _writer(_file, _labelled),
            (Table("", "\t" if _tsv else ",", header=True, quoted=not _tsv),),
        )
    )
register_format(
    FileFormat(
        "gfun-model",
        "the OUT/model folder of `rl text gfun train` (config.json, gfun.joblib)",
        _model,
        (Lines("config.json"),),
    )
)

"""Save and load a trained (Real-)Binary PV model with its vocabulary (safetensors + JSON).

Example:
    >>> import tempfile
    >>> from rl_text.binary_pv import BinaryParagraphVector, Corpus
    >>> corpus = Corpus.build(["a cat", "a dog"], min_count=1)
    >>> model = BinaryParagraphVector(len(corpus.vocab), 2, bits=4)
    >>> folder = save_pv(tempfile.mkdtemp() + "/pv", model, corpus)
    >>> again, c2 = load_pv(folder)
    >>> bool((again.codes() == model.codes()).all()), c2.vocab == corpus.vocab
    (True, True)
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from rl_shared.errors import BadInput
from rl_text.binary_pv.data import Corpus
from rl_text.binary_pv.model import BinaryParagraphVector, RealBinaryParagraphVector

__all__ = ["load_pv", "save_pv"]


def save_pv(folder: str | Path, model, corpus: Corpus) -> Path:
    """Write ``config.json`` (kind, sizes, vocabulary, counts) and ``model.safetensors``."""
    from safetensors.torch import save_file

    from rl_shared.io import atomic_dir

    real = isinstance(model, RealBinaryParagraphVector)
    config = {
        "kind": "real-binary" if real else "binary",
        "bits": model.bits,
        "dim": model.dim if real else None,
        "n_docs": model.doc.num_embeddings,
        "binarize": None if real else model.binarize,
        "vocab": corpus.vocab,
        "counts": corpus.counts.tolist(),
    }
    folder = Path(folder)
    with atomic_dir(folder) as tmp:
        (tmp / "config.json").write_text(json.dumps(config))
        save_file(
            {k: v.contiguous() for k, v in model.state_dict().items()},
            str(tmp / "model.safetensors"),
        )
    return folder


def load_pv(folder: str | Path):
    """``(model, corpus)`` from :func:`save_pv` (the corpus has the vocabulary, no documents)."""
    from safetensors.torch import load_file

    folder = Path(folder)
    if not (folder / "config.json").is_file() or not (folder / "model.safetensors").is_file():
        raise BadInput(
            f"{folder} is not a saved binary PV model (needs config.json and model.safetensors)"
        )
    c = json.loads((folder / "config.json").read_text())
    corpus = Corpus(c["vocab"], np.array(c["counts"], dtype=np.int64), [])
    if c["kind"] == "real-binary":
        model = RealBinaryParagraphVector(len(c["vocab"]), c["n_docs"], c["bits"], c["dim"])
    else:
        model = BinaryParagraphVector(len(c["vocab"]), c["n_docs"], c["bits"], c["binarize"])
    model.load_state_dict(load_file(str(folder / "model.safetensors")))
    return model, corpus

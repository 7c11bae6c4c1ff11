"""The user files ``rl chem cmim`` reads: SMILES CSVs (``cmim-smiles``), model folders (``cmim-model``).

``--data`` of ``train`` and ``evaluate`` takes a CSV with a ``smiles`` column and a numeric
target column (``y`` or ``target``; ``evaluate`` probes it, ``train`` checks it and ignores
it); see :func:`rl_chem.cmim.data.read_smiles_csv`. ``--model`` of ``evaluate`` takes the
``OUT/model`` folder ``train`` wrote, whose sample is a tiny random-initialised encoder-decoder
saved by :func:`rl_chem.cmim.train.save_smiles_model`. Registering imports nothing heavy.

References:
    Livne, "cMIM: A Contrastive Mutual Information Framework for Unified Generative and
    Discriminative Representation Learning", arXiv 2024. https://arxiv.org/abs/2411.10548

Example:
    >>> from rl_shared.formats import get_format
    >>> get_format(CMIM_SMILES).parts[0].numeric
    (1,)
"""

from __future__ import annotations

from pathlib import Path

from rl_shared.formats import FileFormat, Lines, Table, register_format

__all__ = ["CMIM_MODEL", "CMIM_SMILES"]

#: the registered name of a SMILES CSV with a regression target
CMIM_SMILES = "cmim-smiles"
#: the registered name of a model folder written by ``rl chem cmim train``
CMIM_MODEL = "cmim-model"

_SMILES = (
    ("CCO", -0.77),
    ("c1ccccc1", -1.64),
    ("CC(=O)O", 1.22),
    ("CCN", 0.97),
    ("c1ccccc1O", -0.04),
    ("CCCl", -1.1),
    ("CC(C)O", 0.43),
    ("OCC(=O)N", 1.5),
    ("CCCCC", -3.18),
    ("c1ccncc1", 0.76),
)


def _smiles_sample(folder: Path) -> Path:
    path = folder / "molecules.csv"
    rows = "".join(f"{s},{y}\n" for s, y in _SMILES)
    path.write_text("smiles,y\n" + rows, encoding="utf-8")
    return path


def _model_sample(folder: Path) -> Path:
    import torch

    from rl_chem.cmim.model import SmilesMIM, Vocab
    from rl_chem.cmim.train import save_smiles_model

    torch.manual_seed(0)
    vocab = Vocab.build([s for s, _ in _SMILES])
    model = SmilesMIM(len(vocab), latent=2, hidden=4)
    return save_smiles_model(model, vocab, folder / "model", method="cmim", max_len=16)


register_format(
    FileFormat(
        CMIM_SMILES,
        "a CSV of molecules: a 'smiles' column (RDKit-parsable) and a numeric target (y)",
        _smiles_sample,
        (Table("", ",", header=True, numeric=(1,)),),
    )
)
register_format(
    FileFormat(
        CMIM_MODEL,
        "a SMILES encoder-decoder saved by `rl chem cmim train` (OUT/model: config.json, "
        "model.safetensors, README.md)",
        _model_sample,
        (Lines("config.json"),),
    )
)

"""The user files ``rl graph l2r-gnn`` reads: molecule CSVs, generated graph folders, models.

* ``l2r-gnn-molecules``: a CSV of SMILES and binary labels (a ``smiles`` column and a label
  column, ``label``/``target``/``Class``/``y``/``p_np``, 0 or 1), read by
  :func:`rl_graph.l2r_gnn.molecules.load_molecule_csv`;
* ``l2r-gnn-graphs``: a folder written by ``rl graph l2r-gnn generate`` holding
  ``spurious-motif.npz`` (binary arrays, so no text part to corrupt), read by
  :func:`rl_graph.l2r_gnn.motif.load_graphs`;
* ``l2r-gnn-model``: the ``OUT/model`` folder ``train`` writes, whose sample is a tiny
  random-initialised molecule GIN saved by :func:`rl_graph.l2r_gnn.train.save_gin`.

Registering imports nothing heavy; the samples load torch and PyG when written.

References:
    Chen et al., "Learning to Reweight for Graph Neural Network", arXiv 2023.
    https://arxiv.org/abs/2312.12475

Example:
    >>> from rl_shared.formats import get_format
    >>> get_format(L2R_MOLECULES).parts[0].numeric, get_format(L2R_GRAPHS).parts
    ((1,), ())
"""

from __future__ import annotations

from pathlib import Path

from rl_shared.formats import FileFormat, Lines, Table, register_format

__all__ = ["L2R_GRAPHS", "L2R_MODEL", "L2R_MOLECULES"]

#: the registered name of a CSV of SMILES and binary labels
L2R_MOLECULES = "l2r-gnn-molecules"
#: the registered name of a folder written by ``rl graph l2r-gnn generate``
L2R_GRAPHS = "l2r-gnn-graphs"
#: the registered name of a model folder written by ``rl graph l2r-gnn train``
L2R_MODEL = "l2r-gnn-model"

_SMILES = ("CCO", "CCN", "c1ccccc1", "c1ccccc1O", "CCCl", "CC=O", "CCCC", "CCCCN", "C1CC1",
           "C1CCC1O", "c1ccncc1", "CC(C)O")  # fmt: skip


def _molecules_sample(folder: Path) -> Path:
    path = folder / "molecules.csv"
    rows = "".join(f"{s},{i % 2}\n" for i, s in enumerate(_SMILES * 2))
    path.write_text("smiles,label\n" + rows, encoding="utf-8")
    return path


def _graphs_sample(folder: Path) -> Path:
    from rl_graph.l2r_gnn.motif import make_spurious_motif, save_graphs

    out = folder / "graphs"
    out.mkdir()
    save_graphs(make_spurious_motif(12, bias=0.7, seed=0), out / "spurious-motif.npz")
    return out


def _model_sample(folder: Path) -> Path:
    import torch

    from rl_graph.core.models import GINClassifier
    from rl_graph.l2r_gnn.train import save_gin

    torch.manual_seed(0)
    model = GINClassifier(0, hidden=4, num_classes=2, num_layers=1, atoms=True)
    record = {"data": "sample", "method": "erm", "seed": 0, "split": "size", "limit": None}
    return save_gin(model, folder / "model", extra={"method": "erm", "training": record})


register_format(
    FileFormat(
        L2R_MOLECULES,
        "a CSV of molecules: a 'smiles' column (RDKit-parsable) and a binary label (0 or 1)",
        _molecules_sample,
        (Table("", ",", header=True, numeric=(1,)),),
    )
)
register_format(
    FileFormat(
        L2R_GRAPHS,
        "a folder written by `rl graph l2r-gnn generate`: spurious-motif.npz (binary arrays)",
        _graphs_sample,
    )
)
register_format(
    FileFormat(
        L2R_MODEL,
        "a GIN classifier saved by `rl graph l2r-gnn train` (OUT/model: config.json, "
        "model.safetensors, README.md)",
        _model_sample,
        (Lines("config.json"),),
    )
)

"""The user files ``rl graph vgnn`` reads: MIMIC-III table folders and saved outcome models.

* ``vgnn-ehr``: a folder of MIMIC-III CSV tables as the demo ships them (upper-case headers;
  only the columns read are required): ``ADMISSIONS.csv`` (``SUBJECT_ID``, ``HADM_ID``,
  ``HOSPITAL_EXPIRE_FLAG`` 0/1), ``DIAGNOSES_ICD.csv`` and ``PROCEDURES_ICD.csv``
  (``HADM_ID``, ``ICD9_CODE``), ``PRESCRIPTIONS.csv`` (``HADM_ID``, ``DRUG``) and
  ``ICUSTAYS.csv`` (``HADM_ID``, ``INTIME``, ``OUTTIME`` as ``YYYY-MM-DD HH:MM:SS``), read by
  :func:`rl_graph.vgnn.data.load_mimic_demo`;
* ``vgnn-model``: the ``OUT/model`` folder ``train`` writes, whose sample is a tiny
  random-initialised VGNN saved by :func:`rl_graph.vgnn.storage.save_outcome_model`.

Registering imports nothing heavy; the model sample loads torch when written.

References:
    Zhu & Razavian, "Variationally Regularized Graph-based Representation Learning for
    Electronic Health Records", arXiv 2019. https://arxiv.org/abs/1912.03761

Example:
    >>> from rl_shared.formats import get_format
    >>> [p.file for p in get_format(VGNN_EHR).parts][:2]
    ['ADMISSIONS.csv', 'DIAGNOSES_ICD.csv']
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from rl_shared.formats import FileFormat, Lines, Table, register_format

__all__ = ["VGNN_EHR", "VGNN_MODEL"]

#: the registered name of a folder of MIMIC-III tables
VGNN_EHR = "vgnn-ehr"
#: the registered name of a model folder written by ``rl graph vgnn train``
VGNN_MODEL = "vgnn-model"

# 12 admissions of 8 patients; outcome 1 for a third of them; codes shared across them
_ADMISSIONS = [(1, 100 + i, int(i % 3 == 0)) for i in range(12)]
_DX = ("4019", "486", "5849", "42731", "25000", "2724")
_PX = ("9604", "3893", "9671")
_RX = ("Heparin", "Insulin", "Furosemide", "Metoprolol")


def _tables() -> dict[str, tuple[str, list[str]]]:
    """File name -> (header, data rows) of the sample."""
    adm = [f"{10 + i // 2},{h},{y}" for i, (_, h, y) in enumerate(_ADMISSIONS)]
    dx = [f"{h},{_DX[(i + k) % len(_DX)]}" for i, (_, h, _y) in enumerate(_ADMISSIONS)
          for k in range(2)]  # fmt: skip
    px = [f"{h},{_PX[i % len(_PX)]}" for i, (_, h, _y) in enumerate(_ADMISSIONS)]
    rx = [f"{h},{_RX[i % len(_RX)]}" for i, (_, h, _y) in enumerate(_ADMISSIONS)]
    start = datetime(2150, 1, 1, 8)  # a patient's second stay starts 2 days after the first
    icu = [f"{h},{start + timedelta(days=3 * i):%Y-%m-%d %H:%M:%S},"
           f"{start + timedelta(days=3 * i + 1):%Y-%m-%d %H:%M:%S}"
           for i, (_, h, _y) in enumerate(_ADMISSIONS)]  # fmt: skip
    return {
        "ADMISSIONS.csv": ("SUBJECT_ID,HADM_ID,HOSPITAL_EXPIRE_FLAG", adm),
        "DIAGNOSES_ICD.csv": ("HADM_ID,ICD9_CODE", dx),
        "PROCEDURES_ICD.csv": ("HADM_ID,ICD9_CODE", px),
        "PRESCRIPTIONS.csv": ("HADM_ID,DRUG", rx),
        "ICUSTAYS.csv": ("HADM_ID,INTIME,OUTTIME", icu),
    }


def _ehr_sample(folder: Path) -> Path:
    out = folder / "mimic"
    out.mkdir()
    for name, (header, rows) in _tables().items():
        (out / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return out


def _model_sample(folder: Path) -> Path:
    import torch

    from rl_graph.vgnn.model import VGNN
    from rl_graph.vgnn.storage import save_outcome_model
    from rl_graph.vgnn.train import OutcomeModel

    torch.manual_seed(0)
    vocab = sorted({f"dx:{c}" for c in _DX} | {f"px:{c}" for c in _PX}
                   | {f"rx:{c.lower()}" for c in _RX})  # fmt: skip
    record = {"data": "sample", "model": "vgnn", "outcome": "mortality", "seed": 0}
    model = OutcomeModel(
        "vgnn", vocab, net=VGNN(len(vocab), hidden=4, heads=1),
        config={"seed": 0, "test_fraction": 0.25, "training": record},
    )  # fmt: skip
    return save_outcome_model(model, folder / "model")


register_format(
    FileFormat(
        VGNN_EHR,
        "a folder of MIMIC-III CSV tables: ADMISSIONS, DIAGNOSES_ICD, PROCEDURES_ICD, "
        "PRESCRIPTIONS (and ICUSTAYS, needed for --outcome readmission)",
        _ehr_sample,
        (
            Table("ADMISSIONS.csv", ",", header=True, numeric=(0, 1, 2), quoted=True),
            Table("DIAGNOSES_ICD.csv", ",", header=True, numeric=(0,), quoted=True),
            Table("PROCEDURES_ICD.csv", ",", header=True, numeric=(0,), quoted=True),
            Table("PRESCRIPTIONS.csv", ",", header=True, numeric=(0,), quoted=True),
            Table("ICUSTAYS.csv", ",", header=True, numeric=(0,), quoted=True),
        ),
    )
)
register_format(
    FileFormat(
        VGNN_MODEL,
        "an EHR outcome model saved by `rl graph vgnn train` (OUT/model: config.json, "
        "model.safetensors, README.md)",
        _model_sample,
        (Lines("config.json"),),
    )
)

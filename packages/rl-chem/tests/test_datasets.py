"""Dataset registration, the xcnn loader and the missing-data message."""

from __future__ import annotations

import pytest

from rl_chem.atomization import errors_table
from rl_chem.datasets import XCNN, load_xcnn_ae
from rl_shared.errors import DatasetNotFound


def test_xcnn_atomization_entries():
    if not XCNN.is_present():
        pytest.skip("xcnn data not present")
    entries = load_xcnn_ae("test_dsets/ae_mols.yaml")
    assert len(entries) > 5 and all(0 < e["true_val"] < 2 for e in entries)


def test_missing_data_names_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path))
    with pytest.raises(DatasetNotFound, match="dft/xcnn"):
        load_xcnn_ae()


def test_errors_table_mae():
    t = errors_table({"a": 3.0, "b": -1.0, "c": 9.0}, {"a": 1.0, "b": 1.0})
    assert t["mae"] == 2.0 and set(t["errors"]) == {"a", "b"}

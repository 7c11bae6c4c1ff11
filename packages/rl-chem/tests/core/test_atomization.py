"""Errors and MAE of atomization energies; the --data molecule lists."""

from __future__ import annotations

import pytest

from rl_chem.core.atomization import errors_table
from rl_chem.core.reference_data import molecule_names
from rl_shared.errors import UnknownName


def test_errors_table_mae():
    t = errors_table({"a": 3.0, "b": -1.0, "c": 9.0}, {"a": 1.0, "b": 1.0})
    assert t["mae"] == 2.0 and set(t["errors"]) == {"a", "b"}


def test_molecule_names_sets_and_lists():
    assert molecule_names("H2O,CH4") == ["H2O", "CH4"]
    assert "LiH" in molecule_names("g2-small")
    with pytest.raises(UnknownName, match="g2-tiny"):
        molecule_names("H2O,Unobtainium")

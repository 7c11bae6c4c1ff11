"""Physically impossible molecules, unknown names and broken model folders are refused
before PySCF runs anything: one sentence, exit 2, no traceback."""

from __future__ import annotations

import json

import pytest

import rl_chem.core.atomization  # noqa: F401  (imported before any patch: none leaks)
from rl_chem.core import molecules
from rl_chem.core.geometry import check_geometry
from rl_chem.core.molecules import build_mol, resolve_xc
from rl_chem.core.reference_data import ReferenceCache, molecule_names
from rl_shared.errors import BadInput, MalformedFile, ModelNotFound, UnknownName
from rl_shared.testing import refused


@pytest.fixture
def no_pyscf(monkeypatch):
    """Fail the test if a PySCF molecule is built or an SCF runs."""

    def boom(*args, **kwargs):
        raise AssertionError("PySCF was reached with an impossible molecule")

    monkeypatch.setattr(molecules.gto, "Mole", boom)
    monkeypatch.setattr(molecules, "run_scf", boom)


def _refused(capsys, argv: list[str]) -> str:
    return refused(capsys, argv, only_line=True)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999"])
def test_non_finite_coordinate_is_refused_naming_the_atom(no_pyscf, value):
    with pytest.raises(BadInput, match=r"atom 2 \(H\) has the coordinate z=(nan|inf|-inf)"):
        build_mol(f"H 0 0 0; H 0 0 {value}", basis="sto-3g")


def test_atoms_closer_than_a_tenth_of_an_angstrom_are_refused(no_pyscf):
    with pytest.raises(BadInput, match=r"atoms 1 \(O\) and 3 \(H\) are 0\.050 Angstrom apart"):
        build_mol("O 0 0 0; H 0 0.76 0.5; H 0 0 0.05", basis="sto-3g")
    with pytest.raises(BadInput, match=r"atoms 1 \(H\) and 2 \(H\) are 0\.000 Angstrom"):
        build_mol("H 0 0 0; H 0 0 0", basis="sto-3g")


def test_too_close_is_measured_in_the_unit_of_the_coordinates(no_pyscf):
    check_geometry("H 0 0 0; H 0 0 0.15", unit="Angstrom")  # 0.15 Angstrom: allowed
    with pytest.raises(BadInput, match=r"0\.079 Angstrom apart"):
        check_geometry("H 0 0 0; H 0 0 0.15", unit="Bohr")  # 0.15 Bohr = 0.079 Angstrom


@pytest.mark.parametrize(("symbol", "row"), [("Xq", 1), ("Hh", 2), ("8", 2)])
def test_unknown_element_symbol_is_refused_naming_the_row(no_pyscf, symbol, row):
    atom = f"{symbol} 0 0 0; H 0 0 1" if row == 1 else f"H 0 0 0; {symbol} 0 0 1"
    with pytest.raises(BadInput, match=rf"unknown element '{symbol}' in geometry row {row}"):
        build_mol(atom, basis="sto-3g")


def test_unknown_element_in_the_list_form_is_refused(no_pyscf):
    with pytest.raises(BadInput, match=r"atom 2 has an unknown element 'Qq'"):
        build_mol([("H", (0, 0, 0)), ("Qq", (0, 0, 1))], basis="sto-3g")


def test_a_charge_that_leaves_no_electron_is_refused(no_pyscf):
    with pytest.raises(BadInput, match=r"charge 2 leaves 0 electrons \(the nuclei bring 2\)"):
        build_mol("H 0 0 0; H 0 0 0.74", basis="sto-3g", charge=2)
    with pytest.raises(BadInput, match=r"charge 1 leaves 0 electrons"):
        build_mol("H 0 0 0", basis="sto-3g", charge=1, spin=0)


@pytest.mark.parametrize(("atom", "charge", "spin"), [("H 0 0 0", 0, 0), ("O 0 0 0", 0, 1),
                                                      ("O 0 0 0", 1, 2)])  # fmt: skip
def test_spin_of_the_wrong_parity_is_refused(no_pyscf, atom, charge, spin):
    with pytest.raises(BadInput, match=rf"spin {spin} does not fit \d+ electrons?: .* even"):
        build_mol(atom, basis="sto-3g", charge=charge, spin=spin)


def test_spin_larger_than_the_electron_count_is_refused(no_pyscf):
    with pytest.raises(BadInput, match=r"spin 4 is more than the 2 electrons"):
        build_mol("H 0 0 0; H 0 0 0.74", basis="sto-3g", spin=4)
    with pytest.raises(BadInput, match=r"spin -3 is more than the 1 electron "):
        build_mol("H 0 0 0", basis="sto-3g", spin=-3)


def test_a_possible_molecule_still_builds():
    mol = build_mol("O 0 0 0", basis="sto-3g", spin=2)
    assert mol.nelectron == 8 and mol.spin == 2
    assert check_geometry([("H", (0, 0, 0)), ("H", (0, 0, 0.74))]) == 2


def test_scf_refuses_an_impossible_geometry_before_any_scf(no_pyscf, capsys):
    line = _refused(capsys, ["chem", "scf", "--atom", "H 0 0 0; H 0 0 0.01", "--basis", "sto-3g"])
    assert "atoms 1 (H) and 2 (H) are 0.010 Angstrom apart" in line
    line = _refused(capsys, ["chem", "scf", "--atom", "H 0 0 0; H 0 0 0.74", "--charge", "3"])
    assert "charge 3 leaves -1 electrons" in line


def test_unknown_molecule_name_lists_the_valid_names():
    with pytest.raises(UnknownName, match=r"unknown molecule set or G2 molecule 'H2Q'") as err:
        molecule_names("H2O,H2Q")
    assert {"g2-tiny", "g2", "H2O", "CH4"} <= set(err.value.valid)


def test_an_atom_or_a_repeated_molecule_is_not_a_molecule_set():
    with pytest.raises(BadInput, match=r"'O' is an atom, not a molecule"):
        molecule_names("H2O,O")
    with pytest.raises(BadInput, match=r"names H2O more than once"):
        molecule_names("H2O,CH4,H2O")


def test_reference_refuses_an_unknown_method_or_molecule(no_pyscf, capsys):
    line = _refused(capsys, ["chem", "reference", "--data", "H2", "--method", "ccsdt"])
    assert "'ccsdt' is not one of" in line
    line = _refused(capsys, ["chem", "reference", "--data", "H2,XeF9"])
    assert "unknown molecule set or G2 molecule 'XeF9'" in line


def test_unknown_functional_or_missing_model_folder(tmp_path):
    with pytest.raises(UnknownName, match="unknown functional 'pbee'"):
        resolve_xc("pbee")
    with pytest.raises(ModelNotFound, match=r"no saved functional at .*nowhere"):
        resolve_xc(str(tmp_path / "nowhere"))
    with pytest.raises(BadInput, match="libxc does not know the functional 'nosuch'"):
        resolve_xc("libxc:nosuch")


def test_a_broken_model_folder_fails_before_the_scf(no_pyscf, tmp_path, capsys):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_bytes(b'{"kind": "chem.skala.neural-xc",\n"config": \xff}\n')
    atom = ["--atom", "H 0 0 0; H 0 0 0.74"]
    line = _refused(capsys, ["chem", "scf", *atom, "--model", str(folder)])
    assert "config.json:2: byte 0xff" in line


def test_a_reference_cache_with_a_broken_energy_is_refused(tmp_path):
    cache = tmp_path / "reference-hf-sto-3g.json"
    cache.write_text(json.dumps({"energies": {"H2": {"energy": "low"}}}))
    with pytest.raises(MalformedFile, match=r"the energy of 'H2' is 'low', not a number"):
        ReferenceCache("hf", "sto-3g", folder=tmp_path)

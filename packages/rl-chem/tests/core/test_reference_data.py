"""The reference cache resumes after an interruption and never recomputes a system."""

from __future__ import annotations

import json

import pytest

from rl_chem.core.reference_data import (
    ReferenceCache,
    atomization_energies,
    compute_reference,
    set_names,
)


def test_cache_resumes_after_interruption(tmp_path):
    calls: list[int] = []

    def fake(mol, method):
        calls.append(mol.nelectron)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the run is killed while computing the 3rd system
        return -0.5 * mol.nelectron

    names = ["H2O", "CH4"]  # systems: C, H, O, H2O, CH4
    with pytest.raises(KeyboardInterrupt):
        compute_reference(names, "hf", "sto-3g", folder=tmp_path, energy_fn=fake)
    saved = json.loads((tmp_path / "reference-hf-sto-3g.json").read_text())
    assert sorted(saved["energies"]) == ["C", "H"]
    calls.clear()
    energies = compute_reference(
        names, "hf", "sto-3g", folder=tmp_path, energy_fn=lambda m, _: -0.5 * m.nelectron
    )
    assert len(energies) == 5 and "C" in energies
    again = compute_reference(names, "hf", "sto-3g", folder=tmp_path, energy_fn=None)
    assert again == energies  # nothing left to compute, so no PySCF run
    assert ReferenceCache("hf", "sto-3g", tmp_path).energies.keys() == energies.keys()


def test_atomization_from_real_hf_energies(tmp_path):
    e = compute_reference(["H2"], "hf", "sto-3g", folder=tmp_path)
    ae = atomization_energies(["H2"], e)["H2"]
    assert 100 < ae < 130  # HF/STO-3G binds H2 by about 117 kcal/mol


def test_unknown_set_and_method():
    from rl_shared.errors import UnknownName

    with pytest.raises(UnknownName):
        set_names("g3")
    assert len(set_names("g2")) > 40

"""Evaluating xcnn entries: units, shared systems, Bohr coordinates, basis override."""

from __future__ import annotations

import pytest

from rl_chem.core.molecules import build_mol, run_scf
from rl_chem.core.reference_data import HARTREE_TO_KCAL
from rl_chem.xcnn.benchmark import evaluate_xcnn, short_name, system_key
from rl_chem.xcnn.data import load_xcnn


def test_evaluate_h2_lda_minimal_basis(fake_yaml):
    entries = load_xcnn(fake_yaml)
    out = evaluate_xcnn(entries, xc="lda", grid_level=1)
    # H appears in both entries (differently spaced): one SCF for it, one for H2
    assert out["n_systems"] == 2 and not out["not_converged"]
    e_h2 = run_scf(build_mol("H 0 0 0; H 0 0 1.4", basis="sto-3g", unit="Bohr"), xc="lda",
                   grid_level=1)["energy"]  # fmt: skip
    e_h = run_scf(build_mol("H 0 0 0", basis="sto-3g", spin=1), xc="lda", grid_level=1)["energy"]
    ae = out["values"]["Atomization energy of H2"]
    assert ae == pytest.approx(2 * e_h - e_h2, abs=1e-8)
    assert 0.1 < ae < 0.3  # LDA overbinds H2 a little, in Hartree
    assert out["values"]["Ionization energy of H"] == pytest.approx(-e_h, abs=1e-8)
    err = out["errors"]["Atomization energy of H2"]
    assert err == pytest.approx((ae - 0.1745) * HARTREE_TO_KCAL, rel=1e-12)
    assert out["mae"] == pytest.approx(
        (abs(err) + abs(out["errors"]["Ionization energy of H"])) / 2
    )


def test_bohr_not_angstrom_and_basis_override(fake_yaml):
    entry = load_xcnn(fake_yaml)[0]
    key = system_key(entry["systems"][0], basis="6-31G")
    assert key == ("H 0 0 0;H 0 0 1.4", "6-31g", 0, 0)
    assert short_name(entry["name"]) == "H2"
    out = evaluate_xcnn([entry], xc="lda", basis="6-31g", grid_level=1)
    ref = evaluate_xcnn([entry], xc="lda", grid_level=1)
    assert out["values"][entry["name"]] != pytest.approx(ref["values"][entry["name"]], abs=1e-4)

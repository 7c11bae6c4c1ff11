"""User mistakes and SCF non-convergence give one clear sentence."""

from __future__ import annotations

import pytest

from rl_chem.core.molecules import SCFNotConverged, build_mol, run_scf
from rl_chem.core.numint import get_functional
from rl_shared.errors import BadInput, UnknownName


@pytest.mark.parametrize(
    ("atom", "basis", "spin", "match"),
    [
        ("Xq 0 0 0", "sto-3g", 0, "unknown element 'Xq'"),
        ("H 0 0; H 0 0 0.7", "sto-3g", 0, "3 coordinates"),
        ("H 0 0 a", "sto-3g", 0, "not a number"),
        ("", "sto-3g", 0, "empty"),
        ("H 0 0 0; H 0 0 0.74", "no-such-basis", 0, "basis set 'no-such-basis'"),
        ("H 0 0 0; H 0 0 0.74", "sto-3g", 1, "does not fit 2 electrons"),
    ],
)
def test_bad_input_messages(atom, basis, spin, match):
    with pytest.raises(BadInput, match=match):
        build_mol(atom, basis=basis, spin=spin)


def test_non_convergence_is_reported_not_used():
    mol = build_mol("O 0 0 0; H 0 0.757 0.587; H 0 -0.757 0.587", basis="sto-3g")
    with pytest.raises(SCFNotConverged, match="did not converge"):
        run_scf(mol, xc="pbe", max_cycle=1, conv_tol=1e-14, grid_level=0)


def test_unknown_functional():
    with pytest.raises(UnknownName, match="b3lyp"):
        get_functional("b3lyp")


def test_b3lyp_alias_is_libxc_hybrid():
    from pyscf import dft

    from rl_chem.core.molecules import make_mf

    mf = make_mf(build_mol("H 0 0 0; H 0 0 0.74", basis="sto-3g"), xc="B3LYP")
    assert isinstance(mf, dft.rks.RKS) and mf.xc.lower() == "b3lyp"
    assert mf._numint.hybrid_coeff(mf.xc) == 0.2

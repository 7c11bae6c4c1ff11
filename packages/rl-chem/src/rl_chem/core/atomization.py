"""DFT atomization energies of G2 molecules with any functional, and their errors.

Example:
    >>> out = dft_atomization(["H2"], xc="lda", basis="sto-3g", grid_level=1)
    >>> round(out["atomization"]["H2"], 1)
    156.6
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from rl_chem.core.molecules import SCFNotConverged, check_scf_precision, resolve_xc, run_scf
from rl_chem.core.reference_data import atomization_energies, atoms_of, system_mol
from rl_shared.runtime import resolve_device

__all__ = ["dft_atomization", "errors_table"]


def dft_atomization(
    names: Iterable[str],
    xc: Any = "pbe",
    basis: str = "cc-pvdz",
    grid_level: int | None = None,
    progress: Callable[[Iterable[str]], Iterable[str]] | None = None,
    device: Any = "auto",
    precision: str = "fp32",
) -> dict[str, Any]:
    """SCF total energies of the molecules and their atoms, and atomization energies.

    Molecules whose SCF (or one of whose atoms') does not converge are listed under
    ``"not_converged"`` and left out of ``"atomization"`` -- never silently used. The
    functional and every molecule are checked before the first SCF runs.

    Args:
        names: G2 molecule names.
        xc: functional, as in :func:`rl_chem.core.molecules.make_mf`.
        basis: basis set.
        grid_level: PySCF grid level.
        progress: wraps the list of systems (e.g. a progress bar).
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``: where a torch
            functional is evaluated (PySCF's integrals and libxc stay on the CPU).
        precision: ``fp32`` only (see :func:`rl_chem.core.molecules.check_scf_precision`).

    Returns:
        ``{"energies": {system: Eh}, "atomization": {name: kcal/mol}, "not_converged": [...],
        "seconds": {system: s}}``.
    """
    names = list(names)
    systems = atoms_of(names) + names
    energies: dict[str, float] = {}
    seconds: dict[str, float] = {}
    failed: list[str] = []
    check_scf_precision(precision)
    dev = resolve_device(str(device))
    xc = resolve_xc(xc)  # a broken model folder or a bad basis fails before the first SCF
    mols = {s: system_mol(s, basis) for s in systems}
    for s in progress(systems) if progress else systems:
        try:
            out = run_scf(mols[s], xc=xc, grid_level=grid_level, device=dev)
        except SCFNotConverged:
            failed.append(s)
            continue
        energies[s] = out["energy"]
        seconds[s] = out["seconds"]
    from ase.build import molecule

    ok = [n for n in names if all(a in energies for a in [n, *molecule(n).get_chemical_symbols()])]
    return {
        "energies": energies,
        "atomization": atomization_energies(ok, energies),
        "not_converged": failed,
        "seconds": seconds,
    }


def errors_table(pred: dict[str, float], ref: dict[str, float]) -> dict[str, Any]:
    """Signed errors ``pred - ref`` per molecule and their MAE (kcal/mol) over shared keys.

    Args:
        pred: predicted atomization energies, molecule -> kcal/mol.
        ref: reference atomization energies, molecule -> kcal/mol; molecules missing from
            either side are left out (MAE is NaN when none are shared).

    Returns:
        ``{"errors": {molecule: pred - ref}, "mae": float}``.

    Example:
        >>> errors_table({"a": 1.0, "b": 3.0}, {"a": 2.0, "b": 3.0})["mae"]
        0.5
    """
    keys = [k for k in pred if k in ref]
    err = {k: float(pred[k] - ref[k]) for k in keys}
    mae = float(np.mean([abs(v) for v in err.values()])) if err else float("nan")
    return {"errors": err, "mae": mae}

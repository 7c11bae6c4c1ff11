"""Atomization and ionization energies of Kasim & Vinko's xcnn sets with any functional.

Every distinct system of the chosen entries (same geometry, basis, charge and spin --
atoms are shared between entries) is run once with :func:`rl_chem.core.molecules.run_scf`;
each entry's value is its ``cmd`` (a linear combination of those energies) and its
error is ``value - true_val`` converted from Hartree to kcal/mol. Coordinates are in
Bohr and the basis is the one each system names in the file (6-311++G(3df,3pd) for the
atomization sets, as in the paper) unless ``basis`` overrides it.

References:
    Kasim & Vinko, PRL 127, 126403 (2021), arXiv:2102.04229.

Example:
    >>> entries = [{"name": "IE of H", "type": "ie", "true_val": 0.5, "terms": [(-1.0, 0)],
    ...             "systems": [{"moldesc": "H 0 0 0", "basis": "sto-3g", "charge": 0,
    ...                          "spin": 1}]}]
    >>> out = evaluate_xcnn(entries, xc="lda", grid_level=1)
    >>> round(out["values"]["IE of H"], 4), round(out["errors"]["IE of H"], 1)
    (0.4357, -40.3)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from rl_chem.core.molecules import (
    SCFNotConverged,
    build_mol,
    check_scf_precision,
    resolve_xc,
    run_scf,
)
from rl_chem.core.reference_data import HARTREE_TO_KCAL
from rl_shared.runtime import resolve_device

__all__ = ["evaluate_xcnn", "short_name", "system_key", "xcnn_mol"]

SystemKey = tuple[str, str, int, int]


def short_name(name: str) -> str:
    """The molecule part of an entry name.

    Args:
        name: an xcnn entry name, e.g. ``"Atomization energy of H2O"``; returned whole
            without ``" of "``.

    Example:
        >>> short_name("Vertical ionization energy of CH3 (Methyl radical)")
        'CH3 (Methyl radical)'
    """
    return name.split(" of ", 1)[1].strip() if " of " in name else name


def system_key(system: dict[str, Any], basis: str | None = None) -> SystemKey:
    """Identity of a system: geometry (whitespace-normalised), basis, charge, spin.

    Args:
        system: an xcnn system (``moldesc``, ``basis``, ``charge``, ``spin``), as
            :func:`~rl_chem.xcnn.data.load_xcnn` gives it.
        basis: overrides the system's basis (lower-cased either way).

    Example:
        >>> system_key({"moldesc": "H  0 0 0", "basis": "STO-3G", "charge": 0, "spin": 1})
        ('H 0 0 0', 'sto-3g', 0, 1)
    """
    geom = ";".join(" ".join(r.split()) for r in system["moldesc"].split(";") if r.strip())
    return (geom, (basis or system["basis"]).lower(), system["charge"], system["spin"])


def xcnn_mol(system: dict[str, Any], basis: str | None = None, verbose: int = 0):
    """A PySCF molecule of an xcnn system (coordinates in Bohr).

    Args:
        system: an xcnn system (``moldesc``, ``basis``, ``charge``, ``spin``).
        basis: overrides the system's basis.
        verbose: PySCF verbosity.

    Example:
        >>> m = xcnn_mol({"moldesc": "H 0 0 0; H 0 0 1.4", "basis": "sto-3g", "charge": 0,
        ...               "spin": 0})
        >>> round(float(m.atom_coord(1)[2]), 6), m.nao
        (1.4, 2)
    """
    return build_mol(
        system["moldesc"], basis=basis or system["basis"], spin=system["spin"],
        charge=system["charge"], unit="Bohr", verbose=verbose,
    )  # fmt: skip


def evaluate_xcnn(
    entries: list[dict[str, Any]],
    xc: Any = "pbe",
    basis: str | None = None,
    grid_level: int | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    device: Any = "auto",
    precision: str = "fp32",
) -> dict[str, Any]:
    """Energies of the entries' systems, each entry's value and its error vs ``true_val``.

    An entry one of whose systems does not converge is listed under ``not_converged``
    and left out of the errors -- never silently used. The functional and every molecule
    (basis, geometry) are checked before the first SCF runs.

    Args:
        entries: from :func:`rl_chem.xcnn.data.load_xcnn`.
        xc: functional, as in :func:`rl_chem.core.molecules.make_mf`.
        basis: override the basis each system names.
        grid_level: PySCF grid level (default PySCF's).
        progress: wraps the list of systems (e.g. a progress bar).
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``: where a torch
            functional is evaluated (PySCF's integrals and libxc stay on the CPU).
        precision: ``fp32`` only (see :func:`rl_chem.core.molecules.check_scf_precision`).

    Returns:
        ``{"values": {name: Eh}, "reference": {name: Eh}, "errors": {name: kcal/mol},
        "mae": kcal/mol, "not_converged": [names], "n_systems": int, "seconds": float}``.

    Example:
        >>> h = {"moldesc": "H 0 0 0", "basis": "sto-3g", "charge": 0, "spin": 1}
        >>> entry = {"name": "IE of H", "type": "ie", "true_val": 0.5, "terms": [(-1.0, 0)],
        ...          "systems": [h]}
        >>> evaluate_xcnn([entry, entry], xc="lda", grid_level=1)["n_systems"]
        1
    """
    t0 = time.perf_counter()
    keys: dict[SystemKey, dict[str, Any]] = {}
    for e in entries:
        for s in e["systems"]:
            keys.setdefault(system_key(s, basis), s)
    check_scf_precision(precision)
    dev = resolve_device(str(device))
    xc = resolve_xc(xc)  # a broken model folder is refused before the first SCF
    mols = {key: xcnn_mol(s, basis) for key, s in keys.items()}  # so is a bad basis or geometry
    energies: dict[SystemKey, float] = {}
    items = list(mols.items())
    for key, mol in progress(items) if progress else items:
        try:
            energies[key] = run_scf(mol, xc=xc, grid_level=grid_level, device=dev)["energy"]
        except SCFNotConverged:
            continue
    values, errors, reference, failed = {}, {}, {}, []
    for e in entries:
        ks = [system_key(s, basis) for s in e["systems"]]
        reference[e["name"]] = e["true_val"]
        if any(ks[j] not in energies for _, j in e["terms"]):
            failed.append(e["name"])
            continue
        values[e["name"]] = float(sum(c * energies[ks[j]] for c, j in e["terms"]))
        errors[e["name"]] = (values[e["name"]] - e["true_val"]) * HARTREE_TO_KCAL
    mae = float(np.mean(np.abs(list(errors.values())))) if errors else float("nan")
    return {
        "values": values,
        "reference": reference,
        "errors": errors,
        "mae": mae,
        "not_converged": failed,
        "n_systems": len(keys),
        "seconds": time.perf_counter() - t0,
    }

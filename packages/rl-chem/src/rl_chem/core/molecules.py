"""Molecules for PySCF from geometry strings or ase, and SCF runs that report clearly.

Wraps ``pyscf.gto.M`` and ``mf.kernel()`` so that user mistakes (unknown element,
unparsable geometry, a basis set PySCF lacks, charge/spin that do not fit) and SCF
non-convergence become one-sentence :class:`rl_shared.errors.RLError` messages.

Example:
    >>> mol = build_mol("H 0 0 0; H 0 0 0.74", basis="sto-3g")
    >>> mol.nelectron
    2
    >>> out = run_scf(mol, xc="lda")
    >>> out["converged"], round(out["energy"], 4)
    (True, -1.121)
"""

from __future__ import annotations

import re
import time
import warnings
from typing import Any

from pyscf import dft, gto, scf
from pyscf.data import elements

from rl_shared.errors import BadInput, RLError

__all__ = ["SCFNotConverged", "build_mol", "from_ase", "make_mf", "run_scf"]

_LIBXC_ALIASES = ("b3lyp",)  # hybrids: run by PySCF with libxc, not by the torch NumInt
_VALID = {s.upper() for s in elements.ELEMENTS[1:]} | {"GHOST", "X"}


class SCFNotConverged(RLError, RuntimeError):
    """The SCF stopped without reaching its convergence threshold.

    :func:`run_scf` raises it (after a second-order retry) unless ``raise_on_failure=False``.

    Example:
        >>> heh = build_mol("He 0 0 0; H 0 0 1.0", basis="sto-3g", charge=1)
        >>> try:
        ...     run_scf(heh, xc="hf", max_cycle=1, conv_tol=1e-12)
        ... except SCFNotConverged as err:
        ...     print(isinstance(err, RuntimeError), str(err)[:29])
        True the SCF (hf) did not converge
    """


def _check_atoms(atom: str) -> None:
    rows = [r.strip() for r in re.split(r"[;\n]", atom) if r.strip()]
    if not rows:
        raise BadInput("the geometry string is empty; give rows like 'O 0 0 0; H 0 0.76 -0.47'")
    for i, row in enumerate(rows, 1):
        parts = row.replace(",", " ").split()
        sym = re.sub(r"[\d_:].*$", "", parts[0])
        if sym.upper() not in _VALID:
            raise BadInput(
                f"unknown element {parts[0]!r} in geometry row {i} ({row!r}); "
                "use element symbols such as H, C, N, O"
            )
        if len(parts) != 4:
            raise BadInput(
                f"geometry row {i} ({row!r}) needs an element and 3 coordinates in Angstrom, "
                "rows separated by ';'"
            )
        try:
            [float(p) for p in parts[1:]]
        except ValueError:
            raise BadInput(
                f"geometry row {i} ({row!r}) has a coordinate that is not a number"
            ) from None


def build_mol(
    atom: str | list,
    basis: str = "def2-svp",
    spin: int = 0,
    charge: int = 0,
    unit: str = "Angstrom",
    verbose: int = 0,
) -> gto.Mole:
    """A built ``pyscf.gto.Mole``; bad input raises :class:`~rl_shared.errors.BadInput`.

    Args:
        atom: "El x y z; El x y z" (Angstrom by default) or PySCF's list form.
        basis: a basis-set name PySCF knows (e.g. "sto-3g", "def2-svp", "cc-pvdz").
        spin: N_alpha - N_beta.
        charge: total charge.
        unit: "Angstrom" or "Bohr".
        verbose: PySCF verbosity.

    Example:
        >>> build_mol("O 0 0 0", basis="sto-3g", spin=2).spin
        2
    """
    if isinstance(atom, str):
        _check_atoms(atom)
    mol = gto.Mole(atom=atom, basis=basis, spin=spin, charge=charge, unit=unit, verbose=verbose)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            mol.build()
    except (KeyError, RuntimeError, ValueError, FileNotFoundError) as err:
        text = str(err)
        if "lectron number" in text or "spin" in text.lower():
            raise BadInput(
                f"charge {charge} and spin {spin} do not fit {mol.nelectron} electrons; "
                "spin (N_alpha - N_beta) must have the parity of the electron count"
            ) from None
        raise BadInput(
            f"basis set {basis!r} is not available in PySCF for this molecule; "
            "use a basis PySCF ships, e.g. sto-3g, def2-svp or cc-pvdz"
        ) from None
    return mol


def from_ase(atoms: Any, basis: str = "cc-pvdz", verbose: int = 0) -> gto.Mole:
    """A ``pyscf.gto.Mole`` from an ``ase.Atoms`` (initial magnetic moments give the spin).

    Args:
        atoms: an ``ase.Atoms`` (positions in Angstrom); its initial magnetic moments sum to
            the spin and its initial charges to the charge.
        basis: a basis-set name PySCF knows.
        verbose: PySCF verbosity.

    Example:
        >>> from ase.build import molecule
        >>> from_ase(molecule("CH4"), basis="sto-3g").natm
        5
    """
    spin = round(float(sum(atoms.get_initial_magnetic_moments())))
    rows = [(s, tuple(p)) for s, p in zip(atoms.get_chemical_symbols(), atoms.positions)]
    charge = round(float(sum(atoms.get_initial_charges())))
    return build_mol(rows, basis=basis, spin=abs(spin), charge=charge, verbose=verbose)


def make_mf(mol: gto.Mole, xc: Any = "pbe", grid_level: int | None = None):
    """A mean-field object: torch functional, ``"libxc:<code>"`` (plain PySCF) or ``"hf"``.

    Restricted for closed shells, unrestricted otherwise.

    Args:
        mol: the molecule.
        xc: "lda"/"pbe"/"r2scan" (torch), a neural functional or its saved model folder,
            "b3lyp" (= "libxc:b3lyp") or any "libxc:<code>" (PySCF with libxc), or "hf".
        grid_level: PySCF grid level (default PySCF's, 3).

    Example:
        >>> h2 = build_mol("H 0 0 0; H 0 0 0.74", basis="sto-3g")
        >>> type(make_mf(h2, "hf")).__name__, make_mf(h2, "b3lyp").xc
        ('RHF', 'b3lyp')
        >>> mf = make_mf(build_mol("H 0 0 0", basis="sto-3g", spin=1), "pbe", grid_level=1)
        >>> type(mf).__name__, mf.xc, mf.grids.level
        ('UKS', 'torch:pbe', 1)
    """
    from rl_chem.core.numint import RKS, UKS

    open_shell = mol.spin != 0
    if isinstance(xc, str) and xc.lower() in _LIBXC_ALIASES:
        xc = f"libxc:{xc.lower()}"
    if isinstance(xc, str) and xc.lower() == "hf":
        mf = scf.UHF(mol) if open_shell else scf.RHF(mol)
    elif isinstance(xc, str) and xc.lower().startswith("libxc:"):
        code = xc.split(":", 1)[1]
        try:
            dft.libxc.parse_xc(code)
        except (KeyError, ValueError):
            raise BadInput(f"libxc does not know the functional {code!r}") from None
        mf = dft.UKS(mol, xc=code) if open_shell else dft.RKS(mol, xc=code)
    else:
        mf = UKS(mol, xc=xc) if open_shell else RKS(mol, xc=xc)
    if grid_level is not None and hasattr(mf, "grids"):
        mf.grids.level = grid_level
    return mf


def run_scf(
    mol: gto.Mole,
    xc: Any = "pbe",
    conv_tol: float = 1e-9,
    max_cycle: int = 100,
    grid_level: int | None = None,
    raise_on_failure: bool = True,
) -> dict[str, Any]:
    """Run an SCF; returns energy, converged, iterations, seconds and the mean-field object.

    Args:
        mol: the molecule.
        xc: see :func:`make_mf`.
        conv_tol: energy convergence threshold (Eh).
        max_cycle: most SCF iterations.
        grid_level: PySCF grid level.
        raise_on_failure: raise :class:`SCFNotConverged` (never silently use the energy).
    """
    mf = make_mf(mol, xc, grid_level=grid_level)
    mf.conv_tol = conv_tol
    mf.max_cycle = max_cycle
    t0 = time.perf_counter()
    energy = float(mf.kernel())
    seconds = time.perf_counter() - t0
    if not mf.converged:
        # second chance: second-order solver from the last density
        mf2 = mf.newton()
        energy = float(mf2.kernel(mf.make_rdm1()))
        seconds = time.perf_counter() - t0
        if mf2.converged:
            mf = mf2
    if not mf.converged and raise_on_failure:
        raise SCFNotConverged(
            f"the SCF ({xc}) did not converge in {max_cycle} iterations (last energy "
            f"{energy:.8f} Eh); raise --max-cycle, check the geometry and spin, or try "
            "another functional"
        )
    return {
        "energy": energy,
        "converged": bool(mf.converged),
        "iterations": int(getattr(mf, "cycles", -1)),
        "seconds": seconds,
        "mf": mf,
    }

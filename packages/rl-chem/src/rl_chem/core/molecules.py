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

import time
import warnings
from typing import Any

from pyscf import dft, gto, scf

from rl_chem.core.geometry import check_geometry
from rl_shared.errors import BadInput, ModelNotFound, RLError

__all__ = [
    "SCF_PRECISIONS",
    "SCFNotConverged",
    "build_mol",
    "check_scf_precision",
    "from_ase",
    "make_mf",
    "resolve_xc",
    "run_scf",
]

#: what ``--precision`` accepts for SCF runs with a torch functional
SCF_PRECISIONS = ("fp32",)

_LIBXC_ALIASES = ("b3lyp",)  # hybrids: run by PySCF with libxc, not by the torch NumInt


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
    check_geometry(atom, charge=charge, spin=spin, unit=unit)  # before PySCF sees it
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


def resolve_xc(xc: Any) -> Any:
    """Check an XC choice before any calculation; load a saved neural functional.

    Every command that runs SCFs calls this first, so a misspelt functional or a broken model
    folder is refused before hours of reference calculations, not after them.

    Args:
        xc: ``"hf"``, ``"b3lyp"``, ``"libxc:<code>"``, ``"lda"`` / ``"pbe"`` / ``"r2scan"``, an
            :class:`~rl_chem.core.functionals.XCFunctional`, or the path of a model folder
            saved by ``rl chem skala train``.

    Returns:
        the name (lower-cased; ``"b3lyp"`` becomes ``"libxc:b3lyp"``) or, for a model folder,
        the loaded functional; :func:`make_mf` takes either.

    Raises:
        UnknownName: not a functional this package or libxc knows, and not a path.
        ModelNotFound: a path with nothing at it.
        MalformedFile, BadInput: a model folder that cannot be read (see
            :func:`rl_chem.skala.model.load_functional`).

    Example:
        >>> resolve_xc("B3LYP"), resolve_xc("pbe")
        ('libxc:b3lyp', 'pbe')
        >>> try:
        ...     resolve_xc("pbee")
        ... except KeyError as err:
        ...     print(err)
        unknown functional 'pbee'; valid functionals: <saved model folder>, b3lyp, hf, lda, libxc:<code>, pbe, r2scan
    """
    from pathlib import Path

    from rl_chem.core.functionals import XCFunctional
    from rl_chem.core.numint import REFERENCE
    from rl_shared.errors import UnknownName

    if isinstance(xc, XCFunctional):
        return xc
    text = str(xc).strip()
    key = text.lower()
    if key in _LIBXC_ALIASES:
        key = f"libxc:{key}"
    if key == "hf" or key in REFERENCE:
        return key
    if key.startswith("libxc:"):
        code = key.split(":", 1)[1] if ":" not in text else text.split(":", 1)[1]
        try:
            dft.libxc.parse_xc(code)
        except (KeyError, ValueError):
            raise BadInput(f"libxc does not know the functional {code!r}") from None
        return key
    path = Path(text)
    if path.exists():
        from rl_chem.skala.model import load_functional

        return load_functional(path)
    if "/" in text or "\\" in text or text.startswith("."):
        raise ModelNotFound(
            f"no saved functional at {text}; pass the OUT/model folder of `rl chem skala train`"
        )
    valid = [*REFERENCE, *_LIBXC_ALIASES, "hf", "libxc:<code>", "<saved model folder>"]
    raise UnknownName("functional", text, valid)


def check_scf_precision(precision: str) -> None:
    """Refuse a ``--precision`` other than ``fp32`` for SCF runs.

    The torch functionals are evaluated in float64 (their potentials feed an SCF converged
    to 1e-9 Eh): bf16/fp16 autocast would leave float64 arithmetic untouched, and rounding
    the neural functional's inputs to 8 or 11 mantissa bits would put errors of
    milli-Hartrees into the energy, so both are refused rather than silently ignored.

    Args:
        precision: the user's ``--precision``.

    Raises:
        BadInput: anything but ``fp32``.

    Example:
        >>> check_scf_precision("FP32")
        >>> try:
        ...     check_scf_precision("bf16")
        ... except ValueError as err:
        ...     print(err)
        --precision bf16 is not available for SCF: the XC functional is evaluated in float64 so that the SCF converges; use --precision fp32
    """
    text = str(precision).strip().lower()
    if text not in SCF_PRECISIONS:
        raise BadInput(
            f"--precision {precision} is not available for SCF: the XC functional is evaluated "
            "in float64 so that the SCF converges; use --precision fp32"
        )


def _xc_name(xc: Any) -> str:
    return str(getattr(xc, "name", xc))


def make_mf(mol: gto.Mole, xc: Any = "pbe", grid_level: int | None = None, device: Any = None):
    """A mean-field object: torch functional, ``"libxc:<code>"`` (plain PySCF) or ``"hf"``.

    Restricted for closed shells, unrestricted otherwise.

    Args:
        mol: the molecule.
        xc: "lda"/"pbe"/"r2scan" (torch), a neural functional or its saved model folder,
            "b3lyp" (= "libxc:b3lyp") or any "libxc:<code>" (PySCF with libxc), or "hf".
        grid_level: PySCF grid level (default PySCF's, 3).
        device: where a torch functional is evaluated (a ``torch.device`` or its name;
            ``None``: where its weights are, the CPU for lda/pbe/r2scan); PySCF's
            integrals and the libxc functionals stay on the CPU.

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
        mf = UKS(mol, xc=xc, device=device) if open_shell else RKS(mol, xc=xc, device=device)
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
    device: Any = None,
) -> dict[str, Any]:
    """Run an SCF; returns energy, converged, iterations, seconds and the mean-field object.

    Args:
        mol: the molecule.
        xc: see :func:`make_mf`.
        conv_tol: energy convergence threshold (Eh).
        max_cycle: most SCF iterations.
        grid_level: PySCF grid level.
        raise_on_failure: raise :class:`SCFNotConverged` (never silently use the energy).
        device: where a torch functional is evaluated (see :func:`make_mf`).
    """
    mf = make_mf(mol, xc, grid_level=grid_level, device=device)
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
            f"the SCF ({_xc_name(xc)}) did not converge in {max_cycle} iterations (last energy "
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

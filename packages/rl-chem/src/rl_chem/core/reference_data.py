"""Reference atomization energies computed with PySCF for G2 molecules, cached and resumable.

Molecules come from ase's G2 collection (``ase.build.molecule``, geometries and spin
multiplicities), experimental atomization energies from ``ase.data.g2_1``. Total energies
(CCSD(T) with frozen core by default) are computed one system at a time and written
atomically to a JSON file in ``rl_shared.data.cache_dir("chem")`` after each, so an
interrupted run resumes where it stopped. Loaders read the cache and then the data
directory (``$RL_DATA_DIR/dft/reference``).

Example:
    >>> SETS["g2-tiny"][:3]
    ['H2', 'CH4', 'NH3']
    >>> atoms_of(["H2O", "CH4"])
    ['C', 'H', 'O']
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

from rl_shared.data import cache_dir, data_dir
from rl_shared.errors import BadInput, MalformedFile, UnknownName
from rl_shared.io import atomic_write_json, read_json

__all__ = [
    "HARTREE_TO_KCAL",
    "METHODS",
    "SETS",
    "ReferenceCache",
    "atomization_energies",
    "atoms_of",
    "compute_reference",
    "experimental_atomization",
    "g2_molecules",
    "molecule_names",
    "set_names",
    "system_mol",
    "total_energy",
]

HARTREE_TO_KCAL = 627.509474

SETS: dict[str, list[str]] = {
    "g2-tiny": ["H2", "CH4", "NH3", "H2O", "HF", "C2H2", "HCN", "CO", "N2", "H2CO", "CH3OH",
                "F2"],
    "g2-small": ["H2", "LiH", "Li2", "LiF", "CH4", "NH3", "H2O", "HF", "C2H2", "C2H4", "C2H6",
                 "HCN", "CO", "N2", "F2", "H2CO", "CH3OH", "N2H4", "H2O2", "CO2", "CH2_s1A1d",
                 "OH", "NH2", "CH3"],
}  # fmt: skip


def _g2_1() -> list[str]:
    from ase.data import g2_1

    return [n for n in g2_1.molecule_names if n not in g2_1.atom_names]


METHODS = ("ccsd(t)", "ccsd", "mp2", "hf")


def set_names(name: str) -> list[str]:
    """Molecule names of a set: "g2-tiny", "g2-small" or "g2" (every G2-1 molecule).

    Args:
        name: the set's name; any other raises :class:`~rl_shared.errors.UnknownName`.

    Example:
        >>> set_names("g2-small")[:4], len(set_names("g2")) > 50
        (['H2', 'LiH', 'Li2', 'LiF'], True)
    """
    if name == "g2":
        return _g2_1()
    if name not in SETS:
        raise UnknownName("molecule set", name, [*SETS, "g2"])
    return list(SETS[name])


def g2_molecules() -> list[str]:
    """Every molecule of ase's G2 collection (its single atoms left out), sorted.

    Example:
        >>> names = g2_molecules()
        >>> "H2O" in names, "O" in names, len(names) > 100
        (True, False, True)
    """
    from ase.collections import g2

    return sorted(n for n in g2.names if len(g2[n]) > 1)


def molecule_names(spec: str) -> list[str]:
    """The G2 molecules of ``--data``: a set name, or comma-separated ase G2 names.

    Args:
        spec: a set name (see :func:`set_names`) or comma-separated names of ase's G2
            collection (molecules; their atoms are computed along with them).

    Raises:
        UnknownName: a name that is neither a set nor a G2 molecule (the valid names are
            listed).
        BadInput: a name given twice, or an atom where a molecule is expected.

    Example:
        >>> molecule_names("H2O, CH4")
        ['H2O', 'CH4']
        >>> len(molecule_names("g2-tiny"))
        12
    """
    if spec in SETS or spec == "g2":
        return set_names(spec)
    names = [n.strip() for n in spec.split(",") if n.strip()]
    from ase.collections import g2

    valid = g2_molecules()
    atoms = [n for n in names if n in g2.names and n not in valid]
    if atoms:
        raise BadInput(
            f"{atoms[0]!r} is an atom, not a molecule; --data takes G2 molecules (their atoms "
            "are computed with them) or a set: " + ", ".join([*SETS, "g2"])
        )
    unknown = [n for n in names if n not in valid]
    if not names or unknown:
        raise UnknownName(
            "molecule set or G2 molecule", unknown[0] if unknown else spec, [*SETS, "g2", *valid]
        )
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise BadInput(f"--data names {', '.join(twice)} more than once; give each molecule once")
    return names


def atoms_of(names: Iterable[str]) -> list[str]:
    """Sorted element symbols that the molecules ``names`` contain.

    Args:
        names: G2 molecule names (ase's collection).

    Example:
        >>> atoms_of(["CH4", "NH3", "H2"])
        ['C', 'H', 'N']
    """
    from ase.build import molecule

    return sorted({s for n in names for s in molecule(n).get_chemical_symbols()})


def experimental_atomization(name: str) -> float:
    """Experimental atomization energy (kcal/mol, no ZPE) from ``ase.data.g2_1``/``g2_2``.

    NaN for a molecule neither table lists (e.g. H2).

    Args:
        name: a G2 molecule name.

    Example:
        >>> round(experimental_atomization("H2O"), 2)
        232.58
    """
    from ase.data import g2_1, g2_2

    g21 = cast(dict[str, dict[str, Any]], g2_1.data)
    data = {**cast(dict[str, dict[str, Any]], g2_2.data), **g21}
    if name not in data or any(a not in g21 for a in g2_1.string2symbols(data[name]["symbols"])):
        return float("nan")
    d = data[name]  # same extrapolation as ase.data.g2_1.get_atomization_energy
    ae = -d["enthalpy"] + d["ZPE"] + d["thermal correction"]
    for a in g2_1.string2symbols(d["symbols"]):
        ae += g21[a]["enthalpy"] - g21[a]["thermal correction"]
    return float(ae)


def system_mol(name: str, basis: str, verbose: int = 0):
    """The PySCF molecule of a G2 molecule or atom (spin from ase's magnetic moments).

    Args:
        name: a molecule or atom of ase's G2 collection (``"H2O"``, ``"O"``); anything else
            raises :class:`~rl_shared.errors.BadInput`.
        basis: a basis-set name PySCF knows.
        verbose: PySCF verbosity.

    Example:
        >>> mol = system_mol("O", "sto-3g")
        >>> mol.nelectron, mol.spin
        (8, 2)
    """
    from ase.build import molecule

    from rl_chem.core.molecules import from_ase

    try:
        atoms = molecule(name)
    except KeyError:
        raise BadInput(f"{name!r} is not a molecule of ase's G2 collection") from None
    return from_ase(atoms, basis=basis, verbose=verbose)


def total_energy(mol, method: str = "ccsd(t)") -> float:
    """Total energy (Eh) of ``mol`` with HF, MP2, CCSD or CCSD(T) (frozen core, UHF if open).

    Args:
        mol: a built PySCF molecule.
        method: one of :data:`METHODS` (case-insensitive); one-electron systems get HF,
            which is exact for them.

    Example:
        >>> h2 = system_mol("H2", "sto-3g")
        >>> round(total_energy(h2, "hf"), 4), total_energy(h2, "mp2") < total_energy(h2, "hf")
        (-1.1169, True)
    """
    from pyscf import cc, mp, scf
    from pyscf.data.elements import chemcore

    method = method.lower()
    if method not in METHODS:
        raise UnknownName("method", method, list(METHODS))
    mf = (scf.UHF(mol) if mol.spin else scf.RHF(mol)).set(conv_tol=1e-10)
    mf.kernel()
    if not mf.converged:
        mf = mf.newton()
        mf.kernel()
    if method == "hf" or mol.nelectron < 2:  # one electron: HF is exact (and CCSD has no pairs)
        return float(mf.e_tot)
    frozen = chemcore(mol) or None
    if method == "mp2":
        return float(mp.MP2(mf, frozen=frozen).run().e_tot)
    mycc = cc.CCSD(mf, frozen=frozen).set(conv_tol=1e-8)
    mycc.kernel()
    if method == "ccsd":
        return float(mycc.e_tot)
    return float(mycc.e_tot + mycc.ccsd_t())


def _read_energies(path: Path) -> dict[str, dict[str, float]]:
    """The ``energies`` of a cache file, every one a finite number (else :class:`MalformedFile`)."""
    payload = read_json(path)
    energies = payload.get("energies") if isinstance(payload, dict) else None
    if not isinstance(energies, dict):
        raise MalformedFile(path, None, "not a reference cache (no 'energies' object)")
    for name, entry in energies.items():
        value = entry.get("energy") if isinstance(entry, dict) else None
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise MalformedFile(
                path, None, f"the energy of {name!r} is {value!r}, not a number; delete the file"
            )
    return energies


class ReferenceCache:
    """Total energies of one (method, basis), as JSON in the cache directory, written atomically.

    Args:
        method: "ccsd(t)", "ccsd", "mp2" or "hf".
        basis: the basis-set name.
        folder: where to write (default ``cache_dir("chem")``).

    Example:
        >>> import tempfile
        >>> cache = ReferenceCache("hf", "sto-3g", folder=tempfile.mkdtemp())
        >>> cache.energies
        {}
    """

    def __init__(self, method: str, basis: str, folder: str | Path | None = None) -> None:
        self.method, self.basis = method.lower(), basis.lower()
        tag = self.method.replace("(", "").replace(")", "")
        self.filename = f"reference-{tag}-{self.basis}.json"
        self.path = Path(folder) / self.filename if folder else cache_dir("chem") / self.filename
        self.energies: dict[str, dict[str, float]] = {}
        for cand in (data_dir() / "dft" / "reference" / self.filename, self.path):
            if cand.exists():
                self.energies.update(_read_energies(cand))

    def save(self) -> None:
        """Write the JSON atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_json(
            self.path, {"method": self.method, "basis": self.basis, "energies": self.energies}
        )


def compute_reference(
    names: Iterable[str],
    method: str = "ccsd(t)",
    basis: str = "cc-pvdz",
    folder: str | Path | None = None,
    progress: Callable[[Iterable[str]], Iterable[str]] | None = None,
    energy_fn: Callable[[Any, str], float] | None = None,
) -> dict[str, float]:
    """Total energies of the molecules ``names`` and their atoms, resuming from the cache.

    Args:
        names: G2 molecule names.
        method: correlated method (see :data:`METHODS`).
        basis: basis set.
        folder: cache folder (default ``cache_dir("chem")``).
        progress: wraps the list of systems still to compute (e.g. ``tqdm``).
        energy_fn: ``(mol, method) -> Eh``; default :func:`total_energy`.

    Returns:
        ``{system: total energy in Eh}`` for every molecule and atom.

    Example:
        HF/STO-3G for H2 and its atom, cached in a fresh folder (a second call reads it):

        >>> import tempfile
        >>> folder = tempfile.mkdtemp()
        >>> e = compute_reference(["H2"], "hf", "sto-3g", folder=folder)
        >>> sorted(e), round(e["H2"], 4)
        (['H', 'H2'], -1.1169)
        >>> compute_reference(["H2"], "hf", "sto-3g", folder=folder, energy_fn=None) == e
        True
    """
    names = list(names)
    cache = ReferenceCache(method, basis, folder)
    systems = atoms_of(names) + names
    todo = [s for s in systems if s not in cache.energies]
    if energy_fn is None and method.lower() not in METHODS:
        raise UnknownName("method", method, list(METHODS))
    mols = {name: system_mol(name, basis) for name in todo}  # a bad basis fails before any SCF
    fn = energy_fn or total_energy
    for name in progress(todo) if progress else todo:
        t0 = time.perf_counter()
        energy = fn(mols[name], method)
        cache.energies[name] = {"energy": energy, "seconds": time.perf_counter() - t0}
        cache.save()
    return {s: cache.energies[s]["energy"] for s in systems}


def atomization_energies(names: Iterable[str], energies: dict[str, float]) -> dict[str, float]:
    """Atomization energies (kcal/mol, positive when bound) from total energies.

    Args:
        names: G2 molecule names.
        energies: total energies (Eh) of every molecule and of its atoms, by name (as
            :func:`compute_reference` returns them).

    Example:
        >>> round(atomization_energies(["H2"], {"H": -0.5, "H2": -1.17})["H2"], 3)
        106.677
    """
    from ase.build import molecule

    out = {}
    for n in names:
        atoms = sum(energies[s] for s in molecule(n).get_chemical_symbols())
        out[n] = (atoms - energies[n]) * HARTREE_TO_KCAL
    return out

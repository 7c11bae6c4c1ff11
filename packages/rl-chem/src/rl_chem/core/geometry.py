"""One check that a molecule is physically possible, before PySCF ever sees it.

Every PySCF molecule built from user input (``rl chem scf --atom``, the systems of an xcnn
YAML file, the G2 molecules of ``rl chem reference`` / ``rl chem skala``) goes through
:func:`check_geometry` (via :func:`rl_chem.core.molecules.build_mol`): the element symbols
are known, every coordinate is finite, no two atoms are closer than 0.1 Angstrom, at least one
electron is left after the charge, and the spin fits the electron count (``N_electrons -
spin`` even, ``|spin| <= N_electrons``). Each violation is one sentence naming the atoms or
values, raised as :class:`~rl_shared.errors.BadInput`; PySCF's own failures on such input
are tracebacks or SCF runs that never converge. The module imports nothing heavy.

Example:
    >>> atoms = parse_geometry("O 0 0 0.117; H 0 0.757 -0.467; H 0 -0.757 -0.467")
    >>> check_geometry(atoms)
    10
    >>> try:
    ...     check_geometry(parse_geometry("H 0 0 0; H 0 0 0.05"))
    ... except BadInput as err:
    ...     print(err)
    atoms 1 (H) and 2 (H) are 0.050 Angstrom apart, closer than 0.1 Angstrom; check the coordinates and their unit
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from rl_shared.errors import BadInput

__all__ = ["ELEMENTS", "MIN_DISTANCE", "atomic_number", "check_geometry", "parse_geometry"]

#: element symbols by atomic number (index 0 is the dummy atom ``X``)
ELEMENTS: tuple[str, ...] = (
    "X", "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P",
    "S", "Cl", "Ar", "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn",
    "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y", "Zr", "Nb", "Mo", "Tc", "Ru", "Rh",
    "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I", "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd",
    "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W", "Re",
    "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th",
    "Pa", "U", "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr", "Rf", "Db",
    "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og",
)  # fmt: skip
_Z = {s.upper(): z for z, s in enumerate(ELEMENTS)} | {"GHOST": 0}

#: the closest two atoms may be, in Angstrom
MIN_DISTANCE = 0.1
_BOHR = 0.52917721092  # Angstrom per Bohr (PySCF's value)

Atom = tuple[str, tuple[float, float, float]]


def atomic_number(label: str) -> int:
    """The atomic number of an atom label as PySCF reads it (``"O"``, ``"h"``, ``"C1"``, ``"H@2"``).

    Args:
        label: an element symbol, any case, optionally followed by a tag starting with a
            digit, ``_``, ``:`` or ``@``; ``X`` / ``GHOST`` are dummy atoms (0).

    Raises:
        BadInput: the symbol is not an element.

    Example:
        >>> atomic_number("o"), atomic_number("C1"), atomic_number("X")
        (8, 6, 0)
    """
    symbol = re.sub(r"[\d_:@].*$", "", label.strip())
    if symbol.upper() not in _Z:
        raise BadInput(f"unknown element {label!r}; use element symbols such as H, C, N, O")
    return _Z[symbol.upper()]


def parse_geometry(atom: str) -> list[Atom]:
    """The atoms of a geometry string ``"El x y z; El x y z"`` (rows split on ``;`` or newlines).

    Args:
        atom: the geometry; commas between the numbers are allowed.

    Raises:
        BadInput: the string is empty, a row is not an element and three numbers, or an
            element is unknown (the row is named).

    Example:
        >>> parse_geometry("H 0 0 0; H 0,0,0.74")
        [('H', (0.0, 0.0, 0.0)), ('H', (0.0, 0.0, 0.74))]
    """
    rows = [r.strip() for r in re.split(r"[;\n]", atom) if r.strip()]
    if not rows:
        raise BadInput("the geometry string is empty; give rows like 'O 0 0 0; H 0 0.76 -0.47'")
    atoms: list[Atom] = []
    for i, row in enumerate(rows, 1):
        parts = row.replace(",", " ").split()
        try:
            atomic_number(parts[0])
        except BadInput:
            raise BadInput(
                f"unknown element {parts[0]!r} in geometry row {i} ({row!r}); "
                "use element symbols such as H, C, N, O"
            ) from None
        if len(parts) != 4:
            raise BadInput(
                f"geometry row {i} ({row!r}) needs an element and 3 coordinates, "
                "rows separated by ';'"
            )
        try:
            x, y, z = (float(p) for p in parts[1:])
        except ValueError:
            raise BadInput(
                f"geometry row {i} ({row!r}) has a coordinate that is not a number"
            ) from None
        atoms.append((parts[0], (x, y, z)))
    return atoms


def _as_atoms(atoms: Sequence[Any]) -> list[Atom]:
    """PySCF's list forms ``[(sym, (x, y, z))]`` / ``[(sym, x, y, z)]`` as :data:`Atom` rows."""
    out: list[Atom] = []
    for i, row in enumerate(atoms, 1):
        row = list(row)
        coords = row[1:] if len(row) == 4 else (list(row[1]) if len(row) == 2 else [])
        if len(coords) != 3:
            raise BadInput(f"atom {i} ({row!r}) needs an element and 3 coordinates")
        symbol = row[0] if isinstance(row[0], str) else _symbol_of(row[0], i)
        try:
            xyz = tuple(float(c) for c in coords)
        except (TypeError, ValueError):
            raise BadInput(f"atom {i} ({row!r}) has a coordinate that is not a number") from None
        out.append((symbol, (xyz[0], xyz[1], xyz[2])))
    return out


def _symbol_of(number: Any, index: int) -> str:
    if isinstance(number, int) and 0 <= number < len(ELEMENTS):
        return ELEMENTS[number]
    raise BadInput(f"atom {index} has atomic number {number!r}, which is not an element")


def check_geometry(
    atoms: str | Sequence[Any], charge: int = 0, spin: int = 0, unit: str = "Angstrom"
) -> int:
    """Refuse a physically impossible molecule; return its electron count.

    Args:
        atoms: a geometry string (see :func:`parse_geometry`) or PySCF's list form
            ``[(symbol, (x, y, z)), ...]``.
        charge: the total charge.
        spin: ``N_alpha - N_beta``.
        unit: ``"Angstrom"`` or ``"Bohr"`` (``"A"`` / ``"B"``, any case), the unit of the
            coordinates.

    Returns:
        the number of electrons, ``sum(Z) - charge``.

    Raises:
        BadInput: an unknown element, a coordinate that is NaN or infinite, two atoms closer
            than :data:`MIN_DISTANCE` Angstrom, no electron left after the charge, or a spin
            whose parity or size does not fit the electrons; one sentence naming the atoms
            or the values.

    Example:
        >>> check_geometry("O 0 0 0", spin=2)
        8
        >>> try:
        ...     check_geometry("H 0 0 0", spin=0)
        ... except BadInput as err:
        ...     print(err)
        spin 0 does not fit 1 electron: N_electrons - spin must be even (spin is N_alpha - N_beta, e.g. 1 for one unpaired electron)
    """
    rows = parse_geometry(atoms) if isinstance(atoms, str) else _as_atoms(atoms)
    if not rows:
        raise BadInput("the molecule has no atoms")
    key = unit.strip().lower()
    if key not in ("angstrom", "a", "bohr", "b", "au"):
        raise BadInput(f"unit must be Angstrom or Bohr, got {unit!r}")
    to_angstrom = _BOHR if key in ("bohr", "b", "au") else 1.0
    numbers = []
    for i, (symbol, xyz) in enumerate(rows, 1):
        try:
            numbers.append(atomic_number(symbol))
        except BadInput:
            raise BadInput(
                f"atom {i} has an unknown element {symbol!r}; use element symbols such as H, "
                "C, N, O"
            ) from None
        bad = [f"{axis}={value}" for axis, value in zip("xyz", xyz) if not math.isfinite(value)]
        if bad:
            raise BadInput(
                f"atom {i} ({symbol}) has the coordinate {', '.join(bad)}; every coordinate "
                "must be a finite number"
            )
    _check_distances(rows, to_angstrom)
    electrons = sum(numbers) - charge
    if electrons < 1:
        raise BadInput(
            f"charge {charge} leaves {electrons} electrons (the nuclei bring {sum(numbers)}); "
            "a molecule needs at least one electron"
        )
    noun = "electron" if electrons == 1 else "electrons"
    if (electrons - spin) % 2:
        raise BadInput(
            f"spin {spin} does not fit {electrons} {noun}: N_electrons - spin must be even "
            "(spin is N_alpha - N_beta, e.g. 1 for one unpaired electron)"
        )
    if abs(spin) > electrons:
        raise BadInput(
            f"spin {spin} is more than the {electrons} {noun} of the molecule can give "
            "(|spin| <= N_electrons)"
        )
    return electrons


def _check_distances(rows: list[Atom], to_angstrom: float) -> None:
    """Refuse the first pair of atoms closer than :data:`MIN_DISTANCE` Angstrom."""
    import numpy as np

    xyz = np.array([r[1] for r in rows], dtype=np.float64) * to_angstrom
    for i in range(len(rows) - 1):
        dist = np.sqrt(((xyz[i + 1 :] - xyz[i]) ** 2).sum(-1))
        close = np.flatnonzero(dist < MIN_DISTANCE)
        if close.size:
            j = i + 1 + int(close[0])
            raise BadInput(
                f"atoms {i + 1} ({rows[i][0]}) and {j + 1} ({rows[j][0]}) are "
                f"{float(dist[close[0]]):.3f} Angstrom apart, closer than {MIN_DISTANCE} "
                "Angstrom; check the coordinates and their unit"
            )

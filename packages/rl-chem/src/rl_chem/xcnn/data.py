"""Reading Kasim & Vinko's xcnn YAML data sets: atomization and ionization energies.

Each entry of an xcnn file names its ``systems`` (``type: mol`` with ``kwargs``:
``moldesc`` in Bohr, ``basis``, optional ``charge`` and ``spin`` = N_alpha - N_beta), a
``cmd`` that combines their energies linearly (e.g. ``energy(systems[2]) + 2 *
energy(systems[1]) - energy(systems[0])``) and the experimental ``true_val`` in Hartree.
Entries of other types (``dm``, ``dens``, ``force``) are skipped. Every problem is
reported as ``file:line: ...`` through :class:`rl_shared.errors.MalformedFile`.

References:
    Kasim & Vinko, "Learning the exchange-correlation functional from nature with fully
    differentiable density functional theory", PRL 127, 126403 (2021), arXiv:2102.04229;
    data from github.com/mfkasim1/xcnn (``xcdnn2/``).

Example:
    >>> parse_cmd("energy(systems[2]) + 2 * energy(systems[1]) - energy(systems[0])")
    [(1.0, 2), (2.0, 1), (-1.0, 0)]
    >>> parse_cmd("-energy(systems[0])")
    [(-1.0, 0)]
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from rl_shared.data import Dataset, github
from rl_shared.errors import BadInput, MalformedFile, UnknownName
from rl_shared.io import read_text

__all__ = ["XCNN", "XCNN_SETS", "load_xcnn", "load_xcnn_ae", "parse_cmd", "resolve_set"]

XCNN_SOURCE = github(
    "mfkasim1/xcnn",
    "f2cb9777da2961ac553f256ecdcca3e314a538ca",
    """
    68483 3f0ea17d8a4e8958ae1d498e92768a1ab6feafb8f4fe637c0741cc488861cafd xcdnn2/datagen/ae_gauss2.yaml
    6616 b6f378a65aa8ad67dd65b8fa426b42c09e683831f551da24d0bacf4603751269 xcdnn2/datagen/h2_dissoc_curve.yaml
    58850 526a106e7ead8644fbe895f6f390619f011f3682ff765904c6ccf94400192299 xcdnn2/datagen/vie_gauss2.yaml
    11648 579beab70515ab072fd6070593f51cf09ae3a4a54f32ff0f93e972b9056deaba xcdnn2/test_dsets/ae_mols.yaml
    12896 521dc104b506a366571d427382d29b8caaa9d9bb5c66bd74f970651ce8563506 xcdnn2/test_dsets/ae_mols2.yaml
    6906 7d30f74d5e33ba81fbffd83c7b856fc2b54c81b750e1ba1759faf7525dee3c58 xcdnn2/test_dsets/ie_atoms.yaml
    1411 7de0f299804ca40a93690aac9f05fc289032b26e262e364b1188d898c1bdad76 xcdnn2/tests/test_dataset.yaml
    13629 895402e9cc5cc863d523f2f83a6c4a83b3d0fcb4138689a5a2c4c591927e1cb3 xcdnn2/train_dsets/dft_dataset1.yaml
    15739 7d3e9016e6ab82144eb5e4018d3f417a4e811b455bee3611f8a40fb286de0c36 xcdnn2/train_dsets/dft_dataset2.yaml
    14415 815e7de16981b45e9966187113357287325521c16439e6fe2e7c80fa62addcc7 xcdnn2/train_dsets/dft_dataset3.yaml
    """,
    strip="xcdnn2/",
    licence="not stated",
    citation=(
        "Kasim & Vinko 2021, Learning the exchange-correlation functional from nature "
        "with fully differentiable density functional theory (PRL 127, 126403)"
    ),
)

XCNN = Dataset(
    name="xcnn",
    path="dft/xcnn",
    files=("datagen/ae_gauss2.yaml", "test_dsets/ae_mols.yaml", "test_dsets/ie_atoms.yaml"),
    description="Kasim & Vinko 2021 learned-XC data sets (G2 atomization / ionization, YAML)",
    hint="copy the xcdnn2/**/*.yaml files of mfkasim1/xcnn there",
    used_by=("chem.xcnn",),
    source=XCNN_SOURCE,
)

#: ``--set`` names of the benchmark files, relative to ``$RL_DATA_DIR/dft/xcnn``.
XCNN_SETS: dict[str, str] = {
    "xcnn-ae": "test_dsets/ae_mols.yaml",  # 17 molecules (hydrides, CO2, NO2, ... C2H6)
    "xcnn-ae2": "test_dsets/ae_mols2.yaml",  # 21 molecules
    "xcnn-ae-g2": "datagen/ae_gauss2.yaml",  # the paper's 104 (+1) Gaussian-2 molecules
    "xcnn-ie": "test_dsets/ie_atoms.yaml",  # the paper's 18 atomic ionization energies
    "xcnn-vie": "datagen/vie_gauss2.yaml",  # 87 vertical ionization energies
}

_TERM = re.compile(r"\s*([+-])?\s*(?:(\d+(?:\.\d*)?)\s*\*\s*)?energy\(\s*systems\[(\d+)\]\s*\)\s*")


def parse_cmd(cmd: str) -> list[tuple[float, int]]:
    """``(coefficient, system index)`` terms of a linear ``cmd`` over ``energy(systems[i])``.

    Args:
        cmd: an xcnn entry's ``cmd``, e.g. ``"energy(systems[1]) - 2 * energy(systems[0])"``.

    Raises:
        ValueError: the command is anything but a signed sum of such terms.
    """
    terms: list[tuple[float, int]] = []
    pos = 0
    while pos < len(cmd):
        m = _TERM.match(cmd, pos)
        if m is None or m.end() == pos or (terms and m.group(1) is None):
            raise ValueError(f"cannot read cmd {cmd!r} as a sum of [k *] energy(systems[i])")
        sign = -1.0 if m.group(1) == "-" else 1.0
        terms.append((sign * float(m.group(2) or 1.0), int(m.group(3))))
        pos = m.end()
    if not terms:
        raise ValueError("the cmd is empty")
    return terms


def resolve_set(data: str) -> str:
    """The YAML file of ``--data``: a set name (:data:`XCNN_SETS`), ``xcnn:<file>`` or a path.

    Args:
        data: a key of :data:`XCNN_SETS`, ``xcnn:<file inside the dataset>``, or a path
            ending in ``.yaml``/``.yml``; anything else raises
            :class:`~rl_shared.errors.UnknownName` (a path that exists is returned as it is,
            for :func:`load_xcnn` to check).

    Example:
        >>> resolve_set("xcnn-ae")
        'test_dsets/ae_mols.yaml'
        >>> resolve_set("xcnn:datagen/vie_gauss2.yaml")
        'datagen/vie_gauss2.yaml'
    """
    if data in XCNN_SETS:
        return XCNN_SETS[data]
    if data.startswith(f"{XCNN.name}:"):
        return data.split(":", 1)[1]
    if data.endswith((".yaml", ".yml")) or Path(data).exists():
        return data
    raise UnknownName("xcnn set", data, [*XCNN_SETS, "xcnn:<file>", "<file>.yaml"])


def _node_get(node: Any, key: str) -> Any:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if getattr(k, "value", None) == key:
                return v
    return None


def _system(raw: Any, node: Any, path: Path, where: int, entry: str) -> dict[str, Any]:
    from rl_chem.core.geometry import check_geometry

    line = node.start_mark.line + 1 if node is not None else where
    if not isinstance(raw, dict) or raw.get("type", "mol") != "mol":
        raise MalformedFile(path, line, f"a system of {entry!r} is not of type 'mol'")
    kw = raw.get("kwargs")
    if not isinstance(kw, dict) or not isinstance(kw.get("moldesc"), str):
        raise MalformedFile(path, line, f"a system of {entry!r} has no kwargs.moldesc string")
    if not isinstance(kw.get("basis"), str):
        raise MalformedFile(path, line, f"a system of {entry!r} has no kwargs.basis")
    out = {"moldesc": kw["moldesc"].strip(), "basis": kw["basis"]}
    for key in ("charge", "spin"):
        value = kw.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool):
            raise MalformedFile(path, line, f"{key} of a system of {entry!r} is not an integer")
        out[key] = value
    try:  # the coordinates are in Bohr; refused here, before any SCF of the file runs
        check_geometry(out["moldesc"], charge=out["charge"], spin=out["spin"], unit="Bohr")
    except BadInput as err:
        raise MalformedFile(path, line, f"a system of {entry!r}: {err}") from None
    return out


def load_xcnn(
    file: str | Path = "test_dsets/ae_mols.yaml", types: tuple[str, ...] = ("ae", "ie")
) -> list[dict[str, Any]]:
    """Energy entries of an xcnn YAML file.

    Args:
        file: path relative to the ``xcnn`` dataset folder, or an absolute path.
        types: entry types to keep (``"ae"`` atomization, ``"ie"`` ionization energies).

    Returns:
        one dict per entry: ``name``, ``type``, ``systems`` (``moldesc`` in Bohr, ``basis``,
        ``charge``, ``spin``), ``terms`` (``(coefficient, system index)``), ``true_val``
        (Hartree) and ``line`` (1-based line of the entry in the file). A word-for-word
        repeat of an entry is kept once; two different entries of one name are refused.

    Raises:
        MalformedFile: the file is not UTF-8, empty, not YAML, or an entry is malformed: no
            systems, a ``cmd`` that is not a sum of ``[k *] energy(systems[i])``, a
            ``true_val`` that is not a finite number, or a system that is physically
            impossible (see :func:`rl_chem.core.geometry.check_geometry`); file and line named.
        BadInput: nothing exists at the path.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"
        >>> _ = p.write_text('''
        ... - name: IE of H
        ...   type: ie
        ...   cmd: -energy(systems[0])
        ...   true_val: 0.5
        ...   systems:
        ...   - type: mol
        ...     kwargs: {moldesc: H 0 0 0, basis: sto-3g, spin: 1}
        ... ''')
        >>> e = load_xcnn(p)[0]
        >>> e["terms"], e["systems"][0]["spin"], e["line"]
        ([(-1.0, 0)], 1, 2)
    """
    import yaml

    path = Path(file)
    if not path.is_absolute() and not path.exists():
        path = XCNN.locate() / path
    if not path.exists():
        raise BadInput(f"no xcnn file at {path}; give a path inside dft/xcnn or an absolute one")
    text = read_text(path)  # a folder, an empty file, bytes that are not UTF-8: file and line
    try:
        root = yaml.compose(text)
        entries = yaml.safe_load(text)
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        problem = " ".join(str(getattr(err, "problem", None) or err).split())
        where = None if line is None else line + 1
        raise MalformedFile(path, where, f"not YAML ({problem})") from None
    if not isinstance(entries, list) or root is None or not hasattr(root, "value"):
        raise MalformedFile(path, 1, "the file is not a YAML list of entries")
    out = []
    seen: dict[str, dict[str, Any]] = {}
    for i, (raw, node) in enumerate(zip(entries, root.value)):
        line = node.start_mark.line + 1
        if not isinstance(raw, dict):
            raise MalformedFile(path, line, f"entry {i} is not a mapping")
        if raw.get("type") not in types:
            continue
        name = str(raw.get("name", f"entry{i}"))
        systems = raw.get("systems")
        if not isinstance(systems, list) or not systems:
            raise MalformedFile(path, line, f"entry {name!r} has no 'systems' list")
        tv = raw.get("true_val")
        if not isinstance(tv, (int, float)) or isinstance(tv, bool):
            raise MalformedFile(path, line, f"entry {name!r} has no numeric 'true_val'")
        if not math.isfinite(tv):
            raise MalformedFile(path, line, f"the true_val {tv} of entry {name!r} is not finite")
        cmd_node = _node_get(node, "cmd")
        cmd_line = cmd_node.start_mark.line + 1 if cmd_node is not None else line
        try:
            terms = parse_cmd(str(raw.get("cmd", "")))
        except ValueError as err:
            raise MalformedFile(path, cmd_line, f"entry {name!r}: {err}") from None
        if max(j for _, j in terms) >= len(systems):
            raise MalformedFile(
                path, cmd_line, f"entry {name!r} uses a system index beyond its {len(systems)}"
            )
        sys_nodes = getattr(_node_get(node, "systems"), "value", [None] * len(systems))
        entry = {
            "name": name,
            "type": raw["type"],
            "systems": [_system(s, n, path, line, name) for s, n in zip(systems, sys_nodes)],
            "terms": terms,
            "true_val": float(tv),
            "line": line,
        }
        if name in seen:  # the paper's ae_gauss2.yaml repeats one entry word for word
            first = seen[name]
            if {**first, "line": line} != entry:
                raise MalformedFile(
                    path, line, f"entry {name!r} differs from the one of that name on line "
                    f"{first['line']}; give each entry its own name"
                )  # fmt: skip
            continue
        seen[name] = entry
        out.append(entry)
    if not out:
        raise MalformedFile(path, None, f"holds no entry of type {' or '.join(types)}")
    return out


def load_xcnn_ae(file: str = "test_dsets/ae_mols.yaml") -> list[dict[str, Any]]:
    """Atomization-energy entries of an xcnn YAML file (see :func:`load_xcnn`).

    Each has ``name``, ``systems`` (coordinates in Bohr as in the file), ``terms`` and
    ``true_val`` (Hartree); malformed entries raise ``MalformedFile`` naming file and line.

    Args:
        file: path relative to the ``xcnn`` dataset folder, or an absolute path.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "ae.yaml"
        >>> _ = p.write_text('''
        ... - name: Atomization energy of H2
        ...   type: ae
        ...   cmd: 2 * energy(systems[1]) - energy(systems[0])
        ...   true_val: 0.1745
        ...   systems:
        ...   - {type: mol, kwargs: {moldesc: H 0 0 0; H 0 0 1.4, basis: sto-3g}}
        ...   - {type: mol, kwargs: {moldesc: H 0 0 0, basis: sto-3g, spin: 1}}
        ... - name: IE of H
        ...   type: ie
        ...   cmd: -energy(systems[0])
        ...   true_val: 0.5
        ...   systems:
        ...   - {type: mol, kwargs: {moldesc: H 0 0 0, basis: sto-3g, spin: 1}}
        ... ''')
        >>> [(e["name"], e["terms"]) for e in load_xcnn_ae(p)]
        [('Atomization energy of H2', [(2.0, 1), (-1.0, 0)])]
    """
    return load_xcnn(file, types=("ae",))

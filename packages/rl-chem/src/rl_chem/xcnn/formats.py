"""The user files ``rl chem xcnn evaluate`` reads: a YAML set in Kasim & Vinko's format.

``--data`` takes a registered set name or a YAML file of entries (``name``, ``type: ae|ie``,
``cmd``, ``true_val`` in Hartree, ``systems`` with ``kwargs.moldesc`` in Bohr, ``basis``,
``charge``, ``spin``); see :func:`rl_chem.xcnn.data.load_xcnn`. The sample holds the
atomization energy of H2 and the ionization energy of He in STO-3G. Registering imports
nothing heavy.

References:
    Kasim & Vinko, "Learning the exchange-correlation functional from nature with fully
    differentiable density functional theory", PRL 127, 126403 (2021), arXiv:2102.04229.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from rl_shared.formats import get_format
    >>> get_format(XCNN_YAML).write_sample(Path(tempfile.mkdtemp())).name
    'xcnn-set.yaml'
"""

from __future__ import annotations

from pathlib import Path

from rl_shared.formats import FileFormat, Lines, register_format

__all__ = ["XCNN_YAML"]

#: the registered name of an xcnn YAML set
XCNN_YAML = "xcnn-yaml"

_SAMPLE = """\
- name: Atomization energy of H2
  type: ae
  true_val: 0.1745
  cmd: 2 * energy(systems[1]) - energy(systems[0])
  systems:
  - type: mol
    kwargs: {moldesc: H 0 0 0; H 0 0 1.4, basis: sto-3g}
  - type: mol
    kwargs: {moldesc: H 0 0 0, basis: sto-3g, spin: 1}
- name: Ionization energy of He
  type: ie
  true_val: 0.9036
  cmd: energy(systems[1]) - energy(systems[0])
  systems:
  - type: mol
    kwargs: {moldesc: He 0 0 0, basis: sto-3g}
  - type: mol
    kwargs: {moldesc: He 0 0 0, basis: sto-3g, charge: 1, spin: 1}
"""


def _sample(folder: Path) -> Path:
    path = folder / "xcnn-set.yaml"
    path.write_text(_SAMPLE, encoding="utf-8")
    return path


register_format(
    FileFormat(
        XCNN_YAML,
        "an xcnn YAML set (Kasim & Vinko): entries of type ae/ie with cmd, true_val (Hartree) "
        "and systems (moldesc in Bohr, basis, charge, spin)",
        _sample,
        (Lines(""),),
    )
)

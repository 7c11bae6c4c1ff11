"""``rl chem``: SCF with torch functionals, reference energies, and one sub-group per paper.

``rl chem scf`` and ``rl chem reference`` are the shared chemistry; ``rl chem skala ...``
(the neural functional), ``rl chem xcnn ...`` (Kasim & Vinko's sets) and ``rl chem cmim ...``
(cMIM on SMILES) are the papers'.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import click

from rl_chem.cmim.cli import group as cmim_group
from rl_chem.core.cli import COMMANDS
from rl_chem.skala.cli import group as skala_group
from rl_chem.xcnn.cli import group as xcnn_group

__all__ = ["group"]


@click.group(name="chem")
def group() -> None:
    """Learned exchange-correlation functionals in PySCF (Skala, xcnn), and molecular cMIM."""


for _command in (*COMMANDS, skala_group, xcnn_group, cmim_group):
    group.add_command(_command)

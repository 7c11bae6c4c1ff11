"""``rl graph``: the rl-graph papers' commands, one sub-group per paper.

``rl graph l2r-gnn generate|train|evaluate`` (L2R-GNN, arXiv:2312.12475) and
``rl graph vgnn train|evaluate`` (VGNN, arXiv:1912.03761).

Example:
    >>> from click.testing import CliRunner
    >>> sorted(group.commands)
    ['l2r-gnn', 'vgnn']
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import click

from rl_graph.l2r_gnn.cli import group as l2r_gnn_group
from rl_graph.vgnn.cli import group as vgnn_group

__all__ = ["group"]


@click.group("graph")
def group() -> None:
    """Graph papers on PyG: L2R-GNN (OOD graph classification), VGNN (EHR code graphs)."""


group.add_command(l2r_gnn_group)
group.add_command(vgnn_group)

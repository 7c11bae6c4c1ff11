"""``rl retrieval``: the member's commands, one sub-group per paper.

Registered under the entry-point group ``rl.commands`` as ``retrieval``.

Example:
    >>> from click.testing import CliRunner
    >>> sorted(group.commands)
    ['beir', 'limit']
    >>> CliRunner().invoke(group, ["limit", "critical-n", "--dims", "2", "--json"]).exit_code
    0
"""

from __future__ import annotations

import click

from rl_retrieval.beir.cli import group as beir
from rl_retrieval.limit.cli import group as limit

__all__ = ["group"]


@click.group("retrieval")
def group() -> None:
    """Retrieval: BEIR reference retrievers and evaluation (Brewing BEIR), LIMIT's limits."""


group.add_command(beir, "beir")
group.add_command(limit, "limit")

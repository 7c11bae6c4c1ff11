"""``rl recsys``: the member's commands, one sub-group per paper.

Example:
    >>> from click.testing import CliRunner
    >>> "dual-embeddings" in CliRunner().invoke(group, ["--help"]).output
    True
"""

from __future__ import annotations

import click

from rl_recsys.dual_embeddings.cli import group as dual_embeddings

__all__ = ["group"]


@click.group("recsys", short_help="Product embeddings for recommendation (dual IN/OUT SGNS).")
def group() -> None:
    """Product embeddings for recommendation: dual (IN/OUT) SGNS for complementary items."""


group.add_command(dual_embeddings, "dual-embeddings")

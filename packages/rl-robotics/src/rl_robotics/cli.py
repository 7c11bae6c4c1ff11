"""``rl robotics``: the commands of rl-robotics, one sub-group per paper.

Example:
    >>> from click.testing import CliRunner
    >>> "sirl" in CliRunner().invoke(group, ["--help"]).output
    True
"""

from __future__ import annotations

import click

from rl_robotics.sirl.cli import group as sirl

__all__ = ["group"]


@click.group(name="robotics")
def group() -> None:
    """Robot learning from human input: SIRL on a PyBullet Panda table-top scene."""


group.add_command(sirl)

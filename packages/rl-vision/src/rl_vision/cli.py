"""``rl vision``: one sub-group per paper, ``rl vision any2seg ...`` and ``rl vision grounded ...``.

Only click is imported here; torch and the models load inside the commands.

Example:
    >>> from click.testing import CliRunner
    >>> sorted(group.commands)
    ['any2seg', 'grounded']
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import click

from rl_vision.any2seg.cli import group as any2seg
from rl_vision.grounded.cli import group as grounded

__all__ = ["group"]


@click.group("vision")
def group() -> None:
    """Any2Seg segmentation from any modalities (arXiv:2407.11351) and grounded sentence
    encoders (arXiv:1903.11393), on generated multi-modal street scenes."""


group.add_command(any2seg)
group.add_command(grounded)

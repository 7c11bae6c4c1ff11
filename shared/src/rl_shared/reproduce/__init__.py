"""The reproduce harness: registered experiments that print their numbers beside the paper's.

See :class:`Reproduction` for how a member registers one and :func:`run_reproductions` for
what the harness writes.
"""

from rl_shared.reproduce.harness import Outcome, run_reproductions
from rl_shared.reproduce.registry import (
    Anchor,
    Reproduction,
    Result,
    RunContext,
    list_reproductions,
)

__all__ = [
    "Anchor",
    "Outcome",
    "Reproduction",
    "Result",
    "RunContext",
    "list_reproductions",
    "run_reproductions",
]

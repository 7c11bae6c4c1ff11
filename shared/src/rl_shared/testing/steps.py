"""Record the training steps of any loop that goes through :mod:`accelerate`.

Every hand-written loop in the workspace calls ``Accelerator.backward`` once per micro-batch
(through :func:`rl_shared.runtime.make_accelerator`), and so does sentence-transformers'
trainer, so one patch of that method sees the loss and the time of every step of every
model a run trains, without a hook in any paper's code. ``shared/benchmarks/gpu_smoke.py``
uses it to check, on a GPU, that each paper's first loop trains (finite loss that falls) and
starts where the CPU starts.

Example:
    >>> import torch
    >>> from rl_shared.runtime import make_accelerator
    >>> from rl_shared.testing.steps import record_training_steps
    >>> with record_training_steps() as log:
    ...     acc = make_accelerator("cpu")
    ...     w = torch.nn.Parameter(torch.tensor([3.0]))
    ...     opt = torch.optim.SGD([w], lr=0.1)
    ...     for _ in range(3):
    ...         opt.zero_grad()
    ...         acc.backward((w**2).sum())
    ...         opt.step()
    >>> [round(s.loss, 4) for s in log.loops()[0]]
    [9.0, 5.76, 3.6864]
    >>> isinstance(log, StepLog), isinstance(log.steps[0], TrainingStep)
    (True, True)
    >>> step_seconds(log.loops()[0]) >= 0
    True
"""

from __future__ import annotations

import contextlib
import itertools
import math
import statistics
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["StepLog", "TrainingStep", "record_training_steps", "step_seconds"]


@dataclass(frozen=True)
class TrainingStep:
    """One ``Accelerator.backward`` call.

    Args:
        loop: which accelerator (in the order of their first step) the step belongs to.
        step: 1 for a loop's first step.
        loss: the loss passed to ``backward``, as a Python float.
        at: ``time.perf_counter()`` after the backward pass finished (CUDA synchronised).
    """

    loop: int
    step: int
    loss: float
    at: float


@dataclass
class StepLog:
    """The steps :func:`record_training_steps` saw, in order."""

    steps: list[TrainingStep] = field(default_factory=list)

    def loops(self) -> list[list[TrainingStep]]:
        """The steps grouped by loop, loops in the order they started."""
        grouped: dict[int, list[TrainingStep]] = {}
        for s in self.steps:
            grouped.setdefault(s.loop, []).append(s)
        return [grouped[k] for k in sorted(grouped)]

    def first_loop(self, min_steps: int) -> list[TrainingStep] | None:
        """The first loop with at least ``min_steps`` steps, cut to ``min_steps`` (or None)."""
        for loop in self.loops():
            if len(loop) >= min_steps:
                return loop[:min_steps]
        return None

    def all_finite(self) -> bool:
        """Whether every recorded loss is finite."""
        return all(math.isfinite(s.loss) for s in self.steps)


def step_seconds(steps: list[TrainingStep]) -> float:
    """Median time between consecutive steps of one loop (the first step's warm-up excluded).

    Args:
        steps: one loop's steps, in order.

    Raises:
        ValueError: fewer than two steps.
    """
    if len(steps) < 2:
        raise ValueError("a step time needs at least two steps")
    return statistics.median(b.at - a.at for a, b in itertools.pairwise(steps))


@contextlib.contextmanager
def record_training_steps() -> Iterator[StepLog]:
    """Within the block, log every ``accelerate.Accelerator.backward`` call.

    The patch is removed on exit, also when the block raises. Accelerators are told apart by
    identity through weak references, so the log keeps no model alive.

    Yields:
        The :class:`StepLog` the block fills.
    """
    import torch
    from accelerate import Accelerator

    log = StepLog()
    loop_of: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
    counts: dict[int, int] = {}
    original = Accelerator.backward

    def backward(self: Any, loss: Any, **kwargs: Any) -> Any:
        out = original(self, loss, **kwargs)
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
        loop = loop_of.setdefault(self, len(counts))
        counts[loop] = counts.get(loop, 0) + 1
        value = float(loss.detach().float().mean()) if isinstance(loss, torch.Tensor) else loss
        log.steps.append(TrainingStep(loop, counts[loop], float(value), time.perf_counter()))
        return out

    Accelerator.backward = backward  # type: ignore[method-assign]
    try:
        yield log
    finally:
        Accelerator.backward = original  # type: ignore[method-assign]

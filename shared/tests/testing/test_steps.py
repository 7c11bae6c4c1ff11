"""``rl_shared.testing.steps``: the step log ``gpu_smoke.py`` reads."""

from __future__ import annotations

import itertools
import math

import pytest
import torch
from accelerate import Accelerator

from rl_shared.runtime import make_accelerator
from rl_shared.testing.steps import TrainingStep, record_training_steps, step_seconds


def _train(steps: int, start: float, lr: float = 0.1) -> list[float]:
    """Gradient descent on w**2 through an accelerator; the losses a by-hand loop computes."""
    acc = make_accelerator("cpu")
    w = torch.nn.Parameter(torch.tensor([start]))
    opt = torch.optim.SGD([w], lr=lr)
    opt = acc.prepare(opt)
    expected = []
    for _ in range(steps):
        opt.zero_grad()
        loss = (w**2).sum()
        expected.append(float(loss.detach()))
        acc.backward(loss)
        opt.step()
    return expected


def test_each_accelerator_is_one_loop_with_its_losses_in_order() -> None:
    with record_training_steps() as log:
        first = _train(3, 3.0)
        second = _train(2, -1.0)
    loops = log.loops()
    assert [[s.loss for s in loop] for loop in loops] == [first, second]
    assert [[s.step for s in loop] for loop in loops] == [[1, 2, 3], [1, 2]]
    assert first == pytest.approx([9.0, 5.76, 3.6864])
    assert log.first_loop(3) == loops[0] and log.first_loop(4) is None
    assert log.first_loop(2) == loops[0][:2]
    assert log.all_finite()
    assert all(b.at >= a.at for a, b in itertools.pairwise(log.steps))


def test_a_nan_loss_is_seen() -> None:
    with record_training_steps() as log:
        _train(2, math.inf)
    assert not log.all_finite()


def test_the_patch_is_removed_also_when_the_block_raises() -> None:
    original = Accelerator.backward
    with pytest.raises(RuntimeError), record_training_steps():
        assert Accelerator.backward is not original
        raise RuntimeError("boom")
    assert Accelerator.backward is original
    with record_training_steps() as log:
        pass
    _train(2, 1.0)  # outside the block: not recorded
    assert log.steps == []


def test_step_seconds_is_the_median_gap() -> None:
    steps = [TrainingStep(0, i + 1, 1.0, at) for i, at in enumerate([0.0, 5.0, 6.0, 8.0, 9.0])]
    assert step_seconds(steps) == 1.5  # gaps 5, 1, 2, 1: the warm-up gap does not dominate
    with pytest.raises(ValueError, match="at least two steps"):
        step_seconds(steps[:1])

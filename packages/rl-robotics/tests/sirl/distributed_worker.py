"""The first step of each SIRL learner, under ``torchrun`` (``dist``) or in one process.

:func:`first_steps` runs one real step of :func:`~rl_robotics.sirl.representation.fit_sirl`
(triplet loss), :func:`~rl_robotics.sirl.representation.fit_contrastive` (InfoNCE with
negatives gathered across ranks) and :meth:`~rl_robotics.sirl.reward.TaskInputReward.fit`
(Bradley–Terry) on tiny batches, recording the loss each process minimises and the
gradients DDP left on the parameters. ``dist OUT RESULTS``: every process records its writes
under ``OUT`` (:func:`rl_shared.testing.distributed.record_writes`), saves
:func:`first_steps` to ``RESULTS/rank<R>.pt`` and runs ``rl robotics sirl train --out OUT``
for one step (only rank 0 may write the model folder).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import torch


def first_steps() -> dict[str, dict[str, Any]]:
    """``{learner: {"loss": this process's loss, "grads": [gradient per parameter]}}``."""
    import rl_robotics.sirl.representation as representation
    import rl_robotics.sirl.reward as reward
    from rl_robotics.sirl.representation import StateEncoder, TrainConfig
    from rl_robotics.sirl.trajectories import generate_trajectories

    seen: list[dict[str, Any]] = []
    real = representation._step

    def spy(acc, opt, loss):  # type: ignore[no-untyped-def]
        real(acc, opt, loss)
        grads = [p.grad.detach().clone() for g in opt.param_groups for p in g["params"]]
        seen.append({"loss": loss.detach().clone(), "grads": grads})

    representation._step = spy  # type: ignore[assignment]
    reward._step = spy  # type: ignore[assignment]
    try:
        pool = generate_trajectories(6, steps=3, cache=False)
        cfg = TrainConfig(steps=1, batch=5)  # 5 rows over 2 processes: shares of 3 and 2
        triplets = np.array([[0, 1, 2], [3, 4, 5], [1, 2, 3], [4, 5, 0], [2, 0, 4]])
        representation.fit_sirl(pool.states, triplets, StateEncoder(seed=1), cfg, seed=2)
        representation.fit_contrastive(
            pool.states, StateEncoder(seed=1), TrainConfig(steps=1, batch=4), seed=2
        )
        prefer = np.array([1, 0, 1, 1, 0])
        reward.TaskInputReward(hidden=8, config=cfg, seed=1).fit(
            pool.states[:5], pool.states[1:], prefer
        )
    finally:
        representation._step = real  # type: ignore[assignment]
        reward._step = real  # type: ignore[assignment]
    return dict(zip(("sirl", "contrastive", "task_input"), seen))


def dist(out: Path, results: Path) -> None:
    from rl_shared.testing.distributed import record_writes

    rank = int(os.environ["RANK"])
    record_writes(results / f"writes-rank{rank}.jsonl", out)
    torch.save(first_steps(), results / f"rank{rank}.pt")
    from rl_robotics.cli import group

    args = ["sirl", "train", "--out", str(out), "--queries", "8", "--preferences", "6"]
    args += ["--pool", "10", "--steps", "1", "--device", "cpu", "--json"]
    group.main(args, standalone_mode=False)


if __name__ == "__main__":
    torch.set_num_threads(1)
    dist(Path(sys.argv[2]), Path(sys.argv[3]))

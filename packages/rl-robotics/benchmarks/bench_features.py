"""Time ``state_features`` (vectorised, SciPy rotations) against a per-state PyBullet loop.

The peer computes the same four features state by state with ``pybullet.getMatrixFromQuaternion``
(what a PyBullet user would write); both run on the same states in this one process and the
script checks they agree before printing the two timings and their ratio.

Run: ``uv run python packages/rl-robotics/benchmarks/bench_features.py``
"""

from __future__ import annotations

import time

import numpy as np
import pybullet as p

from rl_robotics.sirl import STATE_DIM, STATE_SLICES, generate_trajectories, state_features


def pybullet_loop(states: np.ndarray) -> np.ndarray:
    out = np.empty((len(states), 5))
    for i, s in enumerate(states):
        ee, laptop, person, vel = s[7:10], s[14:17], s[17:20], s[20:23]
        rot = np.array(p.getMatrixFromQuaternion(s[STATE_SLICES["ee_quat"]])).reshape(3, 3)
        out[i] = (
            ee[2],
            np.hypot(*(ee[:2] - laptop[:2])),
            np.hypot(*(ee[:2] - person[:2])),
            1.0 + rot[2, 2],
            np.sqrt(vel @ vel),
        )
    return out


def best_of(fn, *args, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    states = generate_trajectories(500, steps=10, seed=0).states.reshape(-1, STATE_DIM)
    assert np.allclose(state_features(states), pybullet_loop(states), atol=1e-9)
    ours, peer = best_of(state_features, states), best_of(pybullet_loop, states)
    n = len(states)
    print(f"states: {n}")
    print(f"rl_robotics.sirl.state_features : {ours * 1e3:8.2f} ms ({n / ours:,.0f} states/s)")
    print(f"pybullet per-state loop         : {peer * 1e3:8.2f} ms ({n / peer:,.0f} states/s)")
    print(f"speed-up (peer / ours)          : {peer / ours:8.1f}x")


if __name__ == "__main__":
    main()

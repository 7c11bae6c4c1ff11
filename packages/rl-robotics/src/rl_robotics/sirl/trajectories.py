"""Random robot trajectories: sampled waypoints, inverse kinematics, forward kinematics.

Each trajectory gets its own laptop / person placement from a region, a start, a via point
and a goal drawn uniformly in the workspace, a quadratic Bézier path through them, and a cup
tilt that rises and falls along the path (about a random horizontal axis; half of the
trajectories keep the cup nearly upright), and a duration (1–4 s, so the same path may be
run slowly or fast). PyBullet's IK turns each waypoint into joint angles (warm-started from
the previous one) and forward kinematics gives the pose the arm actually reaches; the cup's
velocity is the central difference of those poses over the time step, so every raw state
is self-consistent. Sets are cached as ``.npz`` under
``rl_shared.data.cache_dir("robotics", "trajectories")``.

References:
    Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
    arXiv:2301.00810.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from scipy.spatial.transform import Rotation

from rl_robotics.sirl.features import (
    STATE_DIM,
    STATE_SLICES,
    make_state,
    state_features,
    trajectory_features,
)
from rl_robotics.sirl.scene import HOME, WORKSPACE, TableScene, sample_placement
from rl_shared.data import cache_dir
from rl_shared.errors import BadInput
from rl_shared.io import atomic_open

__all__ = ["TrajectorySet", "generate_trajectories"]

_DOWN = Rotation.from_euler("xyz", (math.pi, 0.0, 0.0))
_VERSION = 3

Progress = Callable[[Iterable[int], str], Iterable[int]]


@dataclass
class TrajectorySet:
    """Trajectories of raw states with the placement each was recorded in.

    Args:
        states: raw states (layout in :data:`rl_robotics.sirl.features.STATE_SLICES`).
        region: the placement region they were drawn from.
        seed: the seed that made them.

    Shapes:
        states ``(N, T, 23)``.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> ts = generate_trajectories(4, steps=3, cache=False)
        >>> len(ts), ts.features().shape, len(ts.subset(np.array([0, 2])))
        (4, (4, 5), 2)
    """

    states: np.ndarray
    region: str = "train"
    seed: int = 0

    def __len__(self) -> int:
        return len(self.states)

    def features(self) -> np.ndarray:
        """Scaled mean features per trajectory ``(N, 5)``."""
        return trajectory_features(self.states)

    def state_features(self) -> np.ndarray:
        """Unscaled features of every state ``(N, T, 5)``."""
        return state_features(self.states)

    def subset(self, index: np.ndarray | slice) -> TrajectorySet:
        """The trajectories at ``index``."""
        return TrajectorySet(self.states[index], self.region, self.seed)


def generate_trajectories(
    n: int,
    steps: int = 10,
    region: str = "train",
    seed: int = 0,
    *,
    cache: bool = True,
    progress: Progress | None = None,
) -> TrajectorySet:
    """Make ``n`` random trajectories of ``steps`` states each (deterministic in ``seed``).

    Args:
        n: number of trajectories.
        steps: states per trajectory.
        region: object placement region, ``"train"`` or ``"moved"``.
        seed: random seed.
        cache: read / write the set under the cache folder.
        progress: optional ``(iterable, description) -> iterable`` progress wrapper.

    Shapes:
        the returned ``states``: ``(n, steps, 23)``.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> ts = generate_trajectories(3, steps=4, seed=0, cache=False)
        >>> ts.states.shape
        (3, 4, 23)
    """
    if n < 1 or steps < 2:
        raise BadInput(f"need at least 1 trajectory of 2 steps, got n={n}, steps={steps}")
    path = cache_dir("robotics", "trajectories") / f"v{_VERSION}-{region}-n{n}-t{steps}-s{seed}.npz"
    if cache and path.exists():
        with np.load(path) as data:
            return TrajectorySet(data["states"], region, seed)
    rng = np.random.default_rng(seed)
    states = np.empty((n, steps, STATE_DIM))
    low, high = np.array(WORKSPACE[0]), np.array(WORKSPACE[1])
    t = np.linspace(0.0, 1.0, steps)[:, None]
    with TableScene() as scene:
        items: Iterable[int] = range(n)
        if progress is not None:
            items = progress(items, f"trajectories ({region})")
        for i in _iterate(items):
            placement = sample_placement(rng, region)
            start, via, goal = rng.uniform(low, high, size=(3, 3))
            points = (1 - t) ** 2 * start + 2 * (1 - t) * t * via + t**2 * goal
            axis_angle = rng.uniform(0, 2 * math.pi)
            axis = np.array([math.cos(axis_angle), math.sin(axis_angle), 0.0])
            tilt_max = rng.uniform(0.0, 0.2) if rng.random() < 0.5 else rng.uniform(0.2, 1.5)
            tilts = tilt_max * np.sin(math.pi * t[:, 0])
            dt = rng.uniform(1.0, 4.0) / (steps - 1)
            scene.set_joints(HOME)
            for k in range(steps):
                quat = (Rotation.from_rotvec(axis * tilts[k]) * _DOWN).as_quat()
                q = scene.inverse_kinematics(points[k], quat)
                pos, actual = scene.forward_kinematics(q)
                states[i, k] = make_state(q, pos, actual, placement.laptop, placement.person)
            reached = states[i, :, STATE_SLICES["ee_pos"]]
            states[i, :, STATE_SLICES["ee_vel"]] = np.gradient(reached, dt, axis=0)
    if cache:
        with atomic_open(path, "wb") as fh:
            np.savez_compressed(fh, states=states)
    return TrajectorySet(states, region, seed)


def _iterate(items: Iterable[int]) -> Iterator[int]:
    yield from items

"""Trajectory sets for ``--data``: generated in a placement region, or read from a ``.npz`` file.

``--data train`` and ``--data moved`` generate trajectories in that placement region of the
PyBullet scene (:func:`rl_robotics.sirl.trajectories.generate_trajectories`, cached);
``--data FILE.npz`` reads a set written by :func:`save_trajectories` (or any ``.npz`` with a
``states`` array of raw states, such as the trajectory cache).

References:
    Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
    arXiv:2301.00810.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from rl_robotics.sirl.features import STATE_DIM
from rl_robotics.sirl.scene import REGIONS
from rl_robotics.sirl.trajectories import TrajectorySet, generate_trajectories
from rl_shared.errors import BadInput, MalformedFile
from rl_shared.io import atomic_open

__all__ = ["load_trajectories", "save_trajectories"]

Progress = Callable[[Iterable[int], str], Iterable[int]]


def load_trajectories(
    data: str | Path,
    n: int,
    *,
    steps: int = 10,
    seed: int = 0,
    cache: bool = True,
    progress: Progress | None = None,
) -> TrajectorySet:
    """The trajectories ``--data`` names: a placement region (generated) or a ``.npz`` file.

    Args:
        data: ``"train"`` or ``"moved"`` (generate ``n`` trajectories in that region), or the
            path of a ``.npz`` file with a ``states`` array (every trajectory in it is used).
        n: trajectories to generate (ignored for a file).
        steps: states per generated trajectory.
        seed: generation seed.
        cache: cache generated sets.
        progress: optional ``(iterable, description) -> iterable`` progress wrapper.

    Shapes:
        the returned ``states``: ``(N, T, 23)``.

    Raises:
        BadInput: ``data`` is neither a region nor an existing ``.npz`` file.
        MalformedFile: the file holds no ``(N, T, 23)`` raw states.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> load_trajectories("moved", 3, steps=4, cache=False).states.shape
        (3, 4, 23)
    """
    text = str(data)
    if text in REGIONS:
        return generate_trajectories(
            n, steps=steps, region=text, seed=seed, cache=cache, progress=progress
        )
    path = Path(text)
    if path.suffix.lower() != ".npz":
        raise BadInput(
            f"--data must be a placement region ({', '.join(REGIONS)}) or a .npz file of "
            f"trajectories, got '{text}'"
        )
    if not path.is_file():
        raise BadInput(f"{path} does not exist; write one with `rl robotics sirl generate`")
    try:
        with np.load(path) as archive:
            if "states" not in archive:
                raise MalformedFile(
                    path, None, f"no 'states' array of raw states (N, T, {STATE_DIM})"
                )
            states = np.asarray(archive["states"], dtype=np.float64)
            region = str(archive["region"]) if "region" in archive else "file"
            made_with = int(archive["seed"]) if "seed" in archive else 0
    except (OSError, ValueError, zipfile.BadZipFile) as err:
        raise MalformedFile(path, None, f"not a readable .npz file ({err})") from None
    if states.ndim != 3 or states.shape[-1] != STATE_DIM or len(states) == 0:
        raise MalformedFile(
            path, None, f"'states' must be (N, T, {STATE_DIM}) raw states, got {states.shape}"
        )
    return TrajectorySet(states, region, made_with)


def save_trajectories(trajectories: TrajectorySet, path: str | Path) -> Path:
    """Write a trajectory set as ``.npz`` (``states``, ``region``, ``seed``), atomically.

    Args:
        trajectories: the set to write.
        path: the file (``.npz``).

    Shapes:
        ``trajectories.states``: ``(N, T, 23)``.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> import tempfile
        >>> ts = load_trajectories("train", 2, steps=3, cache=False)
        >>> back = load_trajectories(save_trajectories(ts, tempfile.mkdtemp() + "/t.npz"), 0)
        >>> bool(np.array_equal(back.states, ts.states)), back.region
        (True, 'train')
    """
    path = Path(path)
    if path.suffix.lower() != ".npz":
        raise BadInput(f"trajectories are written as .npz; got {path}")
    with atomic_open(path, "wb") as handle:
        np.savez_compressed(
            handle,
            states=trajectories.states,
            region=np.array(trajectories.region),
            seed=np.array(trajectories.seed),
        )
    return path

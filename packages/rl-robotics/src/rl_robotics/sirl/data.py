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
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from rl_robotics.sirl.features import STATE_DIM
from rl_robotics.sirl.scene import REGIONS
from rl_robotics.sirl.trajectories import TrajectorySet, generate_trajectories
from rl_shared.errors import BadInput, MalformedFile
from rl_shared.io import atomic_open

__all__ = ["load_trajectories", "read_trajectories", "save_trajectories"]

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
    return read_trajectories(path)


def read_trajectories(path: str | Path) -> TrajectorySet:
    """Read a ``.npz`` trajectory file strictly: finite ``(N, T, 23)`` raw states, ``N, T >= 1``.

    Args:
        path: a file written by :func:`save_trajectories` (or any ``.npz`` with a ``states``
            array of raw states, such as the trajectory cache).

    Shapes:
        the returned ``states``: ``(N, T, 23)``.

    Raises:
        BadInput: nothing exists at ``path``.
        MalformedFile: a folder, not a readable ``.npz`` (empty, truncated, pickled), no
            ``states`` array, states of another shape, or NaN / infinite states.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "t.npz"
        >>> np.savez(path, states=np.full((2, 3, 23), np.nan))
        >>> try:
        ...     read_trajectories(path)
        ... except MalformedFile as err:
        ...     print(err.problem)
        'states' holds NaN or infinite values
    """
    path = Path(path)
    if path.is_dir():
        raise MalformedFile(
            path, None, "is a folder, where a .npz file of trajectories was expected"
        )
    if not path.is_file():
        raise BadInput(f"{path} does not exist; write one with `rl robotics sirl generate`")
    try:
        archive = np.load(path, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise MalformedFile(path, None, "holds a single array, not a .npz archive of arrays")
        with archive:
            names = set(archive.files)
            states = archive["states"] if "states" in names else None
            region = archive["region"] if "region" in names else None
            made_with = archive["seed"] if "seed" in names else None
    except MalformedFile:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise MalformedFile(path, None, f"not a readable .npz file ({reason})") from None
    if states is None:
        raise MalformedFile(path, None, f"no 'states' array of raw states (N, T, {STATE_DIM})")
    if states.dtype.kind not in "biuf":
        raise MalformedFile(path, None, f"'states' must hold numbers, not {states.dtype}")
    states = np.asarray(states, dtype=np.float64)
    if states.ndim != 3 or states.shape[-1] != STATE_DIM or 0 in states.shape:
        raise MalformedFile(
            path, None, f"'states' must be (N, T, {STATE_DIM}) raw states, got {states.shape}"
        )
    if not np.isfinite(states).all():
        raise MalformedFile(path, None, "'states' holds NaN or infinite values")
    try:
        region_name = str(region.item()) if region is not None else "file"
        seed = int(made_with.item()) if made_with is not None else 0
    except (TypeError, ValueError, OverflowError):
        raise MalformedFile(path, None, "'region' or 'seed' is not a single value") from None
    return TrajectorySet(states, region_name, seed)


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

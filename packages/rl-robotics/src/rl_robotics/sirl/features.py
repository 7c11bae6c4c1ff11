"""Raw robot states and the ground-truth features a person may care about.

A raw state is the 23 numbers the robot sees: seven joint angles, the end-effector (cup)
position and quaternion, the laptop position, the person position and the cup's Cartesian
velocity (layout in :data:`STATE_SLICES`). The features follow the SIRL / FERL table-top tasks:

| feature | value |
|---|---|
| ``table`` | height of the cup above the table top (m) |
| ``laptop`` | horizontal distance of the cup to the laptop (m) |
| ``person`` | horizontal distance of the cup to the person (m) |
| ``coffee`` | cup tilt, ``1 - up·z`` with the cup's up axis the gripper's ``-z`` (0 upright, 2 upside down) |
| ``speed`` | speed of the cup (m/s) |

:data:`FEATURE_SCALES` divides each feature to a comparable size (about one standard
deviation of a trajectory's mean feature over random trajectories), which is how the
simulated people weigh them.

References:
    Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
    arXiv:2301.00810; Bobu et al., "Feature Expansive Reward Learning" (FERL), arXiv:2006.13208.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from rl_shared.errors import ShapeMismatch, UnknownName

__all__ = [
    "FEATURES",
    "FEATURE_SCALES",
    "STATE_DIM",
    "STATE_SLICES",
    "feature_index",
    "make_state",
    "state_features",
    "trajectory_features",
]

FEATURES = ("table", "laptop", "person", "coffee", "speed")
FEATURE_SCALES = np.array([0.1, 0.1, 0.15, 0.12, 0.14])
STATE_SLICES = {
    "joints": slice(0, 7),
    "ee_pos": slice(7, 10),
    "ee_quat": slice(10, 14),
    "laptop": slice(14, 17),
    "person": slice(17, 20),
    "ee_vel": slice(20, 23),
}
STATE_DIM = 23


def feature_index(names: str | list[str] | tuple[str, ...]) -> list[int]:
    """Column indices of feature names (a comma-separated string or a list).

    Args:
        names: names from :data:`FEATURES`, e.g. ``"laptop,table"`` or ``["laptop"]``.

    Raises:
        UnknownName: a name is not a feature.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> feature_index("laptop,table")
        [1, 0]
    """
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    out = []
    for name in names:
        if name not in FEATURES:
            raise UnknownName("feature", name, list(FEATURES))
        out.append(FEATURES.index(name))
    return out


def make_state(
    joints: np.ndarray | tuple[float, ...],
    ee_pos: np.ndarray | tuple[float, ...],
    ee_quat: np.ndarray | tuple[float, ...],
    laptop: np.ndarray | tuple[float, ...],
    person: np.ndarray | tuple[float, ...],
    ee_vel: np.ndarray | tuple[float, ...] = (0.0, 0.0, 0.0),
) -> np.ndarray:
    """Pack one raw state ``(23,)``; the quaternion is stored with ``w >= 0``.

    Args:
        joints: the seven arm joint angles (radians).
        ee_pos: the cup (end-effector) position (m).
        ee_quat: its orientation ``(x, y, z, w)``.
        laptop: the laptop position.
        person: the person position.
        ee_vel: the cup's Cartesian velocity (m/s).

    Shapes:
        ``(7,)``, ``(3,)``, ``(4,)``, ``(3,)``, ``(3,)``, ``(3,)`` -> ``(23,)``
        (layout in :data:`STATE_SLICES`).

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> make_state(np.zeros(7), (0.5, 0, 0.3), (0, 0, 0, -1), (0.5, 0.4, 0), (0.8, 0, 0.5)).shape
        (23,)
    """
    quat = np.asarray(ee_quat, dtype=np.float64)
    quat = -quat if quat[3] < 0 else quat
    return np.concatenate([joints, ee_pos, quat, laptop, person, ee_vel]).astype(np.float64)


def state_features(states: np.ndarray) -> np.ndarray:
    """Ground-truth features of raw states (see the table above), unscaled.

    Args:
        states: raw states.

    Shapes:
        ``(..., 23)`` -> ``(..., 5)`` in the order of :data:`FEATURES`.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810; Bobu et al., "Feature Expansive Reward Learning", arXiv:2006.13208.

    Example:
        >>> s = make_state(np.zeros(7), (0.5, 0.0, 0.3), (1, 0, 0, 0), (0.5, 0.4, 0), (0.8, 0.0, 0.5),
        ...                ee_vel=(0.3, 0.4, 0.0))
        >>> state_features(s).round(3).tolist()  # height 0.3, 0.4 to laptop, 0.3 to person, upright, 0.5 m/s
        [0.3, 0.4, 0.3, 0.0, 0.5]
    """
    states = np.asarray(states, dtype=np.float64)
    if states.shape[-1] != STATE_DIM:
        raise ShapeMismatch(f"raw states need {STATE_DIM} columns, got {states.shape[-1]}")
    flat = states.reshape(-1, STATE_DIM)
    ee = flat[:, STATE_SLICES["ee_pos"]]
    table = ee[:, 2]
    laptop = np.linalg.norm(ee[:, :2] - flat[:, STATE_SLICES["laptop"]][:, :2], axis=1)
    person = np.linalg.norm(ee[:, :2] - flat[:, STATE_SLICES["person"]][:, :2], axis=1)
    z_axis = Rotation.from_quat(flat[:, STATE_SLICES["ee_quat"]]).as_matrix()[:, :, 2]
    coffee = 1.0 + z_axis[:, 2]  # cup up = -gripper z; 1 - up·ẑ = 1 + z_z
    speed = np.linalg.norm(flat[:, STATE_SLICES["ee_vel"]], axis=1)
    out = np.stack([table, laptop, person, coffee, speed], axis=1)
    return out.reshape(*states.shape[:-1], len(FEATURES))


def trajectory_features(states: np.ndarray, scaled: bool = True) -> np.ndarray:
    """Mean state features along each trajectory, divided by :data:`FEATURE_SCALES`.

    Args:
        states: raw trajectories.
        scaled: divide by :data:`FEATURE_SCALES` (how the simulated people weigh them).

    Shapes:
        ``(N, T, 23)`` -> ``(N, 5)``.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> s = make_state(np.zeros(7), (0.5, 0.0, 0.2), (1, 0, 0, 0), (0.5, 0.0, 0), (0.5, 1.0, 0.5))
        >>> trajectory_features(np.stack([s, s])[None], scaled=False).round(2).tolist()
        [[0.2, 0.0, 1.0, 0.0, 0.0]]
    """
    feats = state_features(states).mean(axis=-2)
    return feats / FEATURE_SCALES if scaled else feats

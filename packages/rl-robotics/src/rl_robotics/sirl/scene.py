"""The table scene: a Franka Panda carrying a cup over a table, a laptop and a person (PyBullet).

The robot's base sits on the table top (``z = 0``); the laptop lies on the table and the person
stands beside it. Object placements are drawn from a region ("train" or "moved", the second
for testing generalisation to new settings, the SIRL paper's point). Kinematics come from
PyBullet: :meth:`TableScene.inverse_kinematics` wraps ``calculateInverseKinematics`` and
:meth:`TableScene.forward_kinematics` reads ``getLinkState`` after ``resetJointState``. The
physics server runs headless (``p.DIRECT``).

References:
    Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
    arXiv:2301.00810 (scene after their Franka / laptop / human table-top setting).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pybullet as p
import pybullet_data

from rl_shared.errors import BadInput, UnknownName

__all__ = [
    "ARM_JOINTS",
    "EE_LINK",
    "HOME",
    "REGIONS",
    "WORKSPACE",
    "Placement",
    "TableScene",
    "sample_placement",
]

ARM_JOINTS = 7
EE_LINK = 11  # panda_grasptarget: where the cup is held
HOME = (0.0, -0.3, 0.0, -2.2, 0.0, 2.0, 0.785)
#: where the end effector may go: (low, high) for x, y, z in metres (table top is z = 0)
WORKSPACE = ((0.25, -0.45, 0.05), (0.75, 0.45, 0.65))
#: object regions: name -> {"laptop": (low_xy, high_xy), "person": (low_xy, high_xy)}
REGIONS: dict[str, dict[str, tuple[tuple[float, float], tuple[float, float]]]] = {
    "train": {"laptop": ((0.35, -0.30), (0.60, 0.10)), "person": ((0.30, 0.60), (0.70, 0.80))},
    "moved": {"laptop": ((0.45, 0.10), (0.70, 0.30)), "person": ((0.75, 0.55), (1.00, 0.75))},
}
PERSON_HEIGHT = 0.5  # height of the person's chest above the table top, stored in the state


@dataclass(frozen=True)
class Placement:
    """Where the laptop and the person are.

    Args:
        laptop: ``(x, y, z)`` of the laptop's centre on the table.
        person: ``(x, y, z)`` of the person's chest.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> Placement((0.5, 0.0, 0.0), (0.5, 0.7, 0.5)).as_array().shape
        (6,)
    """

    laptop: tuple[float, float, float]
    person: tuple[float, float, float]

    def as_array(self) -> np.ndarray:
        """``(6,)`` laptop then person position."""
        return np.array([*self.laptop, *self.person], dtype=np.float64)


def sample_placement(rng: np.random.Generator, region: str = "train") -> Placement:
    """Draw a laptop and a person position uniformly from a named region.

    Args:
        rng: NumPy generator.
        region: ``"train"`` or ``"moved"`` (see :data:`REGIONS`).

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> pl = sample_placement(np.random.default_rng(0), "moved")
        >>> 0.10 <= pl.laptop[1] <= 0.30
        True
    """
    if region not in REGIONS:
        raise UnknownName("region", region, list(REGIONS))
    box = REGIONS[region]
    lx, ly = rng.uniform(box["laptop"][0], box["laptop"][1])
    px, py = rng.uniform(box["person"][0], box["person"][1])
    return Placement((float(lx), float(ly), 0.0), (float(px), float(py), PERSON_HEIGHT))


class TableScene:
    """A headless PyBullet world with the Panda, a table, a laptop and a person.

    Args:
        placement: where the laptop and person start (default: the middle of "train").

    Shapes:
        joint angles ``(7,)``; positions ``(3,)``; quaternions ``(4,)`` as ``(x, y, z, w)``;
        :meth:`render` ``(height, width, 3)``; :meth:`project` ``(N, 3)`` -> ``(N, 2)``.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> scene = TableScene()
        >>> q = scene.inverse_kinematics((0.5, 0.0, 0.3))
        >>> pos, quat = scene.forward_kinematics(q)
        >>> bool(np.allclose(pos, (0.5, 0.0, 0.3), atol=0.01))
        True
        >>> scene.close()
    """

    def __init__(self, placement: Placement | None = None) -> None:
        self.client = p.connect(p.DIRECT)
        p.setAdditionalSearchPath(pybullet_data.getDataPath(), physicsClientId=self.client)
        c = self.client
        self.robot = p.loadURDF("franka_panda/panda.urdf", useFixedBase=True, physicsClientId=c)
        self.table = _box((0.5, 0.0, -0.025), (0.6, 0.5, 0.025), (0.6, 0.45, 0.3, 1), c)
        self.laptop = _box((0.5, 0.0, 0.01), (0.15, 0.1, 0.01), (0.2, 0.2, 0.2, 1), c)
        shape = p.createVisualShape(
            p.GEOM_CYLINDER,
            radius=0.15,
            length=1.7,
            rgbaColor=(0.2, 0.4, 0.8, 1),
            physicsClientId=c,
        )
        self.person = p.createMultiBody(0, -1, shape, (0.5, 0.7, 0.1), physicsClientId=c)
        lower, upper = [], []
        for j in range(ARM_JOINTS):
            info = p.getJointInfo(self.robot, j, physicsClientId=c)
            lower.append(info[8])
            upper.append(info[9])
        self.lower, self.upper = np.array(lower), np.array(upper)
        self.set_joints(HOME)
        self.place(placement or Placement((0.475, -0.1, 0.0), (0.5, 0.7, PERSON_HEIGHT)))

    def place(self, placement: Placement) -> None:
        """Move the laptop and the person."""
        c = self.client
        lx, ly, _ = placement.laptop
        px, py, _ = placement.person
        p.resetBasePositionAndOrientation(
            self.laptop, (lx, ly, 0.01), (0, 0, 0, 1), physicsClientId=c
        )
        p.resetBasePositionAndOrientation(
            self.person, (px, py, 0.1), (0, 0, 0, 1), physicsClientId=c
        )
        self.placement = placement

    def set_joints(self, q: np.ndarray | tuple[float, ...]) -> None:
        """Set the seven arm joints (radians)."""
        q = np.asarray(q, dtype=np.float64)
        if q.shape != (ARM_JOINTS,):
            raise BadInput(f"the Panda has {ARM_JOINTS} arm joints, got {q.shape[0]} values")
        for j in range(ARM_JOINTS):
            p.resetJointState(self.robot, j, float(q[j]), physicsClientId=self.client)

    def forward_kinematics(
        self, q: np.ndarray | tuple[float, ...]
    ) -> tuple[np.ndarray, np.ndarray]:
        """End-effector position ``(3,)`` and quaternion ``(4,)`` (x, y, z, w) for joints ``q``."""
        self.set_joints(q)
        state = p.getLinkState(
            self.robot, EE_LINK, computeForwardKinematics=True, physicsClientId=self.client
        )
        return np.array(state[4]), np.array(state[5])

    def inverse_kinematics(
        self,
        position: tuple[float, float, float] | np.ndarray,
        orientation: tuple[float, float, float, float] | np.ndarray | None = None,
        iterations: int = 20,
        rounds: int = 20,
        tolerance: float = 2e-3,
    ) -> np.ndarray:
        """Joint angles ``(7,)`` that put the cup at ``position`` (and ``orientation``).

        Starts from the current joints (set them to the previous solution along a path), calls
        ``calculateInverseKinematics``, moves the arm to the result (clipped to the joint
        limits) and repeats from there until the cup is within ``tolerance`` of ``position``.

        Args:
            position: target ``(x, y, z)``.
            orientation: target quaternion ``(x, y, z, w)``; default: gripper pointing down.
            iterations: IK iterations per round.
            rounds: at most this many rounds.
            tolerance: position error (m) that ends the rounds.
        """
        if orientation is None:
            orientation = p.getQuaternionFromEuler((math.pi, 0.0, 0.0))
        target = [float(v) for v in position]
        q = np.zeros(ARM_JOINTS)
        for _ in range(rounds):  # re-linearise from the reached joints until close enough
            sol = p.calculateInverseKinematics(
                self.robot,
                EE_LINK,
                target,
                [float(v) for v in orientation],
                maxNumIterations=iterations,
                residualThreshold=1e-4,
                physicsClientId=self.client,
            )
            q = np.clip(np.array(sol[:ARM_JOINTS]), self.lower, self.upper)
            pos, _ = self.forward_kinematics(q)
            if np.linalg.norm(pos - target) < tolerance:
                break
        return q

    def render(self, width: int = 480, height: int = 360) -> np.ndarray:
        """An RGB image ``(height, width, 3)`` of the scene from a fixed camera (TinyRenderer)."""
        c = self.client
        view = p.computeViewMatrix((1.6, -1.0, 1.2), (0.45, 0.0, 0.2), (0, 0, 1), physicsClientId=c)
        proj = p.computeProjectionMatrixFOV(50, width / height, 0.05, 10, physicsClientId=c)
        _, _, rgba, _, _ = p.getCameraImage(
            width, height, view, proj, renderer=p.ER_TINY_RENDERER, physicsClientId=c
        )
        return np.reshape(np.asarray(rgba, dtype=np.uint8), (height, width, 4))[..., :3]

    def project(self, points: np.ndarray, width: int = 480, height: int = 360) -> np.ndarray:
        """Pixel coordinates ``(N, 2)`` of world points ``(N, 3)`` in :meth:`render`'s camera."""
        c = self.client
        view = np.array(
            p.computeViewMatrix((1.6, -1.0, 1.2), (0.45, 0.0, 0.2), (0, 0, 1), physicsClientId=c)
        ).reshape(4, 4, order="F")
        proj = np.array(
            p.computeProjectionMatrixFOV(50, width / height, 0.05, 10, physicsClientId=c)
        ).reshape(4, 4, order="F")
        homo = np.c_[points, np.ones(len(points))] @ (proj @ view).T
        ndc = homo[:, :3] / homo[:, 3:4]
        return np.c_[(ndc[:, 0] + 1) * width / 2, (1 - ndc[:, 1]) * height / 2]

    def close(self) -> None:
        """Disconnect the physics server."""
        if p.isConnected(self.client):
            p.disconnect(self.client)

    def __enter__(self) -> TableScene:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _box(
    centre: tuple[float, float, float],
    half: tuple[float, float, float],
    rgba: tuple[float, float, float, float],
    client: int,
) -> int:
    visual = p.createVisualShape(
        p.GEOM_BOX, halfExtents=half, rgbaColor=rgba, physicsClientId=client
    )
    return p.createMultiBody(0, -1, visual, centre, physicsClientId=client)

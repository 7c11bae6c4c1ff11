import numpy as np
import pytest

from rl_robotics.sirl.scene import REGIONS, TableScene, sample_placement
from rl_shared.errors import BadInput, UnknownName


def test_ik_then_fk_reaches_target():
    with TableScene() as scene:
        for target in [(0.5, 0.0, 0.3), (0.4, 0.2, 0.15), (0.6, -0.3, 0.5)]:
            pos, quat = scene.forward_kinematics(scene.inverse_kinematics(target))
            assert np.allclose(pos, target, atol=0.01)
            # default orientation: gripper pointing down, i.e. gripper z axis is world -z
            z_axis = np.array(__import__("pybullet").getMatrixFromQuaternion(quat)).reshape(3, 3)[
                :, 2
            ]
            assert z_axis[2] < -0.99


@pytest.mark.parametrize("region", list(REGIONS))
def test_placements_stay_in_their_region(region):
    rng = np.random.default_rng(0)
    box = REGIONS[region]
    for _ in range(20):
        pl = sample_placement(rng, region)
        for name, xyz in (("laptop", pl.laptop), ("person", pl.person)):
            low, high = box[name]
            assert low[0] <= xyz[0] <= high[0] and low[1] <= xyz[1] <= high[1]


def test_bad_region_and_joint_count():
    with pytest.raises(UnknownName):
        sample_placement(np.random.default_rng(0), "kitchen")
    with TableScene() as scene, pytest.raises(BadInput):
        scene.set_joints(np.zeros(6))

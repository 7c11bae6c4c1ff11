import numpy as np
import pytest

from rl_robotics.features import STATE_SLICES
from rl_robotics.scene import TableScene
from rl_robotics.trajectories import generate_trajectories
from rl_shared.errors import BadInput


def test_deterministic_by_seed(tiny):
    again = generate_trajectories(12, steps=4, seed=0, cache=False)
    other = generate_trajectories(12, steps=4, seed=1, cache=False)
    assert np.array_equal(tiny.states, again.states)
    assert not np.allclose(tiny.states, other.states)


def test_states_are_kinematically_consistent(tiny):
    with TableScene() as scene:
        for state in tiny.states[:3].reshape(-1, tiny.states.shape[-1]):
            pos, _ = scene.forward_kinematics(state[STATE_SLICES["joints"]])
            assert np.allclose(pos, state[STATE_SLICES["ee_pos"]], atol=1e-9)
    # placements are constant along a trajectory
    laptop = tiny.states[:, :, STATE_SLICES["laptop"]]
    assert np.allclose(laptop, laptop[:, :1])


def test_cache_round_trip(tmp_path):
    first = generate_trajectories(3, steps=3, seed=5)
    files = list((tmp_path / "cache" / "robotics" / "trajectories").glob("*.npz"))
    assert len(files) == 1
    assert np.array_equal(generate_trajectories(3, steps=3, seed=5).states, first.states)


def test_bad_sizes():
    with pytest.raises(BadInput):
        generate_trajectories(0, cache=False)

import numpy as np
import pytest

from rl_robotics.sirl.features import STATE_SLICES
from rl_robotics.sirl.scene import TableScene
from rl_robotics.sirl.trajectories import generate_trajectories
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


def test_velocity_is_the_time_derivative_of_the_reached_positions(tiny):
    pos = tiny.states[:, :, STATE_SLICES["ee_pos"]]
    vel = tiny.states[:, :, STATE_SLICES["ee_vel"]]
    # central differences in the interior: v_k (2 dt) = p_{k+1} - p_{k-1}, one dt per trajectory
    step = pos[:, 2:] - pos[:, :-2]
    dt = np.linalg.norm(step, axis=-1).sum(1) / (2 * np.linalg.norm(vel[:, 1:-1], axis=-1).sum(1))
    assert np.allclose(step, 2 * dt[:, None, None] * vel[:, 1:-1], atol=1e-9)
    duration = dt * (tiny.states.shape[1] - 1)
    assert np.all((duration > 1.0 - 1e-9) & (duration < 4.0 + 1e-9))
    assert np.ptp(tiny.state_features()[..., 4]) > 0.05  # speeds differ


def test_cache_round_trip(tmp_path):
    first = generate_trajectories(3, steps=3, seed=5)
    files = list((tmp_path / "cache" / "robotics" / "trajectories").glob("*.npz"))
    assert len(files) == 1
    assert np.array_equal(generate_trajectories(3, steps=3, seed=5).states, first.states)


def test_bad_sizes():
    with pytest.raises(BadInput):
        generate_trajectories(0, cache=False)

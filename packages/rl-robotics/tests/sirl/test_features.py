import numpy as np
import pytest

from rl_robotics.sirl.features import (
    FEATURE_SCALES,
    feature_index,
    make_state,
    state_features,
    trajectory_features,
)
from rl_shared.errors import ShapeMismatch, UnknownName


def quat_about_x(angle: float) -> np.ndarray:
    return np.array([np.sin(angle / 2), 0.0, 0.0, np.cos(angle / 2)])


DOWN = quat_about_x(np.pi)  # gripper pointing down: cup upright


def test_hand_placed_states_give_hand_computed_features():
    laptop, person = (0.3, -0.2, 0.0), (1.0, 0.6, 0.5)
    s1 = make_state(np.zeros(7), (0.6, 0.2, 0.25), DOWN, laptop, person)
    s2 = make_state(
        np.zeros(7), (0.3, -0.2, 0.05), quat_about_x(np.pi / 2), laptop, person, (0.0, 0.6, 0.8)
    )
    s3 = make_state(np.zeros(7), (1.0, 0.6, 0.40), (0, 0, 0, 1), laptop, person, (0.2, 0, 0))
    got = state_features(np.stack([s1, s2, s3]))
    expected = [
        [0.25, np.hypot(0.3, 0.4), np.hypot(0.4, 0.4), 0.0, 0.0],  # upright, at rest
        [0.05, 0.0, np.hypot(0.7, 0.8), 1.0, 1.0],  # tipped 90 degrees, above the laptop, 1 m/s
        [0.40, np.hypot(0.7, 0.8), 0.0, 2.0, 0.2],  # upside down, at the person, 0.2 m/s
    ]
    assert np.allclose(got, expected, atol=1e-9)


def test_trajectory_features_are_scaled_means():
    s = np.stack(
        [make_state(np.zeros(7), (0.5, 0, z), DOWN, (0.5, 0, 0), (0.5, 1, 0.5)) for z in (0.1, 0.3)]
    )
    feats = trajectory_features(s[None])
    assert np.allclose(feats[0] * FEATURE_SCALES, [0.2, 0.0, 1.0, 0.0, 0.0])


def test_quaternion_sign_does_not_matter():
    a = make_state(np.zeros(7), (0.5, 0, 0.2), DOWN, (0, 0, 0), (1, 0, 0))
    b = make_state(np.zeros(7), (0.5, 0, 0.2), -DOWN, (0, 0, 0), (1, 0, 0))
    assert np.allclose(a, b)


def test_errors():
    with pytest.raises(ShapeMismatch):
        state_features(np.zeros((3, 20)))
    with pytest.raises(UnknownName, match="unknown feature 'cup'"):
        feature_index("table,cup")

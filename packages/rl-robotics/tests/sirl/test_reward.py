import numpy as np
import pytest

from rl_robotics.sirl.people import SimulatedPerson, sample_preference_queries
from rl_robotics.sirl.representation import TrainConfig
from rl_robotics.sirl.reward import PreferenceReward, TaskInputReward
from rl_shared.errors import BadInput, ShapeMismatch


def test_bradley_terry_recovers_the_direction_of_a_linear_reward():
    rng = np.random.default_rng(0)
    theta = np.array([2.0, -1.0, 0.0])
    a, b = rng.normal(size=(400, 3)), rng.normal(size=(400, 3))
    prefer = rng.random(400) < 1 / (1 + np.exp(-(a - b) @ theta))
    fitted = PreferenceReward(c=10.0).fit(a, b, prefer).theta
    cos = fitted @ theta / np.linalg.norm(fitted) / np.linalg.norm(theta)
    assert cos > 0.95


def test_task_input_fits_its_preferences_and_is_deterministic(tiny):
    person = SimulatedPerson("table")
    feats = tiny.features()
    pairs = sample_preference_queries(len(tiny), 40, np.random.default_rng(0))
    y = person.prefers_first(feats[pairs[:, 0]], feats[pairs[:, 1]])
    cfg = TrainConfig(steps=150, batch=40)
    r1 = TaskInputReward(config=cfg, seed=0).fit(
        tiny.states[pairs[:, 0]], tiny.states[pairs[:, 1]], y
    )
    r2 = TaskInputReward(config=cfg, seed=0).fit(
        tiny.states[pairs[:, 0]], tiny.states[pairs[:, 1]], y
    )
    s = r1.score(tiny.states)
    assert np.array_equal(s, r2.score(tiny.states))
    assert ((s[pairs[:, 0]] > s[pairs[:, 1]]) == y).mean() > 0.9
    assert r1.embed_states(tiny.states).shape == (12, 4, 64)


def test_errors():
    with pytest.raises(ShapeMismatch):
        PreferenceReward().fit(np.zeros((3, 2)), np.zeros((3, 3)), np.ones(3))
    with pytest.raises(BadInput):
        PreferenceReward().fit(np.zeros((0, 2)), np.zeros((0, 2)), np.ones(0))

import numpy as np
import pytest

from rl_robotics.sirl.evaluation import preference_accuracy, probe_r2
from rl_robotics.sirl.people import SimulatedPerson, sample_preference_queries
from rl_shared.errors import ShapeMismatch


def test_true_reward_scores_are_perfect_and_reversed_ones_are_wrong():
    rng = np.random.default_rng(0)
    person = SimulatedPerson("laptop,coffee")
    feats = rng.normal(size=(50, 4))
    pairs = sample_preference_queries(50, 200, rng)
    assert preference_accuracy(person.reward(feats), feats, person, pairs) == 1.0
    assert preference_accuracy(-person.reward(feats), feats, person, pairs) == 0.0


def test_probe_recovers_linear_features_only():
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(600, 4))
    feats = np.c_[emb @ [1.0, 2.0, 0, 0], rng.normal(size=600)]
    r2 = probe_r2(emb, feats)
    assert r2[0] > 0.99 and r2[1] < 0.05


def test_errors():
    person = SimulatedPerson("table")
    with pytest.raises(ShapeMismatch):
        preference_accuracy(np.zeros(3), np.zeros((4, 4)), person, np.array([[0, 1]]))
    with pytest.raises(ShapeMismatch):
        probe_r2(np.zeros((3, 2)), np.zeros((4, 1)))

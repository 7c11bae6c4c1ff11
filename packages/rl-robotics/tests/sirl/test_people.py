import numpy as np
import pytest

from rl_robotics.sirl.people import (
    SimulatedPerson,
    sample_preference_queries,
    sample_similarity_queries,
    similarity_triplets,
)
from rl_shared.errors import BadInput, ShapeMismatch


def _pair_distance(feats, person, i, j):
    sub = feats[..., person.index] * np.abs(person.w)
    return np.linalg.norm(sub[:, i] - sub[:, j], axis=-1)


def test_noiseless_similarity_answers_follow_cared_features():
    rng = np.random.default_rng(0)
    person = SimulatedPerson("laptop,table")
    feats = rng.normal(size=(200, 3, 4))
    odd = person.odd_one_out(feats)
    others = np.array([[1, 2], [0, 2], [0, 1]])[odd]
    rows = np.arange(len(feats))
    alike = np.linalg.norm(
        feats[rows, others[:, 0]][:, [0, 1]] - feats[rows, others[:, 1]][:, [0, 1]], axis=1
    )
    for i, j in ((0, 1), (0, 2), (1, 2)):
        assert np.all(alike <= _pair_distance(feats, person, i, j) + 1e-12)
    # features the person does not care about do not change the answers
    shuffled = feats.copy()
    shuffled[..., 2:] = rng.normal(size=(200, 3, 2))
    assert np.array_equal(person.odd_one_out(shuffled), odd)


def test_noiseless_preferences_follow_reward_and_noise_is_boltzmann():
    rng = np.random.default_rng(1)
    person = SimulatedPerson("table,coffee", beta_preference=1.0)
    a, b = rng.normal(size=(4000, 4)), rng.normal(size=(4000, 4))
    truth = person.prefers_first(a, b)
    assert np.array_equal(truth, -a[:, 0] - a[:, 3] > -b[:, 0] - b[:, 3])
    noisy = person.prefers_first(a, b, np.random.default_rng(2))
    gap = person.reward(a) - person.reward(b)
    expected = 1 / (1 + np.exp(-gap))
    assert abs(noisy.mean() - expected.mean()) < 0.03
    assert 0.6 < (noisy == truth).mean() < 0.95


def test_very_rational_person_is_noiseless():
    rng = np.random.default_rng(3)
    person = SimulatedPerson("person", beta_similarity=1e6)
    feats = rng.normal(size=(100, 3, 4))
    assert np.array_equal(person.odd_one_out(feats, rng), person.odd_one_out(feats))


def test_query_sampling_and_triplets():
    rng = np.random.default_rng(0)
    q = sample_similarity_queries(10, 50, rng)
    assert q.shape == (50, 3) and all(len(set(r)) == 3 for r in q)
    assert sample_preference_queries(5, 7, rng).shape == (7, 2)
    trip = similarity_triplets(np.array([[7, 8, 9]]), np.array([1]))
    assert trip.tolist() == [[7, 9, 8], [9, 7, 8]]


def test_errors():
    with pytest.raises(BadInput):
        SimulatedPerson("")
    with pytest.raises(BadInput):
        SimulatedPerson("table", weights=(1.0, 2.0))
    with pytest.raises(ShapeMismatch):
        SimulatedPerson("table").odd_one_out(np.zeros((4, 2, 4)))
    with pytest.raises(BadInput):
        sample_similarity_queries(2, 1, np.random.default_rng(0))

import numpy as np
import pytest
import torch

from rl_robotics.sirl.people import SimulatedPerson, sample_similarity_queries, similarity_triplets
from rl_robotics.sirl.representation import StateEncoder, TrainConfig, fit_contrastive, fit_sirl
from rl_shared.errors import BadInput, ShapeMismatch
from rl_shared.losses import triplet_loss


def test_triplet_loss_is_zero_for_a_separated_triplet_with_margin():
    anchor = torch.tensor([[0.0, 0.0]])
    positive = torch.tensor([[0.5, 0.0]])  # distance 0.5
    negative = torch.tensor([[3.0, 0.0]])  # distance 3.0 > 0.5 + margin 2
    assert float(triplet_loss(anchor, positive, negative, margin=2.0)) == 0.0
    assert float(triplet_loss(anchor, negative, positive, margin=2.0)) == pytest.approx(4.5)


def _answered(tiny, n=60):
    rng = np.random.default_rng(0)
    q = sample_similarity_queries(len(tiny), n, rng)
    return similarity_triplets(q, SimulatedPerson("table").odd_one_out(tiny.features()[q]))


def _violations(enc, states, trip):
    e = enc.embed_trajectories(states)
    d = lambda i, j: np.linalg.norm(e[trip[:, i]] - e[trip[:, j]], axis=1)  # noqa: E731
    return float((d(0, 1) >= d(0, 2)).mean())


def test_sirl_learns_the_answers_and_is_deterministic(tiny):
    trip = _answered(tiny)
    cfg = TrainConfig(steps=150, batch=64)
    before = _violations(StateEncoder(seed=0).standardize_on(tiny.states), tiny.states, trip)
    enc = fit_sirl(tiny.states, trip, config=cfg, seed=0)
    assert _violations(enc, tiny.states, trip) < min(before, 0.2)
    again = fit_sirl(tiny.states, trip, config=cfg, seed=0)
    assert np.array_equal(enc.embed_states(tiny.states), again.embed_states(tiny.states))


def test_contrastive_is_deterministic(tiny):
    cfg = TrainConfig(steps=5, batch=8)
    a = fit_contrastive(tiny.states, config=cfg, seed=3).embed_trajectories(tiny.states)
    b = fit_contrastive(tiny.states, config=cfg, seed=3).embed_trajectories(tiny.states)
    assert np.array_equal(a, b)


def test_save_load_round_trip(tiny, tmp_path):
    enc = StateEncoder(out_dim=3, seed=1).standardize_on(tiny.states)
    enc.save(tmp_path / "enc")
    back = StateEncoder.load(tmp_path / "enc")
    assert np.array_equal(enc.embed_states(tiny.states), back.embed_states(tiny.states))


def test_errors(tiny):
    with pytest.raises(ShapeMismatch):
        fit_sirl(tiny.states, np.zeros((3, 2), dtype=int))
    with pytest.raises(BadInput):
        fit_sirl(tiny.states, np.array([[0, 1, 99]]))
    with pytest.raises(BadInput):
        StateEncoder(out_dim=0)

from __future__ import annotations

import pytest
import torch

from rl_shared.errors import BadInput, ShapeMismatch
from rl_shared.runtime import seed_everything
from rl_text.core.soup import delta_fusion, merge_models, uniform_soup


def _states(seed: int, n: int = 3):
    g = torch.Generator().manual_seed(seed)
    return [
        {"w": torch.randn(4, 5, generator=g), "b": torch.randn(5, generator=g)} for _ in range(n)
    ]


def test_uniform_soup_is_the_mean():
    states = _states(0)
    soup = uniform_soup(states)
    for key in ("w", "b"):
        torch.testing.assert_close(soup[key], sum(s[key] for s in states) / 3)


def test_delta_fusion_follows_the_model_that_moved():
    base = {"w": torch.zeros(3)}
    a = {"w": torch.tensor([1.0, 0.0, 2.0])}
    b = {"w": torch.tensor([0.0, -3.0, 2.0])}
    merged = delta_fusion(base, [a, b])["w"]
    # coordinate 0 and 1: only one model moved it -> its value; coordinate 2: both agree
    torch.testing.assert_close(merged, torch.tensor([1.0, -3.0, 2.0]))
    # the soup dilutes the single-model moves by half
    torch.testing.assert_close(uniform_soup([a, b])["w"], torch.tensor([0.5, -1.5, 2.0]))


def test_delta_fusion_weights_are_proportional_to_the_deviation():
    base = {"w": torch.zeros(1)}
    a, b = {"w": torch.tensor([1.0])}, {"w": torch.tensor([3.0])}
    # w_a = 1/4, w_b = 3/4 -> 0.25 * 1 + 0.75 * 3
    torch.testing.assert_close(delta_fusion(base, [a, b])["w"], torch.tensor([2.5]))
    # power 0 is the uniform soup
    torch.testing.assert_close(delta_fusion(base, [a, b], power=0)["w"], torch.tensor([2.0]))


def test_tensor_granularity_uses_one_weight_per_tensor():
    base = {"w": torch.zeros(2)}
    a, b = {"w": torch.tensor([3.0, 4.0])}, {"w": torch.tensor([0.0, 10.0])}  # norms 5 and 10
    got = delta_fusion(base, [a, b], granularity="tensor")["w"]
    torch.testing.assert_close(got, (5 * a["w"] + 10 * b["w"]) / 15)


def test_unmoved_coordinates_stay_at_the_base():
    base = {"w": torch.ones(2)}
    assert torch.equal(delta_fusion(base, [dict(base), dict(base)])["w"], base["w"])


def test_errors():
    with pytest.raises(ShapeMismatch):
        uniform_soup([{"w": torch.zeros(2)}, {"w": torch.zeros(3)}])
    with pytest.raises(ShapeMismatch):
        uniform_soup([{"w": torch.zeros(2)}, {"v": torch.zeros(2)}])
    with pytest.raises(BadInput):
        delta_fusion({"w": torch.zeros(1)}, [{"w": torch.zeros(1)}], granularity="row")
    with pytest.raises(BadInput, match="base model"):
        merge_models([torch.nn.Linear(2, 2)], method="delta")


def test_merge_models_on_modules():
    seed_everything(0)
    a, b = torch.nn.Linear(3, 2), torch.nn.Linear(3, 2)
    merged = merge_models([a, b])
    torch.testing.assert_close(merged.weight, (a.weight + b.weight) / 2)
    assert merged is not a

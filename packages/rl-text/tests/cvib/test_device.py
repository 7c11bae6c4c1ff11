"""``device`` / ``precision`` of the CVIB loop and its evaluation."""

from __future__ import annotations

import pytest

from rl_shared.errors import BadInput
from rl_text.cvib.data import AbsaExample
from rl_text.cvib.train import AbsaTrainConfig, evaluate_absa, train_absa

DATA = [
    AbsaExample("the dog is big", "dog", 2, 4),
    AbsaExample("the car is slow", "car", 0, 4),
]


def test_bf16_on_the_cpu_trains_and_scores(tiny_model):
    config = AbsaTrainConfig(method="cvib", steps=1, batch_size=2, max_length=16)
    model = train_absa(tiny_model, DATA, config, device="cpu", precision="bf16")
    assert sorted(model.train_log[0]) == ["ce", "ce_pruned", "contrastive", "kl", "loss"]
    scores = evaluate_absa(model, DATA, pruned=True, device="cpu", precision="bf16")
    assert scores["n"] == 2
    with pytest.raises(BadInput, match="fp16"):
        evaluate_absa(model, DATA, device="cpu", precision="fp16")


def test_fp16_on_the_cpu_is_refused_before_training(tiny_model):
    with pytest.raises(BadInput, match="fp16"):
        train_absa(tiny_model, DATA, AbsaTrainConfig(steps=1), device="cpu", precision="fp16")

from __future__ import annotations

import torch

from rl_shared.runtime import seed_everything
from rl_text.pixel import (
    PixelConfig,
    PixelEncoder,
    symmetric_info_nce,
    train_pairs,
    train_unsupervised,
)
from rl_text.pixel.train import iterative_multilingual

SENTENCES = [
    "a man plays the guitar",
    "a cat sits on the bed",
    "the woman drives a red car",
    "a child kicks the ball",
    "a dog runs in the park",
    "the big cat eats",
]


def _tiny() -> PixelEncoder:
    seed_everything(0)
    return PixelEncoder(PixelConfig(max_patches=12, hidden_size=32, layers=1, heads=2))


def test_symmetric_info_nce_is_symmetric_and_low_for_aligned_pairs() -> None:
    seed_everything(0)
    a, b = torch.randn(6, 8), torch.randn(6, 8)
    assert torch.allclose(symmetric_info_nce(a, b), symmetric_info_nce(b, a))
    assert symmetric_info_nce(a, a) < symmetric_info_nce(a, b)


def test_unsupervised_training_lowers_the_loss_and_moves_weights() -> None:
    enc = _tiny()
    before = [p.detach().clone() for p in enc.parameters()]
    losses = train_unsupervised(enc, SENTENCES, steps=30, batch_size=6, lr=1e-3, seed=0)
    assert len(losses) == 30
    assert sum(losses[-5:]) / 5 < sum(losses[:5]) / 5
    assert any(not torch.equal(a, b) for a, b in zip(before, enc.parameters()))


def test_pair_training_and_iterative_schedule() -> None:
    enc = _tiny()
    pairs = list(zip(SENTENCES, [s.upper() for s in SENTENCES]))
    assert len(train_pairs(enc, pairs, steps=2, batch_size=4)) == 2
    calls = []

    def evaluate(model):
        calls.append(1)
        return {"en": 0.0}

    hist = iterative_multilingual(
        enc,
        {"en": pairs, "de": pairs[:3], "fr": pairs[3:]},
        evaluate,
        rounds=2,
        steps=1,
        batch_size=3,
    )
    assert [h["trained_on"] for h in hist] == ["en", "multi", "en", "multi"]
    assert len(calls) == 4

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from rl_shared.errors import BadInput, ModelNotFound, UnknownName
from rl_shared.runtime import seed_everything
from rl_text.pixel import Perturber, PixelConfig, PixelEncoder, TextRenderer, masked_mean
from rl_text.pixel.perturbations import (
    conditional_shuffle,
    keyboard_neighbours,
    shuffle_words,
    typo_drop,
    typo_keyboard,
    typo_swap,
)


def test_rendering_is_deterministic_and_sized() -> None:
    r = TextRenderer(height=16, max_patches=12)
    a, b = r.render("A man plays a guitar."), r.render("A man plays a guitar.")
    assert a.shape == (16, 192) and a.dtype == np.float32
    assert np.array_equal(a, b)
    assert 0.0 <= a.min() and a.max() <= 1.0 and a.sum() > 20  # ink was drawn
    assert not np.array_equal(a, r.render("A man plays a flute."))


def test_two_row_rendering_and_patch_mask() -> None:
    r = TextRenderer(height=32, max_patches=4)
    img = r.render("a long sentence that wraps into the second row")
    assert img.shape == (32, 64)
    assert img[16:].sum() > 0  # the line folded into the second patch row
    pixels, mask = r.batch(["hi", "a long sentence that wraps into the second row"])
    assert pixels.shape == (2, 1, 32, 64) and mask.shape == (2, 8)
    assert mask[0].tolist() == [1, 0, 0, 0, 0, 0, 0, 0]
    assert mask[1].sum() == 8


def test_blank_patches_are_masked_and_text_patches_hold_ink() -> None:
    r = TextRenderer(max_patches=20)
    text = "short"
    img = r.render(text)
    n = r.n_patches(text)
    assert img[:, : n * 16].sum() > 0 and img[:, n * 16 :].sum() == 0


def test_cjk_fallback_font_draws_glyphs() -> None:
    r = TextRenderer(max_patches=8)
    assert r.render("日本語").sum() > r.render("   ").sum() + 10


def test_bad_renderer_sizes() -> None:
    with pytest.raises(BadInput, match="multiple of the patch"):
        TextRenderer(height=20)


def test_shuffles_keep_the_word_multiset() -> None:
    text = "the quick brown fox jumps over the lazy dog"
    for seed in range(20):
        rng = random.Random(seed)
        assert sorted(shuffle_words(text, rng).split()) == sorted(text.split())
        out = conditional_shuffle(text, rng).split()
        assert sorted(out) == sorted(text.split()) and out[0] == "the" and out[-1] == "dog"


def test_typos_change_one_character() -> None:
    text = "guitar player"
    for seed in range(20):
        rng = random.Random(seed)
        swapped = typo_swap(text, rng)
        assert sorted(swapped) == sorted(text) and len(swapped) == len(text)
        dropped = typo_drop(text, rng)
        assert len(dropped) == len(text) - 1
        key = typo_keyboard(text, rng)
        diff = [(a, b) for a, b in zip(text, key) if a != b]
        assert len(diff) == 1 and diff[0][1] in keyboard_neighbours()[diff[0][0]]


def test_keyboard_neighbours_are_symmetric() -> None:
    near = keyboard_neighbours()
    assert "s" in near["a"] and "q" in near["a"] and "p" not in near["a"]
    assert all(a in near[b] for a in near for b in near[a])


def test_perturber_is_seeded_and_checks_names() -> None:
    a = [Perturber(("swap", "shuffle"), seed=1)(s) for s in ["a big red car", "the cat sat"]]
    b = [Perturber(("swap", "shuffle"), seed=1)(s) for s in ["a big red car", "the cat sat"]]
    assert a == b
    assert Perturber((), seed=0)("unchanged") == "unchanged"
    with pytest.raises(UnknownName):
        Perturber(("teleport",))


def test_masked_mean_ignores_masked_positions() -> None:
    h = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [100.0, 100.0]]])
    assert masked_mean(h, torch.tensor([[1.0, 1.0, 0.0]])).tolist() == [[2.0, 3.0]]


def test_encoder_shapes_padding_invariance_and_round_trip(tmp_path) -> None:
    seed_everything(0)
    config = PixelConfig(max_patches=8, hidden_size=32, layers=1, heads=2, dropout=0.0)
    enc = PixelEncoder(config).eval()
    emb = enc.encode(["A man plays.", "A cat sleeps on a bed."])
    assert emb.shape == (2, 32)
    assert torch.allclose(emb.norm(dim=-1), torch.ones(2), atol=1e-5)
    path = enc.save(tmp_path / "pixel")
    again = PixelEncoder.load(path).eval()
    assert torch.allclose(again.encode(["A man plays."]), emb[:1], atol=1e-6)
    with pytest.raises(ModelNotFound, match="not a saved model"):
        PixelEncoder.load(tmp_path)

from __future__ import annotations

import shutil

import pytest
import torch

from rl_shared.errors import BadInput
from rl_shared.sts import StsPairs
from rl_text.moe import (
    MoEFeedForward,
    MoETransformer,
    load_moe,
    positive_pairs,
    split_tag,
    tag_text,
    to_moe,
    train_moe,
)

TEXTS = ["a man plays the guitar", "a dog runs in the park", "the woman eats food"]


def _blocks(model):
    return model[0].model.encoder.layer


def _perturb(model, expert: int, seed: int = 1) -> None:
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for block in _blocks(model):
            if not isinstance(block.intermediate, MoEFeedForward):
                continue
            w = block.intermediate.experts[expert].intermediate.dense.weight
            w.add_(torch.randn(w.shape, generator=gen) * 0.5)


def test_experts_are_copies_and_reproduce_the_base_model(tiny_model) -> None:
    tiny_model.eval()
    base = tiny_model.encode(TEXTS, convert_to_tensor=True)
    original = [
        (b.intermediate.dense.weight.clone(), b.output.dense.weight.clone())
        for b in _blocks(tiny_model)
    ]
    to_moe(tiny_model, ["x", "y", "z"])
    assert isinstance(tiny_model[0], MoETransformer)
    for block, (w_in, w_out) in zip(_blocks(tiny_model), original, strict=True):
        assert isinstance(block.intermediate, MoEFeedForward)
        for expert in block.intermediate.experts:
            assert torch.equal(expert.intermediate.dense.weight, w_in)
            assert torch.equal(expert.output.dense.weight, w_out)
            # copies, not shared tensors
            assert expert.intermediate.dense.weight.data_ptr() != w_in.data_ptr()
    for domain in ("x", "y", "z"):
        tagged = tiny_model.encode([tag_text(t, domain) for t in TEXTS], convert_to_tensor=True)
        torch.testing.assert_close(tagged, base, atol=1e-6, rtol=1e-5)


def test_routing_uses_only_the_domain_expert(tiny_model) -> None:
    tiny_model.eval()
    to_moe(tiny_model, ["x", "y"])
    before_x = tiny_model.encode([tag_text(t, "x") for t in TEXTS], convert_to_tensor=True)
    _perturb(tiny_model, expert=1)
    after_x = tiny_model.encode([tag_text(t, "x") for t in TEXTS], convert_to_tensor=True)
    after_y = tiny_model.encode([tag_text(t, "y") for t in TEXTS], convert_to_tensor=True)
    torch.testing.assert_close(after_x, before_x, atol=1e-6, rtol=1e-5)
    assert (after_y - before_x).abs().max() > 1e-3
    # a mixed batch routes row by row: same rows as the one-domain batches
    mixed = tiny_model.encode(
        [tag_text(TEXTS[0], "x"), tag_text(TEXTS[1], "y"), tag_text(TEXTS[2], "x")],
        convert_to_tensor=True,
    )
    torch.testing.assert_close(mixed[0], after_x[0], atol=1e-6, rtol=1e-5)
    torch.testing.assert_close(mixed[1], after_y[1], atol=1e-6, rtol=1e-5)


def test_gradients_reach_only_the_routed_expert(tiny_model) -> None:
    to_moe(tiny_model, ["x", "y"])
    tiny_model.train()
    features = tiny_model.preprocess([tag_text(t, "y") for t in TEXTS])
    assert features["domain_ids"].tolist() == [1, 1, 1]
    tiny_model(features)["sentence_embedding"].sum().backward()
    for block in _blocks(tiny_model):
        grad_x = block.intermediate.experts[0].intermediate.dense.weight.grad
        grad_y = block.intermediate.experts[1].intermediate.dense.weight.grad
        assert grad_x is None or not grad_x.any()
        assert grad_y is not None and grad_y.abs().sum() > 0


def test_untagged_inputs_average_the_experts(tiny_model) -> None:
    to_moe(tiny_model, ["x", "y"], layers=[2])
    tiny_model.eval()
    _perturb(tiny_model, expert=1)
    block = _blocks(tiny_model)[2].intermediate
    hidden = torch.randn(2, 5, 32)
    block.state.domain_ids = torch.tensor([-1, 0])
    out = block(hidden)
    block.state.domain_ids = None
    expected = (block.experts[0](hidden[:1]) + block.experts[1](hidden[:1])) / 2
    torch.testing.assert_close(out[:1], expected)
    torch.testing.assert_close(out[1:], block.experts[0](hidden[1:]))
    # only layer 2 was converted
    assert not isinstance(_blocks(tiny_model)[0].intermediate, MoEFeedForward)


def test_save_load_round_trip(tiny_model, tmp_path) -> None:
    to_moe(tiny_model, ["x", "y"], layers=[0, 2])
    tiny_model.eval()
    _perturb(tiny_model, expert=1)
    tagged = [tag_text(t, "y") for t in TEXTS]
    expected = tiny_model.encode(tagged, convert_to_tensor=True)
    tiny_model.save(str(tmp_path / "moe"))
    assert (tmp_path / "moe" / "model.safetensors").is_file()
    loaded = load_moe(tmp_path / "moe")
    assert loaded[0].domains == ["x", "y"] and loaded[0].moe_layers == [0, 2]
    torch.testing.assert_close(loaded.encode(tagged, convert_to_tensor=True), expected)


def test_tags_and_bad_input(tiny_model) -> None:
    assert split_tag("<y> a b", ["x", "y"]) == (1, "a b")
    assert split_tag("<q> a b", ["x", "y"]) == (-1, "<q> a b")
    with pytest.raises(BadInput, match="distinct"):
        to_moe(tiny_model, ["x", "x"])
    with pytest.raises(BadInput, match="layers must lie"):
        to_moe(tiny_model, ["x"], layers=[7])
    assert type(tiny_model[0]).__name__ == "Transformer"
    with pytest.raises(BadInput, match="at least 2 positive pairs"):
        train_moe(tiny_model, {"x": [("a", "b")]}, "unused", steps=1)


def test_positive_pairs_threshold() -> None:
    pairs = StsPairs(["a", "b", "c"], ["A", "B", "C"], [4.0, 3.9, 5.0])
    assert positive_pairs(pairs) == [("a", "A"), ("c", "C")]


PAIRS = {
    "x": [
        ("a man plays the guitar", "a man plays a guitar"),
        ("a dog runs in the park", "a dog runs in a park"),
        ("the woman drives a red car", "a woman drives a car"),
        ("a child kicks the ball", "the child kicks a ball"),
    ],
    "y": [
        ("the big cat eats", "a big cat eats food"),
        ("a cat sits on the bed", "the cat sits on a bed"),
        ("a small dog sleeps", "the small dog sleeps in bed"),
        ("the man drives fast", "a man drives a fast car"),
    ],
}


def _state(path):
    return {k: v.clone() for k, v in load_moe(path).state_dict().items()}


def test_training_changes_experts_and_resume_matches(tiny_model_dir, tmp_path) -> None:
    kwargs = dict(steps=4, batch_size=2, save_steps=2, seed=3, show_progress=False)
    kwargs["learning_rate"] = 1e-3
    full = train_moe(str(tiny_model_dir), PAIRS, tmp_path / "a", **kwargs)
    (tmp_path / "b" / "checkpoints").mkdir(parents=True)
    shutil.copytree(
        tmp_path / "a" / "checkpoints" / "checkpoint-2",
        tmp_path / "b" / "checkpoints" / "checkpoint-2",
    )
    resumed = train_moe(str(tiny_model_dir), PAIRS, tmp_path / "b", resume=True, **kwargs)
    a, b = _state(full), _state(resumed)
    layer = "0.model.encoder.layer.1.intermediate.experts"
    w0 = a[f"{layer}.0.intermediate.dense.weight"]
    w1 = a[f"{layer}.1.intermediate.dense.weight"]
    assert not torch.equal(w0, w1)  # the experts drifted apart
    for key in a:
        torch.testing.assert_close(a[key], b[key], atol=1e-6, rtol=1e-5)


def test_plain_training_saves_a_standard_model(tiny_model_dir, tmp_path) -> None:
    from sentence_transformers import SentenceTransformer

    path = train_moe(
        str(tiny_model_dir),
        {"x": PAIRS["x"]},
        tmp_path / "plain",
        moe=False,
        steps=2,
        batch_size=2,
        save_steps=5,
        show_progress=False,
    )
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    assert model.encode(TEXTS).shape == (3, 32)

from __future__ import annotations

import pytest
import torch

from rl_shared.errors import BadInput, ShapeMismatch
from rl_shared.runtime import seed_everything, threads
from rl_text.lowrank_attention import (
    EncodedText,
    GRUAttentionClassifier,
    count_parameters,
    encode_absa,
    evaluate_classifier,
    minilm_embeddings,
    throughput,
    train_classifier,
)


def _toy(n: int = 96, seed: int = 0) -> EncodedText:
    """Label = which of the keyword ids 3/4/5 appears; the rest is noise ids 6..29."""
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(6, 30, (n, 10), generator=g)
    labels = torch.arange(n) % 3
    pos = torch.randint(0, 6, (n,), generator=g)
    ids[torch.arange(n), pos] = labels + 3
    lengths = torch.randint(7, 11, (n,), generator=g)
    mask = torch.arange(10)[None, :] >= lengths[:, None]
    return EncodedText(ids.masked_fill(mask, 0), mask, labels)


@pytest.mark.parametrize("attention", ["lowrank", "mha"])
def test_weights_are_distributions_over_real_tokens(attention):
    seed_everything(0)
    model = GRUAttentionClassifier(30, 8, 8, 3, attention=attention, num_heads=2).eval()
    data = _toy(8)
    logits, weights = model(data.ids, data.padding_mask)
    assert logits.shape == (8, 3) and weights.shape == data.ids.shape
    assert torch.allclose(weights.sum(-1), torch.ones(8), atol=1e-5)
    assert float(weights.detach().masked_select(data.padding_mask).abs().sum()) == 0.0


@pytest.mark.parametrize("attention", ["lowrank", "mha"])
def test_padding_does_not_change_the_prediction(attention):
    seed_everything(0)
    model = GRUAttentionClassifier(30, 8, 8, 3, attention=attention, num_heads=2).eval()
    ids = torch.tensor([[7, 8, 9]])
    short, _ = model(ids, ids == 0)
    padded = torch.tensor([[7, 8, 9, 0, 0]])
    long, _ = model(padded, padded == 0)
    assert torch.allclose(short, long, atol=1e-5)


@pytest.mark.parametrize("attention", ["lowrank", "mha"])
def test_learns_keyword_task_and_attends_to_keyword(attention):
    with threads(1):
        _learns_keyword_task(attention)


def _learns_keyword_task(attention):
    train, test = _toy(240, 0), _toy(60, 1)
    seed_everything(0)
    model = GRUAttentionClassifier(30, 16, 16, 3, attention=attention, num_heads=2, dropout=0.0)
    losses = train_classifier(model, train, epochs=12, batch_size=16, lr=1e-2)
    assert losses[-1] < 0.5 * losses[0]
    assert evaluate_classifier(model, test)["accuracy"] > 0.8
    if attention == "lowrank":
        weights = model.token_weights(test.ids, test.padding_mask)
        keyword = (test.ids >= 3) & (test.ids <= 5)
        # the keyword gets more than its uniform share of attention
        share = (weights * keyword).sum(1) / (1 / (~test.padding_mask).sum(1))
        assert float(share.mean()) > 1.5


def test_lowrank_attention_is_much_smaller_than_mha():
    low = GRUAttentionClassifier(100, 32, 64, 3, attention="lowrank", num_heads=4, rank=32)
    mha = GRUAttentionClassifier(100, 32, 64, 3, attention="mha", num_heads=4)
    assert count_parameters(low.pool) == 128 + 128 * 32 + (128 * 32 + 32) + (32 * 4 + 4)
    assert count_parameters(mha.pool) == 4 * 128 * 128 + 4 * 128
    assert count_parameters(mha.pool) > 7 * count_parameters(low.pool)


def test_pretrained_embeddings_frozen_and_checked(tiny_model):
    matrix, tokenizer = minilm_embeddings(tiny_model)
    model = GRUAttentionClassifier(matrix.shape[0], hidden=4, embeddings=matrix)
    assert not model.embedding.weight.requires_grad
    assert torch.equal(model.embedding.weight, matrix)
    with pytest.raises(ShapeMismatch):
        GRUAttentionClassifier(matrix.shape[0] + 1, embeddings=matrix)
    with pytest.raises(BadInput):
        GRUAttentionClassifier(10, attention="linear")
    from rl_text.cvib.data import AbsaExample

    enc = encode_absa(tokenizer, [AbsaExample("a dog", "dog", 2, 2)] * 3)
    assert enc.ids.shape[0] == 3 and enc.labels.tolist() == [2, 2, 2]
    assert throughput(model, enc, batch_size=2, repeats=1) > 0

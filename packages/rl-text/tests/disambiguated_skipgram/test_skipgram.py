from __future__ import annotations

import numpy as np
import pytest
import torch

from rl_shared.errors import BadInput
from rl_shared.runtime import seed_everything
from rl_text.disambiguated_skipgram import (
    DisambiguatedSkipGram,
    choose_pseudoword_pairs,
    context_windows,
    merge_pseudowords,
    pseudoword_scores,
    sense_usage,
    subsample,
    train_skipgram,
)


def test_sense_probabilities_sum_to_one_and_depend_on_context() -> None:
    seed_everything(0)
    model = DisambiguatedSkipGram(20, dim=8, senses=4)
    center = torch.tensor([3, 3])
    ctx = torch.tensor([[1, 2, 5], [7, 8, 9]])
    p = model.sense_probs(center, ctx)
    assert p.shape == (2, 4) and torch.allclose(p.sum(-1), torch.ones(2))
    assert not torch.allclose(p[0], p[1])
    # masked context slots do not count
    masked = model.sense_probs(center[:1], torch.tensor([[1, 2, 19]]), torch.tensor([[1, 1, 0]]))
    assert torch.allclose(masked, model.sense_probs(center[:1], torch.tensor([[1, 2]])))


def test_gradients_flow_to_sense_vectors_weighted_by_sense_probability() -> None:
    seed_everything(0)
    model = DisambiguatedSkipGram(10, dim=6, senses=3, entropy_weight=0.0)
    center = torch.tensor([4])
    ctx = torch.tensor([[1, 2]])
    neg = torch.tensor([[[7, 8], [8, 9]]])
    loss = model.loss(center, ctx, neg)
    loss.backward()
    g = model.sense.weight.grad
    rows = g.abs().sum(-1).nonzero().flatten().tolist()
    assert rows == [12, 13, 14]  # the three senses of word 4 and nothing else
    assert model.disamb.weight.grad[12:15].abs().sum() > 0
    assert model.out.weight.grad[[1, 2, 7, 8, 9]].abs().sum(-1).min() > 0
    # the expected loss is the p-weighted sum of per-sense losses: check against finite sums
    with torch.no_grad():
        p = model.sense_probs(center, ctx)[0]
        v = model.sense_vectors(center)[0]
        u, un = model.out(ctx)[0], model.out(neg)[0]
        per = []
        for s in range(3):
            pos = torch.nn.functional.logsigmoid(u @ v[s])
            negs = torch.nn.functional.logsigmoid(-(un @ v[s])).sum(-1)
            per.append(-(pos + negs).sum() / 2)
        assert torch.allclose(loss, (p * torch.stack(per)).sum(), atol=1e-6)


def test_training_separates_two_meanings_of_a_pseudoword() -> None:
    rng = np.random.default_rng(0)
    # word 0 is ambiguous: with context words 1-4 it means A, with 5-8 it means B
    sentences = []
    for _ in range(400):
        ctx = rng.choice([1, 2, 3, 4], 4) if rng.random() < 0.5 else rng.choice([5, 6, 7, 8], 4)
        sentences.append(np.array([ctx[0], ctx[1], 0, ctx[2], ctx[3]]))
        sentences.append(rng.permutation(ctx))
    counts = np.bincount(np.concatenate(sentences), minlength=9)
    seed_everything(0)
    model = DisambiguatedSkipGram(9, dim=10, senses=2)  # default init and λ
    losses = train_skipgram(
        model, sentences, counts, epochs=8, window=2, lr=0.05, sample=0, batch_size=256
    )
    assert losses[-1] < losses[0]
    a = model.induce(torch.tensor([0] * 4), torch.tensor([[1, 2, 3, 4]] * 4)).tolist()
    b = model.induce(torch.tensor([0] * 4), torch.tensor([[5, 6, 7, 8]] * 4)).tolist()
    assert len(set(a)) == 1 and len(set(b)) == 1 and a[0] != b[0]
    usage = sense_usage(model, sentences, window=2)
    assert usage.shape == (9, 2) and usage[0].min() > 0


def test_context_windows_and_subsampling() -> None:
    c, x, m = context_windows([np.array([5, 6, 7])], window=2)
    assert c.tolist() == [5, 6, 7]
    assert x[1].tolist() == [0, 5, 7, 0] and m[1].tolist() == [0, 1, 1, 0]
    with pytest.raises(BadInput):
        context_windows([np.array([1])], 0)
    counts = np.array([1000000, 1])
    kept = subsample([np.array([0] * 1000 + [1] * 10)], counts, np.random.default_rng(0), t=1e-4)[0]
    assert (kept == 1).sum() == 10 and (kept == 0).sum() < 100


def test_pseudowords() -> None:
    sents = [["alpha", "beta", "gamma"], ["beta", "delta"]] * 60
    pairs = choose_pseudoword_pairs(sents, 1, min_count=50, max_count=200, seed=0)
    assert len(pairs) == 1 and set(pairs[0]) <= {"alpha", "beta", "gamma", "delta"}
    merged = merge_pseudowords([["alpha", "x", "beta"]], [("alpha", "beta")])
    assert merged == [["alpha_beta", "x", "alpha_beta"]]
    assert pseudoword_scores(["a", "a", "b", "b"], [1, 1, 1, 1]) == {
        "accuracy": 0.5,
        "v_measure": 0.0,
    }
    assert pseudoword_scores(["a", "a", "b", "b"], [0, 1, 2, 2])["accuracy"] == 1.0

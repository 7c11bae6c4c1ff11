from __future__ import annotations

import numpy as np
import pytest
import torch

from rl_shared.errors import BadInput, ShapeMismatch
from rl_shared.runtime import seed_everything
from rl_text.binary_pv import (
    BinaryParagraphVector,
    Corpus,
    RealBinaryParagraphVector,
    binarize_ste,
    hamming,
    infer_codes,
    mean_average_precision,
    precision_at_k,
    random_hyperplane_codes,
    rank_by_hamming,
    rerank,
    train_pv,
)

DOCS = [
    "the cat sat on the mat",
    "a dog ran in the park",
    "the cat ate the fish",
    "a dog chased the ball",
] * 6


@pytest.mark.parametrize("bits", [8, 32])
def test_binary_codes_are_01_of_the_requested_length(bits: int) -> None:
    corpus = Corpus.build(DOCS, min_count=1)
    model = BinaryParagraphVector(len(corpus.vocab), len(corpus.docs), bits=bits)
    train_pv(model, corpus, epochs=2, batch_size=16)
    codes = model.codes()
    assert codes.shape == (len(DOCS), bits) and codes.dtype == torch.uint8
    assert set(codes.unique().tolist()) <= {0, 1}
    q, _ = infer_codes(model, corpus, ["the cat sat", "unknownword only"], epochs=2)
    assert q.shape == (2, bits) and set(q.unique().tolist()) <= {0, 1}


def test_real_binary_codes_and_training_reduces_loss() -> None:
    corpus = Corpus.build(DOCS, min_count=1)
    seed_everything(0)
    model = RealBinaryParagraphVector(len(corpus.vocab), len(corpus.docs), bits=6, dim=10)
    losses = train_pv(model, corpus, epochs=15, batch_size=16, lr=0.02)
    assert losses[-1] < losses[0]
    assert model.codes().shape == (len(DOCS), 6) and model.real().shape == (len(DOCS), 10)
    assert set(model.codes().unique().tolist()) <= {0, 1}


def test_straight_through_gradient_is_the_sigmoid_derivative() -> None:
    x = torch.tensor([-1.0, 0.3, 2.0], requires_grad=True)
    y = binarize_ste(x)
    assert y.tolist() == [0.0, 1.0, 1.0]
    y.sum().backward()
    s = torch.sigmoid(x.detach())
    assert torch.allclose(x.grad, s * (1 - s))


def test_codes_separate_topics_after_training() -> None:
    corpus = Corpus.build(DOCS, min_count=1)
    seed_everything(0)
    model = BinaryParagraphVector(len(corpus.vocab), len(corpus.docs), bits=16)
    train_pv(model, corpus, epochs=40, batch_size=16, lr=0.05, seed=0)
    codes = model.codes().numpy()
    labels = np.array([0, 1, 0, 1] * 6)
    ranking = rank_by_hamming(codes, codes)[:, 1:]  # drop the document itself (distance 0)
    assert precision_at_k(ranking, labels, labels, k=5) > 0.7


def test_hamming_and_metrics_by_hand() -> None:
    q = np.array([[1, 0, 1, 1]], dtype=np.uint8)
    db = np.array([[1, 0, 1, 1], [0, 1, 0, 0], [1, 1, 1, 1]], dtype=np.uint8)
    assert hamming(q, db).tolist() == [[0, 4, 1]]
    assert rank_by_hamming(q, db).tolist() == [[0, 2, 1]]
    with pytest.raises(ShapeMismatch):
        hamming(q, db[:, :3])
    # relevant at ranks 1 and 3 of 3 -> AP = (1/1 + 2/3) / 2
    assert mean_average_precision(
        np.array([[0, 1, 2]]), np.array([5]), np.array([5, 4, 5])
    ) == round((1 + 2 / 3) / 2, 4)
    assert precision_at_k(np.array([[0, 1, 2]]), np.array([5]), np.array([5, 4, 5]), k=2) == 0.5


def test_random_hyperplanes_and_rerank() -> None:
    rng = np.random.default_rng(0)
    v = rng.standard_normal((50, 8))
    codes, planes = random_hyperplane_codes(v, 16, seed=0)
    again, _ = random_hyperplane_codes(-v, 16, planes=planes)
    assert codes.shape == (50, 16) and np.array_equal(again, 1 - codes)  # sign flips every bit
    ranking = np.array([[2, 1, 0]])
    out = rerank(
        ranking, np.array([[1.0, 0.0]]), np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]]), top=2
    )
    assert out.tolist() == [[1, 2, 0]]


def test_bad_input() -> None:
    with pytest.raises(BadInput, match="min_count"):
        Corpus.build(["a b"], min_count=5)
    with pytest.raises(BadInput, match="binarize"):
        BinaryParagraphVector(3, 2, 4, binarize="nope")

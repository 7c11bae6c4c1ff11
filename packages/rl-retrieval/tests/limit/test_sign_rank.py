from __future__ import annotations

import itertools

import numpy as np
import pytest

from rl_retrieval.limit.sign_rank import (
    dimension_bounds,
    forster_lower_bound,
    qrel_matrix,
    realizes_top_k,
    sign_matrix,
)
from rl_shared.errors import BadInput


def _pairs(n: int) -> np.ndarray:
    combos = list(itertools.combinations(range(n), 2))
    return qrel_matrix({f"q{i}": {f"d{a}": 1, f"d{b}": 1} for i, (a, b) in enumerate(combos)})[0]


def test_hadamard_forster_is_tight():
    h = np.array([[1.0]])
    for _ in range(3):
        h = np.block([[h, h], [h, -h]])
    assert forster_lower_bound(h) == pytest.approx(np.sqrt(8))


def test_bounds_contain_free_embedding_answer():
    for n, d in [(3, 2), (4, 3)]:  # critical n of d = 2, 3
        lo, hi = dimension_bounds(_pairs(n))
        assert lo <= d <= hi


def test_realizes_identity():
    a = np.eye(3, dtype=int)
    assert realizes_top_k(np.eye(3), np.eye(3), a).all()
    assert not realizes_top_k(np.eye(3), np.eye(3)[::-1], a).all()
    with pytest.raises(BadInput):
        sign_matrix(np.array([[2]]))

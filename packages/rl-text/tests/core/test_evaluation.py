from __future__ import annotations

import pytest
import torch
from scipy.stats import spearmanr

from rl_shared.errors import BadInput
from rl_shared.sts import StsPairs
from rl_text.core.evaluation import evaluate_sts, evaluate_sts_grid


def _pairs(rows) -> StsPairs:
    return StsPairs([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])


def test_full_model_matches_encode(tiny_model, sts_rows) -> None:
    pairs = _pairs(sts_rows)
    a = tiny_model.encode(pairs.sentences1, convert_to_tensor=True)
    b = tiny_model.encode(pairs.sentences2, convert_to_tensor=True)
    cos = torch.nn.functional.cosine_similarity(a.double(), b.double(), dim=-1)
    expected = spearmanr(cos.numpy(), pairs.scores).statistic
    got = evaluate_sts(tiny_model, pairs)
    assert got["spearman"] == pytest.approx(expected, abs=1e-6)
    assert (got["layer"], got["dim"], got["pairs"]) == (3, 32, 6)


def test_grid_agrees_with_single_cells(tiny_model, sts_rows) -> None:
    pairs = _pairs(sts_rows)
    grid = evaluate_sts_grid(tiny_model, pairs, layers=[1, 3], dims=[32, 8])
    assert set(grid) == {(1, 32), (1, 8), (3, 32), (3, 8)}
    one = evaluate_sts(tiny_model, pairs, layer=1, dim=8)
    assert one["pearson"] == pytest.approx(grid[(1, 8)]["pearson"], abs=1e-9)
    with pytest.raises(BadInput, match="dim"):
        evaluate_sts(tiny_model, pairs, dim=64)

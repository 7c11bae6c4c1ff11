from __future__ import annotations

import pytest

from rl_retrieval.core.fusion import reciprocal_rank_fusion
from rl_shared.errors import BadInput


def test_rrf_scores():
    a = {"q": {"x": 9.0, "y": 5.0}}
    b = {"q": {"y": 0.9, "z": 0.1}}
    fused = reciprocal_rank_fusion([a, b], k=60)
    assert fused["q"]["y"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["q"]["x"] == pytest.approx(1 / 61)
    assert list(fused["q"]) == ["y", "x", "z"]


def test_weights_and_top():
    a = {"q": {"x": 1.0, "y": 0.5}}
    fused = reciprocal_rank_fusion([a, a], weights=[1.0, 0.0], top=1)
    assert fused == {"q": {"x": pytest.approx(1 / 61)}}
    with pytest.raises(BadInput):
        reciprocal_rank_fusion([a], weights=[1.0, 2.0])

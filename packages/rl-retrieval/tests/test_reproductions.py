from __future__ import annotations

import pytest

from rl_retrieval.datasets import DATASETS
from rl_retrieval.reproductions import limit_critical_n
from rl_shared.reproduce import RunContext, list_reproductions

NAMES = {"retrieval.limit-critical-n", "retrieval.limit-small", "retrieval.cranfield"}


def test_registered():
    found = list_reproductions()
    assert NAMES <= set(found)
    assert found["retrieval.limit-small"].datasets == ("limit-small",)


def test_critical_n_reproduction_writes_png(tmp_path, monkeypatch):
    real = limit_critical_n.critical_n_curve
    monkeypatch.setattr(
        limit_critical_n, "critical_n_curve", lambda dims, k, **kw: real([2, 3, 4, 5], k, **kw)
    )
    result = limit_critical_n.run(RunContext(tmp_path, quick=True, seed=0))
    assert result.metrics["n@d=2"] == 3 and result.metrics["n@d=3"] == 4
    assert (tmp_path / "critical_n.png").stat().st_size > 1000
    assert "extrapolated_n@d=4096" in result.metrics


@pytest.mark.slow
@pytest.mark.skipif(
    not next(d for d in DATASETS if d.name == "limit-small").is_present(), reason="no limit-small"
)
def test_limit_small_reproduction(tmp_path):
    from rl_retrieval.reproductions import limit_small

    result = limit_small.run(RunContext(tmp_path, quick=True, seed=0))
    assert result.metrics["bm25.recall@2"] > 90 > result.metrics["minilm.recall@2"]

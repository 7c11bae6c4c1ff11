from __future__ import annotations

import pytest

from rl_retrieval.core.datasets import DATASETS
from rl_retrieval.limit import reproduction
from rl_shared.reproduce import RunContext, list_reproductions

NAMES = {"retrieval.limit.critical-n", "retrieval.limit.small"}
HAVE_SMALL = next(d for d in DATASETS if d.name == "limit-small").is_present()


def test_registered_in_the_paper_folder():
    found = list_reproductions()
    assert NAMES <= set(found)
    assert found["retrieval.limit.small"].datasets == ("limit-small",)
    assert {found[n].folder for n in NAMES} == {"rl_retrieval.limit"}


def test_critical_n_smoke_writes_png(tmp_path):
    result = reproduction.run_critical_n(RunContext(tmp_path, "smoke", 0))
    assert [result.metrics[f"n@d={d}"] for d in (2, 3)] == [3, 4]
    assert (tmp_path / "critical_n.png").stat().st_size > 1000
    assert "extrapolated_n@d=4096" in result.metrics


def test_critical_n_sizes(monkeypatch, tmp_path):
    seen = []
    real = reproduction.critical_n_curve

    def fake(dims, k, **kw):
        seen.append(list(dims))
        return real([2, 3, 4, 5], k, **kw)

    monkeypatch.setattr(reproduction, "critical_n_curve", fake)
    for size in ("quick", "full"):
        reproduction.run_critical_n(RunContext(tmp_path, size, 0))
    assert seen == [list(range(4, 11)), list(range(2, 17))]


@pytest.mark.skipif(not HAVE_SMALL, reason="no limit-small")
def test_limit_small_smoke(tmp_path):
    result = reproduction.run_small(RunContext(tmp_path, "smoke", 0))
    assert result.metrics["bm25.recall@2"] > 90 > result.metrics["minilm.recall@2"]
    assert "100 queries" in result.details
    assert (tmp_path / "limit_small_recall.png").stat().st_size > 1000

from __future__ import annotations

import pytest

from rl_retrieval.beir import reproduction
from rl_retrieval.core.datasets import DATASETS
from rl_shared.reproduce import RunContext, list_reproductions

HAVE_CRANFIELD = next(d for d in DATASETS if d.name == "cranfield").is_present()


def test_registered_in_the_paper_folder():
    found = list_reproductions()["retrieval.beir.cranfield"]
    assert found.datasets == ("cranfield",) and found.folder == "rl_retrieval.beir"


def test_subsample_keeps_judged_documents(tiny):
    small = reproduction.subsample(tiny, queries=1, docs=1)
    assert list(small.queries) == ["q1"] and set(small.corpus) == {"d1", "d4"}
    assert small.qrels == {"q1": tiny.qrels["q1"]}


@pytest.mark.skipif(not HAVE_CRANFIELD, reason="cranfield not in the data folder")
def test_cranfield_smoke(tmp_path):
    result = reproduction.run_cranfield(RunContext(tmp_path, "smoke", 0))
    assert 0.0 < result.metrics["bm25.nDCG@10"] <= 1.0
    assert set(result.metrics) >= {"minilm.nDCG@10", "rrf.MAP@100"}
    assert "10 queries" in result.details
    assert (tmp_path / "cranfield.png").stat().st_size > 1000

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


def test_beir_reproduction_subsamples_a_present_set_and_anchors_whole_sets(
    tmp_path, monkeypatch, tiny
):
    from rl_retrieval.beir.leaderboard import reference
    from rl_retrieval.core.beir_format import write_beir

    write_beir(tiny, tmp_path / "data" / "retrieval" / "beir" / "scifact")
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    smoke = reproduction.run_beir(RunContext(tmp_path / "s", "smoke", 0))
    assert {k.split(".")[0] for k in smoke.metrics} == {"beir-scifact"}
    assert smoke.anchors == [] and "beir-nfcorpus" in smoke.details  # named as missing
    full = reproduction.run_beir(RunContext(tmp_path / "f", "full", 0))
    assert full.metrics["beir-scifact.bm25.nDCG@10"] == smoke.metrics["beir-scifact.bm25.nDCG@10"]
    anchored = {a.metric: a.value for a in full.anchors}
    assert anchored["beir-scifact.bm25.nDCG@10"] == reference("bm25", "beir-scifact")["nDCG@10"]
    assert "beir-scifact.dense.nDCG@10" not in anchored  # Pyserini has no MiniLM row

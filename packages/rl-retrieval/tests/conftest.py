"""Shared fixtures: a tiny BEIR collection made in the test and an isolated cache folder."""

from __future__ import annotations

import pytest

from rl_retrieval.core.beir_format import BeirData


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def tiny() -> BeirData:
    corpus = {
        "d1": {"title": "Wings", "text": "lift of a wing in a propeller slipstream"},
        "d2": {"title": "Heat", "text": "heat transfer in hypersonic boundary layers"},
        "d3": {"title": "Shells", "text": "buckling of thin cylindrical shells under pressure"},
        "d4": {"title": "", "text": "the slipstream increases the lift of the wing"},
    }
    queries = {"q1": "wing lift in a slipstream", "q2": "hypersonic heat transfer"}
    qrels = {"q1": {"d1": 2, "d4": 1}, "q2": {"d2": 1}}
    return BeirData(corpus, queries, qrels)

from __future__ import annotations

import pytest

from rl_retrieval.core.bm25 import BM25Retriever
from rl_retrieval.core.metrics import evaluate
from rl_shared.errors import BadInput


def test_ranks_relevant_first(tiny):
    run = BM25Retriever().fit(tiny.corpus).search(tiny.queries, k=10)
    assert next(iter(run["q2"])) == "d2"
    assert set(list(run["q1"])[:2]) == {"d1", "d4"}
    assert evaluate(tiny.qrels, run, ["R@10"])["R@10"] == 1.0


def test_zero_scores_dropped_and_k_capped(tiny):
    run = BM25Retriever().fit(tiny.corpus).search({"q": "zebra unicorn"}, k=50)
    assert run == {"q": {}}


def test_parameters_change_scores(tiny):
    a = BM25Retriever(k1=0.9, b=0.4).fit(tiny.corpus).search(tiny.queries, 3)
    b = BM25Retriever(k1=2.0, b=1.0).fit(tiny.corpus).search(tiny.queries, 3)
    assert a["q1"] != b["q1"]


def test_errors(tiny):
    with pytest.raises(BadInput):
        BM25Retriever(b=2.0)
    with pytest.raises(BadInput):
        BM25Retriever().search({"q": "x"})

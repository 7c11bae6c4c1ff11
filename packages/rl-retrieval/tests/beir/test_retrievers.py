from __future__ import annotations

import pytest

from rl_retrieval.beir.retrievers import RETRIEVERS, retrieve
from rl_retrieval.core.bm25 import BM25Retriever
from rl_retrieval.core.metrics import evaluate
from rl_shared.errors import UnknownName


def test_bm25_is_the_core_retriever(tiny):
    run = retrieve(tiny.corpus, tiny.queries, "bm25", k=3)
    assert run == BM25Retriever().fit(tiny.corpus).search(tiny.queries, 3)


def test_hybrid_fuses_and_keeps_k(tiny):
    run = retrieve(tiny.corpus, tiny.queries, "hybrid", k=2)
    assert all(len(docs) <= 2 for docs in run.values())
    assert evaluate(tiny.qrels, run, ["R@10"])["R@10"] > 0.5


def test_unknown_retriever(tiny):
    assert RETRIEVERS == ("bm25", "dense", "hybrid")
    with pytest.raises(UnknownName, match="splade"):
        retrieve(tiny.corpus, tiny.queries, "splade")

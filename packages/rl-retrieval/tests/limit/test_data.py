from __future__ import annotations

import itertools

import pytest

from rl_retrieval.core.beir_format import load_beir
from rl_retrieval.core.bm25 import BM25Retriever
from rl_retrieval.core.metrics import evaluate
from rl_retrieval.limit.data import core_size, generate_limit, write_limit
from rl_shared.errors import BadInput


def _likes(text: str) -> set[str]:
    body = text.split(" likes ", 1)[1].removesuffix(".")
    head, _, last = body.rpartition(" and ")
    return {*head.split(", "), last} if head else {last}


def test_structure_and_dense_pattern(tmp_path):
    data = generate_limit(docs=200, queries=45, seed=1)
    assert len(data.corpus) == 200 and len(data.queries) == 45
    assert core_size(45) == 10 and core_size(1000) == 46
    relevant = {d for rel in data.qrels.values() for d in rel}
    assert len(relevant) == 10
    pairs = {tuple(sorted(rel)) for rel in data.qrels.values()}
    assert pairs == {tuple(sorted(p)) for p in itertools.combinations(relevant, 2)}
    for qid, rel in data.qrels.items():
        attr = data.queries[qid].removeprefix("Who likes ").removesuffix("?")
        likers = {d for d, doc in data.corpus.items() if attr in _likes(doc["text"])}
        assert likers == set(rel)
    write_limit(data, tmp_path / "limit")
    assert load_beir(tmp_path / "limit").qrels == data.qrels


def test_deterministic_and_bm25_solves_it():
    a, b = generate_limit(docs=80, queries=30, seed=3), generate_limit(docs=80, queries=30, seed=3)
    assert a.corpus == b.corpus
    run = BM25Retriever().fit(a.corpus).search(a.queries, 10)
    assert evaluate(a.qrels, run, ["R@2"])["R@2"] == 1.0


def test_too_few_docs():
    with pytest.raises(BadInput):
        generate_limit(docs=5, queries=100)

from __future__ import annotations

import math

import numpy as np
import pytest

from rl_retrieval.core.analysis import LuceneEnglishAnalyzer
from rl_retrieval.core.bm25 import BM25Retriever, MultifieldBM25Retriever, lucene_length
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


def _lucene_bm25(
    docs: list[list[str]], query: list[str], k1: float, b: float, stored=len
) -> np.ndarray:
    """Lucene's BM25 written out: idf ln(1 + (N - df + .5) / (df + .5)), tf / (tf + k1 * norm).

    ``stored``: the document length the norm uses (Lucene: its byte-encoded length).
    """
    n = len(docs)
    avgdl = sum(map(len, docs)) / n
    out = np.zeros(n)
    for term in set(query) & {t for d in docs for t in d}:
        df = sum(term in d for d in docs)
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        for i, d in enumerate(docs):
            tf = d.count(term)
            out[i] += query.count(term) * idf * tf / (tf + k1 * (1 - b + b * stored(d) / avgdl))
    return out


def test_flat_scores_equal_lucene_bm25_on_the_analyzed_terms(tiny):
    analyze = LuceneEnglishAnalyzer()
    ids = list(tiny.corpus)
    docs = [analyze(f"{d['title']} {d['text']}") for d in tiny.corpus.values()]
    run = BM25Retriever(k1=0.9, b=0.4).fit(tiny.corpus).search(tiny.queries, k=10)
    for qid, text in tiny.queries.items():
        expected = _lucene_bm25(docs, analyze(text), 0.9, 0.4)
        got = np.array([run[qid].get(d, 0.0) for d in ids])
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_multifield_is_the_weighted_sum_of_per_field_bm25(tiny):
    analyze = LuceneEnglishAnalyzer()
    ids = list(tiny.corpus)
    weights = {"title": 0.5, "text": 1.0}
    retriever = MultifieldBM25Retriever(weights, k1=1.2, b=0.75).fit(tiny.corpus)
    for text in [*tiny.queries.values(), "wings heat"]:
        expected = sum(
            w
            * _lucene_bm25([analyze(d[f]) for d in tiny.corpus.values()], analyze(text), 1.2, 0.75)
            for f, w in weights.items()
        )
        np.testing.assert_allclose(retriever.scores(text), expected, rtol=1e-5, atol=1e-6)
        run = retriever.search({"q": text}, k=2)["q"]
        best = np.argsort(-expected, kind="stable")[:2]
        assert list(run) == [ids[i] for i in best if expected[i] > 0]  # zero scores left out


def test_multifield_differs_from_flat_and_zero_weight_drops_a_field(tiny):
    query = {"q": "wings"}  # only d1's title says "wings"
    flat = BM25Retriever().fit(tiny.corpus).search(query)
    text_only = MultifieldBM25Retriever({"title": 0.0, "text": 1.0}).fit(tiny.corpus).search(query)
    assert "d1" in flat["q"] and "d1" in text_only["q"]  # its text says "wing": same stem
    titles = MultifieldBM25Retriever({"title": 1.0}).fit(tiny.corpus).search(query)
    assert list(titles["q"]) == ["d1"]
    with pytest.raises(BadInput, match="field weights"):
        MultifieldBM25Retriever({"title": -1.0})


def test_bm25s_analyzer_keeps_the_old_tokenizer_and_unknown_names_are_refused(tiny):
    run = BM25Retriever(analyzer="bm25s").fit(tiny.corpus).search(tiny.queries, k=10)
    assert next(iter(run["q2"])) == "d2"
    with pytest.raises(BadInput, match="analyzer must be one of lucene, bm25s"):
        BM25Retriever(analyzer="klingon")


def test_long_documents_are_normalised_by_lucenes_byte_encoded_length():
    words = "wing lift heat flux shell drag".split()
    rng = np.random.default_rng(0)
    corpus = {
        f"d{i}": {"title": "", "text": " ".join(rng.choice(words, size=n))}
        for i, n in enumerate([3, 30, 57, 150, 400])  # 150 is stored as 144, 400 as 368
    }
    analyze = LuceneEnglishAnalyzer()
    docs = [analyze(d["text"]) for d in corpus.values()]
    assert [lucene_length(len(d)) for d in docs] == [3, 30, 56, 144, 376]
    query = {"q": "wing heat"}
    for norms, stored in (("lucene", lambda d: lucene_length(len(d))), ("exact", len)):
        run = BM25Retriever(norms=norms).fit(corpus).search(query, k=10)["q"]
        expected = _lucene_bm25(docs, analyze(query["q"]), 0.9, 0.4, stored)
        got = np.array([run.get(d, 0.0) for d in corpus])
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(BadInput, match="norms must be lucene or exact"):
        BM25Retriever(norms="approx")

"""The reference retrievers: one API, values against the host libraries' own scoring."""

from __future__ import annotations

import numpy as np
import pytest

from rl_retrieval.beir.retrievers import DEFAULT_MODELS, RETRIEVERS, make_retriever, retrieve
from rl_retrieval.core.bm25 import BM25Retriever
from rl_retrieval.core.fusion import reciprocal_rank_fusion
from rl_retrieval.core.metrics import evaluate
from rl_shared.errors import BadInput, UnknownName


def _texts(corpus):
    return [f"{d['title']} {d['text']}".strip() for d in corpus.values()]


def test_bm25_is_the_core_retriever(tiny):
    run = retrieve(tiny.corpus, tiny.queries, "bm25", k=3)
    assert run == BM25Retriever().fit(tiny.corpus).search(tiny.queries, 3)


def test_hybrid_is_rrf_of_bm25_and_dense_and_keeps_k(tiny):
    run = retrieve(tiny.corpus, tiny.queries, "hybrid", k=2)
    bm25 = retrieve(tiny.corpus, tiny.queries, "bm25", k=1000)
    dense = retrieve(tiny.corpus, tiny.queries, "dense", k=1000)
    assert run == reciprocal_rank_fusion([bm25, dense], k=60, top=2)
    assert evaluate(tiny.qrels, run, ["R@10"])["R@10"] > 0.5


def test_every_retriever_has_fit_and_search_and_unknown_names_are_listed(tiny):
    assert set(RETRIEVERS) == {
        "bm25", "bm25-multifield", "splade", "contriever", "dense", "rerank", "hybrid",
    }  # fmt: skip
    for name in RETRIEVERS:
        system = make_retriever(name)
        assert callable(system.fit) and callable(system.search), name
    with pytest.raises(UnknownName, match="bm25-multifield"):
        retrieve(tiny.corpus, tiny.queries, "colbert")


def test_splade_scores_equal_the_sparse_encoders_own_dot_product(tiny, tiny_splade):
    from sentence_transformers import SparseEncoder

    model = SparseEncoder(str(tiny_splade), device="cpu", local_files_only=True)
    system = make_retriever("splade", model=model).fit(tiny.corpus)
    run = system.search(tiny.queries, k=10)
    docs = model.encode_document(_texts(tiny.corpus))
    queries = model.encode_query(list(tiny.queries.values()))
    expected = model.similarity(queries, docs).numpy()  # SparseEncoder's dot product
    ids = list(tiny.corpus)
    for row, qid in enumerate(tiny.queries):
        got = np.array([run[qid].get(d, 0.0) for d in ids])
        np.testing.assert_allclose(got, expected[row], rtol=1e-5, atol=1e-6)
        assert list(run[qid]) == [ids[i] for i in np.argsort(-expected[row], kind="stable")]
    p = system._postings
    assert p.shape == (model.get_embedding_dimension(), len(ids))  # terms x documents
    assert system.index_bytes == p.data.nbytes + p.indices.nbytes + p.indptr.nbytes


def test_contriever_is_mean_pooling_and_a_raw_dot_product(tiny, tiny_bare_bert):
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(tiny_bare_bert), device="cpu", local_files_only=True)
    assert model[1].get_config_dict()["pooling_mode"] == "mean"
    run = make_retriever("contriever", model=model).fit(tiny.corpus).search(tiny.queries, 10)
    docs = model.encode(_texts(tiny.corpus), normalize_embeddings=False)
    queries = model.encode(list(tiny.queries.values()), normalize_embeddings=False)
    expected = queries @ docs.T  # not cosine: the norms count
    for row, qid in enumerate(tiny.queries):
        got = np.array([run[qid][d] for d in tiny.corpus])
        np.testing.assert_allclose(got, expected[row], rtol=1e-4, atol=1e-5)


def test_rerank_orders_bm25s_top_depth_by_the_cross_encoders_scores(tiny, tiny_cross_encoder):
    from sentence_transformers import CrossEncoder

    model = CrossEncoder(str(tiny_cross_encoder), device="cpu", local_files_only=True)
    first = BM25Retriever().fit(tiny.corpus).search(tiny.queries, 2)
    run = make_retriever("rerank", model=model, depth=2).fit(tiny.corpus).search(tiny.queries)
    texts = dict(zip(tiny.corpus, _texts(tiny.corpus), strict=True))
    for qid, docs in first.items():
        assert set(run[qid]) == set(docs)  # only the first stage's top 2, re-ordered
        scores = model.predict([(tiny.queries[qid], texts[d]) for d in docs])
        expected = dict(zip(docs, map(float, scores), strict=True))
        assert run[qid] == pytest.approx(expected, rel=1e-5)
        assert list(run[qid]) == sorted(expected, key=lambda d: -expected[d])


def test_models_load_by_folder_and_defaults_are_the_brewing_beir_ones(tiny, tiny_splade):
    run = make_retriever("splade", model=str(tiny_splade), device="cpu").fit(tiny.corpus)
    assert set(run.search(tiny.queries, 3)) == set(tiny.queries)
    assert DEFAULT_MODELS["splade"] == "splade" and DEFAULT_MODELS["contriever"] == "contriever"


def test_search_before_fit_and_bad_k_are_refused(tiny, tiny_splade):
    for name in ("bm25", "bm25-multifield", "splade", "dense", "rerank"):
        model = str(tiny_splade) if name == "splade" else None
        with pytest.raises(BadInput, match="fit"):
            make_retriever(name, model=model).search(tiny.queries)
    with pytest.raises(BadInput, match="k must be at least 1"):
        make_retriever("bm25-multifield").fit(tiny.corpus).search(tiny.queries, 0)

from __future__ import annotations

import numpy as np
import pytest

from rl_retrieval.core.dense import DenseRetriever, exact_topk, faiss_topk, topk_to_run
from rl_shared.embeddings import cache_path as embedding_cache_path
from rl_shared.errors import BadInput, ShapeMismatch


def test_exact_topk_matches_full_sort_and_faiss():
    rng = np.random.default_rng(0)
    docs = rng.standard_normal((1000, 16)).astype(np.float32)
    queries = rng.standard_normal((37, 16)).astype(np.float32)
    scores, idx = exact_topk(queries, docs, 10, doc_chunk=128, query_chunk=8)
    full = queries @ docs.T
    expected = np.argsort(-full, axis=1)[:, :10]
    np.testing.assert_array_equal(idx, expected)
    np.testing.assert_allclose(scores, np.take_along_axis(full, expected, 1), rtol=1e-5)
    f_scores, f_idx = faiss_topk(queries, docs, 10, add_chunk=300)
    np.testing.assert_array_equal(f_idx, expected)
    np.testing.assert_allclose(f_scores, scores, rtol=1e-4, atol=1e-5)


def test_k_larger_than_corpus_and_shapes():
    docs = np.eye(3, dtype=np.float32)
    _scores, idx = exact_topk(docs, docs, 10)
    assert idx.shape == (3, 3) and idx[:, 0].tolist() == [0, 1, 2]
    with pytest.raises(ShapeMismatch):
        exact_topk(np.ones((2, 4), np.float32), docs, 1)
    assert topk_to_run(["q"], ["a", "b"], np.array([[2.0, 1.0]]), np.array([[1, 0]])) == {
        "q": {"b": 2.0, "a": 1.0}
    }


class _Counting:
    """A stand-in encoder: bag of letters, counts calls."""

    calls = 0

    def encode(self, texts, **kwargs):
        type(self).calls += 1
        out = np.zeros((len(texts), 26), np.float32)
        for i, t in enumerate(texts):
            for ch in t.lower():
                if "a" <= ch <= "z":
                    out[i, ord(ch) - 97] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def test_cache_is_reused_and_keyed_by_content(tiny):
    retriever = DenseRetriever(_Counting(), model_name="letters")
    _, first = retriever.encode_corpus(tiny.corpus)
    calls = _Counting.calls
    _, again = retriever.encode_corpus(tiny.corpus)
    assert _Counting.calls == calls and np.array_equal(first, again)
    _, texts = retriever.doc_texts(tiny.corpus)
    path = retriever.cache_path(texts)
    # the shared cache of rl_shared.embeddings, under the same content hash
    assert path == embedding_cache_path(
        _Counting(), texts, model_id="letters", normalize=True, prompt=None
    )
    assert path.is_file() and not list(path.parent.glob("*.tmp"))
    changed = dict(tiny.corpus, d1={"title": "x", "text": "y"})
    retriever.encode_corpus(changed)
    assert _Counting.calls == calls + 1
    # another prompt is another entry
    DenseRetriever(_Counting(), model_name="letters", doc_prompt="passage: ").encode_corpus(
        tiny.corpus
    )
    assert _Counting.calls == calls + 2


def test_object_model_without_name_or_parameters_is_not_cached(tiny):
    assert DenseRetriever(_Counting()).cache is False
    assert DenseRetriever(_Counting(), model_name="letters").cache is True


def test_bad_batch_size():
    with pytest.raises(BadInput, match="batch_size"):
        DenseRetriever(_Counting(), batch_size=0)


def test_minilm_search(tiny):
    run = DenseRetriever("minilm").fit(tiny.corpus).search(tiny.queries, k=2)
    assert next(iter(run["q2"])) == "d2"
    assert set(run["q1"]) == {"d1", "d4"}

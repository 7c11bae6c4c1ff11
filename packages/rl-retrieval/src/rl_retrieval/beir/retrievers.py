"""The reference retrievers of the Brewing-BEIR protocol, by name, behind one API.

Every name builds an object with ``fit(corpus)`` and ``search(queries, k)`` returning a
BEIR run ``{qid: {doc_id: score}}``:

=================== ==========================================================================
``bm25``            Pyserini's flat BM25: title and text one field, Lucene English analysis,
                    k1 = 0.9, b = 0.4 (:class:`~rl_retrieval.core.bm25.BM25Retriever`)
``bm25-multifield`` Pyserini's multifield BM25: title and text scored separately, weight 1.0
                    each (:class:`~rl_retrieval.core.bm25.MultifieldBM25Retriever`)
``splade``          SPLADE through sentence-transformers' ``SparseEncoder`` and an inverted
                    index (:class:`~rl_retrieval.core.sparse.SpladeRetriever`); model
                    ``splade`` (naver/splade-cocondenser-ensembledistil) by default
``contriever``      Contriever: mean pooling, raw dot product (no normalisation); model
                    ``contriever`` (facebook/contriever-msmarco) by default
``dense``           any sentence-transformers bi-encoder, cosine (``minilm`` by default)
``rerank``          flat BM25's top 100 re-ranked by a cross-encoder (``minilm-reranker``)
``hybrid``          reciprocal-rank fusion (k = 60) of flat BM25 and ``dense``
=================== ==========================================================================

Exact search throughout: the dense retrievers take faiss' flat inner-product index above
two million documents (:class:`~rl_retrieval.core.dense.DenseRetriever`).

References:
    Kamalloo et al., "Resources for Brewing BEIR: Reproducible Reference Models and an
    Official Leaderboard", arXiv:2306.07471; Izacard et al., "Unsupervised Dense
    Information Retrieval with Contrastive Learning", arXiv:2112.09118 (Contriever).

Example:
    >>> corpus = {"d1": {"title": "", "text": "wing lift"}, "d2": {"title": "", "text": "heat"}}
    >>> list(retrieve(corpus, {"q": "lift"}, "bm25", k=10)["q"])
    ['d1']
    >>> list(RETRIEVERS) == list(DEFAULT_MODELS)
    True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rl_retrieval.core.rerank import Retriever
from rl_shared.errors import UnknownName

__all__ = ["DEFAULT_MODELS", "RETRIEVERS", "make_retriever", "retrieve"]

#: the names :func:`make_retriever` accepts and the model each uses by default
DEFAULT_MODELS: dict[str, str | None] = {
    "bm25": None,
    "bm25-multifield": None,
    "splade": "splade",
    "contriever": "contriever",
    "dense": "minilm",
    "rerank": "minilm-reranker",
    "hybrid": "minilm",
}
RETRIEVERS: tuple[str, ...] = tuple(DEFAULT_MODELS)


def make_retriever(
    name: str = "bm25",
    *,
    model: Any = None,
    k1: float = 0.9,
    b: float = 0.4,
    fields: Mapping[str, float] | None = None,
    depth: int = 100,
    device: str | None = None,
    precision: str = "fp32",
    show_progress: bool = False,
) -> Retriever:
    """Build the retriever called ``name`` (see the module's table).

    Args:
        name: one of :data:`RETRIEVERS`.
        model: the model of a neural retriever (short name, folder, hub id or loaded model;
            ``None``: its default in :data:`DEFAULT_MODELS`). BM25 ignores it.
        k1: BM25 term-frequency saturation (BM25, multifield, re-ranking's and hybrid's BM25).
        b: BM25 length normalisation.
        fields: multifield weights (default title 1.0, text 1.0).
        depth: first-stage documents the cross-encoder re-ranks.
        device: where a neural model runs (``None``: ``auto``).
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the encoding or scoring.
        show_progress: sentence-transformers' progress bars on stderr.

    Raises:
        UnknownName: ``name`` is not one of :data:`RETRIEVERS`.
        BadInput: a parameter out of range.

    Example:
        >>> corpus = {"d1": {"title": "lift", "text": "wings"}, "d2": {"title": "", "text": "heat"}}
        >>> make_retriever("bm25-multifield").fit(corpus).search({"q": "lift"})["q"].keys()
        dict_keys(['d1'])
    """
    from rl_retrieval.core.bm25 import BM25Retriever, MultifieldBM25Retriever
    from rl_retrieval.core.dense import DenseRetriever
    from rl_retrieval.core.rerank import CrossEncoderReranker, FusionRetriever
    from rl_retrieval.core.sparse import SpladeRetriever

    if name not in DEFAULT_MODELS:
        raise UnknownName("retriever", name, list(RETRIEVERS))
    chosen = model if model is not None else DEFAULT_MODELS[name]
    neural: dict[str, Any] = {
        "device": device,
        "precision": precision,
        "show_progress": show_progress,
    }
    if name == "bm25":
        return BM25Retriever(k1=k1, b=b)
    if name == "bm25-multifield":
        return MultifieldBM25Retriever(fields, k1=k1, b=b)
    if name == "splade":
        return SpladeRetriever(chosen, **neural)
    if name == "contriever":
        return DenseRetriever(chosen, normalize=False, **neural)
    if name == "dense":
        return DenseRetriever(chosen, **neural)
    if name == "rerank":
        return CrossEncoderReranker(BM25Retriever(k1=k1, b=b), chosen, depth=depth, **neural)
    return FusionRetriever([BM25Retriever(k1=k1, b=b), DenseRetriever(chosen, **neural)])


def retrieve(
    corpus: Mapping[str, Mapping[str, str]],
    queries: Mapping[str, str],
    retriever: str = "bm25",
    *,
    k: int = 1000,
    model: Any = None,
    k1: float = 0.9,
    b: float = 0.4,
    device: str | None = None,
    precision: str = "fp32",
    show_progress: bool = False,
) -> dict[str, dict[str, float]]:
    """Run one reference retriever over a BEIR corpus: ``make_retriever(...).fit(corpus).search(queries, k)``.

    Args:
        corpus: ``{doc_id: {"title": ..., "text": ...}}``.
        queries: ``{query_id: text}``.
        retriever: one of :data:`RETRIEVERS`.
        k: documents kept per query.
        model: as :func:`make_retriever`.
        k1: BM25 term-frequency saturation.
        b: BM25 length normalisation.
        device: where a neural model runs (``None``: ``auto``, CUDA when present).
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the encoding.
        show_progress: sentence-transformers' encoding progress bar on stderr.

    Raises:
        UnknownName: ``retriever`` is not one of :data:`RETRIEVERS`.

    Example:
        >>> corpus = {"d1": {"title": "", "text": "wing lift"}, "d2": {"title": "", "text": "heat"}}
        >>> retrieve(corpus, {"q": "wing heat"}, "bm25", k=10, k1=1.2, b=0.75)["q"].keys()
        dict_keys(['d2', 'd1'])
    """
    system = make_retriever(
        retriever,
        model=model,
        k1=k1,
        b=b,
        device=device,
        precision=precision,
        show_progress=show_progress,
    )
    return system.fit(corpus).search(queries, k)

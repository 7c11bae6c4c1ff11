"""The reference retrievers of the Brewing-BEIR protocol, by name: BM25, dense, and their fusion.

``bm25`` is bm25s' Lucene BM25 over title and text (k1 = 0.9, b = 0.4, as Pyserini's flat
BM25 baseline), ``dense`` a sentence-transformers bi-encoder with exact inner-product search,
``hybrid`` their reciprocal-rank fusion. Each returns a BEIR run ``{qid: {doc_id: score}}``.

References:
    Kamalloo et al., "Resources for Brewing BEIR: Reproducible Reference Models and an
    Official Leaderboard", arXiv:2306.07471; Cormack et al., "Reciprocal Rank Fusion",
    SIGIR 2009.

Example:
    >>> corpus = {"d1": {"title": "", "text": "wing lift"}, "d2": {"title": "", "text": "heat"}}
    >>> list(retrieve(corpus, {"q": "lift"}, "bm25", k=10)["q"])
    ['d1']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rl_shared.errors import UnknownName

__all__ = ["RETRIEVERS", "retrieve"]

#: the names :func:`retrieve` accepts
RETRIEVERS: tuple[str, ...] = ("bm25", "dense", "hybrid")


def retrieve(
    corpus: Mapping[str, Mapping[str, str]],
    queries: Mapping[str, str],
    retriever: str = "bm25",
    *,
    k: int = 1000,
    model: Any = "minilm",
    k1: float = 0.9,
    b: float = 0.4,
    device: str | None = None,
    precision: str = "fp32",
    show_progress: bool = False,
) -> dict[str, dict[str, float]]:
    """Run one reference retriever over a BEIR corpus.

    Args:
        corpus: ``{doc_id: {"title": ..., "text": ...}}``.
        queries: ``{query_id: text}``.
        retriever: ``"bm25"``, ``"dense"`` or ``"hybrid"`` (RRF of the two, k = 60).
        k: documents kept per query.
        model: the dense model (short name, folder or a loaded SentenceTransformer).
        k1: BM25 term-frequency saturation.
        b: BM25 length normalisation.
        device: where the dense model runs (``None``: ``auto``, CUDA when present).
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the dense encoding.
        show_progress: sentence-transformers' encoding progress bar on stderr.

    Raises:
        UnknownName: ``retriever`` is not one of :data:`RETRIEVERS`.

    Example:
        >>> corpus = {"d1": {"title": "", "text": "wing lift"}, "d2": {"title": "", "text": "heat"}}
        >>> retrieve(corpus, {"q": "wing heat"}, "bm25", k=10, k1=1.2, b=0.75)["q"].keys()
        dict_keys(['d2', 'd1'])
    """
    from rl_retrieval.core.bm25 import BM25Retriever
    from rl_retrieval.core.dense import DenseRetriever
    from rl_retrieval.core.fusion import reciprocal_rank_fusion

    if retriever not in RETRIEVERS:
        raise UnknownName("retriever", retriever, list(RETRIEVERS))
    runs = []
    if retriever in ("bm25", "hybrid"):
        runs.append(BM25Retriever(k1=k1, b=b).fit(corpus).search(queries, k))
    if retriever in ("dense", "hybrid"):
        dense = DenseRetriever(
            model, device=device, precision=precision, show_progress=show_progress
        )
        runs.append(dense.search(corpus, queries, k))
    return runs[0] if len(runs) == 1 else reciprocal_rank_fusion(runs, top=k)

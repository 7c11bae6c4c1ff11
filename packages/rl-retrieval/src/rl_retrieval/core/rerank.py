"""Second-stage retrieval: cross-encoder re-ranking and reciprocal-rank fusion of retrievers.

Both wrap first-stage retrievers and keep the retrievers' one API (``fit(corpus)``, then
``search(queries, k)`` returning a BEIR run), so a re-ranked or fused system is evaluated,
written and compared like any other.

References:
    Nogueira & Cho, "Passage Re-ranking with BERT", arXiv:1901.04085; Cormack et al.,
    "Reciprocal Rank Fusion outperforms Condorcet and individual Rank Learning Methods",
    SIGIR 2009; Kamalloo et al., arXiv:2306.07471.

Example:
    >>> from rl_retrieval.core.bm25 import BM25Retriever
    >>> corpus = {"d1": {"title": "", "text": "wing lift"}, "d2": {"title": "", "text": "lift heat"}}
    >>> fused = FusionRetriever([BM25Retriever(), BM25Retriever(k1=2.0)]).fit(corpus)
    >>> list(fused.search({"q": "wing lift"})["q"])
    ['d1', 'd2']
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from rl_retrieval.core.fusion import reciprocal_rank_fusion
from rl_retrieval.core.run_format import Run
from rl_shared.errors import BadInput

__all__ = ["CrossEncoderReranker", "FusionRetriever", "Retriever"]


class Retriever(Protocol):
    """What every retriever offers: index a BEIR corpus, then answer queries with a run."""

    def fit(self, corpus: Mapping[str, Mapping[str, str]]) -> Any: ...

    def search(self, queries: Mapping[str, str], k: int = 1000) -> Run: ...


class CrossEncoderReranker:
    """Re-rank a first stage's top ``depth`` documents by a cross-encoder's score.

    Args:
        first_stage: any retriever (BM25 in Pyserini's BEIR re-ranking runs).
        model: a short name (``"minilm-reranker"``), a folder, a hub id, or a loaded
            ``CrossEncoder``.
        depth: first-stage documents re-scored per query.
        batch_size: query-document pairs per forward pass.
        device: where a model given by name is loaded (``None``: ``auto``).
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the scoring.
        show_progress: sentence-transformers' progress bar.

    Example:
        >>> from rl_retrieval.core.bm25 import BM25Retriever
        >>> class Longer:  # anything with CrossEncoder's predict works
        ...     def predict(self, pairs, **kw):
        ...         return [float(len(d)) for _, d in pairs]
        >>> corpus = {"d1": {"title": "", "text": "lift"}, "d2": {"title": "", "text": "lift of a wing"}}
        >>> CrossEncoderReranker(BM25Retriever(), Longer()).fit(corpus).search({"q": "lift"})
        {'q': {'d2': 14.0, 'd1': 4.0}}
    """

    def __init__(
        self,
        first_stage: Retriever,
        model: str | os.PathLike[str] | Any = "minilm-reranker",
        *,
        depth: int = 100,
        batch_size: int = 32,
        device: str | None = None,
        precision: str = "fp32",
        show_progress: bool = False,
    ) -> None:
        if depth < 1 or batch_size < 1:
            raise BadInput(f"depth and batch_size must be at least 1, got {depth}, {batch_size}")
        self.first_stage = first_stage
        self._model_arg = model
        self._model: Any = None if isinstance(model, str | os.PathLike) else model
        self.depth, self.batch_size = depth, batch_size
        self.device, self.precision, self.show_progress = device, precision, show_progress
        self._texts: dict[str, str] = {}

    @property
    def model(self) -> Any:
        """The ``CrossEncoder``, loaded on first use (offline)."""
        if self._model is None:
            from rl_shared.models import load_cross_encoder

            kwargs = {"device": self.device} if self.device else {}
            self._model = load_cross_encoder(self._model_arg, **kwargs)
        return self._model

    def fit(self, corpus: Mapping[str, Mapping[str, str]]) -> CrossEncoderReranker:
        """Index the corpus in the first stage and keep its texts for scoring."""
        self.first_stage.fit(corpus)
        self._texts = {
            i: f"{d.get('title', '')} {d.get('text', '')}".strip() for i, d in corpus.items()
        }
        return self

    def search(self, queries: Mapping[str, str], k: int = 1000) -> Run:
        """The first stage's top ``depth``, re-ordered by the cross-encoder; top ``k`` kept."""
        if not self._texts:
            raise BadInput("call fit(corpus) before search(queries)")
        if k < 1:
            raise BadInput(f"k must be at least 1, got {k}")
        from rl_shared.runtime import autocast

        first = self.first_stage.search(queries, self.depth)
        pairs = [(qid, doc) for qid, docs in first.items() for doc in docs]
        if not pairs:
            return {qid: {} for qid in queries}
        model = self.model
        with autocast(getattr(model, "device", "cpu"), self.precision):
            scores = model.predict(
                [(queries[q], self._texts[d]) for q, d in pairs],
                batch_size=self.batch_size,
                show_progress_bar=self.show_progress,
            )
        run: Run = {qid: {} for qid in queries}
        for (qid, doc), score in zip(pairs, scores, strict=True):
            run[qid][doc] = float(score)
        return {
            qid: dict(sorted(docs.items(), key=lambda kv: (-kv[1], kv[0]))[:k])
            for qid, docs in run.items()
        }


class FusionRetriever:
    """Reciprocal-rank fusion of several retrievers' runs (``1 / (rrf_k + rank)`` summed).

    Args:
        retrievers: the systems fused (at least two make sense; one is allowed).
        rrf_k: RRF's constant (60, as Cormack et al.).
        depth: documents each retriever contributes per query.
    """

    def __init__(self, retrievers: Sequence[Retriever], *, rrf_k: int = 60, depth: int = 1000):
        if not retrievers:
            raise BadInput("fusion needs at least one retriever")
        if rrf_k < 1 or depth < 1:
            raise BadInput(f"rrf_k and depth must be at least 1, got {rrf_k}, {depth}")
        self.retrievers, self.rrf_k, self.depth = list(retrievers), rrf_k, depth

    def fit(self, corpus: Mapping[str, Mapping[str, str]]) -> FusionRetriever:
        """Index the corpus in every retriever."""
        for r in self.retrievers:
            r.fit(corpus)
        return self

    def search(self, queries: Mapping[str, str], k: int = 1000) -> Run:
        """The fused run, top ``k`` per query."""
        if k < 1:
            raise BadInput(f"k must be at least 1, got {k}")
        runs = [r.search(queries, max(k, self.depth)) for r in self.retrievers]
        return reciprocal_rank_fusion(runs, k=self.rrf_k, top=k)

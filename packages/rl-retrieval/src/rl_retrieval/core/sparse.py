"""Learned sparse retrieval (SPLADE) through sentence-transformers' ``SparseEncoder``.

The documents' sparse vectors (one weight per vocabulary term, most zero) are stored
transposed, as an inverted index: a ``scipy.sparse`` CSR matrix of shape
``(vocabulary, documents)`` whose row for a term lists the documents that hold it and their
weights. A batch of queries is scored by one sparse product, touching only the posting lists
of the terms the queries activate, and each query keeps its ``k`` best documents. Memory is
that of the postings: 8 bytes per stored weight (float32 value and int32 document index)
plus 8 bytes per vocabulary term; a million passages at SPLADE's typical 100-250 active
terms each take 0.8-2 GB (:attr:`SpladeRetriever.index_bytes` reports the figure).

References:
    Formal et al., "SPLADE v2: Sparse lexical and expansion model for information
    retrieval", arXiv:2109.10086; Formal et al., "From distillation to hard negative
    sampling: making sparse neural IR models more effective", SIGIR 2022
    (splade-cocondenser-ensembledistil); Kamalloo et al., arXiv:2306.07471.

Example:
    >>> import scipy.sparse as sp
    >>> docs = sp.csr_matrix([[1.0, 0, 2.0], [0, 3.0, 0]])  # 2 documents, 3 terms
    >>> top_k_sparse(sp.csr_matrix([[0.0, 1.0, 1.0]]) @ docs.T.tocsr(), 5)
    [([1, 0], [3.0, 2.0])]
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

from rl_retrieval.core.run_format import Run
from rl_shared.errors import BadInput

__all__ = ["SpladeRetriever", "to_csr", "top_k_sparse"]


def to_csr(embeddings: Any) -> sp.csr_matrix:
    """A torch sparse (or dense) ``(n, vocabulary)`` tensor as a float32 CSR matrix.

    Args:
        embeddings: what ``SparseEncoder.encode_*`` returns: a sparse COO tensor, a dense
            tensor, or a list of per-text tensors.

    Shapes:
        ``(n, V) -> (n, V)``.

    Example:
        >>> import torch
        >>> to_csr(torch.tensor([[0.0, 2.0], [1.0, 0.0]]).to_sparse()).toarray().tolist()
        [[0.0, 2.0], [1.0, 0.0]]
    """
    import torch

    if isinstance(embeddings, list):
        embeddings = torch.stack([e.to_dense() if e.is_sparse else e for e in embeddings])
    if embeddings.is_sparse:
        coo = embeddings.coalesce().cpu()
        rows, cols = coo.indices().numpy()
        vals = coo.values().float().numpy()
        return sp.csr_matrix((vals, (rows, cols)), shape=tuple(coo.shape), dtype=np.float32)
    return sp.csr_matrix(embeddings.detach().float().cpu().numpy())


def top_k_sparse(scores: sp.csr_matrix, k: int) -> list[tuple[list[int], list[float]]]:
    """Per row of a sparse score matrix, the columns of its ``k`` largest positive entries.

    Ties are broken by the lower column. Rows with no positive entry give empty lists.

    Args:
        scores: ``(queries, documents)`` scores, sparse.
        k: entries kept per row.
    """
    scores = scores.tocsr()
    out = []
    for row in range(scores.shape[0]):
        lo, hi = scores.indptr[row], scores.indptr[row + 1]
        cols, vals = scores.indices[lo:hi], scores.data[lo:hi]
        keep = vals > 0
        cols, vals = cols[keep], vals[keep]
        order = np.lexsort((cols, -vals))[:k]
        out.append(([int(c) for c in cols[order]], [float(v) for v in vals[order]]))
    return out


class SpladeRetriever:
    """SPLADE retrieval: ``SparseEncoder`` vectors, an inverted index, exact dot products.

    Args:
        model: a short name (``"splade"``), a local folder, a hub id ``org/name[@rev]``, or a
            loaded ``SparseEncoder``.
        batch_size: encoding batch size.
        query_chunk: queries scored per sparse product (bounds the memory of one product).
        device: where a model given by name is loaded (``None``: ``auto``).
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the encoding.
        show_progress: sentence-transformers' encoding progress bar.

    Example:
        >>> class Letters:  # anything with SparseEncoder's encode_query/encode_document works
        ...     def _encode(self, texts, **kw):
        ...         import torch
        ...         return torch.tensor([[t.count(c) for c in "abc"] for t in texts], dtype=torch.float32).to_sparse()
        ...     encode_query = encode_document = _encode
        >>> corpus = {"d1": {"title": "", "text": "aab"}, "d2": {"title": "", "text": "cc"}}
        >>> SpladeRetriever(Letters()).fit(corpus).search({"q": "ab"}, k=5)
        {'q': {'d1': 3.0}}
    """

    def __init__(
        self,
        model: str | os.PathLike[str] | Any = "splade",
        *,
        batch_size: int = 32,
        query_chunk: int = 64,
        device: str | None = None,
        precision: str = "fp32",
        show_progress: bool = False,
    ) -> None:
        from rl_shared.runtime import PRECISIONS

        if batch_size < 1 or query_chunk < 1:
            raise BadInput(
                f"batch_size and query_chunk must be at least 1, got {batch_size}, {query_chunk}"
            )
        if precision not in PRECISIONS:
            raise BadInput(f"precision must be fp32, bf16 or fp16, got {precision!r}")
        self._model_arg = model
        self._model: Any = None if isinstance(model, str | os.PathLike) else model
        self.batch_size, self.query_chunk = batch_size, query_chunk
        self.device, self.precision, self.show_progress = device, precision, show_progress
        self.doc_ids: list[str] = []
        self._postings: sp.csr_matrix | None = None

    @property
    def model(self) -> Any:
        """The ``SparseEncoder``, loaded on first use (offline)."""
        if self._model is None:
            from rl_shared.models import load_sparse_encoder

            kwargs = {"device": self.device} if self.device else {}
            self._model = load_sparse_encoder(self._model_arg, **kwargs)
        return self._model

    def _encode(self, texts: list[str], side: str) -> sp.csr_matrix:
        from rl_shared.runtime import autocast

        model = self.model
        encode = model.encode_query if side == "query" else model.encode_document
        kwargs: dict[str, Any] = {"batch_size": self.batch_size}
        if self.show_progress:
            kwargs["show_progress_bar"] = True
        with autocast(getattr(model, "device", "cpu"), self.precision):
            return to_csr(encode(texts, **kwargs))

    def fit(self, corpus: Mapping[str, Mapping[str, str]]) -> SpladeRetriever:
        """Encode the corpus (title and text joined) and build the inverted index."""
        if not corpus:
            raise BadInput("the corpus is empty; SPLADE needs at least one document")
        self.doc_ids = list(corpus)
        texts = [f"{d.get('title', '')} {d.get('text', '')}".strip() for d in corpus.values()]
        self._postings = self._encode(texts, "document").T.tocsr()
        return self

    @property
    def index_bytes(self) -> int:
        """Bytes the inverted index holds (values, document indices, row pointers)."""
        if self._postings is None:
            return 0
        p = self._postings
        return int(p.data.nbytes + p.indices.nbytes + p.indptr.nbytes)

    def search(self, queries: Mapping[str, str], k: int = 1000) -> Run:
        """Top-``k`` documents per query by sparse dot product, as a BEIR run."""
        if self._postings is None:
            raise BadInput("call fit(corpus) before search(queries)")
        if k < 1:
            raise BadInput(f"k must be at least 1, got {k}")
        qids = list(queries)
        run: Run = {}
        for start in range(0, len(qids), self.query_chunk):
            chunk = qids[start : start + self.query_chunk]
            q = self._encode([queries[x] for x in chunk], "query")
            if q.shape[1] != self._postings.shape[0]:
                raise BadInput(
                    f"query vectors have {q.shape[1]} dimensions, the index {self._postings.shape[0]}"
                )
            for qid, (cols, vals) in zip(chunk, top_k_sparse(q @ self._postings, k), strict=True):
                run[qid] = {self.doc_ids[c]: v for c, v in zip(cols, vals, strict=True)}
        return run

    def get_config_dict(self) -> dict[str, object]:
        """What defines the run."""
        named = isinstance(self._model_arg, str | os.PathLike)
        return {
            "model": str(self._model_arg) if named else type(self._model_arg).__name__,
            "precision": self.precision,
        }

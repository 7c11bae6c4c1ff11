"""Dense retrieval with any sentence-transformers model: cached embeddings and exact top-k.

Corpus and query embeddings go through :func:`rl_shared.embeddings.encode_cached`, the
workspace's one content-hashed embedding cache (keyed by the model, every text, the prompt
and the normalisation); under ``torchrun`` the corpus encoding of a cache miss is split over
the ranks (:mod:`rl_retrieval.core.sharded_encoding`), whose per-rank shard files sit beside
the cache file and carry its content hash. Search is exact inner product: chunked torch
matrix products with a running top-k for corpora up to ``faiss_above`` documents, a faiss
``IndexFlatIP`` beyond that.

What it adds to sentence-transformers' ``semantic_search``: the embedding cache, sharded
encoding, faiss for large corpora, BEIR runs out.

References:
    Reimers & Gurevych, "Sentence-BERT", arXiv:1908.10084; Karpukhin et al., "Dense Passage
    Retrieval", arXiv:2004.04906; Johnson, Douze & Jégou, "Billion-scale similarity search
    with GPUs" (faiss), arXiv:1702.08734.

Example:
    >>> import numpy as np
    >>> docs = np.eye(3, dtype=np.float32)
    >>> scores, idx = exact_topk(np.array([[0.0, 1.0, 0.2]], dtype=np.float32), docs, k=2)
    >>> idx.tolist()
    [[1, 2]]
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as dist

from rl_retrieval.core.run_format import Run
from rl_retrieval.core.sharded_encoding import encode_sharded
from rl_shared.embeddings import cache_path as embedding_cache_path
from rl_shared.embeddings import encode_cached
from rl_shared.errors import BadInput, ShapeMismatch

__all__ = ["DenseRetriever", "exact_topk", "faiss_topk", "topk_to_run"]


def _check_pair(queries: np.ndarray, docs: np.ndarray, k: int) -> None:
    if queries.ndim != 2 or docs.ndim != 2 or queries.shape[1] != docs.shape[1]:
        raise ShapeMismatch(
            f"top-k needs queries (m, d) and docs (n, d), got {queries.shape} and {docs.shape}"
        )
    if k < 1:
        raise BadInput(f"k must be at least 1, got {k}")


def exact_topk(
    queries: np.ndarray,
    docs: np.ndarray,
    k: int,
    *,
    doc_chunk: int = 32768,
    query_chunk: int = 1024,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact inner-product top-k, in chunks so memory stays at ``query_chunk x doc_chunk``.

    Args:
        queries: query embeddings.
        docs: document embeddings (an ``np.memmap`` works).
        k: results per query (capped at the number of documents).
        doc_chunk: documents scored at once.
        query_chunk: queries scored at once.

    Shapes:
        queries ``(m, d)``, docs ``(n, d)``; returns scores ``(m, k)`` and indices ``(m, k)``,
        best first.

    Example:
        >>> import numpy as np
        >>> exact_topk(np.eye(2, dtype=np.float32), np.eye(2, dtype=np.float32), k=1)[1].tolist()
        [[0], [1]]
    """
    _check_pair(queries, docs, k)
    k = min(k, docs.shape[0])
    q_all = torch.from_numpy(np.ascontiguousarray(queries, dtype=np.float32))
    out_s = np.empty((q_all.shape[0], k), dtype=np.float32)
    out_i = np.empty((q_all.shape[0], k), dtype=np.int64)
    with warnings.catch_warnings():  # read-only memory maps are only ever read here
        warnings.filterwarnings("ignore", message="The given NumPy array is not writable")
        chunks = [
            (
                start,
                torch.from_numpy(np.ascontiguousarray(docs[start : start + doc_chunk], np.float32)),
            )
            for start in range(0, docs.shape[0], doc_chunk)
        ]
    buffer = torch.empty(min(query_chunk, q_all.shape[0]), min(doc_chunk, docs.shape[0]))
    with torch.inference_mode():
        for qs in range(0, q_all.shape[0], query_chunk):
            q = q_all[qs : qs + query_chunk]
            best_s: torch.Tensor | None = None
            best_i: torch.Tensor | None = None
            for start, block in chunks:
                scores = buffer[: q.shape[0], : block.shape[0]]
                torch.mm(q, block.T, out=scores)  # reused buffer: no page faults per chunk
                s, i = torch.topk(scores, min(k, block.shape[0]), dim=1)
                i += start
                if best_s is None:
                    best_s, best_i = s, i
                else:
                    s, pick = torch.topk(torch.cat([best_s, s], 1), k, dim=1)
                    best_i = torch.cat([best_i, i], 1).gather(1, pick)  # type: ignore[list-item]
                    best_s = s
            out_s[qs : qs + query_chunk] = best_s.numpy()  # type: ignore[union-attr]
            out_i[qs : qs + query_chunk] = best_i.numpy()  # type: ignore[union-attr]
    return out_s, out_i


def faiss_topk(
    queries: np.ndarray, docs: np.ndarray, k: int, *, add_chunk: int = 65536
) -> tuple[np.ndarray, np.ndarray]:
    """Exact inner-product top-k with a faiss ``IndexFlatIP`` (documents added in chunks).

    Args:
        queries: query embeddings (cast to ``float32``).
        docs: document embeddings (cast to ``float32``; an ``np.memmap`` works).
        k: results per query (capped at the number of documents).
        add_chunk: documents added to the index at once.

    Shapes:
        as :func:`exact_topk`: queries ``(m, d)``, docs ``(n, d)``; returns scores ``(m, k)``
        (``float32``) and indices ``(m, k)`` (``int64``), best first.

    Example:
        >>> import numpy as np
        >>> faiss_topk(np.eye(2, dtype=np.float32), np.eye(2, dtype=np.float32), k=1)[1].tolist()
        [[0], [1]]
    """
    import faiss

    _check_pair(queries, docs, k)
    index = faiss.IndexFlatIP(docs.shape[1])
    for start in range(0, docs.shape[0], add_chunk):
        index.add(np.ascontiguousarray(docs[start : start + add_chunk], dtype=np.float32))
    scores, idx = index.search(
        np.ascontiguousarray(queries, dtype=np.float32), min(k, docs.shape[0])
    )
    return scores, idx.astype(np.int64)


def topk_to_run(
    qids: Sequence[str], doc_ids: Sequence[str], scores: np.ndarray, idx: np.ndarray
) -> Run:
    """Turn top-k arrays into a BEIR run ``{qid: {doc_id: score}}``.

    Args:
        qids: the query ids, one per row of ``scores`` / ``idx``.
        doc_ids: the document ids, indexed by the values of ``idx``.
        scores: the top-k scores.
        idx: the top-k document indices; negative entries (faiss's "no result") are dropped.

    Shapes:
        scores ``(m, k)`` and idx ``(m, k)`` with ``m = len(qids)``, as returned by
        :func:`exact_topk` or :func:`faiss_topk`.

    Example:
        >>> import numpy as np
        >>> topk_to_run(["q"], ["a", "b"], np.array([[2.0, 1.0]]), np.array([[1, 0]]))
        {'q': {'b': 2.0, 'a': 1.0}}
    """
    return {
        qid: {doc_ids[int(j)]: float(s) for s, j in zip(scores[row], idx[row]) if j >= 0}
        for row, qid in enumerate(qids)
    }


def _distributed() -> bool:
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


class DenseRetriever:
    """Bi-encoder retrieval with a sentence-transformers model and the shared embedding cache.

    Args:
        model: a short name (``"minilm"``), a local folder, a hub id ``org/name[@rev]``, or a
            loaded ``SentenceTransformer``.
        batch_size: encoding batch size.
        normalize: L2-normalize embeddings (inner product = cosine).
        cache: keep embeddings in :func:`rl_shared.embeddings.encode_cached`'s cache; a model
            passed as an object is cached under ``model_name`` when given, else under a hash
            of its parameters (objects without parameters are not cached).
        model_name: a stable cache name of a model passed as an object.
        faiss_above: use faiss for corpora with more documents than this.
        query_prompt: text prepended to each query (e.g. ``"query: "`` for E5 models).
        doc_prompt: text prepended to each document.
        show_progress: show sentence-transformers' progress bar (stderr).
        device: where a model given by name is loaded (``"auto"``, ``"cpu"``, ``"cuda:0"``,
            ``"mps"``; :func:`rl_shared.runtime.resolve_device`); ``None``: ``auto``, CUDA
            when present. A loaded model stays where it is.
        precision: ``"fp32"``, or ``"bf16"`` / ``"fp16"`` autocast of the encoding on the
            model's device (:func:`rl_shared.runtime.autocast`; fp16 needs CUDA or MPS). The
            embeddings are float32 either way; a reduced precision is part of the cache key,
            so its embeddings never stand in for fp32 ones (or the reverse).

    References:
        arXiv:1908.10084, arXiv:2004.04906.

    Example:
        >>> import numpy as np
        >>> class Letters:  # anything with SentenceTransformer's encode() works
        ...     def encode(self, texts, **kw):
        ...         return np.array([[t.count("a"), t.count("b")] for t in texts], np.float32)
        >>> corpus = {"d1": {"title": "", "text": "aaa"}, "d2": {"title": "", "text": "bbb"}}
        >>> DenseRetriever(Letters(), normalize=False).fit(corpus).search({"q": "ab b"}, k=1)
        {'q': {'d2': 6.0}}
    """

    def __init__(
        self,
        model: str | os.PathLike[str] | Any = "minilm",
        *,
        batch_size: int = 64,
        normalize: bool = True,
        cache: bool = True,
        faiss_above: int = 2_000_000,
        query_prompt: str = "",
        doc_prompt: str = "",
        show_progress: bool = False,
        model_name: str | None = None,
        device: str | None = None,
        precision: str = "fp32",
    ) -> None:
        from rl_shared.runtime import PRECISIONS

        if batch_size < 1:
            raise BadInput(f"batch_size must be at least 1, got {batch_size}")
        if precision not in PRECISIONS:
            raise BadInput(f"precision must be fp32, bf16 or fp16, got {precision!r}")
        self._model_arg = model
        self._model: Any = None if isinstance(model, str | os.PathLike) else model
        self.model_name = model_name
        self.batch_size, self.normalize = batch_size, normalize
        keyable = self._model is None or bool(model_name) or hasattr(model, "state_dict")
        self.cache = cache and keyable
        self.faiss_above = faiss_above
        self.query_prompt, self.doc_prompt = query_prompt, doc_prompt
        self.show_progress = show_progress
        self.device = device
        self.precision = precision
        self._doc_ids: list[str] = []
        self._doc_emb: np.ndarray | None = None

    @property
    def model(self) -> Any:
        """The sentence-transformers model, loaded on first use (offline)."""
        if self._model is None:
            from rl_shared.models import load_sentence_transformer

            kwargs = {"device": self.device} if self.device else {}
            self._model = load_sentence_transformer(self._model_arg, **kwargs)
        return self._model

    def _raw_encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode already-prompted texts with the model; ``(len(texts), dim)`` float32."""
        from rl_shared.runtime import autocast

        model = self.model
        with autocast(getattr(model, "device", "cpu"), self.precision):
            emb = model.encode(
                list(texts),
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=self.normalize,
                show_progress_bar=self.show_progress,
            )
        return np.asarray(emb, dtype=np.float32)

    def _cache_key(self) -> tuple[Any, str | None]:
        """``(model, model_id)`` as :func:`rl_shared.embeddings.encode_cached` keys them.

        fp32 keeps the plain key (the model's path, name or parameters); a reduced precision
        turns it into a ``model_id`` ending in ``|precision=bf16`` (or ``fp16``).
        """
        if isinstance(self._model_arg, str | os.PathLike):
            model, model_id = self._model_arg, None
        else:
            model, model_id = self._model_arg, self.model_name
        if self.precision == "fp32":
            return model, model_id
        if model_id is None:
            from rl_shared.embeddings import model_fingerprint
            from rl_shared.models import resolve

            model_id = (
                f"path:{resolve(model).resolve()}"
                if isinstance(model, str | os.PathLike)
                else f"params:{model_fingerprint(model)}"
            )
        return model, f"{model_id}|precision={self.precision}"

    def encode(
        self, texts: Sequence[str], prompt: str = "", *, sharded: bool = False
    ) -> np.ndarray:
        """Embeddings of ``texts`` (``prompt`` prepended), through the shared cache.

        Args:
            texts: the strings to encode.
            prompt: prepended to every text.
            sharded: on a cache miss under an initialised process group, split the work over
                the ranks (every rank must call this with the same texts).

        Shapes:
            ``-> (len(texts), dim)``, float32.
        """
        model, model_id = self._cache_key()
        encoder: Callable[[list[str]], np.ndarray] = self._raw_encode
        if sharded and self.cache and _distributed():
            target = self.cache_path(texts, prompt)
            encoder = lambda inputs: encode_sharded(inputs, self._raw_encode, target)  # noqa: E731
        return encode_cached(
            model,
            texts,
            model_id=model_id,
            batch_size=self.batch_size,
            normalize=self.normalize,
            prompt=prompt or None,
            cache=self.cache,
            show_progress=self.show_progress,
            encoder=encoder,
        )

    def cache_path(self, texts: Sequence[str], prompt: str | None = None) -> Path:
        """The cache file of these texts' embeddings (``prompt`` defaults to the doc prompt)."""
        model, model_id = self._cache_key()
        return embedding_cache_path(
            model,
            list(texts),
            model_id=model_id,
            normalize=self.normalize,
            prompt=(self.doc_prompt if prompt is None else prompt) or None,
        )

    @staticmethod
    def doc_texts(corpus: Mapping[str, Mapping[str, str]]) -> tuple[list[str], list[str]]:
        """``(doc_ids, "title text" strings)`` in corpus order."""
        ids = list(corpus)
        texts = [f"{d.get('title', '')} {d.get('text', '')}".strip() for d in corpus.values()]
        return ids, texts

    def encode_corpus(
        self, corpus: Mapping[str, Mapping[str, str]]
    ) -> tuple[list[str], np.ndarray]:
        """``(doc_ids, embeddings)``, read from the cache when the same model saw the same texts."""
        ids, texts = self.doc_texts(corpus)
        if not ids:
            raise BadInput("the corpus is empty; dense retrieval needs at least one document")
        return ids, self.encode(texts, self.doc_prompt, sharded=True)

    def fit(self, corpus: Mapping[str, Mapping[str, str]]) -> DenseRetriever:
        """Encode the corpus (or read its embeddings from the cache); returns ``self``."""
        self._doc_ids, self._doc_emb = self.encode_corpus(corpus)
        return self

    def search(self, queries: Mapping[str, str], k: int = 1000) -> Run:
        """Top-``k`` documents per query by inner product, as a BEIR run.

        Exact (:func:`exact_topk`) up to ``faiss_above`` documents, faiss' flat index beyond.
        """
        if self._doc_emb is None:
            raise BadInput("call fit(corpus) before search(queries)")
        if k < 1:
            raise BadInput(f"k must be at least 1, got {k}")
        qids = list(queries)
        q_emb = self.encode([queries[q] for q in qids], self.query_prompt)
        search = faiss_topk if self._doc_emb.shape[0] > self.faiss_above else exact_topk
        scores, idx = search(q_emb, self._doc_emb, k)
        return topk_to_run(qids, self._doc_ids, scores, idx)

    def get_config_dict(self) -> dict[str, object]:
        """What defines the run: the model, pooling-side normalisation, prompts, precision."""
        named = isinstance(self._model_arg, str | os.PathLike)
        default = str(self._model_arg) if named else type(self._model_arg).__name__
        return {
            "model": self.model_name or default,
            "normalize": self.normalize,
            "query_prompt": self.query_prompt,
            "doc_prompt": self.doc_prompt,
            "precision": self.precision,
        }

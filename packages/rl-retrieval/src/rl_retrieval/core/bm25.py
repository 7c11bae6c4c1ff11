"""BM25 retrieval through bm25s (Lucene's BM25 by default), returning BEIR runs.

What it adds to bm25s: BEIR ``{doc_id: {"title", "text"}}`` in, ``{qid: {doc_id: score}}``
out, English stemming by PyStemmer, documents with a zero score left out.

References:
    Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond" (2009);
    Lù, "BM25S: Orders of magnitude faster lexical search via eager sparse scoring",
    arXiv:2407.03618.

Example:
    >>> corpus = {"d1": {"title": "", "text": "cats sit on mats"}, "d2": {"title": "", "text": "dogs run"}}
    >>> BM25Retriever().fit(corpus).search({"q": "a running dog"}, k=2)["q"].keys()
    dict_keys(['d2'])
"""

from __future__ import annotations

from collections.abc import Mapping

import bm25s
import numpy as np
import Stemmer

from rl_retrieval.core.run_format import Run
from rl_shared.errors import BadInput

__all__ = ["BM25Retriever"]


class BM25Retriever:
    """A BM25 index over a BEIR corpus.

    Args:
        k1: term-frequency saturation.
        b: length normalization.
        method: bm25s variant: ``"lucene"``, ``"robertson"``, ``"atire"``, ``"bm25l"``, ``"bm25+"``.
        stemmer: a PyStemmer language (``"english"``) or ``None`` for no stemming.
        stopwords: bm25s stop-word list (``"en"``) or ``None``.

    References:
        arXiv:2407.03618 (bm25s).

    Example:
        >>> corpus = {"d1": {"title": "", "text": "wing lift"}, "d2": {"title": "", "text": "heat flux"}}
        >>> BM25Retriever(k1=1.2, b=0.75).fit(corpus).search({"q": "lift"}, k=1)["q"].keys()
        dict_keys(['d1'])
    """

    def __init__(
        self,
        k1: float = 0.9,
        b: float = 0.4,
        method: str = "lucene",
        stemmer: str | None = "english",
        stopwords: str | None = "en",
    ) -> None:
        if k1 < 0 or not 0 <= b <= 1:
            raise BadInput(f"BM25 needs k1 >= 0 and 0 <= b <= 1, got k1={k1}, b={b}")
        self.k1, self.b, self.method = k1, b, method
        self.stemmer = Stemmer.Stemmer(stemmer) if stemmer else None
        self.stopwords = stopwords
        self.doc_ids: list[str] = []
        self._index: bm25s.BM25 | None = None

    def _tokenize(self, texts: list[str], ids: bool) -> object:
        return bm25s.tokenize(
            texts,
            stopwords=self.stopwords,
            stemmer=self.stemmer,
            return_ids=ids,
            show_progress=False,
        )

    def fit(self, corpus: Mapping[str, Mapping[str, str]]) -> BM25Retriever:
        """Index a BEIR corpus (title and text joined)."""
        if not corpus:
            raise BadInput("the corpus is empty; BM25 needs at least one document")
        self.doc_ids = list(corpus)
        texts = [f"{d.get('title', '')} {d.get('text', '')}" for d in corpus.values()]
        self._index = bm25s.BM25(k1=self.k1, b=self.b, method=self.method)
        self._index.index(self._tokenize(texts, True), show_progress=False)
        return self

    def search(self, queries: Mapping[str, str], k: int = 1000) -> Run:
        """Top-``k`` documents per query as a BEIR run (zero-score documents left out)."""
        if self._index is None:
            raise BadInput("call fit(corpus) before search(queries)")
        if k < 1:
            raise BadInput(f"k must be at least 1, got {k}")
        qids = list(queries)
        tokens = self._tokenize([queries[q] for q in qids], False)
        k = min(k, len(self.doc_ids))
        docs, scores = self._index.retrieve(tokens, k=k, show_progress=False, n_threads=0)
        run: Run = {}
        for row, qid in enumerate(qids):
            keep = np.nonzero(scores[row] > 0)[0]
            run[qid] = {self.doc_ids[int(docs[row, j])]: float(scores[row, j]) for j in keep}
        return run

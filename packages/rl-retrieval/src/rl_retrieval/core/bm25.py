"""BM25 retrieval on bm25s, flat and multifield, with Lucene's English analysis.

:class:`BM25Retriever` is Pyserini's *flat* BEIR baseline: title and text indexed as one
field. :class:`MultifieldBM25Retriever` is its *multifield* baseline: each field indexed on
its own (its own document frequencies and average length) and a document's score the
weighted sum of its fields' BM25 scores, as Anserini's query over several fields with a
boost each. Both score with Lucene's BM25 (bm25s ``method="lucene"``: idf
``ln(1 + (N - df + 0.5) / (df + 0.5))``, no ``(k1 + 1)`` factor, document lengths as
Lucene's one-byte norms store them) at Pyserini's BEIR
parameters k1 = 0.9, b = 0.4, on the terms of :class:`~rl_retrieval.core.analysis.LuceneEnglishAnalyzer`
(``analyzer="bm25s"`` keeps bm25s' own tokenizer: words of two or more characters,
Snowball English stemming, bm25s' English stop words).

Both follow the retrievers' one API: ``fit(corpus)`` then ``search(queries, k)`` returning
a BEIR run ``{qid: {doc_id: score}}``, documents with a zero score left out.

References:
    Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond" (2009);
    Lù, "BM25S: Orders of magnitude faster lexical search via eager sparse scoring",
    arXiv:2407.03618; Kamalloo et al., "Resources for Brewing BEIR", arXiv:2306.07471.

Example:
    >>> corpus = {"d1": {"title": "", "text": "cats sit on mats"}, "d2": {"title": "", "text": "dogs run"}}
    >>> BM25Retriever().fit(corpus).search({"q": "a running dog"}, k=2)["q"].keys()
    dict_keys(['d2'])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import bm25s
import numpy as np

from rl_retrieval.core.analysis import LuceneEnglishAnalyzer
from rl_retrieval.core.run_format import Run
from rl_shared.errors import BadInput

__all__ = ["ANALYZERS", "BM25Retriever", "MultifieldBM25Retriever", "lucene_length"]

#: the analyzers the BM25 retrievers know by name
ANALYZERS: tuple[str, ...] = ("lucene", "bm25s")

Analyzer = Callable[[Sequence[str]], list[list[str]]]


def _analyzer(spec: str | Callable[[str], list[str]]) -> Analyzer:
    """``texts -> terms of each`` for ``"lucene"``, ``"bm25s"`` or a ``text -> terms`` callable."""
    if callable(spec):
        return lambda texts: [spec(t) for t in texts]
    if spec == "lucene":
        return LuceneEnglishAnalyzer().many
    if spec == "bm25s":
        import Stemmer

        stemmer = Stemmer.Stemmer("english")
        return lambda texts: bm25s.tokenize(
            list(texts), stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False
        )
    raise BadInput(f"analyzer must be one of {', '.join(ANALYZERS)} or a callable, got {spec!r}")


def _check(k1: float, b: float) -> None:
    if not (k1 >= 0 and 0 <= b <= 1):
        raise BadInput(f"BM25 needs k1 >= 0 and 0 <= b <= 1, got k1={k1}, b={b}")


def _int4(i: int) -> int:
    """Lucene's ``SmallFloat.longToInt4``: 4 significant bits and a shift, in one byte."""
    bits = i.bit_length()
    if bits < 4:
        return i
    shift = bits - 4
    return ((i >> shift) & 0x07) | ((shift + 1) << 3)


def _from_int4(e: int) -> int:
    bits, shift = e & 0x07, (e >> 3) - 1
    return bits if shift == -1 else (bits | 0x08) << shift


#: lengths below this are stored exactly (Lucene's ``SmallFloat.NUM_FREE_VALUES``, 24)
_FREE = 255 - _int4(2**31 - 1)


def lucene_length(n: int) -> int:
    """A document length as Lucene's norms keep it: exact below 24, else rounded down to
    4 significant bits (``SmallFloat.intToByte4`` then ``byte4ToInt``).

    Args:
        n: the number of terms of a document's field.

    Example:
        >>> [lucene_length(n) for n in (5, 23, 24, 150, 1000)]
        [5, 23, 24, 144, 984]
    """
    return n if n < _FREE else _FREE + _from_int4(_int4(n - _FREE))


def _index(terms: list[list[str]], k1: float, b: float, method: str, norms: str) -> bm25s.BM25:
    index = bm25s.BM25(k1=k1, b=b, method=method)
    index.index(terms, show_progress=False)
    if norms == "lucene":
        _use_lucene_norms(index, terms, k1, b)
    return index


def _use_lucene_norms(index: bm25s.BM25, terms: list[list[str]], k1: float, b: float) -> None:
    """Rescore bm25s' eager (term, document) scores with Lucene's one-byte document lengths.

    bm25s stores ``idf * tf / (tf + k1 * (1 - b + b * dl / avgdl))`` per posting with the
    exact ``dl``; Lucene (and so Pyserini) divides by the length its norm byte decodes to,
    while ``avgdl`` stays exact. The postings are recomputed from the term frequencies with
    that length; the index layout is bm25s' own (term-major, documents sorted).
    """
    import scipy.sparse as sp

    if index.method != "lucene":
        raise BadInput(f"Lucene norms apply to method='lucene', not {index.method!r}")
    vocab = index.vocab_dict
    rows = np.repeat(np.arange(len(terms)), [len(t) for t in terms])
    cols = np.fromiter((vocab[w] for t in terms for w in t), dtype=np.int64, count=len(rows))
    tf = sp.csc_matrix(
        (np.ones(len(rows), np.float64), (rows, cols)), shape=(len(terms), len(vocab))
    )
    tf.sum_duplicates()
    tf.sort_indices()
    scores = index.scores
    n_ptr = len(scores["indptr"])
    if not (
        np.array_equal(tf.indptr[:n_ptr], scores["indptr"])
        and np.array_equal(tf.indices, scores["indices"])
    ):  # pragma: no cover - a bm25s layout this code does not know
        raise RuntimeError("bm25s' score layout changed; cannot apply Lucene norms")
    lengths = np.array([len(t) for t in terms], dtype=np.float64)
    stored = np.array([lucene_length(int(n)) for n in lengths], dtype=np.float64)
    n, df = len(terms), np.diff(tf.indptr)[: n_ptr - 1]
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    term = np.repeat(np.arange(len(df)), df)
    freq = tf.data
    norm = k1 * (1 - b + b * stored[tf.indices] / lengths.mean())
    scores["data"] = (idf[term] * freq / (freq + norm)).astype(scores["data"].dtype)


def _known(index: bm25s.BM25, terms: list[str]) -> list[str]:
    """The query terms the index has seen (bm25s refuses others)."""
    vocab = index.vocab_dict
    return [t for t in terms if t in vocab]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest positive scores, best first (ties: lower index first)."""
    k = min(k, int((scores > 0).sum()))
    if k == 0:
        return np.empty(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.lexsort((part, -scores[part]))]


class BM25Retriever:
    """Flat BM25 over a BEIR corpus: ``title`` and ``text`` indexed as one field.

    Args:
        k1: term-frequency saturation.
        b: length normalization.
        method: bm25s variant: ``"lucene"``, ``"robertson"``, ``"atire"``, ``"bm25l"``, ``"bm25+"``.
        analyzer: ``"lucene"`` (Lucene's English analysis), ``"bm25s"`` (bm25s' tokenizer with
            Snowball English stemming) or a ``text -> terms`` callable.
        norms: ``"lucene"`` (document lengths as Lucene's one-byte norms store them,
            :func:`lucene_length`, as Pyserini scores) or ``"exact"``; ``"lucene"`` needs
            ``method="lucene"``.

    References:
        arXiv:2407.03618 (bm25s); arXiv:2306.07471 (Pyserini's flat BEIR baseline).

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
        analyzer: str | Callable[[str], list[str]] = "lucene",
        norms: str = "lucene",
    ) -> None:
        _check(k1, b)
        if norms not in ("lucene", "exact"):
            raise BadInput(f"norms must be lucene or exact, got {norms!r}")
        if norms == "lucene" and method != "lucene":
            norms = "exact"  # Lucene's byte norms belong to Lucene's BM25 only
        self.norms = norms
        self.k1, self.b, self.method = k1, b, method
        self.analyzer_name = analyzer if isinstance(analyzer, str) else "custom"
        self.analyze = _analyzer(analyzer)
        self.doc_ids: list[str] = []
        self._index: bm25s.BM25 | None = None

    def fit(self, corpus: Mapping[str, Mapping[str, str]]) -> BM25Retriever:
        """Index a BEIR corpus (title and text joined)."""
        if not corpus:
            raise BadInput("the corpus is empty; BM25 needs at least one document")
        self.doc_ids = list(corpus)
        texts = [f"{d.get('title', '')} {d.get('text', '')}" for d in corpus.values()]
        self._index = _index(self.analyze(texts), self.k1, self.b, self.method, self.norms)
        return self

    def search(self, queries: Mapping[str, str], k: int = 1000) -> Run:
        """Top-``k`` documents per query as a BEIR run (zero-score documents left out)."""
        if self._index is None:
            raise BadInput("call fit(corpus) before search(queries)")
        if k < 1:
            raise BadInput(f"k must be at least 1, got {k}")
        qids = list(queries)
        terms = [_known(self._index, t) for t in self.analyze([queries[q] for q in qids])]
        run: Run = {q: {} for q in qids}
        asked = [i for i, t in enumerate(terms) if t]
        if not asked:
            return run
        k = min(k, len(self.doc_ids))
        docs, scores = self._index.retrieve(
            [terms[i] for i in asked], k=k, show_progress=False, n_threads=0
        )
        for row, i in enumerate(asked):
            keep = np.nonzero(scores[row] > 0)[0]
            run[qids[i]] = {self.doc_ids[int(docs[row, j])]: float(scores[row, j]) for j in keep}
        return run

    def get_config_dict(self) -> dict[str, object]:
        """The parameters that define the run."""
        return {
            "k1": self.k1,
            "b": self.b,
            "method": self.method,
            "analyzer": self.analyzer_name,
            "norms": self.norms,
        }


class MultifieldBM25Retriever:
    """Multifield BM25: each field its own BM25 index, scores summed with a weight per field.

    Args:
        fields: ``{field: weight}``; ``"title"`` and ``"text"`` are BEIR's (Pyserini's BEIR
            multifield runs weight both 1.0).
        k1: term-frequency saturation (every field).
        b: length normalization (every field, against that field's average length).
        method: bm25s variant.
        analyzer: as :class:`BM25Retriever`.
        norms: as :class:`BM25Retriever` (each field's lengths).

    References:
        arXiv:2306.07471 (Pyserini's multifield BEIR baseline); Robertson et al., "Simple
        BM25 extension to multiple weighted fields", CIKM 2004 (which argues for BM25F
        instead; Lucene and Pyserini sum per-field scores, as here).

    Example:
        >>> corpus = {"d1": {"title": "lift", "text": "wings"}, "d2": {"title": "heat", "text": "lift"}}
        >>> run = MultifieldBM25Retriever({"title": 2.0, "text": 1.0}).fit(corpus).search({"q": "lift"})
        >>> list(run["q"])  # a title match weighs double
        ['d1', 'd2']
    """

    def __init__(
        self,
        fields: Mapping[str, float] | None = None,
        k1: float = 0.9,
        b: float = 0.4,
        method: str = "lucene",
        analyzer: str | Callable[[str], list[str]] = "lucene",
        norms: str = "lucene",
    ) -> None:
        _check(k1, b)
        if norms not in ("lucene", "exact"):
            raise BadInput(f"norms must be lucene or exact, got {norms!r}")
        self.norms = norms if method == "lucene" else "exact"
        self.fields = dict(fields or {"title": 1.0, "text": 1.0})
        if not self.fields or not all(np.isfinite(w) and w >= 0 for w in self.fields.values()):
            raise BadInput(f"field weights must be finite and >= 0, got {self.fields}")
        self.k1, self.b, self.method = k1, b, method
        self.analyzer_name = analyzer if isinstance(analyzer, str) else "custom"
        self.analyze = _analyzer(analyzer)
        self.doc_ids: list[str] = []
        self._indexes: dict[str, bm25s.BM25] = {}

    def fit(self, corpus: Mapping[str, Mapping[str, str]]) -> MultifieldBM25Retriever:
        """Index each field of a BEIR corpus separately (a field with no terms anywhere is skipped)."""
        if not corpus:
            raise BadInput("the corpus is empty; BM25 needs at least one document")
        self.doc_ids = list(corpus)
        self._indexes = {}
        for name in self.fields:
            terms = self.analyze([d.get(name, "") or "" for d in corpus.values()])
            if any(terms):
                self._indexes[name] = _index(terms, self.k1, self.b, self.method, self.norms)
        return self

    def scores(self, query: str) -> np.ndarray:
        """The weighted sum of the fields' BM25 scores of every document for one query.

        Shapes:
            ``-> (len(corpus),)``, float32.
        """
        if not self.doc_ids:
            raise BadInput("call fit(corpus) before search(queries)")
        (terms,) = self.analyze([query])
        total = np.zeros(len(self.doc_ids), dtype=np.float32)
        for name, index in self._indexes.items():
            known = _known(index, terms)
            if known and self.fields[name]:
                total += self.fields[name] * index.get_scores(known)
        return total

    def search(self, queries: Mapping[str, str], k: int = 1000) -> Run:
        """Top-``k`` documents per query as a BEIR run (zero-score documents left out)."""
        if k < 1:
            raise BadInput(f"k must be at least 1, got {k}")
        run: Run = {}
        for qid, text in queries.items():
            scores = self.scores(text)
            run[qid] = {self.doc_ids[int(i)]: float(scores[i]) for i in _top(scores, k)}
        return run

    def get_config_dict(self) -> dict[str, object]:
        """The parameters that define the run."""
        return {
            "fields": self.fields,
            "k1": self.k1,
            "b": self.b,
            "method": self.method,
            "analyzer": self.analyzer_name,
            "norms": self.norms,
        }

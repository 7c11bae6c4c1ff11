"""Resources for Brewing BEIR: reference retrievers on BEIR-format data and their evaluation.

The paper (Kamalloo et al., arXiv:2306.07471) fixes reproducible reference models for BEIR
-- flat BM25 among them -- and scores them with trec_eval's measures. This folder runs
reference retrievers by name (:func:`retrieve`: BM25, a dense bi-encoder, their fusion) over
the BEIR layout that :func:`load_beir` reads, and holds the ``retrieval.beir.cranfield``
reproduction. The building blocks (BM25, dense search, metrics, run files) are in
:mod:`rl_retrieval.core`, which LIMIT shares.

References:
    Kamalloo, Thakur, Lassance, Ma, Yang, Lin, "Resources for Brewing BEIR: Reproducible
    Reference Models and an Official Leaderboard", arXiv:2306.07471; Thakur et al., "BEIR",
    arXiv:2104.08663.

Example:
    >>> from rl_retrieval.beir import BeirData, retrieve
    >>> data = BeirData({"d1": {"title": "", "text": "wing lift"}}, {"q": "lift"}, {"q": {"d1": 1}})
    >>> retrieve(data.corpus, data.queries, "bm25", k=1)["q"].keys()
    dict_keys(['d1'])
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "BeirData": "rl_retrieval.core.beir_format",
    "load_beir": "rl_retrieval.core.beir_format",
    "write_beir": "rl_retrieval.core.beir_format",
    "RETRIEVERS": "rl_retrieval.beir.retrievers",
    "retrieve": "rl_retrieval.beir.retrievers",
}

__all__ = ["RETRIEVERS", "BeirData", "load_beir", "retrieve", "write_beir"]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

"""Reproduction ``retrieval.beir.cranfield``: BM25 vs MiniLM vs their RRF fusion on Cranfield.

The reference-retriever protocol of "Resources for Brewing BEIR" on a collection that ships
offline: a lexical baseline (BM25, Lucene variant), a dense bi-encoder (MiniLM) and their
reciprocal-rank fusion, scored with pytrec_eval's nDCG@10 and MAP@100 on Cranfield's graded
qrels. The smoke size keeps the first 10 judged queries and a 120-document corpus holding
their judged documents.

References:
    Kamalloo et al., "Resources for Brewing BEIR: Reproducible Reference Models and an
    Official Leaderboard", arXiv:2306.07471; Cleverdon, "The Cranfield tests on index
    language devices" (1967); Cormack et al., "Reciprocal Rank Fusion", SIGIR 2009;
    Reimers & Gurevych, arXiv:1908.10084.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rl_retrieval.core.plots import bar_chart
from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext

if TYPE_CHECKING:
    from rl_retrieval.core.beir_format import BeirData

__all__ = ["CRANFIELD", "run_cranfield", "subsample"]

MEASURES = ("nDCG@10", "AP@100")


def subsample(data: BeirData, queries: int, docs: int) -> BeirData:
    """The first ``queries`` judged queries and a corpus of at most ``docs`` documents.

    The corpus keeps every document those queries judge, then fills up with the remaining
    documents in corpus order (the judged ones always stay, even beyond ``docs``).

    Example:
        >>> from rl_retrieval.core.beir_format import BeirData
        >>> corpus = {f"d{i}": {"title": "", "text": str(i)} for i in range(5)}
        >>> data = BeirData(corpus, {"a": "x", "b": "y"}, {"a": {"d4": 1}, "b": {"d0": 1}})
        >>> small = subsample(data, queries=1, docs=2)
        >>> list(small.queries), list(small.corpus)
        (['a'], ['d0', 'd4'])
    """
    from rl_retrieval.core.beir_format import BeirData

    qids = list(data.queries)[:queries]
    judged = {d for q in qids for d in data.qrels[q]}
    keep = set(judged)
    for did in data.corpus:
        if len(keep) >= docs:
            break
        keep.add(did)
    corpus = {d: doc for d, doc in data.corpus.items() if d in keep}
    return BeirData(corpus, {q: data.queries[q] for q in qids}, {q: data.qrels[q] for q in qids})


def run_cranfield(ctx: RunContext) -> Result:
    """Evaluate BM25, MiniLM and RRF(BM25, MiniLM) on Cranfield (graded qrels)."""
    from rl_retrieval.core.bm25 import BM25Retriever
    from rl_retrieval.core.datasets import load_dataset
    from rl_retrieval.core.dense import DenseRetriever
    from rl_retrieval.core.fusion import reciprocal_rank_fusion
    from rl_retrieval.core.metrics import evaluate

    data = load_dataset("cranfield")
    if ctx.size == "smoke":
        data = subsample(data, queries=10, docs=120)
    runs = {}
    for name in ctx.track(["bm25", "minilm"], "retrievers"):
        if name == "bm25":
            runs[name] = BM25Retriever().fit(data.corpus).search(data.queries, 1000)
        else:
            runs[name] = DenseRetriever("minilm").search(data.corpus, data.queries, 1000)
    runs["rrf"] = reciprocal_rank_fusion([runs["bm25"], runs["minilm"]])
    table = {name: evaluate(data.qrels, run, MEASURES) for name, run in runs.items()}
    metrics = {
        f"{s}.{m.replace('AP@100', 'MAP@100')}": round(v, 4)
        for s, vals in table.items()
        for m, v in vals.items()
    }
    peer = "BM25 (bm25s, Lucene variant, k1=0.9, b=0.4) measured in this run"
    anchors = [
        Anchor(
            "minilm.nDCG@10",
            metrics["bm25.nDCG@10"],
            peer,
            "the lexical baseline the dense model is compared with",
        ),
        Anchor(
            "rrf.nDCG@10",
            max(metrics["bm25.nDCG@10"], metrics["minilm.nDCG@10"]),
            "best single retriever in this run",
        ),
    ]
    fig = bar_chart(
        {
            s: {m.replace("AP@100", "MAP@100"): v for m, v in vals.items()}
            for s, vals in table.items()
        },
        "Cranfield: BM25, MiniLM, RRF",
    )
    plot = ctx.save_figure(fig, "cranfield.png").name
    rows = "\n".join(
        f"| {s} | {table[s]['nDCG@10']:.4f} | {table[s]['AP@100']:.4f} |" for s in table
    )
    details = f"{len(data.corpus)} documents, {len(data.queries)} queries.\n\n| system | nDCG@10 | MAP@100 |\n|---|---|---|\n{rows}\n"
    summary = (
        f"nDCG@10: BM25 {metrics['bm25.nDCG@10']:.3f}, MiniLM {metrics['minilm.nDCG@10']:.3f}, "
        f"RRF {metrics['rrf.nDCG@10']:.3f}"
    )
    return Result(metrics, anchors, [ctx.seed], summary=summary, details=details, plots=[plot])


CRANFIELD = Reproduction(
    name="retrieval.beir.cranfield",
    summary="Cranfield: BM25 vs MiniLM vs reciprocal-rank fusion (nDCG@10, MAP@100)",
    run=run_cranfield,
    datasets=("cranfield",),
    paper="Resources for Brewing BEIR, arXiv:2306.07471; Reciprocal Rank Fusion (SIGIR 2009)",
)

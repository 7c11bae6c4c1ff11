"""Reproduction ``retrieval.cranfield``: BM25 vs MiniLM vs their RRF fusion on Cranfield.

References:
    Cleverdon, "The Cranfield tests on index language devices" (1967); Cormack et al.,
    "Reciprocal Rank Fusion", SIGIR 2009; Reimers & Gurevych, arXiv:1908.10084.
"""

from __future__ import annotations

from rl_retrieval.reproductions._plot import bar_chart
from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext

__all__ = ["REPRODUCTION", "run"]

MEASURES = ("nDCG@10", "AP@100")


def run(ctx: RunContext) -> Result:
    """Evaluate BM25, MiniLM and RRF(BM25, MiniLM) on Cranfield (graded qrels)."""
    from rl_retrieval.bm25 import BM25Retriever
    from rl_retrieval.datasets import load_dataset
    from rl_retrieval.dense import DenseRetriever
    from rl_retrieval.fusion import reciprocal_rank_fusion
    from rl_retrieval.metrics import evaluate

    data = load_dataset("cranfield")
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
    plot = bar_chart(
        {
            s: {m.replace("AP@100", "MAP@100"): v for m, v in vals.items()}
            for s, vals in table.items()
        },
        "Cranfield: BM25, MiniLM, RRF",
        ctx.out_dir / "cranfield.png",
    )
    rows = "\n".join(
        f"| {s} | {table[s]['nDCG@10']:.4f} | {table[s]['AP@100']:.4f} |" for s in table
    )
    details = f"{len(data.corpus)} documents, {len(data.queries)} queries.\n\n| system | nDCG@10 | MAP@100 |\n|---|---|---|\n{rows}\n"
    summary = (
        f"nDCG@10: BM25 {metrics['bm25.nDCG@10']:.3f}, MiniLM {metrics['minilm.nDCG@10']:.3f}, "
        f"RRF {metrics['rrf.nDCG@10']:.3f}"
    )
    return Result(metrics, anchors, [ctx.seed], summary=summary, details=details, plots=[plot])


REPRODUCTION = Reproduction(
    name="retrieval.cranfield",
    summary="Cranfield: BM25 vs MiniLM vs reciprocal-rank fusion (nDCG@10, MAP@100)",
    run=run,
    datasets=("cranfield",),
    paper="Cranfield collection; Reciprocal Rank Fusion (SIGIR 2009)",
)

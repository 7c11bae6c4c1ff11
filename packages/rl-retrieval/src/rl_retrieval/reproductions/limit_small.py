"""Reproduction ``retrieval.limit-small``: BM25 vs MiniLM on LIMIT-small (recall@2/10/20).

References:
    Weller et al., "On the Theoretical Limitations of Embedding-Based Retrieval",
    arXiv:2508.21038, LIMIT-small results.
"""

from __future__ import annotations

from rl_retrieval.reproductions._plot import bar_chart
from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext

__all__ = ["REPRODUCTION", "run"]

MEASURES = ("R@2", "R@10", "R@20")
SOURCE = "Weller et al. 2025, arXiv:2508.21038, LIMIT-small"


def run(ctx: RunContext) -> Result:
    """Retrieve LIMIT-small with BM25 and MiniLM and report recall@2/10/20 (in %)."""
    from rl_retrieval.bm25 import BM25Retriever
    from rl_retrieval.datasets import load_dataset
    from rl_retrieval.dense import DenseRetriever
    from rl_retrieval.metrics import evaluate

    data = load_dataset("limit-small")
    systems = {
        "bm25": lambda: BM25Retriever().fit(data.corpus).search(data.queries, 100),
        "minilm": lambda: DenseRetriever("minilm").search(data.corpus, data.queries, 100),
    }
    table: dict[str, dict[str, float]] = {}
    for name in ctx.track(list(systems), "retrievers"):
        table[name] = evaluate(data.qrels, systems[name](), MEASURES)
    metrics = {
        f"{s}.recall@{m[2:]}": round(100 * v, 2)
        for s, vals in table.items()
        for m, v in vals.items()
    }
    anchors = [
        Anchor("minilm.recall@2", 29.5, SOURCE, "E5-Mistral 7B, not MiniLM"),
        Anchor("minilm.recall@10", 68.1, SOURCE, "E5-Mistral 7B, not MiniLM"),
        Anchor("minilm.recall@20", 85.2, SOURCE, "E5-Mistral 7B, not MiniLM"),
        Anchor("bm25.recall@2", "near 100", SOURCE, "BM25 is near perfect on LIMIT"),
    ]
    plot = bar_chart(
        {s: {m.replace("R@", "recall@"): v for m, v in vals.items()} for s, vals in table.items()},
        "LIMIT-small: BM25 vs MiniLM",
        ctx.out_dir / "limit_small_recall.png",
    )
    rows = "\n".join(
        f"| {s} | " + " | ".join(f"{100 * table[s][m]:.1f}" for m in MEASURES) + " |" for s in table
    )
    details = (
        "| system | recall@2 | recall@10 | recall@20 |\n|---|---|---|---|\n"
        + rows
        + "\n| E5-Mistral (paper) | 29.5 | 68.1 | 85.2 |\n"
    )
    summary = (
        f"BM25 recall@2 {metrics['bm25.recall@2']:.1f} vs MiniLM {metrics['minilm.recall@2']:.1f}: "
        "the lexical model solves LIMIT-small, the single-vector model does not"
    )
    return Result(metrics, anchors, [ctx.seed], summary=summary, details=details, plots=[plot])


REPRODUCTION = Reproduction(
    name="retrieval.limit-small",
    summary="LIMIT-small: BM25 vs a single-vector embedding model (MiniLM), recall@2/10/20",
    run=run,
    datasets=("limit-small",),
    paper="On the Theoretical Limitations of Embedding-Based Retrieval, arXiv:2508.21038",
)

"""What the KaLM and CoDiEmb reproductions share: data, mining once, and the two scores.

Training data: STS-B / SICK positive pairs (:func:`rl_text.tasks.positive_pairs`) and the
training half of Cranfield's queries (one example per relevant document for in-batch
training; every relevant document as a positive for CoDiEmb). Scores: STS-B test Spearman
(cosine) and nDCG@10 on the held-out half of Cranfield's queries. ``quick`` shrinks
everything: 300 training pairs, 60 training queries mined against their relevant documents
plus 200 others, 40 held-out queries over their relevant documents plus 100 others, 150
STS-B test pairs, 600 STS-B training pairs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

__all__ = ["JointData", "load_joint", "plot_rows", "score"]


@dataclass
class JointData:
    """Training examples and test sets for joint STS + retrieval runs."""

    pairs: Any  # Examples with mined negatives
    queries: Any  # Examples: one (query, relevant doc) per row, with mined negatives
    multi: Any  # Examples: each query with all its relevant documents, mined negatives
    sts_train: Any
    sts_test: Any
    retrieval_test: Any


def _doc(d: dict) -> str:
    return f"{d.get('title', '')} {d.get('text', '')}".strip()


def _shrink(data: Any, n_queries: int, n_others: int, rng: random.Random) -> Any:
    """``n_queries`` of the queries, over their relevant documents plus ``n_others`` more."""
    from rl_retrieval.beir import BeirData

    qids = sorted(rng.sample(sorted(data.qrels), min(n_queries, len(data.qrels))))
    relevant = {d for q in qids for d in data.qrels[q]}
    others = sorted(set(data.corpus) - relevant)
    chosen = relevant | set(rng.sample(others, min(n_others, len(others))))
    return BeirData(
        {d: data.corpus[d] for d in data.corpus if d in chosen},
        {q: data.queries[q] for q in qids},
        {q: data.qrels[q] for q in qids},
    )


def load_joint(
    model: Any, quick: bool, seed: int, negatives: int = 2, margin: float = 0.05
) -> JointData:
    """Build the training examples (negatives mined with ``model``) and the test sets."""
    from rl_text.sts import StsPairs, load_stsb
    from rl_text.tasks import (
        Examples,
        cranfield_split,
        mine_negatives,
        positive_pairs,
        retrieval_examples,
    )

    rng = random.Random(seed)
    train, test = cranfield_split(seed=0)
    docs = [_doc(d) for d in train.corpus.values()]
    multi = retrieval_examples(train)
    pairs = positive_pairs()
    if quick:
        keep = sorted(rng.sample(range(len(pairs)), 300))
        pairs = Examples([pairs.anchors[i] for i in keep], [pairs.positives[i] for i in keep])
        test = _shrink(test, 40, 100, rng)
        small = _shrink(train, 60, 200, rng)
        multi = retrieval_examples(small)
        docs = [_doc(d) for d in small.corpus.values()]
    multi = Examples(
        multi.anchors,
        multi.positives,
        mine_negatives(model, multi.anchors, multi.positives, docs, num=negatives, margin=margin),
    )
    pool = list(dict.fromkeys([*pairs.anchors, *(p for ps in pairs.positives for p in ps)]))
    pairs = Examples(
        pairs.anchors,
        pairs.positives,
        mine_negatives(model, pairs.anchors, pairs.positives, pool, num=negatives, margin=margin),
    )
    single = Examples(
        [a for a, ps in zip(multi.anchors, multi.positives) for _ in ps],
        [[p] for ps in multi.positives for p in ps],
        [n for n, ps in zip(multi.negatives, multi.positives) for _ in ps],
    )
    sts_test = load_stsb("test")
    if quick:
        rows = sorted(rng.sample(range(len(sts_test)), 150))
        cols = (sts_test.sentences1, sts_test.sentences2, sts_test.scores)
        sts_test = StsPairs(*([c[i] for i in rows] for c in cols))
    sts_train = load_stsb("train")
    if quick:
        sts_train = sts_train.head(600)
    return JointData(pairs, single, multi, sts_train, sts_test, test)


def score(model: Any, data: JointData) -> dict[str, float]:
    """``{"stsb": Spearman, "cranfield_ndcg10": nDCG@10}`` of ``model``."""
    from rl_text.evaluation import evaluate_sts
    from rl_text.tasks import retrieval_ndcg

    model.eval()
    return {
        "stsb": round(evaluate_sts(model, data.sts_test)["spearman"], 4),
        "cranfield_ndcg10": round(retrieval_ndcg(model, data.retrieval_test), 4),
    }


def plot_rows(rows: dict[str, dict[str, float]], path: Any, title: str) -> None:
    """STS-B Spearman against Cranfield nDCG@10, one labelled point per model."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for i, (name, r) in enumerate(rows.items()):
        ax.scatter(r["cranfield_ndcg10"], r["stsb"], color=f"C{i % 10}", label=name)
    ax.set(xlabel="Cranfield nDCG@10 (held-out queries)", ylabel="STS-B test Spearman", title=title)
    ax.legend(fontsize=7, loc="best")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)

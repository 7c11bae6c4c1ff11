"""``text.codiemb``: joint STS + retrieval training, and delta-guided fusion vs a model soup.

From all-MiniLM-L6-v2, with the same steps and seed: STS-only (order-aware CoSENT + Pearson +
rank-KL on STS-B train), retrieval-only (multi-positive InfoNCE with 2 positives and 2 mined
hard negatives on Cranfield's training queries), naive co-training (both tasks, one batch
size, proportional sampling, single-positive InfoNCE without hard negatives, CoSENT alone)
and CoDiEmb (single-task batches of 16 queries / 32 pairs from the dynamic sampler, the
task-specific losses). Merges without more training: the uniform soup and the delta-guided
fusion of CoDiEmb's three checkpoints (a third, two thirds and all of the steps), and of the
STS-only and retrieval-only specialists. Every model is scored on STS-B test (Spearman) and on
Cranfield's held-out queries (nDCG@10), sequences cut at 128 tokens (64 in ``quick``, 32 in
``smoke``). ``quick``: 6 steps and the subsets of :mod:`rl_text.core.joint`; ``full``: 90
steps; ``smoke``: 2 steps of 4 queries / 8 pairs on the smoke subsets, merging CoDiEmb's
two checkpoints only.

References:
    Zhang et al., "CoDiEmb: A Collaborative yet Distinct Framework for Unified Representation
    Learning in Information Retrieval and Semantic Textual Similarity", arXiv:2508.11442.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext

__all__ = ["REPRODUCTION", "run"]

MAX_LENGTH = 128
QUICK_LENGTH = 64
SMOKE_LENGTH = 32


def _load(path: str | Path = "minilm", length: int = MAX_LENGTH, device: str = "auto"):
    from rl_shared.models import load_sentence_transformer

    model = load_sentence_transformer(path, device=device)
    model.max_seq_length = length
    return model


def run(ctx: RunContext) -> Result:
    """Train the four regimes, merge, and score every model on STS-B and Cranfield.

    Args:
        ctx: the harness's run context (output folder, size, seed, progress).

    Returns:
        STS and retrieval scores of every regime and merge, the anchors and ``codiemb.png``.

    Example:
        The harness calls it with a :class:`~rl_shared.reproduce.RunContext`; even the smoke
        size needs the STS-B, SICK-R and Cranfield data, so only its registration is shown here:

        >>> REPRODUCTION.run is run, REPRODUCTION.datasets, REPRODUCTION.folder
        (True, ('stsb', 'sick', 'cranfield'), 'rl_text.codiemb')
    """
    from rl_text.codiemb.train import train_codiemb
    from rl_text.core.joint import load_joint, plot_rows, score
    from rl_text.core.soup import merge_models

    steps, q_batch, s_batch = ctx.pick(smoke=(2, 4, 8), quick=(6, 8, 16), full=(90, 16, 32))
    length = ctx.pick(smoke=SMOKE_LENGTH, quick=QUICK_LENGTH, full=MAX_LENGTH)
    dev, precision = ctx.device, ctx.precision
    data = load_joint(_load(length=length, device=dev), ctx.size, ctx.seed, precision=precision)
    base = _load(length=length, device=dev)
    rows = {"base (no training)": score(base, data, precision=precision)}
    regimes = {
        "STS only": dict(retrieval=None, sts=data.sts_train),
        "retrieval only": dict(retrieval=data.multi, sts=None),
        "naive co-training": dict(retrieval=data.multi, sts=data.sts_train, naive=True),
        "CoDiEmb": dict(retrieval=data.multi, sts=data.sts_train),
    }
    trained = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, kwargs in ctx.track(list(regimes.items()), "CoDiEmb regimes"):
            model = _load(length=length, device=dev)
            out = Path(tmp) / name.replace(" ", "-")
            # only CoDiEmb's checkpoints are merged; smoke skips the others' checkpoints
            every = max(1, steps // 3)
            if ctx.size == "smoke" and name != "CoDiEmb":
                every = None
            train_codiemb(
                model, out=out, steps=steps, retrieval_batch_size=q_batch, sts_batch_size=s_batch,
                learning_rate=3e-5, seed=ctx.seed, show_progress=False,
                save_steps=every, save_total_limit=None, device=dev, precision=precision,
                **kwargs,
            )  # fmt: skip
            trained[name] = model
            rows[name] = score(model, data, precision=precision)
        checkpoints = sorted(
            (Path(tmp) / "CoDiEmb" / "checkpoints").glob("checkpoint-*"),
            key=lambda p: int(p.name.split("-")[-1]),
        )[-3:]
        ckpt_models = [_load(p, length, dev) for p in checkpoints]
        specialists = [trained["STS only"], trained["retrieval only"]]
        merges = {
            "CoDiEmb checkpoints: soup": merge_models(ckpt_models),
            "CoDiEmb checkpoints: delta fusion": merge_models(
                ckpt_models, method="delta", base=base
            ),
        }
        if ctx.size != "smoke":  # smoke merges the checkpoints only
            merges["specialists: soup"] = merge_models(specialists)
            merges["specialists: delta fusion"] = merge_models(
                specialists, method="delta", base=base
            )
        for name, model in merges.items():
            model.max_seq_length = length
            rows[name] = score(model, data, precision=precision)
    ctx.save_figure(plot_rows(rows, "CoDiEmb: regimes and merges"), "codiemb.png")
    metrics = {f"{name}/{k}": v for name, r in rows.items() for k, v in r.items()}
    table = "\n".join(
        [
            "| model | STS-B Spearman | Cranfield nDCG@10 |",
            "|---|---|---|",
            *(f"| {n} | {r['stsb']:.4f} | {r['cranfield_ndcg10']:.4f} |" for n, r in rows.items()),
        ]
    )
    size = (
        f"{steps} steps (retrieval batches of {q_batch} queries, STS batches of {s_batch} pairs), "
        f"lr 3e-5, seed {ctx.seed}; {len(data.multi)} training queries, {len(data.sts_train)} "
        f"STS-B training pairs; {len(data.sts_test)} STS-B test pairs, "
        f"{len(data.retrieval_test.queries)} held-out queries over "
        f"{len(data.retrieval_test.corpus)} documents; checkpoints {[p.name for p in checkpoints]}"
    )
    co, naive = rows["CoDiEmb"], rows["naive co-training"]
    return Result(
        metrics=metrics,
        anchors=[
            Anchor(
                "CoDiEmb/stsb",
                "CoDiEmb avoids the trade-off of naive co-training on both IR and STS",
                "Zhang et al., arXiv:2508.11442 (15 IR and STS benchmarks, three encoders)",
                "MiniLM, Cranfield + STS-B, few steps here",
            ),
            Anchor(
                "CoDiEmb checkpoints: delta fusion/stsb",
                "delta-guided fusion beats a model soup",
                "Zhang et al., arXiv:2508.11442",
            ),
        ],
        seeds=[ctx.seed],
        summary=(
            f"CoDiEmb STS-B {co['stsb']:.3f} / nDCG@10 {co['cranfield_ndcg10']:.3f} vs naive "
            f"co-training {naive['stsb']:.3f} / {naive['cranfield_ndcg10']:.3f}"
        ),
        details=f"{size}\n\n{table}",
        plots=["codiemb.png"],
    )


REPRODUCTION = Reproduction(
    "text.codiemb",
    "CoDiEmb: STS-only, retrieval-only, naive co-training, CoDiEmb; delta fusion vs soup",
    run,
    datasets=("stsb", "sick", "cranfield"),
    paper="CoDiEmb, arXiv:2508.11442",
)

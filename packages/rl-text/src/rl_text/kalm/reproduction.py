"""``text.kalm``: the KaLM-Embedding-V2 techniques switched off one at a time.

From all-MiniLM-L6-v2, each configuration trains on the same examples — STS-B pairs scored ≥ 4,
SICK entailment pairs and (query, relevant document) pairs of Cranfield's training queries,
with hard negatives mined once by the base model (false-negative margin 0.05) — for the same
steps and seed, and is scored on STS-B test (Spearman) and on Cranfield's held-out queries
(nDCG@10). Configurations: the full recipe (mean pooling, one mined negative, focal γ = 1,
8 mixed negatives, a soup of the last 3 checkpoints), and the full recipe without each
technique (CLS pooling in place of mean pooling). Sequences are cut at 128 tokens for every
model, the base included (64 in ``quick``, 32 in ``smoke``). ``quick``: 6 steps of 16 and
the subsets of :mod:`rl_text.core.joint`; ``full``: 60 steps of 32. ``smoke``: the full
recipe (with a soup of 2) and the recipe without the soup only, 2 steps of 8, the smoke
subsets of :mod:`rl_text.core.joint`.

References:
    Zhao et al., "KaLM-Embedding-V2", arXiv:2506.20923.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace

from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext
from rl_text.kalm.train import KalmRecipe

__all__ = ["CONFIGS", "REPRODUCTION", "run"]

FULL = KalmRecipe()
CONFIGS = {
    "full recipe": FULL,
    "- mined negatives": replace(FULL, hard_negatives=0),
    "- focal": replace(FULL, focal_gamma=0.0),
    "- mixing": replace(FULL, mixed_negatives=0),
    "- soup": replace(FULL, soup=1),
    "- mean pooling (cls)": replace(FULL, pooling="cls"),
}
#: what ``smoke`` trains: the whole path (mining, focal, mixing, a soup) in two runs
SMOKE_CONFIGS = {"full recipe": replace(FULL, soup=2), "- soup": replace(FULL, soup=1)}
MAX_LENGTH = 128
QUICK_LENGTH = 64
SMOKE_LENGTH = 32


def _load(length: int = MAX_LENGTH, device: str = "auto"):
    from rl_shared.models import load_sentence_transformer

    model = load_sentence_transformer("minilm", device=device)
    model.max_seq_length = length
    return model


def run(ctx: RunContext) -> Result:
    """Mine once, train every configuration, score each on STS-B and Cranfield.

    Args:
        ctx: the harness's run context (output folder, size, seed, progress).

    Returns:
        STS and retrieval scores of every configuration, the anchors and ``kalm.png``.

    Example:
        The harness calls it with a :class:`~rl_shared.reproduce.RunContext`; even the smoke
        size needs the STS-B, SICK-R and Cranfield data, so only its registration is shown here:

        >>> REPRODUCTION.run is run, REPRODUCTION.datasets, REPRODUCTION.folder
        (True, ('stsb', 'sick', 'cranfield'), 'rl_text.kalm')
    """
    from rl_text.core.joint import load_joint, plot_rows, score
    from rl_text.kalm.train import train_kalm

    steps, batch = ctx.pick(smoke=(2, 8), quick=(6, 16), full=(60, 32))
    length = ctx.pick(smoke=SMOKE_LENGTH, quick=QUICK_LENGTH, full=MAX_LENGTH)
    configs = ctx.pick(smoke=SMOKE_CONFIGS, quick=CONFIGS, full=CONFIGS)
    dev, precision = ctx.device, ctx.precision
    data = load_joint(
        _load(length, dev), ctx.size, ctx.seed, negatives=FULL.hard_negatives, precision=precision
    )
    examples = data.pairs + data.queries
    rows = {"base (no training)": score(_load(length, dev), data, precision=precision)}
    for name, recipe in ctx.track(list(configs.items()), "KaLM ablation"):
        model = _load(length, dev)
        with tempfile.TemporaryDirectory() as tmp:
            train_kalm(
                model,
                examples,
                tmp,
                recipe,
                steps=steps,
                batch_size=batch,
                learning_rate=3e-5,
                seed=ctx.seed,
                show_progress=False,
                device=dev,
                precision=precision,
            )  # fmt: skip  (the model is trained, and souped, in place)
        rows[name] = score(model, data, precision=precision)
    ctx.save_figure(plot_rows(rows, "KaLM-Embedding-V2 recipe: each technique off"), "kalm.png")
    metrics = {f"{name}/{k}": v for name, r in rows.items() for k, v in r.items()}
    full = rows["full recipe"]
    table = "\n".join(
        [
            "| configuration | STS-B Spearman | Cranfield nDCG@10 |",
            "|---|---|---|",
            *(f"| {n} | {r['stsb']:.4f} | {r['cranfield_ndcg10']:.4f} |" for n, r in rows.items()),
        ]
    )
    size = (
        f"{len(examples)} training examples, {steps} steps × {batch}, lr 3e-5, seed {ctx.seed}; "
        f"{len(data.sts_test)} STS-B test pairs, {len(data.retrieval_test.queries)} held-out "
        f"Cranfield queries over {len(data.retrieval_test.corpus)} documents"
    )
    return Result(
        metrics=metrics,
        anchors=[
            Anchor(
                "full recipe/stsb",
                "each technique helps the full recipe",
                "Zhao et al., KaLM-Embedding-V2, arXiv:2506.20923 (ablations on MTEB)",
                "Qwen2-0.5B on large mixed data there; MiniLM and a few steps here",
            )
        ],
        seeds=[ctx.seed],
        summary=(
            f"full recipe STS-B {full['stsb']:.3f} / nDCG@10 {full['cranfield_ndcg10']:.3f} vs base "
            f"{rows['base (no training)']['stsb']:.3f} / "
            f"{rows['base (no training)']['cranfield_ndcg10']:.3f} ({size})"
        ),
        details=f"{size}\n\n{table}",
        plots=["kalm.png"],
    )


REPRODUCTION = Reproduction(
    "text.kalm",
    "KaLM-Embedding-V2 recipe ablation: each technique off, STS-B and Cranfield",
    run,
    datasets=("stsb", "sick", "cranfield"),
    paper="KaLM-Embedding-V2, arXiv:2506.20923",
)

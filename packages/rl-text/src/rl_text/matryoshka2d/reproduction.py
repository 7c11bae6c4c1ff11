"""``text.2dmse``: STS-B test Spearman on a layers × dims grid for four training regimes.

Base all-MiniLM-L6-v2 (no training), Matryoshka-only (sentence-transformers'
``MatryoshkaLoss``), our :class:`rl_text.matryoshka2d.Matryoshka2dLoss` and
sentence-transformers' ``Matryoshka2dLoss`` (defaults), each trained from the base model on
STS-B train with CoSENT as inner loss, same seed, steps and batches; evaluated at layers
1…6 and widths 384, 256, 128, 64, 32. ``smoke``: 1 step of 4 pairs, 24 test pairs.
``quick``: 8 steps of 16 pairs (learning rate 1e-4), 150 test pairs drawn at random
(seeded). ``full``: 180 steps of 32 pairs (5e-5; one epoch of STS-B train), all 1,379 test
pairs.

References:
    Li et al., "2D Matryoshka Sentence Embeddings", arXiv:2402.14776.
"""

from __future__ import annotations

import tempfile

from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext

__all__ = ["REPRODUCTION", "run"]

LAYERS = (1, 2, 3, 4, 5, 6)
DIMS = (384, 256, 128, 64, 32)
#: regime name in the metrics -> the ``loss`` of :func:`rl_text.matryoshka2d.train_sts`
METHODS = {
    "base": None,
    "matryoshka": "matryoshka",
    "2dmse": "ours",
    "st-2dmse": "sentence-transformers",
}


def _plot(grids: dict[str, dict]):
    import numpy as np

    from rl_shared.plotting import subplots

    fig, axes = subplots(1, len(grids), figsize=(4 * len(grids), 3.6), sharey=True)
    for ax, (name, grid) in zip(axes, grids.items()):
        mat = np.array([[grid[(layer, d)]["spearman"] for d in DIMS] for layer in LAYERS])
        im = ax.imshow(mat, vmin=0.3, vmax=0.9, cmap="viridis", origin="lower", aspect="auto")
        for i, j in np.ndindex(mat.shape):
            ax.text(j, i, f"{mat[i, j]:.2f}", ha="center", va="center", fontsize=7, color="w")
        ax.set_xticks(range(len(DIMS)), [str(d) for d in DIMS])
        ax.set_yticks(range(len(LAYERS)), [str(layer) for layer in LAYERS])
        ax.set_xlabel("dims")
        ax.set_title(name)
    axes[0].set_ylabel("layers")
    fig.colorbar(im, ax=list(axes), shrink=0.8, label="STS-B test Spearman")
    fig.suptitle("2DMSE: STS-B test Spearman by layers × dims")
    return fig


def _table(grid: dict) -> str:
    head = "| layer | " + " | ".join(str(d) for d in DIMS) + " |\n|---|" + "---|" * len(DIMS)
    rows = [
        f"| {layer} | " + " | ".join(f"{grid[(layer, d)]['spearman']:.4f}" for d in DIMS) + " |"
        for layer in LAYERS
    ]
    return "\n".join([head, *rows])


def run(ctx: RunContext) -> Result:
    """Train the three regimes, evaluate the four grids, plot heatmaps.

    Args:
        ctx: the harness's run context (output folder, size, seed, progress).

    Returns:
        STS-B Spearman at chosen (layer, width) cells and each grid's mean, the anchors and
        ``heatmaps.png``.

    Example:
        The harness calls it with a :class:`~rl_shared.reproduce.RunContext`; even the smoke
        size needs STS-B and MiniLM training, so only its registration is shown here:

        >>> REPRODUCTION.run is run, REPRODUCTION.datasets, REPRODUCTION.folder
        (True, ('stsb',), 'rl_text.matryoshka2d')
    """
    from rl_shared.models import load_sentence_transformer
    from rl_shared.sts import load_stsb
    from rl_text.core.evaluation import evaluate_sts_grid, subsample
    from rl_text.matryoshka2d.train import train_sts

    steps, batch, lr, n_test = ctx.pick(
        smoke=(1, 4, 1e-4, 24), quick=(8, 16, 1e-4, 150), full=(180, 32, 5e-5, None)
    )
    train = load_stsb("train")
    test = subsample(load_stsb("test"), n_test, ctx.seed)
    grids: dict[str, dict] = {}
    for name, method in ctx.track(list(METHODS.items()), "train + evaluate"):
        model = load_sentence_transformer("minilm", device=ctx.device)
        if method is not None:
            with tempfile.TemporaryDirectory() as tmp:
                train_sts(
                    model,
                    train,
                    tmp,
                    loss=method,
                    steps=steps,
                    batch_size=batch,
                    seed=ctx.seed,
                    save_steps=None,
                    show_progress=False,
                    save_model=False,  # trained in place; nothing to keep
                    device=ctx.device,
                    precision=ctx.precision,
                )
        grids[name] = evaluate_sts_grid(
            model, test, LAYERS, DIMS, batch_size=64, precision=ctx.precision
        )
    ctx.save_figure(_plot(grids), "heatmaps.png")
    metrics: dict[str, float] = {}
    for name, grid in grids.items():
        metrics[f"{name}/L6-d384"] = round(grid[(6, 384)]["spearman"], 4)
        metrics[f"{name}/L1-d384"] = round(grid[(1, 384)]["spearman"], 4)
        metrics[f"{name}/L3-d64"] = round(grid[(3, 64)]["spearman"], 4)
        mean = sum(v["spearman"] for v in grid.values()) / len(grid)
        metrics[f"{name}/grid-mean"] = round(mean, 4)
    gain = metrics["2dmse/L1-d384"] - metrics["matryoshka/L1-d384"]
    cost = metrics["matryoshka/L6-d384"] - metrics["2dmse/L6-d384"]
    size = f"{len(test)} test pairs, {steps} steps × {batch} pairs, lr {lr:g}, seed {ctx.seed}"
    details = "\n\n".join(f"### {name} ({size})\n\n{_table(grid)}" for name, grid in grids.items())
    return Result(
        metrics=metrics,
        anchors=[
            Anchor(
                "base/L6-d384",
                0.8203,
                "MTEB STSBenchmark, all-MiniLM-L6-v2 (cos Spearman)",
                f"scores a random {len(test)}-pair subset" if n_test else "",
            ),
            Anchor(
                "2dmse/L1-d384",
                "shallow layers gain over MRL at a small full-model cost",
                "Li et al., arXiv:2402.14776, Tables 1-2 (BERT-base, NLI + STS-B training)",
                "MiniLM, STS-B train only, one epoch at most",
            ),
        ],
        seeds=[ctx.seed],
        summary=(
            f"layer-1 gain of 2DMSE over Matryoshka {gain:+.3f}, full-model cost "
            f"{cost:+.3f} Spearman ({size})"
        ),
        details=details,
        plots=["heatmaps.png"],
    )


REPRODUCTION = Reproduction(
    "text.2dmse",
    "2DMSE layers × dims STS-B grid: base, Matryoshka, ours, sentence-transformers' Matryoshka2dLoss",
    run,
    datasets=("stsb",),
    paper="2D Matryoshka Sentence Embeddings, arXiv:2402.14776",
)

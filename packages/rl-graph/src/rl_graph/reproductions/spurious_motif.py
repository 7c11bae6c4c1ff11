"""Reproduction ``graph.spurious-motif``: ERM vs L2R-GNN (GIN) on Spurious-Motif, b = 0.5/0.7/0.9.

Training graphs tie the base graph to the label at bias b; test graphs are unbiased with
larger bases. Besides test accuracy (mean ± std over seeds), it measures the cross-cluster
RFF dependence (HSIC-style) of each trained model's representation on the training
graphs with uniform weights and with the weights the reweighter learns, to check that
the reweighting removes the dependence it targets.

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.
    Wu et al., Discovering Invariant Rationales for Graph Neural Networks (DIR), arXiv:2201.12987.
"""

from __future__ import annotations

from rl_graph.reproductions._common import mean_std, one_thread, pm
from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext

__all__ = ["REPRODUCTION", "run"]

PAPER = "Learning to Reweight for Graph Neural Network, arXiv:2312.12475"
BIASES = (0.5, 0.7, 0.9)
METHODS = ("erm", "l2r")


def run(ctx: RunContext) -> Result:
    """Train ERM and L2R-GNN for every bias and seed; tabulate and plot."""
    from rl_graph.experiments import spurious_motif_experiment

    if ctx.quick:
        cfg = {"num_train": 600, "num_test": 450, "epochs": 12}
        seeds = [ctx.seed + i for i in range(3)]
    else:
        cfg = {"num_train": 3000, "num_test": 3000, "epochs": 40}
        seeds = [ctx.seed + i for i in range(5)]
    jobs = [(b, m, s) for b in BIASES for m in METHODS for s in seeds]
    runs: dict[tuple[float, str], list[dict[str, float]]] = {}
    with one_thread():
        for bias, method, seed in ctx.track(jobs, "spurious-motif runs"):
            r = spurious_motif_experiment(bias, method, seed=seed, **cfg)
            runs.setdefault((bias, method), []).append(r)
    metrics: dict[str, float] = {}
    for (bias, method), rs in runs.items():
        for key in rs[0]:
            m, s = mean_std([r[key] for r in rs])
            metrics[f"b{bias}.{method}.{key}"] = m
            metrics[f"b{bias}.{method}.{key}.std"] = s
    lines = [
        f"Settings: {cfg['num_train']} training graphs, {cfg['num_test']} unbiased test graphs "
        f"(larger bases), GIN (3 layers, 32 units, GraphNorm, sum pooling), "
        f"{cfg['epochs']} epochs, Adam 5e-3, batch 64, seeds {seeds}.",
        "",
        "| bias | ERM test acc (%) | L2R-GNN test acc (%) | ERM acc, base ≠ label | "
        "L2R acc, base ≠ label |",
        "|---|---|---|---|---|",
    ]
    for b in BIASES:
        e, l2r = runs[(b, "erm")], runs[(b, "l2r")]
        lines.append(
            f"| {b} | {pm([r['test_accuracy'] for r in e], 100)} | "
            f"{pm([r['test_accuracy'] for r in l2r], 100)} | "
            f"{pm([r['test_accuracy.base_differs'] for r in e], 100)} | "
            f"{pm([r['test_accuracy.base_differs'] for r in l2r], 100)} |"
        )
    lines += [
        "",
        "Cross-cluster RFF dependence (HSIC-style) of the trained representation on the "
        "training graphs, per batch of 64, uniform weights vs learned weights:",
        "",
        "| bias | method | uniform | learned weights | reduction |",
        "|---|---|---|---|---|",
    ]
    for b in BIASES:
        for m in METHODS:
            u = metrics[f"b{b}.{m}.dependence.uniform"]
            w = metrics[f"b{b}.{m}.dependence.weighted"]
            lines.append(f"| {b} | {m} | {u:.4f} | {w:.4f} | {1 - w / u:.0%} |")
    lines += [
        "",
        "Anchors: DIR (arXiv:2201.12987) reports ERM far below the unbiased level on its "
        "Spurious-Motif and L2R-GNN (arXiv:2312.12475) reports gains over ERM at every bias. "
        "Our data differ (PyG BA bases and grid motifs replace DIR's wheel bases and crane "
        "motifs; smaller sets and fewer epochs on a 2-core CPU), and our reweighter solves "
        "the inner problem per batch without the paper's momentum weight queue, so the "
        "numbers are not comparable one to one. The column 'base ≠ label' is the accuracy "
        "on test graphs whose base graph contradicts the training correlation: it is where "
        "reliance on the spurious base graph shows. The dependence table checks the "
        "mechanism itself: the learned weights must cut the cross-cluster dependence of "
        "the representation; whether that turns into test accuracy depends on how much of "
        "the motif the representation still encodes.",
    ]
    plot = _plot(ctx, runs)
    e9 = metrics["b0.9.erm.test_accuracy"]
    l9 = metrics["b0.9.l2r.test_accuracy"]
    summary = (
        f"Spurious-Motif b=0.9 test accuracy: ERM {e9:.3f} vs L2R-GNN {l9:.3f} "
        f"({len(seeds)} seeds); learned weights cut cross-cluster dependence by "
        f"{1 - metrics['b0.9.l2r.dependence.weighted'] / metrics['b0.9.l2r.dependence.uniform']:.0%}"
    )
    anchors = [
        Anchor(f"b{b}.l2r.test_accuracy", "L2R-GNN beats ERM", PAPER, "qualitative claim")
        for b in BIASES
    ] + [
        Anchor(
            "b0.9.erm.test_accuracy",
            "ERM well below its in-distribution accuracy under bias",
            "DIR, arXiv:2201.12987, Table 1",
            "DIR's bases: tree/ladder/wheel; ours: tree/ladder/BA",
        )
    ]
    return Result(
        metrics=metrics,
        anchors=anchors,
        seeds=seeds,
        summary=summary,
        details="\n".join(lines),
        plots=[plot],
    )


def _plot(ctx: RunContext, runs: dict) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
    for m, label in (("erm", "ERM"), ("l2r", "L2R-GNN")):
        means = [mean_std([r["test_accuracy"] for r in runs[(b, m)]]) for b in BIASES]
        axes[0].errorbar(
            BIASES, [x[0] for x in means], [x[1] for x in means], label=label, capsize=3
        )
        deps = [mean_std([r["dependence.weighted"] for r in runs[(b, m)]])[0] for b in BIASES]
        unif = [mean_std([r["dependence.uniform"] for r in runs[(b, m)]])[0] for b in BIASES]
        axes[1].plot(BIASES, unif, "--o", label=f"{label}, uniform")
        axes[1].plot(BIASES, deps, "-o", label=f"{label}, learned weights")
    axes[0].set(xlabel="training bias b", ylabel="test accuracy", title="Spurious-Motif")
    axes[1].set(xlabel="training bias b", ylabel="cross-cluster dependence", title="RFF HSIC")
    for ax in axes:
        ax.legend(fontsize=7)
    fig.tight_layout()
    name = "spurious_motif.png"
    fig.savefig(ctx.out_dir / name, dpi=120)
    plt.close(fig)
    return name


REPRODUCTION = Reproduction(
    name="graph.spurious-motif",
    summary="ERM vs L2R-GNN (GIN) on generated Spurious-Motif at b = 0.5, 0.7, 0.9",
    run=run,
    paper=PAPER,
)

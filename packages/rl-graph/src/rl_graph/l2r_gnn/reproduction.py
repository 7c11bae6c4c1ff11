"""The L2R-GNN reproductions: ``graph.l2r-gnn.spurious-motif`` and ``graph.l2r-gnn.molecules``.

**Spurious-Motif** (:data:`SPURIOUS_MOTIF`): ERM vs L2R-GNN (GIN) at b = 0.5 / 0.7 / 0.9.
Training graphs tie the base graph to the label at bias b; test graphs are unbiased with
larger bases. Besides test accuracy (mean ± sample std over seeds), it measures the
cross-cluster RFF dependence (HSIC-style) of each trained model's representation on the
training graphs with uniform weights and with the weights the reweighter learns, to check
that the reweighting removes the dependence it targets.

**Molecules** (:data:`MOLECULES`): ERM vs L2R-GNN ROC-AUC on OGB-style scaffold splits
(80/10/10, no scaffold shared) of MoleculeNet HIV, BBBP and BACE; GIN with OGB-style atom
embeddings; HIV is subsampled (stratified) to fit a 2-core CPU.

Sizes (``rl reproduce NAME --smoke|--quick|--full``):

| size | Spurious-Motif | molecules |
|---|---|---|
| smoke | 45 train / 30 test graphs, 1 epoch, 1 seed | 150 molecules per set, 1 epoch, 1 seed |
| quick | 600 / 450 graphs, 12 epochs, 3 seeds | HIV 3,000, BBBP / BACE all, 8 epochs, 1 seed |
| full | 3,000 / 3,000 graphs, 40 epochs, 5 seeds | HIV 10,000, BBBP / BACE all, 30 epochs, 3 seeds |

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.
    Wu et al., Discovering Invariant Rationales for Graph Neural Networks (DIR), arXiv:2201.12987.
    Hu et al., Open Graph Benchmark, arXiv:2005.00687.

Example:
    >>> SPURIOUS_MOTIF.name, MOLECULES.datasets
    ('graph.l2r-gnn.spurious-motif', ('moleculenet-classification',))
"""

from __future__ import annotations

from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext
from rl_shared.reproduce.stats import fmt_mean_std, mean_std

__all__ = ["MOLECULES", "SPURIOUS_MOTIF"]

PAPER = "Learning to Reweight for Graph Neural Network, arXiv:2312.12475"
BIASES = (0.5, 0.7, 0.9)
METHODS = ("erm", "l2r")
MOLECULE_SETS = ("bbbp", "bace", "hiv")


def _pm(values: list[float], scale: float = 1.0) -> str:
    return fmt_mean_std([v * scale for v in values], digits=2)


def run_spurious_motif(ctx: RunContext) -> Result:
    """Train ERM and L2R-GNN for every bias and seed; tabulate and plot."""
    from rl_graph.l2r_gnn.experiments import spurious_motif_experiment
    from rl_shared.runtime import threads

    cfg = ctx.pick(
        smoke={"num_train": 45, "num_test": 30, "epochs": 1},
        quick={"num_train": 600, "num_test": 450, "epochs": 12},
        full={"num_train": 3000, "num_test": 3000, "epochs": 40},
    )
    seeds = [ctx.seed + i for i in range(ctx.pick(smoke=1, quick=3, full=5))]
    jobs = [(b, m, s) for b in BIASES for m in METHODS for s in seeds]
    runs: dict[tuple[float, str], list[dict[str, float]]] = {}
    with threads(1):  # small graphs: thread hand-off costs more than it saves
        for bias, method, seed in ctx.track(jobs, "spurious-motif runs"):
            r = spurious_motif_experiment(
                bias, method, seed=seed, device=ctx.device, precision=ctx.precision, **cfg
            )
            runs.setdefault((bias, method), []).append(r)
    metrics: dict[str, float] = {}
    for (bias, method), rs in runs.items():
        for key in rs[0]:
            mean, std = mean_std([r[key] for r in rs])
            metrics[f"b{bias}.{method}.{key}"] = mean
            metrics[f"b{bias}.{method}.{key}.std"] = std
    lines = [
        f"Settings ({ctx.size}): {cfg['num_train']} training graphs, {cfg['num_test']} unbiased "
        f"test graphs (larger bases), GIN (3 layers, 32 units, GraphNorm, sum pooling), "
        f"{cfg['epochs']} epochs, Adam 5e-3, batch 64, seeds {seeds}.",
        "",
        "| bias | ERM test acc (%) | L2R-GNN test acc (%) | ERM acc, base ≠ label | "
        "L2R acc, base ≠ label |",
        "|---|---|---|---|---|",
    ]
    for b in BIASES:
        e, l2r = runs[(b, "erm")], runs[(b, "l2r")]
        lines.append(
            f"| {b} | {_pm([r['test_accuracy'] for r in e], 100)} | "
            f"{_pm([r['test_accuracy'] for r in l2r], 100)} | "
            f"{_pm([r['test_accuracy.base_differs'] for r in e], 100)} | "
            f"{_pm([r['test_accuracy.base_differs'] for r in l2r], 100)} |"
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
    plot = _plot_spurious_motif(ctx, runs)
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


def _plot_spurious_motif(ctx: RunContext, runs: dict) -> str:
    from rl_shared.plotting import subplots

    fig, axes = subplots(1, 2, figsize=(9, 3.5), layout="tight")
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
    return ctx.save_figure(fig, "spurious_motif.png").name


def run_molecules(ctx: RunContext) -> Result:
    """Train ERM and L2R-GNN on each dataset's scaffold split; tabulate and plot."""
    import numpy as np

    from rl_graph.l2r_gnn.experiments import molecule_experiment
    from rl_shared.plotting import subplots
    from rl_shared.runtime import threads

    limits = ctx.pick(
        smoke={"hiv": 150, "bbbp": 150, "bace": 150},
        quick={"hiv": 3000, "bbbp": None, "bace": None},
        full={"hiv": 10000, "bbbp": None, "bace": None},
    )
    epochs = ctx.pick(smoke=1, quick=8, full=30)
    seeds = [ctx.seed + i for i in range(ctx.pick(smoke=1, quick=1, full=3))]
    jobs = [(d, m, s) for d in MOLECULE_SETS for m in METHODS for s in seeds]
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    with threads(1):
        for d, m, s in ctx.track(jobs, "molecule runs"):
            r = molecule_experiment(
                d, m, "scaffold", seed=s, limit=limits[d], epochs=epochs,
                device=ctx.device, precision=ctx.precision,
            )  # fmt: skip
            runs.setdefault((d, m), []).append(r)
    metrics: dict[str, float] = {}
    for (d, m), rs in runs.items():
        for key in ("valid_roc_auc", "test_roc_auc"):
            mu, sd = mean_std([r[key] for r in rs])
            metrics[f"{d}.{m}.{key}"], metrics[f"{d}.{m}.{key}.std"] = mu, sd
        metrics[f"{d}.train_size"] = rs[0]["train_size"]
        metrics[f"{d}.test_size"] = rs[0]["test_size"]
    lines = [
        f"Scaffold split 80/10/10 (OGB scheme), GIN 3×64 with atom embeddings, {epochs} "
        f"epochs, Adam 1e-3, final model (no early stopping), seeds {seeds}. Molecules used "
        f"({ctx.size}): "
        + ", ".join(f"{d} {'all' if limits[d] is None else limits[d]}" for d in MOLECULE_SETS)
        + ".",
        "",
        "| dataset | train / test | ERM test ROC-AUC (%) | L2R-GNN test ROC-AUC (%) |",
        "|---|---|---|---|",
    ]
    for d in MOLECULE_SETS:
        lines.append(
            f"| {d} | {int(metrics[f'{d}.train_size'])} / {int(metrics[f'{d}.test_size'])} | "
            f"{_pm([r['test_roc_auc'] for r in runs[(d, 'erm')]], 100)} | "
            f"{_pm([r['test_roc_auc'] for r in runs[(d, 'l2r')]], 100)} |"
        )
    lines += [
        "",
        "OGB's GIN baselines on the full sets (ogbg-molhiv 75.6 ± 1.4, ogbg-molbbbp about "
        "68) use 100 epochs, 5 layers × 300 units and model selection on validation; ours is "
        "smaller, shorter and unselected, and HIV is subsampled, so expect lower and noisier "
        "numbers (a test set of a few hundred molecules with few positives moves ROC-AUC by "
        "several points between seeds). A test part that holds a single class scores NaN.",
    ]
    fig, ax = subplots(figsize=(5, 3.5), layout="tight")
    x = np.arange(len(MOLECULE_SETS))
    for i, m in enumerate(METHODS):
        vals = [mean_std([r["test_roc_auc"] for r in runs[(d, m)]]) for d in MOLECULE_SETS]
        ax.bar(x + 0.35 * i, [v[0] for v in vals], 0.35, yerr=[v[1] for v in vals], label=m.upper())
    ax.set_xticks(x + 0.175, MOLECULE_SETS)
    ax.set(xlabel="MoleculeNet set", ylabel="test ROC-AUC", ylim=(0.4, 1.0), title="scaffold split")
    ax.legend()
    plot = ctx.save_figure(fig, "molecules.png").name
    summary = "Scaffold-split test ROC-AUC, ERM vs L2R-GNN: " + ", ".join(
        f"{d} {metrics[f'{d}.erm.test_roc_auc']:.3f} vs {metrics[f'{d}.l2r.test_roc_auc']:.3f}"
        for d in MOLECULE_SETS
    )
    anchors = [
        Anchor(
            "hiv.erm.test_roc_auc",
            0.756,
            "OGB leaderboard, GIN on ogbg-molhiv",
            "full data, 100 epochs",
        ),
        Anchor("hiv.l2r.test_roc_auc", "L2R-GNN beats ERM on ogbg-molhiv", PAPER),
        Anchor("bbbp.l2r.test_roc_auc", "L2R-GNN beats ERM on ogbg-molbbbp", PAPER),
        Anchor("bace.l2r.test_roc_auc", "L2R-GNN beats ERM on ogbg-molbace", PAPER),
    ]
    return Result(metrics, anchors, seeds, summary, "\n".join(lines), [plot])


SPURIOUS_MOTIF = Reproduction(
    name="graph.l2r-gnn.spurious-motif",
    summary="ERM vs L2R-GNN (GIN) on generated Spurious-Motif at b = 0.5, 0.7, 0.9",
    run=run_spurious_motif,
    paper=PAPER,
)

MOLECULES = Reproduction(
    name="graph.l2r-gnn.molecules",
    summary="ERM vs L2R-GNN ROC-AUC on scaffold splits of MoleculeNet HIV, BBBP, BACE",
    run=run_molecules,
    datasets=("moleculenet-classification",),
    paper=PAPER,
)

"""``text.syntactic-domain``: accuracy drop under template swaps vs template-domain correlation.

Synthetic instructions (:mod:`rl_text.syntactic_domain.grammar`: 3 domains, 6 templates, 30 %
domain-free nouns) are generated with template-domain correlation strength ``ρ``; a
unigram+bigram logistic regression and a BiGRU + low-rank attention classifier learn the
domain; each is tested on in-distribution instructions and on the same instructions with
the template swapped to another domain's (content and label kept). Templates are extracted
by the WordNet rule+lexicon tagger and their association with the domain is reported as NMI
and Cramér's V. ``--smoke``: ρ ∈ {0, .5, 1}, 1 seed, 150 train / 60 test (the code path
only). ``--quick``: ρ ∈ {0, .25, .5, .75, .9, 1}, 1 seed, 900 train / 300 test.
Full: ρ ∈ {0, .1, …, .9, 1}, 3 seeds, 1,500 train / 450 test.

References:
    Shaib et al., "Learning the Wrong Lessons: Syntactic-Domain Spurious Correlations in
    Language Models".
"""

from __future__ import annotations

from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext
from rl_shared.reproduce.stats import mean_std

__all__ = ["REPRODUCTION", "run"]

CLASSIFIERS = ("bow", "gru-lowrank")


def _plot(summary: dict, strengths: list[float], ctx: RunContext) -> None:
    from rl_shared.plotting import subplots

    fig, ax = subplots(figsize=(5.5, 3.8))
    for name in CLASSIFIERS:
        means = [summary[(rho, name)]["drop"][0] for rho in strengths]
        stds = [summary[(rho, name)]["drop"][1] for rho in strengths]
        ax.errorbar(strengths, means, yerr=stds, marker="o", capsize=3, label=f"{name} drop")
    nmi = [summary[(rho, CLASSIFIERS[0])]["nmi"][0] for rho in strengths]
    ax.plot(strengths, nmi, "k--", label="template-domain NMI (tagger)")
    ax.set_xlabel("template-domain correlation strength ρ (training)")
    ax.set_ylabel("accuracy drop under template swap")
    ax.set_ylim(-0.1, 1.05)
    ax.grid(alpha=0.3)
    ax.set_title("Template-swap accuracy drop (mean ± sample std over seeds)")
    ax.legend(fontsize=8)
    ctx.save_figure(fig, "drop_vs_strength.png")


def run(ctx: RunContext) -> Result:
    """Sweep ρ, train both classifiers per seed, measure the swap drop; plot it.

    Args:
        ctx: the harness's run context (output folder, size, seed, progress).

    Example:
        The harness calls it with a :class:`~rl_shared.reproduce.RunContext`; even the smoke
        size reads WordNet (for the tagger), so only its registration is shown here:

        >>> REPRODUCTION.run is run, REPRODUCTION.datasets, REPRODUCTION.folder
        (True, ('wordnet',), 'rl_text.syntactic_domain')
    """
    from rl_shared.runtime import threads

    with threads(1):
        return _run(ctx)


def _run(ctx: RunContext) -> Result:
    from rl_text.syntactic_domain.probe import correlation_sweep
    from rl_text.syntactic_domain.tagger import LexiconTagger

    strengths, seeds, n_train, n_test = ctx.pick(
        smoke=([0.0, 0.5, 1.0], [ctx.seed], 150, 60),
        quick=([0.0, 0.25, 0.5, 0.75, 0.9, 1.0], [ctx.seed], 900, 300),
        full=([round(0.1 * i, 1) for i in range(11)], [ctx.seed + i for i in range(3)], 1500, 450),
    )
    tagger = LexiconTagger()
    rows = correlation_sweep(
        strengths, seeds, n_train, n_test, classifiers=CLASSIFIERS, tagger=tagger,
        progress=lambda jobs: ctx.track(jobs, "ρ × seed"),
        device=ctx.device, precision=ctx.precision,
    )  # fmt: skip
    summary: dict = {}
    for rho in strengths:
        for name in CLASSIFIERS:
            sel = [r for r in rows if r["strength"] == rho and r["classifier"] == name]
            summary[(rho, name)] = {
                k: mean_std([r[k] for r in sel])
                for k in ("in_domain", "swapped", "drop", "nmi", "cramers_v")
            }
    _plot(summary, strengths, ctx)
    head = (
        "| ρ | NMI | Cramér's V | classifier | in-domain acc | swapped acc | drop |\n"
        "|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for rho in strengths:
        for name in CLASSIFIERS:
            s = summary[(rho, name)]
            lines.append(
                f"| {rho:g} | {s['nmi'][0]:.3f} | {s['cramers_v'][0]:.3f} | {name} | "
                f"{s['in_domain'][0]:.3f} ± {s['in_domain'][1]:.3f} | "
                f"{s['swapped'][0]:.3f} ± {s['swapped'][1]:.3f} | "
                f"{s['drop'][0]:.3f} ± {s['drop'][1]:.3f} |"
            )
    metrics: dict[str, float] = {}
    for rho in strengths:
        for name in CLASSIFIERS:
            metrics[f"{name}/drop@{rho:g}"] = round(summary[(rho, name)]["drop"][0], 4)
        metrics[f"nmi@{rho:g}"] = round(summary[(rho, CLASSIFIERS[0])]["nmi"][0], 4)
    lo, hi = strengths[0], strengths[-1]
    size = f"{n_train} train / {n_test} test per run, seeds {seeds}"
    return Result(
        metrics=metrics,
        anchors=[
            Anchor(
                f"bow/drop@{hi:g}",
                "accuracy falls when a prompt's template is swapped to one seen with another "
                "domain, more so the stronger the template-domain correlation",
                "Shaib et al., 'Learning the Wrong Lessons: Syntactic-Domain Spurious "
                "Correlations in Language Models' (OLMo-2 / FlanV2 experiments)",
                "synthetic 3-domain grammar and small classifiers instead of instruction-tuned LMs",
            )
        ],
        seeds=seeds,
        summary=(
            f"swap drop rises from {metrics[f'bow/drop@{lo:g}']:+.3f} (ρ={lo:g}) to "
            f"{metrics[f'bow/drop@{hi:g}']:+.3f} (ρ={hi:g}) for BoW and "
            f"{metrics[f'gru-lowrank/drop@{lo:g}']:+.3f} → "
            f"{metrics[f'gru-lowrank/drop@{hi:g}']:+.3f} for BiGRU+low-rank attention ({size})"
        ),
        details=(
            f"Templates are POS sequences from the WordNet rule+lexicon tagger; NMI/Cramér's V "
            f"are between those templates and the domain on the training set ({size}); "
            "mean ± sample std over seeds.\n\n" + "\n".join(lines)
        ),
        plots=["drop_vs_strength.png"],
    )


REPRODUCTION = Reproduction(
    "text.syntactic-domain",
    "Syntactic-domain spurious correlations: template-swap accuracy drop vs correlation strength",
    run,
    datasets=("wordnet",),
    paper="Learning the Wrong Lessons: Syntactic-Domain Spurious Correlations in Language Models",
)

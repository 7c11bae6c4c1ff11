"""``text.cvib``: fine-tuning vs CVIB (VIB self-pruning + contrastive) for aspect sentiment.

Encoder all-MiniLM-L6-v2 (sentence-pair input ``sentence [SEP] aspect``; representation
= mean of all tokens ⊕ mean of the aspect segment; linear head). ``finetune`` trains with
cross-entropy; ``cvib`` trains the original and its VIB-pruned network together
(:mod:`rl_text.cvib.train`: CE of both + 0.5 · self-pruning contrastive + 0.1 · per-unit
KL; gates on the 72 heads and 9,216 feed-forward units). Evaluated on the SemEval-2014
laptop and restaurant test sets (accuracy, macro-F1) and on the robustness split of aspects
whose polarity disagrees with their sentence's majority polarity.
``--smoke``: 1 seed, 1 step of 4 pairs, 8 test aspects + 4 disagreeing ones per domain,
pairs cut at 32 tokens (the code path only). ``--quick``: 1 seed, 2 steps of 8 pairs, 32 test
aspects + 16 disagreeing ones per domain, pairs cut at 64 tokens (the numbers sit near the
majority-class rate). Full:
3 seeds, 40 steps of 16 pairs (≈ 0.27 / 0.18 epochs of laptop / restaurant; sized for about
20 minutes on 2 idle cores), full test sets.

References:
    "Reducing Spurious Correlations for Aspect-Based Sentiment Analysis with Variational
    Information Bottleneck and Contrastive Learning" (CVIB); Dai et al., arXiv:1802.10399.
"""

from __future__ import annotations

import copy
import random

from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext
from rl_shared.reproduce.stats import mean_std

__all__ = ["REPRODUCTION", "run"]

DOMAINS = ("laptop", "restaurant")
METHODS = ("finetune", "cvib")


def _ms(values: list[float]) -> str:
    mean, std = mean_std(values)
    return f"{mean:.4f} ± {std:.4f}"


def _plot(results: dict, ctx: RunContext) -> None:
    from rl_shared.plotting import subplots

    fig, axes = subplots(1, 2, figsize=(8, 3.4), sharey=True)
    for ax, split, title in zip(axes, ("test", "disagree"), ("test set", "disagreeing aspects")):
        for k, method in enumerate(METHODS):
            accs = [[r[split]["accuracy"] for r in results[(d, method)]] for d in DOMAINS]
            xs = [i + 0.38 * (k - 0.5) for i in range(len(DOMAINS))]
            ax.bar(
                xs,
                [mean_std(a)[0] for a in accs],
                0.38,
                yerr=[mean_std(a)[1] for a in accs],
                capsize=3,
                label=method,
            )
        ax.set_xticks(range(len(DOMAINS)), DOMAINS)
        ax.set_title(title)
        ax.set_xlabel("SemEval-2014 domain")
        ax.set_ylim(0, 1)
    axes[0].set_ylabel("accuracy (mean ± sample std over seeds)")
    axes[0].legend()
    fig.suptitle("Fine-tuning vs CVIB, original network")
    ctx.save_figure(fig, "accuracy.png")


def run(ctx: RunContext) -> Result:
    """Train both methods per domain and seed; evaluate on test and the disagreeing split.

    Args:
        ctx: the harness's run context (output folder, size, seed, progress).

    Example:
        The harness calls it with a :class:`~rl_shared.reproduce.RunContext`; even the smoke
        size needs the SemEval-2014 files and fine-tunes an encoder, so only its registration
        is shown here:

        >>> REPRODUCTION.run is run, REPRODUCTION.datasets, REPRODUCTION.folder
        (True, ('semeval14',), 'rl_text.cvib')
    """
    from rl_shared.runtime import threads

    # smoke: one thread (two spin against each other on a shared 2-core machine)
    with threads(ctx.pick(smoke=1, quick=None, full=None)):
        return _run(ctx)


def _run(ctx: RunContext) -> Result:
    from rl_shared.models import load_sentence_transformer
    from rl_text.cvib.data import disagreeing_subset, load_semeval14
    from rl_text.cvib.train import AbsaTrainConfig, evaluate_absa, train_absa

    seeds, steps, batch, n_test, n_dis, max_len = ctx.pick(
        smoke=([ctx.seed], 1, 4, 8, 4, 32),
        quick=([ctx.seed], 2, 8, 32, 16, 64),
        full=([ctx.seed + i for i in range(3)], 40, 16, None, None, 96),
    )
    data = {}
    for domain in DOMAINS:
        train, test = load_semeval14(domain, "train"), load_semeval14(domain, "test")
        dis = disagreeing_subset(test)
        rng = random.Random(ctx.seed)
        if n_test:
            test, dis = rng.sample(test, n_test), rng.sample(dis, min(n_dis, len(dis)))
        data[domain] = (train, test, dis)
    base = load_sentence_transformer("minilm")
    results: dict = {}
    pruning: dict = {}
    jobs = [(d, m, s) for d in DOMAINS for m in METHODS for s in seeds]
    for domain, method, seed in ctx.track(jobs, "domain × method × seed"):
        train, test, dis = data[domain]
        config = AbsaTrainConfig(
            method=method, steps=steps, batch_size=batch, seed=seed, max_length=max_len
        )
        model = train_absa(
            copy.deepcopy(base), train, config, device=ctx.device, precision=ctx.precision
        )
        dev, prec = ctx.device, ctx.precision
        row = {
            "test": evaluate_absa(model, test, device=dev, precision=prec),
            "disagree": evaluate_absa(model, dis, device=dev, precision=prec),
        }
        if method == "cvib":
            row["test_pruned"] = evaluate_absa(model, test, pruned=True, device=dev, precision=prec)
            assert model.gates is not None  # trained with method="cvib"
            pruning.setdefault(domain, []).append(model.gates.summary())
        results.setdefault((domain, method), []).append(row)
    metrics: dict[str, float] = {}
    lines = [
        "| domain | method | test accuracy | test macro-F1 | disagreeing accuracy | "
        "disagreeing macro-F1 |\n|---|---|---|---|---|---|"
    ]
    for domain in DOMAINS:
        for method in METHODS:
            rows = results[(domain, method)]
            for split in ("test", "disagree"):
                for key in ("accuracy", "macro_f1"):
                    vals = [r[split][key] for r in rows]
                    metrics[f"{domain}/{method}/{split}/{key}"] = round(mean_std(vals)[0], 4)
            lines.append(
                f"| {domain} | {method} | {_ms([r['test']['accuracy'] for r in rows])} | "
                f"{_ms([r['test']['macro_f1'] for r in rows])} | "
                f"{_ms([r['disagree']['accuracy'] for r in rows])} | "
                f"{_ms([r['disagree']['macro_f1'] for r in rows])} |"
            )
        pruned = [r["test_pruned"]["accuracy"] for r in results[(domain, "cvib")]]
        metrics[f"{domain}/cvib/test_pruned/accuracy"] = round(mean_std(pruned)[0], 4)
        kept = pruning[domain][-1]
        metrics[f"{domain}/cvib/units_kept"] = kept["units_kept"]
        metrics[f"{domain}/cvib/heads_kept"] = kept["heads_kept"]
    _plot(results, ctx)
    n = {d: (len(data[d][1]), len(data[d][2])) for d in DOMAINS}
    size = (
        f"{steps} steps × {batch} pairs, seeds {seeds}; test / disagreeing aspects: "
        + ", ".join(f"{d} {a} / {b}" for d, (a, b) in n.items())
    )
    prune_lines = [
        f"- {d}: kept {p[-1]['heads_kept']}/{p[-1]['heads_total']} heads, "
        f"{p[-1]['units_kept']}/{p[-1]['units_total']} feed-forward units (last seed); "
        f"self-pruned network test accuracy {metrics[f'{d}/cvib/test_pruned/accuracy']:.4f}"
        for d, p in pruning.items()
    ]
    gain = {
        d: metrics[f"{d}/cvib/disagree/accuracy"] - metrics[f"{d}/finetune/disagree/accuracy"]
        for d in DOMAINS
    }
    note = "MiniLM-L6 (22M) with a fraction of an epoch on 2 CPU cores, not BERT-base × epochs"
    return Result(
        metrics=metrics,
        anchors=[
            Anchor(
                "laptop/finetune/test/accuracy",
                0.7900,
                "BERT-SPC, laptop (ABSA-PyTorch benchmark, BERT-base)",
                note,
            ),
            Anchor(
                "restaurant/finetune/test/accuracy",
                0.8450,
                "BERT-SPC, restaurant (ABSA-PyTorch benchmark, BERT-base)",
                note,
            ),
            Anchor(
                "laptop/cvib/disagree/accuracy",
                "CVIB > fine-tuning, largest gain on robustness sets",
                "CVIB paper (ARTS / disagreeing-aspect evaluation)",
                note,
            ),
        ],
        seeds=seeds,
        summary=(
            "CVIB − fine-tuning on disagreeing aspects: "
            + ", ".join(f"{d} {g:+.3f}" for d, g in gain.items())
            + f"; test accuracy laptop {metrics['laptop/finetune/test/accuracy']:.3f} → "
            f"{metrics['laptop/cvib/test/accuracy']:.3f}, restaurant "
            f"{metrics['restaurant/finetune/test/accuracy']:.3f} → "
            f"{metrics['restaurant/cvib/test/accuracy']:.3f} ({size})"
        ),
        details=(
            f"{size}; mean ± sample std over seeds; original network unless stated.\n\n"
            + "\n".join(lines)
            + "\n\n"
            + "\n".join(prune_lines)
        ),
        plots=["accuracy.png"],
    )


REPRODUCTION = Reproduction(
    "text.cvib",
    "Fine-tuning vs CVIB (VIB self-pruning + contrastive) on SemEval-2014 laptop / restaurant",
    run,
    datasets=("semeval14",),
    paper="Reducing Spurious Correlations for Aspect-Based Sentiment Analysis with Variational "
    "Information Bottleneck and Contrastive Learning",
)

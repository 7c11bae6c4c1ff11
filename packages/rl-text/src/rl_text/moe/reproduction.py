"""``text.moe``: per-domain STS Spearman of single-domain, shared and mixture-of-experts encoders.

Domains are the sources of the sentences: SICK, and the STS-B news, captions and forum rows
(genre labels of ``sts/stsb-genre``). Training data are the positive pairs (score >= 4) of
each domain's train split; loss: multiple-negatives ranking (in-batch negatives, batches
from one domain). Every regime starts from all-MiniLM-L6-v2 and sees the same pairs:

* ``single-<d>``: one model per domain, trained on that domain only, for its share of the
  steps (``T · n_d / N``, at least 2);
* ``shared``: one model on all domains for ``T`` steps;
* ``moe``: the MLP of all 6 layers copied into one expert per domain, routing enforced by the
  domain tag, ``T`` steps; scored with tags (``moe``) and without (``moe-untagged``: mean
  of the experts).

Scores: Spearman of cosine similarity on each domain's test split; the single-domain row
uses each domain's own model (the full cross-domain matrix is in the report).
``smoke``: two domains, ``T`` = 2 steps of 4 pairs (single-domain models at least 1 step),
30 test pairs per domain. ``quick``: two domains (SICK, STS-B news), ``T`` = 16 steps of 16
pairs, 100 test pairs per domain. ``full``: all four domains, ``T`` = 240 steps of 32 pairs
(about 2.6 epochs of the 2,902 positive pairs), full test splits.

References:
    Hallee et al., "Contrastive Learning and Mixture of Experts Enables Precise Vector
    Embeddings", arXiv:2401.15713.
"""

from __future__ import annotations

import tempfile
from typing import cast

from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext

__all__ = ["REPRODUCTION", "run"]

DOMAINS = ("sick", "news", "captions", "forum")
QUICK_DOMAINS = ("sick", "news")


def _tagged(pairs, domain: str):
    from rl_shared.sts import StsPairs
    from rl_text.moe import tag_text

    return StsPairs(
        [tag_text(s, domain) for s in pairs.sentences1],
        [tag_text(s, domain) for s in pairs.sentences2],
        pairs.scores,
    )


def _plot(table: dict[str, dict[str, float]], domains):
    import numpy as np

    from rl_shared.plotting import subplots

    rows = list(table)
    x = np.arange(len(domains))
    width = 0.8 / len(rows)
    fig, ax = subplots(figsize=(8, 3.8))
    for i, name in enumerate(rows):
        ax.bar(x + i * width, [table[name][d] for d in domains], width, label=name)
    ax.set_xticks(x + 0.4 - width / 2, domains)
    ax.set_ylabel("test Spearman")
    low = min(min(v.values()) for v in table.values())
    ax.set_ylim(max(0.0, low - 0.05), 1.0)
    ax.set_xlabel("test domain")
    ax.set_title("In-domain STS Spearman: single-domain, shared and MoE encoders")
    ax.legend(fontsize=7, ncol=3)
    fig.tight_layout()
    return fig


def _md(table: dict[str, dict[str, float]], cols) -> str:
    head = "| model | " + " | ".join(cols) + " |\n|---|" + "---|" * len(cols)
    rows = [
        f"| {name} | " + " | ".join(f"{v[c]:.4f}" for c in cols) + " |" for name, v in table.items()
    ]
    return "\n".join([head, *rows])


def run(ctx: RunContext) -> Result:
    """Train single-domain, shared and MoE models; score each domain's test split.

    Args:
        ctx: the harness's run context (output folder, size, seed, progress).

    Returns:
        each model's per-domain test Spearman and mean, the anchors and ``moe_domains.png``.

    Example:
        The harness calls it with a :class:`~rl_shared.reproduce.RunContext`; even the smoke
        size needs the STS-B, SICK-R and STS-B genre data, so only its registration is shown here:

        >>> REPRODUCTION.run is run, REPRODUCTION.datasets, REPRODUCTION.folder
        (True, ('stsb', 'sick', 'stsb-genre'), 'rl_text.moe')
    """
    import time

    from rl_shared.models import load_sentence_transformer
    from rl_text.core.evaluation import evaluate_sts, subsample
    from rl_text.moe import load_domain, load_moe, positive_pairs, train_moe

    total, batch, lr, n_test = ctx.pick(
        smoke=(2, 4, 5e-5, 30), quick=(16, 16, 5e-5, 100), full=(240, 32, 5e-5, None)
    )
    domains = ctx.pick(smoke=QUICK_DOMAINS, quick=QUICK_DOMAINS, full=DOMAINS)
    train = {d: positive_pairs(load_domain(d, "train")) for d in domains}
    tests = {d: subsample(load_domain(d, "test"), n_test, ctx.seed) for d in domains}
    n_all = sum(len(v) for v in train.values())
    least = ctx.pick(smoke=1, quick=2, full=2)
    single_steps = {d: max(least, round(total * len(v) / n_all)) for d, v in train.items()}
    dev, precision = ctx.device, ctx.precision
    common = dict(batch_size=batch, learning_rate=lr, seed=ctx.seed, show_progress=False)
    common.update(save_model=False, save_steps=None, device=dev, precision=precision)

    def score(model, tag: bool) -> dict[str, float]:
        return {
            d: cast(
                float,
                evaluate_sts(model, _tagged(p, d) if tag else p, precision=precision)["spearman"],
            )
            for d, p in tests.items()
        }

    cross: dict[str, dict[str, float]] = {}
    times: dict[str, float] = {}
    runs = ["base", *(f"single-{d}" for d in domains), "shared", "moe"]
    moe_reload_diff = float("nan")
    for name in ctx.track(runs, "train + evaluate"):
        start = time.perf_counter()
        model = load_sentence_transformer("minilm", device=dev)
        with tempfile.TemporaryDirectory() as tmp:
            if name.startswith("single-"):
                d = name.removeprefix("single-")
                train_moe(model, {d: train[d]}, tmp, moe=False, steps=single_steps[d], **common)
            elif name == "shared":
                train_moe(model, train, tmp, moe=False, steps=total, **common)
            elif name == "moe":
                train_moe(model, train, tmp, moe=True, steps=total, **common)
                cross["moe-untagged"] = score(model, tag=False)
                model.save(f"{tmp}/saved")
                probe = [f"<{d}> {tests[d].sentences1[0]}" for d in domains]
                # the save / load round trip, compared in fp32 on the same device
                again = load_moe(f"{tmp}/saved", device=dev).encode(probe, convert_to_tensor=True)
                moe_reload_diff = float(
                    (again - model.encode(probe, convert_to_tensor=True)).abs().max()
                )
        cross[name] = score(model, tag=name == "moe")
        times[name] = time.perf_counter() - start
    table = {
        "base": cross["base"],
        "single (own domain)": {d: cross[f"single-{d}"][d] for d in domains},
        "shared": cross["shared"],
        "moe": cross["moe"],
        "moe-untagged": cross["moe-untagged"],
    }
    ctx.save_figure(_plot(table, domains), "moe_domains.png")
    metrics: dict[str, float] = {}
    for name, row in table.items():
        key = name.split(" ")[0]
        for d in domains:
            metrics[f"{key}/{d}"] = round(row[d], 4)
        metrics[f"{key}/mean"] = round(sum(row.values()) / len(row), 4)
    metrics["moe/reload-max-abs-diff"] = moe_reload_diff
    size = (
        f"T = {total} steps × {batch} pairs, lr {lr:g}, seed {ctx.seed}; single-domain steps "
        + ", ".join(f"{d} {s}" for d, s in single_steps.items())
        + "; test pairs "
        + ", ".join(f"{d} {len(p)}" for d, p in tests.items())
        + "; positive train pairs "
        + ", ".join(f"{d} {len(v)}" for d, v in train.items())
    )
    gain_shared = metrics["moe/mean"] - metrics["shared/mean"]
    gain_single = metrics["moe/mean"] - metrics["single/mean"]
    details = (
        f"Settings: {size}.\n\n### Test Spearman per domain\n\n{_md(table, domains)}\n\n"
        "### Cross-domain matrix (rows: model, columns: test domain)\n\n"
        f"{_md(cross, domains)}\n\n### Wall time per regime (s, train + evaluate)\n\n"
        + "\n".join(f"- {k}: {v:.1f}" for k, v in times.items())
        + f"\n\nMoE save/load round trip: max |Δ embedding| = {moe_reload_diff:.2e}."
    )
    return Result(
        metrics=metrics,
        anchors=[
            Anchor(
                "moe/mean",
                "MoE >= single-domain models > one shared model on in-domain similarity",
                "Hallee et al., arXiv:2401.15713 (co-citation abstracts, 5 scientific domains)",
                "STS data with SICK + STS-B genres as domains; MiniLM instead of SciBERT",
            ),
            Anchor(
                "base/mean",
                None,
                "all-MiniLM-L6-v2 has no per-genre STS-B numbers published",
                "base row is the zero-training reference",
            ),
        ],
        seeds=[ctx.seed],
        summary=(
            f"mean in-domain Spearman: MoE {metrics['moe/mean']:.4f} vs shared "
            f"{metrics['shared/mean']:.4f} ({gain_shared:+.4f}) vs single-domain "
            f"{metrics['single/mean']:.4f} ({gain_single:+.4f}), base "
            f"{metrics['base/mean']:.4f}"
        ),
        details=details,
        plots=["moe_domains.png"],
    )


REPRODUCTION = Reproduction(
    "text.moe",
    "Contrastive MoE embeddings: per-domain STS Spearman, single-domain vs shared vs MoE",
    run,
    datasets=("stsb", "sick", "stsb-genre"),
    paper="Contrastive Learning and Mixture of Experts Enables Precise Vector Embeddings, "
    "arXiv:2401.15713",
)

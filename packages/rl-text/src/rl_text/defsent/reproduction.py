"""``text.defsent``: STS-B and SICK-R test Spearman of DefSent+ training vs the base model.

all-MiniLM-L6-v2 is trained on WordNet (definition, entry) pairs — every lemma of a synset
is an entry, multi-word ones included — to project each definition onto its entry in the
entry space (entry embedding = mean embedding of the entry's definitions, rebuilt from the
current encoder every ``refresh`` steps, then made isotropic). Whole entries with at least
two definitions are drawn, so an entry embedding averages several definitions. Variants:

* ``whiten``: DefSent+ with ZCA whitening (quasi-isotropic);
* ``none``: no isotropy transform (ablation);
* ``ica`` (full only): FastICA, 128 independent components (isotropic);
* ``whiten+prompt`` (full only): prompt-based pooling at the [MASK] of
  ``This sentence : "X" means in one word : "[MASK]" .`` instead of mean pooling.

``smoke``: ``whiten`` only, about 1,300 definitions (more entries than the 384 dimensions the
whitening needs), 1 step of 8, 30 test pairs per set. ``quick``: about 2,000 definitions, 20
steps of 32, refresh every 10, 150 test pairs per set. ``full``: about 8,000 definitions, 200
steps of 64, refresh every 100, full test sets.

References:
    Liu, "DefSent+: Improving sentence embeddings of language models by projecting
    definition sentences into a quasi-isotropic or isotropic vector space of unlimited
    dictionary entries", arXiv:2405.16153.
"""

from __future__ import annotations

import tempfile
import time
from typing import cast

from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext

__all__ = ["REPRODUCTION", "run"]


def _plot(table: dict[str, dict[str, float]]):
    import numpy as np

    from rl_shared.plotting import subplots

    names = list(table)
    sets = ["stsb", "sick"]
    x = np.arange(len(sets))
    width = 0.8 / len(names)
    fig, ax = subplots(figsize=(7, 3.6))
    for i, name in enumerate(names):
        ax.bar(x + i * width, [table[name][s] for s in sets], width, label=name)
    ax.set_xticks(x + 0.4 - width / 2, ["STS-B test", "SICK-R test"])
    ax.set_ylabel("Spearman")
    ax.set_xlabel("evaluation set")
    low = min(min(v.values()) for v in table.values())
    ax.set_ylim(max(0.0, low - 0.05), 1.0)
    ax.set_title("DefSent+ against the base model")
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return fig


def run(ctx: RunContext) -> Result:
    """Train the DefSent+ variants and score STS-B / SICK-R test.

    Args:
        ctx: the harness's run context (output folder, size, seed, progress, and the
            ``device`` / ``precision`` the training and evaluation run with).

    Returns:
        STS-B / SICK-R test Spearman of the base model and every variant, the anchors and
        ``defsent_sts.png``.

    Example:
        The harness calls it with a :class:`~rl_shared.reproduce.RunContext`; even the smoke
        size needs the STS-B, SICK-R and WordNet data, so only its registration is shown here:

        >>> REPRODUCTION.run is run, REPRODUCTION.datasets, REPRODUCTION.folder
        (True, ('stsb', 'sick', 'wordnet'), 'rl_text.defsent')
    """
    from rl_shared.models import load_sentence_transformer
    from rl_shared.sts import load_sick, load_stsb
    from rl_text.core.evaluation import evaluate_sts, subsample
    from rl_text.defsent import load_wordnet_pairs, make_definition_set, train_defsent

    if ctx.size == "smoke":
        n_defs, steps, batch, refresh, n_test = 1300, 1, 8, 10, 30
        variants: dict[str, dict] = {"whiten": {}}
    elif ctx.size == "quick":
        n_defs, steps, batch, refresh, n_test = 2000, 20, 32, 10, 150
        variants = {"whiten": {}, "none": {"isotropy": "none"}}
    else:
        n_defs, steps, batch, refresh, n_test = 8000, 200, 64, 100, None
        variants = {
            "whiten": {},
            "none": {"isotropy": "none"},
            "ica": {"isotropy": "ica", "components": 128},
            "whiten+prompt": {"prompt": True},
        }
    lr = 2e-5
    dev, precision = ctx.device, ctx.precision
    all_pairs = load_wordnet_pairs()
    data = make_definition_set(all_pairs, n=n_defs, seed=ctx.seed, min_definitions=2)
    multi = sum(" " in e for e in data.entries)
    tests = {
        "stsb": subsample(load_stsb("test"), n_test, ctx.seed),
        "sick": subsample(load_sick("test"), n_test, ctx.seed),
    }
    table: dict[str, dict[str, float]] = {}
    times: dict[str, float] = {}
    for name in ctx.track(["base", *variants], "train + evaluate"):
        start = time.perf_counter()
        model = load_sentence_transformer("minilm", device=dev)
        if name != "base":
            from rl_text.defsent import load_prompt_model

            prompt = variants[name].get("prompt", False)
            with tempfile.TemporaryDirectory() as tmp:
                path = train_defsent(
                    model,
                    data,
                    tmp,
                    steps=steps,
                    batch_size=batch,
                    learning_rate=lr,
                    refresh_steps=refresh,
                    seed=ctx.seed,
                    save_steps=None,
                    show_progress=False,
                    device=dev,
                    precision=precision,
                    save_model=prompt,  # prompt pooling builds a new model object
                    **variants[name],
                )
                model = load_prompt_model(path, device=dev) if prompt else model
        table[name] = {
            k: cast(float, evaluate_sts(model, p, precision=precision)["spearman"])
            for k, p in tests.items()
        }
        times[name] = time.perf_counter() - start
    ctx.save_figure(_plot(table), "defsent_sts.png")
    metrics: dict[str, float] = {}
    for name, row in table.items():
        for k, v in row.items():
            metrics[f"{name}/{k}"] = round(v, 4)
        metrics[f"{name}/mean"] = round(sum(row.values()) / len(row), 4)
    rows = "\n".join(
        f"| {n} | {r['stsb']:.4f} | {r['sick']:.4f} | {times[n]:.0f} |" for n, r in table.items()
    )
    size = (
        f"{len(data)} definitions of {len(data.entries)} entries ({multi} multi-word) drawn from "
        f"{len(all_pairs)} WordNet pairs; {steps} steps × {batch}, lr {lr:g}, refresh every "
        f"{refresh} steps, temperature 0.05, all entries as negatives; test pairs: "
        f"STS-B {len(tests['stsb'])}, SICK-R {len(tests['sick'])}; seed {ctx.seed}"
    )
    details = (
        f"Settings: {size}.\n\n| model | STS-B test | SICK-R test | wall s |\n|---|---|---|---|\n"
        f"{rows}\n"
    )
    gain = metrics["whiten/mean"] - metrics["base/mean"]
    iso = metrics["whiten/mean"] - metrics.get("none/mean", float("nan"))
    return Result(
        metrics=metrics,
        anchors=[
            Anchor(
                "base/stsb",
                0.8203,
                "MTEB STSBenchmark, all-MiniLM-L6-v2 (cos Spearman)",
                f"scores a random {n_test}-pair subset" if n_test else "",
            ),
            Anchor(
                "whiten/mean",
                "DefSent+ improves STS over DefSent and over unsupervised baselines",
                "Liu, arXiv:2405.16153 (BERT/RoBERTa base from MLM checkpoints)",
                "MiniLM here is already trained on 1B supervised pairs; gains are not expected",
            ),
        ],
        seeds=[ctx.seed],
        summary=(
            f"DefSent+ (whitening) vs base: {gain:+.4f} mean Spearman; whitening vs no "
            f"transform: {iso:+.4f} ({size})"
        ),
        details=details,
        plots=["defsent_sts.png"],
    )


REPRODUCTION = Reproduction(
    "text.defsent",
    "DefSent+: definitions projected onto isotropic entry embeddings, STS-B / SICK-R Spearman",
    run,
    datasets=("stsb", "sick", "wordnet"),
    paper="DefSent+: Improving sentence embeddings of language models by projecting definition "
    "sentences into a quasi-isotropic or isotropic vector space of unlimited dictionary entries, "
    "arXiv:2405.16153",
)

"""Reproduction ``vision.any2seg``: segmentation from any subset of {RGB, depth, event, LiDAR}.

On generated DELIVER-like scenes it trains single-modality Unets, early fusion (smp Unet
on concatenated channels, missing modalities zero-filled; once on all modalities and once
with the same random modality dropout as Any2Seg), Any2Seg (MFF + LSCD with a teacher
trained on all modalities and MiniLM class-prompt embeddings), and Any2Seg without LSCD
and without MFF. Every model is evaluated on all 15 non-empty modality subsets (clean
test scenes) and with all modalities under each adverse condition and sensor failure.

Sizes: ``smoke`` (a few steps on a handful of 32 x 32 scenes, seconds), ``quick`` (80 steps
at 48 x 48) and ``full`` (1,200 steps at 64 x 64; the tables in ``RESULTS.md``). Torch and
the models are imported inside :func:`run`, so listing reproductions stays light.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation
    from Any Modalities" (Any2Seg), ECCV 2024, arXiv:2407.11351.
    Zhang et al., "Delivering Arbitrary-Modal Semantic Segmentation" (DELIVER), CVPR 2023.

Example:
    >>> subset_name(("rgb", "depth")), len(SUBSETS)
    ('R+D', 15)
"""

from __future__ import annotations

import time
from itertools import combinations
from typing import Any, cast

from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext

__all__ = ["PAPER", "REPRODUCTION", "SUBSETS", "run", "subset_name"]

PAPER = "Learning Modality-agnostic Representation for Semantic Segmentation from Any Modalities (Any2Seg), ECCV 2024, arXiv:2407.11351"

#: the generated scenes' modalities, in the order of ``rl_vision.core.scenes.dataset.MODALITIES``
MODALITIES: tuple[str, ...] = ("rgb", "depth", "event", "lidar")
#: the 15 non-empty subsets of the four modalities, smallest first
SUBSETS: tuple[tuple[str, ...], ...] = tuple(
    c for k in range(1, len(MODALITIES) + 1) for c in combinations(MODALITIES, k)
)


def subset_name(subset: tuple[str, ...]) -> str:
    """``("rgb", "depth")`` -> ``"R+D"``.

    Args:
        subset: modality names among rgb, depth, event, lidar.
    """
    return "+".join({"rgb": "R", "depth": "D", "event": "E", "lidar": "L"}[m] for m in subset)


FULL = tuple(MODALITIES)
MODELS = ("single", "early", "early+md", "any2seg", "any2seg-noLSCD", "any2seg-noMFF")


def _configs(base: dict) -> dict[str, Any]:
    from rl_vision.any2seg.config import TrainConfig

    cfgs = {f"single-{m}": TrainConfig(kind="single", modalities=(m,), **base) for m in MODALITIES}
    cfgs["early"] = TrainConfig(kind="early", modality_dropout=False, **base)
    cfgs["early+md"] = TrainConfig(kind="early", modality_dropout=True, **base)
    cfgs["any2seg"] = TrainConfig(kind="any2seg", **base)
    cfgs["any2seg-noLSCD"] = TrainConfig(kind="any2seg", lscd_weight=0.0, **base)
    cfgs["any2seg-noMFF"] = TrainConfig(kind="any2seg", fusion="mean", **base)
    return cfgs


def run(ctx: RunContext) -> Result:
    """Train every model, evaluate on every subset and condition; tabulate and plot.

    Args:
        ctx: the harness's run context (output folder, size, seed, progress).

    Returns:
        The mIoU of every model on every modality subset and condition, the anchors
        (Any2Seg's gains over the best baseline) and ``any2seg_subsets.png``.

    References:
        Zheng et al., Any2Seg, ECCV 2024, arXiv:2407.11351.

    Example:
        The harness calls it with a :class:`~rl_shared.reproduce.RunContext`; even the smoke
        size trains a teacher and nine models and embeds the class prompts with MiniLM, so
        only its registration is shown here:

        >>> REPRODUCTION.run is run, REPRODUCTION.datasets, REPRODUCTION.folder
        (True, (), 'rl_vision.any2seg')
    """
    import numpy as np

    from rl_shared.runtime import threads
    from rl_vision.any2seg.config import TRAIN_CONDITIONS, TrainConfig
    from rl_vision.any2seg.evaluation import TEST_SEED_OFFSET, evaluate
    from rl_vision.any2seg.teacher import TrainedTeacher
    from rl_vision.any2seg.text import class_text_embeddings
    from rl_vision.any2seg.train import train
    from rl_vision.core.scenes.conditions import CONDITIONS
    from rl_vision.core.scenes.dataset import make_batch
    from rl_vision.core.scenes.layout import CLASSES

    started = time.time()
    base: dict[str, Any] = ctx.pick(
        smoke={"steps": 2, "batch_size": 4, "size": 32, "num_scenes": 8, "checkpoint_every": 0},
        quick={"steps": 80, "batch_size": 8, "size": 48, "num_scenes": 96, "checkpoint_every": 0},
        full={"steps": 1200, "batch_size": 8, "size": 64, "num_scenes": 768, "checkpoint_every": 0},
    )
    teacher_steps, n_test = ctx.pick(smoke=(2, 4), quick=(80, 24), full=(1200, 96))
    base |= {"encoder": "tu-mobilenetv3_small_050", "seed": ctx.seed}
    text = class_text_embeddings(CLASSES)
    metrics: dict[str, float] = {}
    # one torch thread: small images on a shared 2-core machine run faster without hand-offs
    with threads(1):
        pool = make_batch(range(base["num_scenes"]), base["size"], TRAIN_CONDITIONS)
        tests = {
            c: make_batch(range(TEST_SEED_OFFSET, TEST_SEED_OFFSET + n_test), base["size"], c)
            for c in CONDITIONS
        }
        tcfg = TrainConfig(kind="teacher", **{**base, "steps": teacher_steps})
        dev, prec = ctx.device, ctx.precision
        teacher = cast(  # kind="teacher"
            TrainedTeacher, train(tcfg, text=text, pool=pool, device=dev, precision=prec)
        )
        for m in MODALITIES:  # how well each teacher modality alone segments through text
            metrics[f"teacher.{m}.miou"] = _teacher_miou(teacher, tests["clean"], m)
        models = {}
        cfgs = _configs(base)
        for name in ctx.track(list(cfgs), "train models"):
            models[name] = train(
                cfgs[name], teacher=teacher, text=text, pool=pool, device=dev, precision=prec
            )
        for name, model in models.items():
            if name.startswith("single-"):
                m = name.removeprefix("single-")
                metrics[f"{name}.{m}.clean"] = evaluate(model, tests["clean"], (m,))["miou"]
                continue
            for subset in SUBSETS:
                metrics[f"{name}.{subset_name(subset)}.clean"] = evaluate(
                    model, tests["clean"], subset
                )["miou"]
            for c in CONDITIONS[1:]:
                metrics[f"{name}.{subset_name(FULL)}.{c}"] = evaluate(model, tests[c], FULL)["miou"]
    # best single-modality model present in each subset (an oracle choice)
    for subset in SUBSETS:
        metrics[f"single.{subset_name(subset)}.clean"] = max(
            metrics[f"single-{m}.{m}.clean"] for m in subset
        )
    fused = ("early", "early+md", "any2seg", "any2seg-noLSCD", "any2seg-noMFF")
    incomplete = [s for s in SUBSETS if s != FULL]
    for name in ("single", *fused):
        metrics[f"{name}.incomplete_mean"] = float(
            np.mean([metrics[f"{name}.{subset_name(s)}.clean"] for s in incomplete])
        )
    metrics["delta_full_vs_best_baseline"] = metrics[f"any2seg.{subset_name(FULL)}.clean"] - max(
        metrics[f"{b}.{subset_name(FULL)}.clean"] for b in ("early", "early+md")
    )
    metrics["delta_incomplete_vs_best_baseline"] = metrics["any2seg.incomplete_mean"] - max(
        metrics[f"{b}.incomplete_mean"] for b in ("early", "early+md")
    )
    metrics["delta_incomplete_vs_single_oracle"] = (
        metrics["any2seg.incomplete_mean"] - metrics["single.incomplete_mean"]
    )
    plot = _plot(ctx, metrics, ("single", *fused))
    details = _tables(metrics, base, teacher_steps, n_test, ("single", *fused), CONDITIONS)
    details += f"\n\nWall time: {time.time() - started:.0f} s."
    summary = (
        f"mIoU all modalities: Any2Seg {metrics['any2seg.R+D+E+L.clean']:.3f} vs early fusion "
        f"{metrics['early.R+D+E+L.clean']:.3f}; mean over 14 incomplete subsets: Any2Seg "
        f"{metrics['any2seg.incomplete_mean']:.3f}, early {metrics['early.incomplete_mean']:.3f}, "
        f"early+dropout {metrics['early+md.incomplete_mean']:.3f}, w/o LSCD "
        f"{metrics['any2seg-noLSCD.incomplete_mean']:.3f}, w/o MFF {metrics['any2seg-noMFF.incomplete_mean']:.3f}"
    )
    anchors = [
        Anchor("delta_full_vs_best_baseline", 0.0354, PAPER + ", DELIVER, all modalities vs previous best",
               "paper: real DELIVER, SegFormer-B2-size backbone, LanguageBind teacher; ours: generated scenes, tiny encoder, trained teacher"),
        Anchor("delta_incomplete_vs_best_baseline", 0.1979, PAPER + ", DELIVER, modality-incomplete mean vs previous best",
               "paper's baselines (CMNeXt) are trained on all modalities; ours include early fusion with the same modality dropout"),
    ]  # fmt: skip
    return Result(metrics, anchors, [ctx.seed], summary, details, [plot])


def _teacher_miou(teacher, data, modality: str) -> float:
    import torch

    from rl_vision.any2seg.metrics import SegmentationMeter
    from rl_vision.core.scenes.layout import CLASSES

    meter = SegmentationMeter(len(CLASSES))
    device = next(teacher.parameters()).device  # where train() left it (--device)
    with torch.no_grad():
        for i in range(0, len(data), 32):
            part = data.index(slice(i, i + 32))
            logits = teacher({modality: part.inputs[modality].to(device)})[modality]
            meter.update(logits.float().cpu(), part.labels)
    return meter.miou()


def _tables(
    metrics: dict[str, float],
    base: dict,
    teacher_steps: int,
    n_test: int,
    models: tuple[str, ...],
    conditions: tuple[str, ...],
) -> str:
    pct = lambda v: f"{100 * v:.1f}"  # noqa: E731
    lines = [
        f"Settings: generated scenes {base['size']}x{base['size']}, {base['num_scenes']} training scenes "
        f"(clean and every condition mixed), {n_test} test scenes per condition, smp encoder "
        f"`{base['encoder']}` (weights=None), {base['steps']} steps of batch {base['batch_size']} per model, "
        f"teacher {teacher_steps} steps, AdamW one-cycle, seed {base['seed']}. mIoU in %.",
        "",
        "mIoU on clean test scenes for every modality subset (R=RGB, D=depth, E=event, L=LiDAR; "
        "'single' = an oracle that picks, per subset, the single-modality model of a present "
        "modality with the best test mIoU; four models, not one):",
        "",
        "| subset | " + " | ".join(models) + " |",
        "|---|" + "---|" * len(models),
    ]
    for s in SUBSETS:
        n = subset_name(s)
        lines.append(
            f"| {n} | " + " | ".join(pct(metrics[f"{m}.{n}.clean"]) for m in models) + " |"
        )
    lines.append(
        "| **mean of 14 incomplete** | "
        + " | ".join(f"**{pct(metrics[f'{m}.incomplete_mean'])}**" for m in models)
        + " |"
    )
    fused = [m for m in models if m != "single"]
    lines += [
        "",
        "mIoU with all four modalities under each condition:",
        "",
        "| condition | " + " | ".join(fused) + " |",
        "|---|" + "---|" * len(fused),
    ]
    for c in conditions:
        lines.append(
            f"| {c} | " + " | ".join(pct(metrics[f"{m}.R+D+E+L.{c}"]) for m in fused) + " |"
        )
    lines += [
        "",
        "Teacher (trained on all modalities, text-classifier head on MiniLM prompt embeddings), "
        "mIoU of each modality alone: "
        + ", ".join(f"{m} {pct(metrics[f'teacher.{m}.miou'])}" for m in MODALITIES)
        + ".",
        "",
        f"Any2Seg minus the single-modality oracle, mean over incomplete subsets: "
        f"{100 * metrics['delta_incomplete_vs_single_oracle']:+.2f}.",
        "",
        f"Any2Seg minus the best fused baseline (early, early+md) with all modalities: "
        f"{100 * metrics['delta_full_vs_best_baseline']:+.2f} mIoU (paper on DELIVER: +3.54); "
        f"mean over incomplete subsets minus the best baseline: "
        f"{100 * metrics['delta_incomplete_vs_best_baseline']:+.2f} (paper: +19.79). "
        "The paper's baselines are trained on all modalities, like our 'early'; 'early+md' gets the "
        "same modality dropout as Any2Seg and is the harder comparison. Data, backbone and "
        "teacher differ from the paper (generated scenes, a tiny smp encoder, a teacher trained "
        "here instead of LanguageBind), so only the direction of the comparison carries over.",
    ]
    return "\n".join(lines)


def _plot(ctx: RunContext, metrics: dict[str, float], models: tuple[str, ...]) -> str:
    from rl_shared.plotting import subplots

    fig, axes = subplots(1, 2, figsize=(13.5, 4))
    vals = [100 * metrics[f"{m}.incomplete_mean"] for m in models]
    axes[0].bar(range(len(models)), vals, color="tab:blue")
    axes[0].set_xticks(range(len(models)), models, rotation=30, ha="right", fontsize=8)
    axes[0].set(
        xlabel="model", ylabel="mean mIoU (%)", title="mean over 14 modality-incomplete subsets"
    )
    names = [subset_name(s) for s in SUBSETS]
    for m in models:
        axes[1].plot(
            range(len(names)), [100 * metrics[f"{m}.{n}.clean"] for n in names], "-o", ms=3, label=m
        )
    axes[1].set_xticks(range(len(names)), names, rotation=60, fontsize=7)
    axes[1].set(xlabel="modality subset", ylabel="mIoU (%)", title="every modality subset (clean)")
    # beside the panel: 14 subsets x several models leave no empty corner
    axes[1].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    fig.tight_layout()
    return ctx.save_figure(fig, "any2seg_subsets.png").name


REPRODUCTION = Reproduction(
    name="vision.any2seg",
    summary="Any2Seg (MFF + LSCD) vs single-modality and early-fusion Unets on every modality subset of generated scenes",
    run=run,
    paper=PAPER,
)

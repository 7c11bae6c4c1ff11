"""``text.dse``: a MiniLM cross-encoder teacher distilled into a bi-encoder with a pair head.

Teacher: sentence-transformers ``CrossEncoder`` from all-MiniLM-L6-v2, fine-tuned on STS-B
train. Students (same start, steps and seed): DSE with ``α = 0.5`` on the teacher's scores of
the training pairs, and the same student without distillation (``α = 0``). All are scored on
STS-B test (Spearman of the head / cross-encoder scores; the base model by cosine). Speed: one
query against ``N`` candidates (unique STS-B train sentences) with the cross-encoder (N pair
forwards) vs the student (candidate embeddings cached; one query encoding and the head).
Both sides are timed the same way: best of ``TIMING_REPEATS`` runs after one warm-up run,
``TIMING_BATCH`` pairs / candidates per batch, on ``ctx.device`` under ``ctx.precision``,
with ``torch.cuda.synchronize`` around each run on CUDA.

``smoke``: 40 training pairs, 2 steps of 8, 30 test pairs, 64 candidates. ``quick``: 600
training pairs, 30 steps of 16 pairs each for teacher and students, 200 test pairs, 1,000
candidates. ``full``: all 5,749 training pairs, 240 steps of 32 (1.3 epochs), the 1,379 test
pairs, 10,000 candidates.

References:
    Barkan et al., "Scalable Attentive Sentence-Pair Modeling via Distilled Sentence
    Embedding", AAAI 2020, arXiv:1908.05161.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext

__all__ = ["REPRODUCTION", "run"]


#: timed calls of each side (the best one counts), after one untimed warm-up call
TIMING_REPEATS = 3
#: pairs per cross-encoder forward pass, and candidates per student encoding batch
TIMING_BATCH = 128


def _best_time(call: Callable[[], object], repeats: int, device: Any) -> float:
    """The fastest of ``repeats`` timed runs of ``call`` (after one untimed warm-up run).

    On CUDA the device is synchronised before the clock starts and before it stops, so the
    asynchronous kernels of the call are inside the measurement.
    """
    import torch

    cuda = torch.device(device).type == "cuda"

    def sync() -> None:
        if cuda:
            torch.cuda.synchronize(device)

    best = float("inf")
    with torch.inference_mode():
        call()  # warm-up: lazy initialisation, allocator, kernel selection
        for _ in range(repeats):
            sync()
            start = time.perf_counter()
            call()
            sync()
            best = min(best, time.perf_counter() - start)
    return best


def _timings(
    teacher: Any,
    student: Any,
    query: str,
    candidates: list[str],
    repeats: int = TIMING_REPEATS,
    batch_size: int = TIMING_BATCH,
    precision: str = "fp32",
) -> dict[str, float]:
    """Seconds to rank ``candidates`` for ``query``: cross-encoder vs cached-embedding student.

    Both sides are measured by :func:`_best_time` with the same repetitions, on the same
    device (the student's, where the teacher is moved first), under the same precision; the
    cross-encoder scores ``batch_size`` pairs per forward pass, the student's candidate
    embeddings are cached beforehand in batches of ``batch_size`` (untimed: that is the
    point of a bi-encoder) and only the query's encoding and the head are timed.
    """
    from rl_shared.runtime import autocast

    device = student.device
    if getattr(teacher, "device", device) != device:
        teacher.to(device)  # a CrossEncoder is an nn.Module
    pairs = [(query, c) for c in candidates]
    with autocast(device, precision):
        cached = student.encode(candidates, batch_size=batch_size)
        cross = _best_time(
            lambda: teacher.predict(pairs, batch_size=batch_size, show_progress_bar=False),
            repeats,
            device,
        )
        bi = _best_time(lambda: student.rank(query, cached), repeats, device)
    return {"cross_encoder_s": cross, "student_s": bi}


def _plot(metrics: dict[str, float], n_cand: int):
    from rl_shared.plotting import subplots

    names = ["base_cosine", "teacher", "dse", "dse_cosine", "no_distill"]
    labels = [
        "base\n(cosine)",
        "teacher\n(cross-enc.)",
        "DSE\n(head)",
        "DSE\n(cosine)",
        "no distill.\n(head)",
    ]
    fig, (left, right) = subplots(1, 2, figsize=(10, 3.8))
    left.bar(labels, [metrics[n] for n in names], color=["C7", "C3", "C0", "C9", "C1"])
    left.set(
        xlabel="model",
        ylabel="STS-B test Spearman",
        ylim=(min(metrics[n] for n in names) - 0.05, 1.0),
    )
    right.bar(["cross-encoder", "DSE student"], [metrics["cross_encoder_s"], metrics["student_s"]])
    left.set_title("accuracy")
    right.set(xlabel="scorer", yscale="log", ylabel=f"seconds for 1 query × {n_cand:,} candidates")
    right.set_title("speed")
    fig.tight_layout()
    return fig


def run(ctx: RunContext) -> Result:
    """Train teacher and both students, evaluate on STS-B test, time the ranking.

    Args:
        ctx: the harness's run context (output folder, size, seed, progress, and the
            ``device`` / ``precision`` every training, scoring and timing runs with).

    Returns:
        STS-B test Spearman and ranking times of teacher and students, the anchors and
        ``dse.png``.

    Example:
        The harness calls it with a :class:`~rl_shared.reproduce.RunContext`; even the smoke
        size needs STS-B and a cross-encoder's training, so only its registration is shown here:

        >>> REPRODUCTION.run is run, REPRODUCTION.datasets, REPRODUCTION.folder
        (True, ('stsb',), 'rl_text.dse')
    """
    from sentence_transformers.cross_encoder import CrossEncoder

    from rl_shared.models import load_sentence_transformer
    from rl_shared.runtime import resolve_device
    from rl_shared.sts import correlations, load_stsb
    from rl_text.core.evaluation import evaluate_sts, subsample
    from rl_text.dse.model import DistilledSentenceEmbedding
    from rl_text.dse.train import teacher_scores, train_dse, train_teacher

    n_train, steps, batch, n_test, n_cand = ctx.pick(
        smoke=(40, 2, 8, 30, 64),
        quick=(600, 30, 16, 200, 1000),
        full=(None, 240, 32, None, 10_000),
    )
    train = subsample(load_stsb("train"), n_train, ctx.seed)
    test = subsample(load_stsb("test"), n_test, ctx.seed)
    dev, precision = ctx.device, ctx.precision
    common: dict[str, Any] = dict(
        steps=steps, batch_size=batch, seed=ctx.seed, show_progress=False, device=dev,
        precision=precision,
    )  # fmt: skip
    metrics: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        stages = ["teacher", "label", "dse", "no-distill", "evaluate", "timing"]
        for stage in ctx.track(stages, "DSE"):
            if stage == "teacher":
                teacher_path = train_teacher(
                    train, out, save_steps=None, learning_rate=4e-5, **common
                )
                teacher = CrossEncoder(
                    str(teacher_path), device=str(resolve_device(dev)), local_files_only=True
                )
            elif stage == "label":
                labels = teacher_scores(teacher, train, precision=precision)
            elif stage == "dse":
                dse = DistilledSentenceEmbedding.load(
                    train_dse(train, labels, out / "dse", save_steps=None, **common),
                    device=dev,
                    precision=precision,
                )
            elif stage == "no-distill":
                plain = DistilledSentenceEmbedding.load(
                    train_dse(train, None, out / "plain", save_steps=None, **common),
                    device=dev,
                    precision=precision,
                )
            elif stage == "evaluate":
                gold = test.scores
                # the correlations are defined here (None only for constant scores)
                teacher_pred = teacher_scores(teacher, test, precision=precision)
                metrics["teacher"] = cast(float, correlations(teacher_pred, gold)["spearman"])
                dse_pred = dse.score(test.sentences1, test.sentences2)
                metrics["dse"] = cast(float, correlations(dse_pred, gold)["spearman"])
                plain_pred = plain.score(test.sentences1, test.sentences2)
                metrics["no_distill"] = cast(float, correlations(plain_pred, gold)["spearman"])
                dse_sts = evaluate_sts(dse.model, test, precision=precision)
                metrics["dse_cosine"] = cast(float, dse_sts["spearman"])
                base = load_sentence_transformer("minilm", device=dev)
                base_sts = evaluate_sts(base, test, precision=precision)
                metrics["base_cosine"] = cast(float, base_sts["spearman"])
            else:
                everything = load_stsb("train")
                pool = list(dict.fromkeys(everything.sentences1 + everything.sentences2))
                candidates = pool[:n_cand]
                t = _timings(teacher, dse, test.sentences1[0], candidates, precision=precision)
                metrics["cross_encoder_s"] = t["cross_encoder_s"]
                metrics["student_s"] = t["student_s"]
    metrics["relative_loss"] = (metrics["teacher"] - metrics["dse"]) / metrics["teacher"]
    metrics["speedup"] = metrics["cross_encoder_s"] / metrics["student_s"]
    metrics = {k: round(v, 4) for k, v in metrics.items()}
    ctx.save_figure(_plot(metrics, len(candidates)), "dse.png")
    size = (
        f"{len(train)} training pairs, {steps} steps × {batch}, {len(test)} test pairs, "
        f"{len(candidates)} candidates, seed {ctx.seed}"
    )
    table = "\n".join(
        [
            "| model | STS-B test Spearman |",
            "|---|---|",
            f"| base all-MiniLM-L6-v2 (cosine) | {metrics['base_cosine']:.4f} |",
            f"| teacher cross-encoder | {metrics['teacher']:.4f} |",
            f"| DSE student, head (α = 0.5) | {metrics['dse']:.4f} |",
            f"| DSE student, cosine | {metrics['dse_cosine']:.4f} |",
            f"| student without distillation (α = 0), head | {metrics['no_distill']:.4f} |",
            "",
            f"One query against {len(candidates):,} candidates: cross-encoder "
            f"{metrics['cross_encoder_s']:.2f} s, DSE student {metrics['student_s'] * 1e3:.2f} ms "
            f"with cached candidate embeddings ({metrics['speedup']:.0f}× faster).",
        ]
    )
    return Result(
        metrics=metrics,
        anchors=[
            Anchor(
                "relative_loss",
                0.046,
                "Barkan et al., arXiv:1908.05161 (average relative degradation on GLUE)",
                "BERT-large teacher on GLUE tasks; here a MiniLM teacher on STS-B",
            ),
            Anchor(
                "speedup",
                "orders of magnitude faster than the cross-encoder",
                "Barkan et al., arXiv:1908.05161",
            ),
        ],
        seeds=[ctx.seed],
        summary=(
            f"teacher {metrics['teacher']:.3f}, DSE {metrics['dse']:.3f} "
            f"({metrics['relative_loss']:.1%} relative loss), no distillation "
            f"{metrics['no_distill']:.3f}; {metrics['speedup']:.0f}× faster ({size})"
        ),
        details=f"{size}\n\n{table}",
        plots=["dse.png"],
    )


REPRODUCTION = Reproduction(
    "text.dse",
    "DSE: cross-encoder teacher, distilled bi-encoder student and its speed-up on STS-B",
    run,
    datasets=("stsb",),
    paper="Scalable Attentive Sentence-Pair Modeling via Distilled Sentence Embedding, arXiv:1908.05161",
)

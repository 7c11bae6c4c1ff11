"""Reproduction ``shared.cmim``: batch-size sensitivity of MIM, cMIM and InfoNCE on digits.

On scikit-learn's bundled 8x8 digits (1,797 images), encoders are trained without labels
by A-MIM, cMIM and InfoNCE with hand-made augmentations (pixel noise, pixel dropout and
one-pixel shifts), at batch sizes 16, 64 and 256 for the same number of optimiser steps. A logistic
regression probe on the frozen embeddings of the training images is scored on held-out
images. The paper's claim: cMIM is much less sensitive to batch size than InfoNCE, and
informative embeddings improve MIM-family features.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext

if TYPE_CHECKING:  # torch is imported where it is used: listing reproductions stays light
    import torch

    from rl_shared.cmim.model import MIMAutoencoder

__all__ = ["REPRODUCTION", "augment_digits", "run"]

BATCH_SIZES = (16, 64, 256)
METHODS = ("mim", "cmim", "infonce")


def _load(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype(np.float32)
    return train_test_split(x, y, test_size=0.25, random_state=seed, stratify=y)


def augment_digits(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """A random view of 8x8 digit images: shift by up to one pixel, drop 10% of pixels, add noise.

    The shift is one draw for the whole batch; the dropped pixels and the noise are drawn per
    pixel. The result is clamped to [0, 1].

    Args:
        x: flattened 8x8 images with values in [0, 1].
        generator: the source of every random draw (the same seed gives the same view).

    Shapes:
        x ``(B, 64)`` in [0, 1] -> ``(B, 64)``.

    References:
        Livne, "cMIM: A Contrastive Mutual Information Framework for Unified Generative and
        Discriminative Representation Learning", arXiv:2411.10548 (the InfoNCE baseline's views).

    Example:
        >>> import torch
        >>> x = torch.rand(4, 64)
        >>> view = augment_digits(x, torch.Generator().manual_seed(0))
        >>> view.shape, bool(view.min() >= 0), bool(view.max() <= 1)
        (torch.Size([4, 64]), True, True)
        >>> torch.equal(view, augment_digits(x, torch.Generator().manual_seed(0)))
        True
    """
    import torch

    images = x.view(-1, 8, 8)
    dx, dy = (int(v) for v in torch.randint(-1, 2, (2,), generator=generator))
    images = torch.roll(images, shifts=(dy, dx), dims=(1, 2))
    keep = (torch.rand(images.shape, generator=generator) > 0.1).float()
    noise = 0.05 * torch.randn(images.shape, generator=generator)
    return (images * keep + noise).clamp(0, 1).reshape(-1, 64)


def _train(
    method: str,
    x_train: np.ndarray,
    batch_size: int,
    steps: int,
    seed: int,
    device: str = "auto",
    precision: str = "fp32",
) -> MIMAutoencoder:
    """One encoder of the grid: 16-d code, 128-unit MLPs, Adam 1e-3, temperature 0.1."""
    from rl_shared.cmim.train import train_mim

    return train_mim(
        x_train, method, batch_size, steps, seed, latent_dim=16, hidden_dim=128, lr=1e-3,
        temperature=0.1, augment=augment_digits, device=device, precision=precision,
    )  # fmt: skip


def _probe(train: np.ndarray, y_train: np.ndarray, test: np.ndarray, y_test: np.ndarray) -> float:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
    clf.fit(train, y_train)
    return float(clf.score(test, y_test))


def run(ctx: RunContext) -> Result:
    """Train every method at every batch size and probe the embeddings (one thread: tiny MLPs).

    A-MIM, cMIM and InfoNCE encoders are trained at batch sizes 16, 64 and 256 for the same
    number of Adam steps (40 / 400 / 2000 for smoke / quick / full; the full size averages
    three seeds), then a logistic-regression probe is scored on held-out digits. Writes the
    plot ``accuracy_vs_batch_size.png`` into ``ctx.out_dir``.

    Args:
        ctx: the harness's run context (output folder, size, seed, progress).

    Returns:
        metrics ``acc.<method>.bs<batch>``, ``acc_informative.<method>.bs<batch>`` (MIM and
        cMIM), ``batch_size_spread.<method>`` and ``acc.raw_pixels``, with the paper's anchors.

    References:
        Livne, "cMIM: A Contrastive Mutual Information Framework for Unified Generative and
        Discriminative Representation Learning", arXiv:2411.10548.

    Example:
        The harness calls it through :data:`REPRODUCTION` (even the smoke size trains nine
        encoders, about 20 s, so ``rl reproduce shared.cmim --smoke`` is the way to run it):

        >>> REPRODUCTION.run is run, REPRODUCTION.name, REPRODUCTION.datasets
        (True, 'shared.cmim', ())
    """
    from threadpoolctl import threadpool_limits

    from rl_shared.runtime import threads

    with threads(1), threadpool_limits(1):
        return _run(ctx)


def _run(ctx: RunContext) -> Result:
    import torch

    steps = ctx.pick(smoke=40, quick=400, full=2000)
    seeds = ctx.pick(
        smoke=[ctx.seed], quick=[ctx.seed], full=[ctx.seed, ctx.seed + 1, ctx.seed + 2]
    )
    x_train, x_test, y_train, y_test = _load(ctx.seed)
    tr, te = torch.from_numpy(x_train), torch.from_numpy(x_test)
    acc: dict[tuple[str, int], list[float]] = {}
    acc_informative: dict[tuple[str, int], list[float]] = {}
    grid = [(m, b, s) for s in seeds for m in METHODS for b in BATCH_SIZES]
    for method, batch, seed in ctx.track(grid, "train + probe"):
        model = _train(method, x_train, batch, steps, seed, ctx.device, ctx.precision)
        with torch.no_grad():
            acc.setdefault((method, batch), []).append(
                _probe(model(tr).numpy(), y_train, model(te).numpy(), y_test)
            )
            if method != "infonce":
                inf_tr, inf_te = (
                    model.informative_embedding(tr).numpy(),
                    model.informative_embedding(te).numpy(),
                )
                acc_informative.setdefault((method, batch), []).append(
                    _probe(inf_tr, y_train, inf_te, y_test)
                )
    raw_pixels = _probe(x_train, y_train, x_test, y_test)

    metrics: dict[str, float] = {}
    for (method, batch), values in acc.items():
        metrics[f"acc.{method}.bs{batch}"] = float(np.mean(values))
    for (method, batch), values in acc_informative.items():
        metrics[f"acc_informative.{method}.bs{batch}"] = float(np.mean(values))
    spread = {
        m: max(metrics[f"acc.{m}.bs{b}"] for b in BATCH_SIZES)
        - min(metrics[f"acc.{m}.bs{b}"] for b in BATCH_SIZES)
        for m in METHODS
    }
    for method, value in spread.items():
        metrics[f"batch_size_spread.{method}"] = value
    metrics["acc.raw_pixels"] = raw_pixels

    _plot(ctx, metrics)
    less_sensitive = spread["cmim"] < spread["infonce"]
    summary = (
        f"accuracy spread over batch sizes 16/64/256: cMIM {spread['cmim']:.3f}, InfoNCE {spread['infonce']:.3f}, "
        f"MIM {spread['mim']:.3f} -> cMIM {'is' if less_sensitive else 'is NOT'} less batch-size sensitive here"
    )
    rows = [
        "| method | " + " | ".join(f"bs {b}" for b in BATCH_SIZES) + " | spread |",
        "|---|---|---|---|---|",
    ]
    for method in METHODS:
        cells = " | ".join(f"{metrics[f'acc.{method}.bs{b}']:.3f}" for b in BATCH_SIZES)
        rows.append(f"| {method} (encoder mean) | {cells} | {spread[method]:.3f} |")
    for method in ("mim", "cmim"):
        cells = " | ".join(f"{metrics[f'acc_informative.{method}.bs{b}']:.3f}" for b in BATCH_SIZES)
        rows.append(f"| {method} (informative embedding) | {cells} | |")
    details = "\n".join(
        [
            "Linear-probe accuracy on held-out digits (25% split, stratified), "
            f"{steps} Adam steps per run, mean over seeds {seeds}. Raw-pixel probe: {raw_pixels:.3f}.",
            "",
            *rows,
            "",
            "Differences from the paper: 8x8 digits instead of MNIST-scale images, MLP encoder and "
            "decoder (2 x 128 units, 16-d code) instead of the paper's networks. Every batch size gets the same "
            "number of optimiser steps, so only the number of in-batch negatives (and samples seen) changes.",
        ]
    )
    anchors = [
        Anchor(
            "batch_size_spread.cmim",
            "smaller than InfoNCE's",
            "Livne, cMIM, arXiv:2411.10548 (abstract)",
        ),
        Anchor(
            "batch_size_spread.infonce", "sensitive to batch size", "Livne, cMIM, arXiv:2411.10548"
        ),
        Anchor(
            "acc_informative.cmim.bs64",
            "informative > encoder-mean embeddings",
            "Livne, cMIM, arXiv:2411.10548 (informative embeddings)",
        ),
    ]
    return Result(metrics=metrics, anchors=anchors, seeds=seeds, summary=summary, details=details)


def _plot(ctx: RunContext, metrics: dict[str, float]) -> None:
    from rl_shared.plotting import subplots

    fig, ax = subplots(figsize=(5.5, 4))
    for method, style in zip(METHODS, ("o-", "s-", "^-"), strict=True):
        ax.plot(
            BATCH_SIZES, [metrics[f"acc.{method}.bs{b}"] for b in BATCH_SIZES], style, label=method
        )
    for method in ("mim", "cmim"):
        ax.plot(
            BATCH_SIZES,
            [metrics[f"acc_informative.{method}.bs{b}"] for b in BATCH_SIZES],
            ":",
            label=f"{method} informative",
        )
    ax.axhline(metrics["acc.raw_pixels"], color="grey", lw=0.8, ls="--", label="raw pixels")
    ax.set_xscale("log", base=2)
    ax.set_xticks(BATCH_SIZES, [str(b) for b in BATCH_SIZES])
    ax.set_xlabel("batch size")
    ax.set_ylabel("linear-probe accuracy (held-out digits)")
    ax.set_title("cMIM vs InfoNCE: sensitivity to batch size")
    ax.legend(fontsize=8)
    fig.tight_layout()
    ctx.save_figure(fig, "accuracy_vs_batch_size.png")


REPRODUCTION = Reproduction(
    name="shared.cmim",
    summary="cMIM vs MIM vs InfoNCE linear-probe accuracy against batch size on sklearn digits",
    run=run,
    datasets=(),
    paper="Livne, cMIM: A Contrastive Mutual Information Framework ..., arXiv:2411.10548",
)

"""Reproduction ``retrieval.limit-critical-n``: free-embedding critical n against dimension.

Runs :func:`rl_retrieval.limit.free_embedding.critical_n_curve` for k = 2 over d = 2 ... 16
(quick: 4 ... 10), fits a cubic as the paper does, plots it beside the paper's cubic and
extrapolates both to d = 512, 768, 1024 and 4096.

References:
    Weller et al., "On the Theoretical Limitations of Embedding-Based Retrieval",
    arXiv:2508.21038, Figure 2.
"""

from __future__ import annotations

import sys

import numpy as np

from rl_retrieval.reproductions._plot import pyplot, save
from rl_shared.lazy import lazy_exports
from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext

__all__ = ["REPRODUCTION", "run"]

SOURCE = "Weller et al. 2025, arXiv:2508.21038, Fig. 2 (fitted cubic)"
EXTRAPOLATE = (512, 768, 1024, 4096)

# The free-embedding maths needs torch, so it is imported on first use (not when ``rl``
# lists reproductions); its names stay attributes of this module, which run() reads and
# callers may patch (``limit_critical_n.critical_n_curve``).
_FREE_EMBEDDING = ("PAPER_CUBIC", "critical_n_curve", "fit_cubic", "polyval")
__getattr__, __dir__ = lazy_exports(
    __name__, dict.fromkeys(_FREE_EMBEDDING, "rl_retrieval.limit.free_embedding")
)


def run(ctx: RunContext) -> Result:
    """Measure critical n for each d and compare with the paper's cubic."""
    this = sys.modules[__name__]
    PAPER_CUBIC, critical_n_curve, fit_cubic, polyval = (
        getattr(this, name) for name in _FREE_EMBEDDING
    )
    plt = pyplot()
    dims = list(range(4, 11)) if ctx.quick else list(range(2, 17))
    curve = critical_n_curve(
        dims, 2, seed=ctx.seed, track=lambda ds: ctx.track(ds, "critical n per d")
    )
    ds = [c.d for c in curve]
    ns = [c.n for c in curve]
    cubic = fit_cubic(ds, ns)
    metrics: dict[str, float] = {f"n@d={c.d}": float(c.n) for c in curve}
    metrics["seconds_total"] = round(sum(c.seconds for c in curve), 2)
    for d in EXTRAPOLATE:
        metrics[f"extrapolated_n@d={d}"] = round(polyval(cubic, d))
    anchors = [Anchor(f"n@d={d}", round(polyval(PAPER_CUBIC, d), 1), SOURCE) for d in ds if d >= 4]
    anchors += [
        Anchor(f"extrapolated_n@d={d}", round(polyval(PAPER_CUBIC, d)), SOURCE) for d in EXTRAPOLATE
    ]

    fig, ax = plt.subplots(figsize=(6, 4))
    grid = np.linspace(min(ds), max(ds), 100)
    ax.plot(ds, ns, "o", label="measured (this run)")
    ax.plot(grid, [polyval(cubic, g) for g in grid], "-", label="cubic fit (this run)")
    ax.plot(grid, [polyval(PAPER_CUBIC, g) for g in grid], "--", label="paper's cubic")
    ax.set_xlabel("embedding dimension d")
    ax.set_ylabel("critical n (k = 2)")
    ax.set_title("Free-embedding critical n")
    ax.legend()
    plot = save(fig, ctx.out_dir / "critical_n.png")

    rows = "\n".join(
        f"| {c.d} | {c.n} | {polyval(PAPER_CUBIC, c.d):.1f} | {c.seconds:.2f} | {len(c.trials)} |"
        for c in curve
    )
    extra = "\n".join(
        f"| {d} | {polyval(cubic, d):,.0f} | {polyval(PAPER_CUBIC, d):,.0f} |" for d in EXTRAPOLATE
    )
    details = (
        "| d | critical n | paper's cubic | seconds | trials |\n|---|---|---|---|---|\n"
        + rows
        + "\n\nFitted cubic: n = {:.4f} + {:.4f} d + {:.5f} d^2 + {:.5f} d^3\n\n".format(*cubic)
        + "| d | extrapolated n (this fit) | extrapolated n (paper) |\n|---|---|---|\n"
        + extra
        + "\n"
    )
    summary = (
        f"critical n for d={ds[0]}..{ds[-1]} is {', '.join(map(str, ns))}; "
        f"the paper's cubic gives {', '.join(f'{polyval(PAPER_CUBIC, d):.0f}' for d in ds)}"
    )
    return Result(metrics, anchors, [ctx.seed], summary=summary, details=details, plots=[plot])


REPRODUCTION = Reproduction(
    name="retrieval.limit-critical-n",
    summary="LIMIT free-embedding experiment: largest n whose top-2 sets d dimensions can realize",
    run=run,
    datasets=(),
    paper="On the Theoretical Limitations of Embedding-Based Retrieval, arXiv:2508.21038",
)

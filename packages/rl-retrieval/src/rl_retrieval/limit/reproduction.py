"""LIMIT's two reproductions: ``retrieval.limit.critical-n`` and ``retrieval.limit.small``.

``retrieval.limit.critical-n`` runs :func:`rl_retrieval.limit.free_embedding.critical_n_curve`
for k = 2 over d = 2 ... 16 (quick: 4 ... 10; smoke: 2 ... 5), fits a cubic as the paper
does, plots it beside the paper's cubic and extrapolates both to d = 512, 768, 1024 and 4096.

``retrieval.limit.small`` retrieves LIMIT-small with BM25 and MiniLM and reports
recall@2/10/20 (smoke: the first 100 queries).

References:
    Weller et al., "On the Theoretical Limitations of Embedding-Based Retrieval",
    arXiv:2508.21038, Figure 2 and the LIMIT-small results.
"""

from __future__ import annotations

import sys

import numpy as np

from rl_retrieval.core.plots import bar_chart
from rl_shared.lazy import lazy_exports
from rl_shared.plotting import subplots
from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext

__all__ = ["CRITICAL_N", "SMALL", "run_critical_n", "run_small"]

SOURCE = "Weller et al. 2025, arXiv:2508.21038, Fig. 2 (fitted cubic)"
EXTRAPOLATE = (512, 768, 1024, 4096)

# The free-embedding maths needs torch, so it is imported on first use (not when ``rl``
# lists reproductions); its names stay attributes of this module, which run() reads and
# callers may patch (``reproduction.critical_n_curve``).
_FREE_EMBEDDING = ("PAPER_CUBIC", "critical_n_curve", "fit_cubic", "polyval")
__getattr__, __dir__ = lazy_exports(
    __name__, dict.fromkeys(_FREE_EMBEDDING, "rl_retrieval.limit.free_embedding")
)


def run_critical_n(ctx: RunContext) -> Result:
    """Measure critical n for each d and compare with the paper's cubic.

    Runs :func:`~rl_retrieval.limit.free_embedding.critical_n_curve` for k = 2 (read from this
    module, so callers may patch it), fits
    :func:`~rl_retrieval.limit.free_embedding.fit_cubic` to the measured ``(d, n)`` and
    extrapolates both cubics to d = 512, 768, 1024 and 4096.

    Args:
        ctx: the harness's run context; ``ctx.size`` picks d = 2 ... 5 (smoke), 4 ... 10
            (quick) or 2 ... 16 (full), ``ctx.seed`` seeds the optimizer, and the plot
            ``critical_n.png`` is written to ``ctx.out_dir``.

    Returns:
        A :class:`~rl_shared.reproduce.Result` with ``n@d=<d>`` per dimension,
        ``seconds_total`` and ``extrapolated_n@d=<d>``, anchored on the paper's cubic
        (:data:`~rl_retrieval.limit.free_embedding.PAPER_CUBIC`, for d >= 4).

    References:
        Weller et al., arXiv:2508.21038, Figure 2.

    Example:
        An oracle that calls ``n`` solvable exactly when ``n <= 2 d`` stands in for the
        optimizer (the real smoke run takes seconds):

        >>> import pathlib, tempfile
        >>> from functools import partial
        >>> from unittest import mock
        >>> from rl_retrieval.limit import free_embedding, reproduction
        >>> from rl_shared.reproduce import RunContext
        >>> oracle = lambda n, d, k: free_embedding.FitResult(n, d, n <= 2 * d, 1, 1.0, 0.0)
        >>> curve = partial(free_embedding.critical_n_curve, fit=oracle)
        >>> out = pathlib.Path(tempfile.mkdtemp())
        >>> with mock.patch.object(reproduction, "critical_n_curve", curve):
        ...     result = run_critical_n(RunContext(out, "smoke", 0))
        >>> [result.metrics[f"n@d={d}"] for d in (2, 3, 4, 5)], (out / "critical_n.png").is_file()
        ([4.0, 6.0, 8.0, 10.0], True)
    """
    this = sys.modules[__name__]
    PAPER_CUBIC, critical_n_curve, fit_cubic, polyval = (
        getattr(this, name) for name in _FREE_EMBEDDING
    )
    dims = ctx.pick(smoke=list(range(2, 6)), quick=list(range(4, 11)), full=list(range(2, 17)))
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

    fig, ax = subplots(figsize=(6, 4))
    grid = np.linspace(min(ds), max(ds), 100)
    ax.plot(ds, ns, "o", label="measured (this run)")
    ax.plot(grid, [polyval(cubic, g) for g in grid], "-", label="cubic fit (this run)")
    ax.plot(grid, [polyval(PAPER_CUBIC, g) for g in grid], "--", label="paper's cubic")
    ax.set_xlabel("embedding dimension d")
    ax.set_ylabel("critical n (k = 2)")
    ax.set_title("Free-embedding critical n")
    ax.legend()
    plot = ctx.save_figure(fig, "critical_n.png").name

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


CRITICAL_N = Reproduction(
    name="retrieval.limit.critical-n",
    summary="LIMIT free-embedding experiment: largest n whose top-2 sets d dimensions can realize",
    run=run_critical_n,
    datasets=(),
    paper="On the Theoretical Limitations of Embedding-Based Retrieval, arXiv:2508.21038",
)


SMALL_MEASURES = ("R@2", "R@10", "R@20")
SMALL_SOURCE = "Weller et al. 2025, arXiv:2508.21038, LIMIT-small"


def run_small(ctx: RunContext) -> Result:
    """Retrieve LIMIT-small with BM25 and MiniLM and report recall@2/10/20 (in %).

    Each system retrieves the top 100 per query from the whole (46-document) corpus.

    Args:
        ctx: the harness's run context; ``ctx.size == "smoke"`` keeps the first 100 queries,
            the other sizes all 1000; the bar chart ``limit_small_recall.png`` is written to
            ``ctx.out_dir``.

    Returns:
        A :class:`~rl_shared.reproduce.Result` with ``<system>.recall@<k>`` (in %) for
        ``bm25`` and ``minilm`` and k = 2, 10, 20, beside the paper's E5-Mistral numbers.

    Raises:
        DatasetNotFound: ``limit-small`` is not in the data folder.

    References:
        Weller et al., arXiv:2508.21038, the LIMIT-small results.

    Example:
        A three-query LIMIT-style collection from
        :func:`~rl_retrieval.limit.data.generate_limit` in a temporary data folder, and a
        toy encoder standing in for MiniLM:

        >>> import os, pathlib, tempfile
        >>> from unittest import mock
        >>> import numpy as np
        >>> from rl_retrieval.core import dense
        >>> from rl_retrieval.limit.data import generate_limit, write_limit
        >>> from rl_shared.reproduce import RunContext
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> tiny = generate_limit(docs=12, queries=3, seed=0)
        >>> write_limit(tiny, root / "data" / "retrieval" / "limit-small")
        >>> class Vowels:  # anything with SentenceTransformer's encode() works
        ...     def encode(self, texts, **kw):
        ...         return np.array([[t.count(c) for c in "aeiou"] for t in texts], np.float32)
        >>> real = dense.DenseRetriever
        >>> toy = lambda name: real(Vowels())  # what DenseRetriever("minilm") gives here
        >>> env = {"RL_DATA_DIR": str(root / "data"), "RL_CACHE_DIR": str(root / "cache")}
        >>> with mock.patch.dict(os.environ, env), mock.patch.object(dense, "DenseRetriever", toy):
        ...     result = run_small(RunContext(root, "smoke", 0))
        >>> result.metrics["bm25.recall@2"], result.details.splitlines()[0]
        (100.0, '12 documents, 3 queries.')
        >>> (root / "limit_small_recall.png").is_file()
        True
    """
    from rl_retrieval.core.beir_format import BeirData
    from rl_retrieval.core.bm25 import BM25Retriever
    from rl_retrieval.core.datasets import load_dataset
    from rl_retrieval.core.dense import DenseRetriever
    from rl_retrieval.core.metrics import evaluate

    data = load_dataset("limit-small")
    keep = ctx.pick(smoke=100, quick=None, full=None)
    if keep is not None:  # smoke: the first queries only (the corpus is 46 documents anyway)
        qids = list(data.queries)[:keep]
        data = BeirData(
            data.corpus, {q: data.queries[q] for q in qids}, {q: data.qrels[q] for q in qids}
        )
    systems = {
        "bm25": lambda: BM25Retriever().fit(data.corpus).search(data.queries, 100),
        "minilm": lambda: DenseRetriever("minilm").fit(data.corpus).search(data.queries, 100),
    }
    table: dict[str, dict[str, float]] = {}
    for name in ctx.track(list(systems), "retrievers"):
        table[name] = evaluate(data.qrels, systems[name](), SMALL_MEASURES)
    metrics = {
        f"{s}.recall@{m[2:]}": round(100 * v, 2)
        for s, vals in table.items()
        for m, v in vals.items()
    }
    anchors = [
        Anchor("minilm.recall@2", 29.5, SMALL_SOURCE, "E5-Mistral 7B, not MiniLM"),
        Anchor("minilm.recall@10", 68.1, SMALL_SOURCE, "E5-Mistral 7B, not MiniLM"),
        Anchor("minilm.recall@20", 85.2, SMALL_SOURCE, "E5-Mistral 7B, not MiniLM"),
        Anchor("bm25.recall@2", "near 100", SMALL_SOURCE, "BM25 is near perfect on LIMIT"),
    ]
    fig = bar_chart(
        {s: {m.replace("R@", "recall@"): v for m, v in vals.items()} for s, vals in table.items()},
        f"LIMIT-small ({len(data.queries)} queries): BM25 vs MiniLM",
        ylabel="recall (fraction of relevant documents)",
    )
    plot = ctx.save_figure(fig, "limit_small_recall.png").name
    rows = "\n".join(
        f"| {s} | " + " | ".join(f"{100 * table[s][m]:.1f}" for m in SMALL_MEASURES) + " |"
        for s in table
    )
    details = (
        f"{len(data.corpus)} documents, {len(data.queries)} queries.\n\n"
        "| system | recall@2 | recall@10 | recall@20 |\n|---|---|---|---|\n"
        + rows
        + "\n| E5-Mistral (paper) | 29.5 | 68.1 | 85.2 |\n"
    )
    summary = (
        f"BM25 recall@2 {metrics['bm25.recall@2']:.1f} vs MiniLM {metrics['minilm.recall@2']:.1f}: "
        "the lexical model solves LIMIT-small, the single-vector model does not"
    )
    return Result(metrics, anchors, [ctx.seed], summary=summary, details=details, plots=[plot])


SMALL = Reproduction(
    name="retrieval.limit.small",
    summary="LIMIT-small: BM25 vs a single-vector embedding model (MiniLM), recall@2/10/20",
    run=run_small,
    datasets=("limit-small",),
    paper="On the Theoretical Limitations of Embedding-Based Retrieval, arXiv:2508.21038",
)

"""The free-embedding experiment of LIMIT: how many documents d dimensions can serve at top-k.

For ``n`` documents and every one of the C(n, k) subsets of size ``k`` as a query's relevant
set, free query and document vectors (no encoder) are optimized directly: full-batch InfoNCE
over the whole corpus with the query's ``k`` documents as its positives (temperature 0.1),
Adam at lr 0.01, re-normalization of every vector after each step. ``n`` is *solved* when,
for some seed, every query ranks exactly its ``k`` documents on top. The critical ``n`` of a
dimension is the largest solved ``n``, found by galloping then binary search.

What it adds: the paper's protocol vectorised in torch with the analytic gradient of the
loss (no autograd) and all seeds optimized at once as one batched problem, so d = 4 ... 12
takes seconds instead of minutes.

References:
    Weller, Boratko, Naim, Lee, "On the Theoretical Limitations of Embedding-Based
    Retrieval", arXiv:2508.21038 (Section 4, Figure 2).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import Tensor

from rl_shared.errors import BadInput
from rl_shared.runtime import threads as torch_threads

__all__ = [
    "PAPER_CUBIC",
    "CriticalN",
    "FitResult",
    "critical_n",
    "critical_n_curve",
    "fit_cubic",
    "fit_free_embedding",
    "free_embedding_loss",
    "polyval",
]

#: The paper's fitted cubic for k = 2, lowest order first: n = c0 + c1 d + c2 d^2 + c3 d^3.
PAPER_CUBIC: tuple[float, float, float, float] = (-10.5322, 4.0309, 0.0520, 0.0037)


@dataclass(frozen=True)
class FitResult:
    """Outcome of optimizing free embeddings for one ``(n, d)``.

    Args:
        n: number of documents.
        d: embedding dimension.
        solved: some seed ranked every query's ``k`` documents on top.
        steps: optimizer steps taken.
        best_fraction: largest fraction of queries solved by any seed.
        seconds: wall time.

    Example:
        >>> r = fit_free_embedding(4, 3)
        >>> r.n, r.d, r.solved, r.best_fraction
        (4, 3, True, 1.0)
    """

    n: int
    d: int
    solved: bool
    steps: int
    best_fraction: float
    seconds: float


@dataclass
class CriticalN:
    """The largest ``n`` solved in ``d`` dimensions, with every trial the search ran.

    Args:
        d: embedding dimension.
        k: relevant documents per query.
        n: the critical number of documents (largest solved).
        seconds: wall time of the search.
        trials: every :class:`FitResult` the search produced, in order.

    Example:
        >>> c = critical_n(2)
        >>> c.d, c.k, c.n, len(c.trials) > 0
        (2, 2, 3, True)
    """

    d: int
    k: int
    n: int
    seconds: float
    trials: list[FitResult] = field(default_factory=list)


def _subsets(n: int, k: int) -> Tensor:
    return torch.tensor(list(itertools.combinations(range(n), k)), dtype=torch.long)


def free_embedding_loss(
    queries: Tensor, docs: Tensor, qrels: Tensor, temperature: float = 0.1
) -> Tensor:
    """The InfoNCE loss of the experiment (reference implementation, autograd-friendly).

    Each query's softmax runs over the whole corpus; its target spreads evenly over its ``k``
    relevant documents: ``-mean_q (1/k) sum_{p in rel(q)} log softmax(q D^T / t)_p``.

    Args:
        queries: query vectors.
        docs: document vectors.
        qrels: indices of each query's relevant documents.
        temperature: softmax temperature.

    Shapes:
        queries ``(..., m, d)``, docs ``(..., n, d)``, qrels ``(m, k)``; returns a scalar.

    Example:
        >>> import torch
        >>> q, D = torch.eye(2), torch.eye(2)
        >>> round(float(free_embedding_loss(q, D, torch.tensor([[0], [1]]))), 4)
        0.0
    """
    logits = queries @ docs.transpose(-1, -2) / temperature
    log_p = torch.log_softmax(logits, dim=-1)
    idx = qrels.expand(*logits.shape[:-1], qrels.shape[-1])
    return -log_p.gather(-1, idx).mean()


def fit_free_embedding(
    n: int,
    d: int,
    k: int = 2,
    *,
    seeds: int = 3,
    seed: int = 0,
    temperature: float = 0.1,
    lr: float = 0.01,
    max_steps: int = 5000,
    patience: int = 1000,
    check_every: int = 5,
    threads: int | None = 1,
) -> FitResult:
    """Optimize free embeddings for ``n`` documents, all C(n, k) queries, in ``d`` dimensions.

    Args:
        n: number of documents (at least ``k + 1``).
        d: embedding dimension.
        k: relevant documents per query.
        seeds: independent restarts optimized together as one batch.
        seed: base seed of the initialization.
        temperature: InfoNCE temperature.
        lr: Adam learning rate.
        max_steps: stop after this many steps.
        patience: stop when the number of solved queries has not grown for this many steps.
        check_every: test for a full solution every this many steps.
        threads: torch CPU threads while optimizing (1 is fastest for these small matrices;
            ``None`` leaves torch's setting); restored afterwards.

    References:
        Weller et al., arXiv:2508.21038, Section 4.

    Example:
        >>> fit_free_embedding(4, 3).solved
        True
    """
    if k < 1 or n <= k or d < 1:
        raise BadInput(f"free embeddings need k >= 1, n > k and d >= 1, got n={n}, d={d}, k={k}")
    start = time.perf_counter()
    with torch_threads(threads or None), torch.no_grad():
        result = _fit(n, d, k, seeds, seed, temperature, lr, max_steps, patience, check_every)
    solved, steps, fraction = result
    return FitResult(n, d, solved, steps, fraction, time.perf_counter() - start)


def _fit(
    n: int,
    d: int,
    k: int,
    seeds: int,
    seed: int,
    temperature: float,
    lr: float,
    max_steps: int,
    patience: int,
    check_every: int,
) -> tuple[bool, int, float]:
    combos = _subsets(n, k)
    m = combos.shape[0]
    gen = torch.Generator().manual_seed(seed * 1_000_003 + n * 1009 + d * 17 + k)
    params = [
        torch.nn.functional.normalize(torch.randn(seeds, m, d, generator=gen), dim=-1),
        torch.nn.functional.normalize(torch.randn(seeds, n, d, generator=gen), dim=-1),
    ]
    grads = [torch.zeros_like(p) for p in params]
    # Adam (Kingma & Ba, arXiv:1412.6980) with torch.optim.Adam's defaults, written out so
    # that each step is a handful of in-place kernels.
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    first = [torch.zeros_like(p) for p in params]
    second = [torch.zeros_like(p) for p in params]
    target = torch.zeros(m, n).scatter_(1, combos, 1.0 / k)
    is_pos = target > 0
    idx = combos.expand(seeds, m, k)
    scale = 1.0 / (temperature * seeds * m)  # d mean-loss / d logits, times d logits / d (q D^T)
    best, since, step = -1, 0, 0
    q, docs = params
    for step in range(max_steps + 1):
        logits = torch.bmm(q, docs.transpose(1, 2)).mul_(1.0 / temperature)
        if step % check_every == 0 or step == max_steps:
            pos_min = logits.gather(2, idx).amin(2)
            neg_max = logits.masked_fill(is_pos, float("-inf")).amax(2)
            solved = int((pos_min > neg_max).sum(1).max())
            if solved == m:
                return True, step, 1.0
            if solved > best:
                best, since = solved, 0
            else:
                since += check_every
            if since >= patience or step == max_steps:
                break
        grad = torch.softmax(logits, 2).sub_(target).mul_(scale)
        torch.bmm(grad, docs, out=grads[0])
        torch.bmm(grad.transpose(1, 2), q, out=grads[1])
        bc1, bc2 = 1 - beta1 ** (step + 1), 1 - beta2 ** (step + 1)
        for p, g, m1, m2 in zip(params, grads, first, second):
            m1.mul_(beta1).add_(g, alpha=1 - beta1)
            m2.mul_(beta2).addcmul_(g, g, value=1 - beta2)
            p.addcdiv_(m1, m2.sqrt().div_(bc2**0.5).add_(eps), value=-lr / bc1)
            p.div_(p.norm(dim=-1, keepdim=True))
    return False, step, max(best, 0) / m


def critical_n(
    d: int,
    k: int = 2,
    *,
    start: int | None = None,
    n_max: int = 4096,
    fit: Callable[[int, int, int], FitResult] | None = None,
    **fit_kwargs: object,
) -> CriticalN:
    """The largest ``n`` whose C(n, k) top-k sets free ``d``-dimensional embeddings realize.

    Gallops up from ``start`` (default ``d + 1``; the step doubles) until a failure, then
    binary-searches between the last success and the first failure.

    Args:
        d: embedding dimension.
        k: relevant documents per query.
        start: first ``n`` tried (a known-solvable value saves trials).
        n_max: never try more documents than this.
        fit: ``fit(n, d, k) -> FitResult``; default :func:`fit_free_embedding` with ``fit_kwargs``.
        **fit_kwargs: passed to :func:`fit_free_embedding`.

    References:
        Weller et al., arXiv:2508.21038, Figure 2.

    Example:
        >>> critical_n(2).n
        3
    """
    began = time.perf_counter()
    trials: list[FitResult] = []
    cache: dict[int, bool] = {}

    def solved(n: int) -> bool:
        if n not in cache:
            result = fit(n, d, k) if fit else fit_free_embedding(n, d, k, **fit_kwargs)  # type: ignore[arg-type]
            trials.append(result)
            cache[n] = result.solved
        return cache[n]

    lo = max(k + 1, start if start is not None else d + 1)
    while lo > k + 1 and not solved(lo):
        lo = max(k + 1, lo // 2)
    if not solved(lo):
        return CriticalN(d, k, k, time.perf_counter() - began, trials)
    step = max(1, lo // 2)
    hi = min(lo + step, n_max)
    while hi > lo and solved(hi):
        lo, step = hi, step * 2
        hi = min(lo + step, n_max)
    if hi == lo:
        return CriticalN(d, k, lo, time.perf_counter() - began, trials)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if solved(mid) else (lo, mid)
    return CriticalN(d, k, lo, time.perf_counter() - began, trials)


def critical_n_curve(
    dims: Iterable[int],
    k: int = 2,
    *,
    track: Callable[[Iterable[int]], Iterable[int]] | None = None,
    **fit_kwargs: Any,
) -> list[CriticalN]:
    """:func:`critical_n` for several dimensions, each search starting at the last answer.

    Args:
        dims: the embedding dimensions, in the order searched (a search starts at the
            previous critical ``n`` only when its ``d`` is larger than the previous one).
        k: relevant documents per query.
        track: wraps the list of dimensions for progress reporting (e.g.
            :meth:`rl_shared.reproduce.RunContext.track`); ``None`` for none.
        **fit_kwargs: passed on to :func:`critical_n` (``n_max``, ``fit``, or
            :func:`fit_free_embedding`'s keywords such as ``seeds`` and ``max_steps``).

    Returns:
        One :class:`CriticalN` per dimension, in order.

    References:
        Weller et al., arXiv:2508.21038, Figure 2.

    Example:
        >>> [(c.d, c.n) for c in critical_n_curve([2, 3])]
        [(2, 3), (3, 4)]
    """
    out: list[CriticalN] = []
    for d in track(list(dims)) if track else dims:
        start = max(d + 1, out[-1].n) if out and out[-1].d < d else None
        out.append(critical_n(d, k, start=start, **fit_kwargs))
    return out


def fit_cubic(dims: Sequence[float], ns: Sequence[float]) -> tuple[float, float, float, float]:
    """Least-squares cubic ``n = c0 + c1 d + c2 d^2 + c3 d^3`` (lowest order first), as the paper fits.

    ``c1, c2, c3`` are kept non-negative (the paper's fitted coefficients are): fitted over a
    few small ``d``, an unconstrained cubic can bend down and extrapolate to negative ``n``.

    Args:
        dims: the dimensions ``d`` (at least 4 points).
        ns: the critical ``n`` at each ``d``, as many as ``dims``.

    Returns:
        ``(c0, c1, c2, c3)``, to evaluate with :func:`polyval`.

    Raises:
        BadInput: fewer than 4 points, or ``dims`` and ``ns`` of different lengths.

    References:
        Weller et al., arXiv:2508.21038, Figure 2 (the fitted cubic, :data:`PAPER_CUBIC`).

    Example:
        >>> c = fit_cubic([1, 2, 3, 4, 5], [1, 8, 27, 64, 125])
        >>> [round(x, 4) + 0.0 for x in c]
        [0.0, 0.0, 0.0, 1.0]
    """
    from scipy.optimize import lsq_linear

    if len(dims) != len(ns) or len(dims) < 4:
        raise BadInput(f"a cubic needs at least 4 (d, n) points, got {len(dims)}")
    d = np.asarray(dims, float)
    design = np.stack([np.ones_like(d), d, d**2, d**3], axis=1)
    scale = design.max(axis=0)  # column scaling keeps the problem well conditioned
    fit = lsq_linear(
        design / scale, np.asarray(ns, float), bounds=([-np.inf, 0, 0, 0], np.inf), tol=1e-12
    )
    return tuple(float(c) for c in fit.x / scale)  # type: ignore[return-value]


def polyval(coef: Sequence[float], d: float) -> float:
    """Evaluate a lowest-order-first polynomial, e.g. :data:`PAPER_CUBIC` at ``d``.

    Args:
        coef: the coefficients ``c0, c1, ...`` of ``c0 + c1 d + c2 d^2 + ...``.
        d: where to evaluate it.

    Example:
        >>> polyval([1, 0, 2], 3)
        19.0
    """
    return float(sum(c * d**i for i, c in enumerate(coef)))

"""2-simplicial attention: exact PyTorch reference vs Alman & Song's approximation, scaling in n.

Times ``simplicial_attention_reference`` (exact, O(n³·d)) and ``simplicial_attention_approx``
(degree-4 Chebyshev polynomial of ``exp``, O(n·C(d+4, 4)·d)) on one head of dimension
d = 8 with entries uniform in [-1, 1] (float32, forward only, best of repeats), fits the
exponent ``a`` of ``time ∝ n^a`` by least squares on log-log points, and prints the
approximation error against the exact result at each n where the exact one ran. The exact
reference stops at ``--max-exact`` (1024: about 10 s a call on 2 cores; beyond, it is the
O(n³) wall this algorithm avoids); the approximation also runs on to ``--max-approx``.
Then the error table: max-abs and relative error of the approximation vs entry bound B and
degree (``approximation_error``: entries in [-B, B], logits scaled by 1/d, float64).
Targets: exact exponent ≈ 3, approximate ≤ 1.3. One torch thread by default (``--threads``):
the exponents then measure the algorithms, not OpenMP barriers waiting for a busy core
(on a shared 2-core machine those add a constant ~0.2 s to every small call).

    uv run nox -s bench-rl-shared
    python shared/benchmarks/simplicial_exact_vs_approx.py --max-exact 512
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import torch

from rl_shared.attention.simplicial import (
    approximation_error,
    simplicial_attention_approx,
    simplicial_attention_reference,
)


def best_time(
    fn: Callable[..., torch.Tensor], inputs: list[torch.Tensor], repeats: int, **kw: int
) -> tuple[float, torch.Tensor]:
    out = fn(*inputs, **kw)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn(*inputs, **kw)
        times.append(time.perf_counter() - start)
    return min(times), out


def slope(ns: list[int], ts: list[float]) -> float:
    return float(np.polyfit(np.log(ns), np.log(ts), 1)[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dim", type=int, default=8)
    parser.add_argument("--degree", type=int, default=4)
    parser.add_argument("--max-exact", type=int, default=1024)
    parser.add_argument("--max-approx", type=int, default=16384)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (0: torch's default)")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    print(
        f"2-simplicial attention forward, 1 head, d = {args.dim}, float32, approx degree "
        f"{args.degree} (Chebyshev), torch {torch.__version__}, threads {torch.get_num_threads()}"
    )
    print(
        f"{'n':>6} | {'exact ms':>10} | {'approx ms':>10} | {'exact/approx':>12} | {'max abs err':>11}"
    )
    rows: dict[int, tuple[float | None, float]] = {}
    n = 64
    with torch.no_grad():
        while n <= max(args.max_exact, args.max_approx):
            gen = torch.Generator().manual_seed(args.seed + n)
            x = list((torch.rand(5, 1, 1, n, args.dim, generator=gen) * 2 - 1).unbind(0))
            repeats = 5 if n <= 256 else 1
            t_a, approx = best_time(simplicial_attention_approx, x, repeats, degree=args.degree)
            t_e, err = None, None
            if n <= args.max_exact:
                t_e, exact = best_time(simplicial_attention_reference, x, repeats)
                err = float((approx - exact).abs().max())
            rows[n] = (t_e, t_a)
            e_txt = f"{t_e * 1e3:>10.1f}" if t_e is not None else f"{'-':>10}"
            r_txt = f"{t_e / t_a:>12.1f}" if t_e is not None else f"{'-':>12}"
            err_txt = f"{err:>11.2e}" if err is not None else f"{'-':>11}"
            print(f"{n:>6} | {e_txt} | {t_a * 1e3:>10.2f} | {r_txt} | {err_txt}", flush=True)
            n *= 2
    exact_ns = [n for n, (t, _) in rows.items() if t is not None and n >= 128]
    small_ns = [n for n in rows if n <= 1024]
    print(
        f"fitted exponent, exact, n = {exact_ns[0]}…{exact_ns[-1]}: "
        f"{slope(exact_ns, [rows[n][0] for n in exact_ns]):.2f} (target ≈ 3)"
    )
    print(
        f"fitted exponent, approx, n = {small_ns[0]}…{small_ns[-1]}: "
        f"{slope(small_ns, [rows[n][1] for n in small_ns]):.2f} (target ≤ 1.3)"
    )
    big_ns = [n for n in rows if n >= 1024]
    if len(big_ns) >= 2:
        print(
            f"fitted exponent, approx, n = {big_ns[0]}…{big_ns[-1]}: "
            f"{slope(big_ns, [rows[n][1] for n in big_ns]):.2f} (past the fixed overheads)"
        )
    print(
        "\napproximation error vs entry bound B and degree (n = 128, d = 4, float64, logits / d):"
    )
    degrees = [2, 4, 6, 8]
    print(
        f"{'B':>5} {'max|s|':>7} {'bound':>7} | "
        + " | ".join(f"deg {g}: max-abs   rel" for g in degrees)
    )
    for bound in (0.5, 1.0, 1.5, 2.0):
        res = approximation_error(n=128, d=4, bound=bound, degrees=degrees, seed=args.seed)
        cells = " | ".join(
            f"{a:>15.2e} {r:>7.1e}" for a, r in zip(res["max_abs_error"], res["relative_error"])
        )
        print(f"{bound:>5.1f} {res['max_logit']:>7.3f} {res['logit_bound']:>7.3f} | {cells}")


if __name__ == "__main__":
    main()

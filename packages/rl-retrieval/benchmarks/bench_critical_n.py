"""LIMIT critical n (k = 2) for a range of d: our vectorised search, timed, with the cubic fit.

Two modes:

* default, d = 4 ... 12: each n against the targets 9, 18, 28, 37, 50 (within 10%), and our
  seconds for d = 8 ... 12 beside the 540 s the paper's protocol, re-implemented
  straightforwardly in numpy, took for them (the figure the task statement measured);
* ``--dims 4 6 ... 32`` (``--wide``: every even d from 4 to 32): the wider range the paper
  fits its cubic on. It prints each (d, n) beside the paper's cubic, our least-squares cubic
  through the points, and both cubics extrapolated to d = 512, 768, 1024 and 4096, with the
  total time (target: under 10 minutes on 2 cores).

Run: python packages/rl-retrieval/benchmarks/bench_critical_n.py [--wide | --dims D ...]
"""

from __future__ import annotations

import argparse
import time

from rl_retrieval.limit.free_embedding import PAPER_CUBIC, critical_n_curve, fit_cubic, polyval

TARGET = {4: 9, 6: 18, 8: 28, 10: 37, 12: 50}
PEER_SECONDS_D8_TO_12 = 540.0
EXTRAPOLATE = (512, 768, 1024, 4096)


def targets() -> None:
    t0 = time.perf_counter()
    curve = critical_n_curve(sorted(TARGET), 2)
    total = time.perf_counter() - t0
    print(f"{'d':>3} {'n':>4} {'target':>6} {'within10%':>9} {'paper':>6} {'seconds':>8}")
    for c in curve:
        ok = abs(c.n - TARGET[c.d]) <= 0.1 * TARGET[c.d]
        print(
            f"{c.d:>3} {c.n:>4} {TARGET[c.d]:>6} {ok!s:>9} {polyval(PAPER_CUBIC, c.d):6.1f} {c.seconds:8.2f}"
        )
    ours_8_12 = sum(c.seconds for c in curve if c.d >= 8)
    print(f"  ours total d=4..12           {total:.1f} s   (target < 60 s)")
    print(f"  ours d=8..12                 {ours_8_12:.1f} s")
    print(f"  peer numpy d=8..12 (quoted)  {PEER_SECONDS_D8_TO_12:.0f} s")
    print(f"  ratio peer/ours              {PEER_SECONDS_D8_TO_12 / ours_8_12:.0f}x")


def wide(dims: list[int]) -> None:
    t0 = time.perf_counter()
    curve = []
    for c in critical_n_curve(dims, 2):
        curve.append(c)
        print(
            f"  d={c.d:>3}  n={c.n:>5}  paper cubic {polyval(PAPER_CUBIC, c.d):7.1f}  "
            f"{c.seconds:7.1f} s  ({time.perf_counter() - t0:6.1f} s so far)",
            flush=True,
        )
    total = time.perf_counter() - t0
    ours = fit_cubic([c.d for c in curve], [c.n for c in curve])
    print(f"\nd = {dims[0]} ... {dims[-1]}: {total:.1f} s in all (target < 600 s on 2 cores)")
    print("cubic n = c0 + c1 d + c2 d^2 + c3 d^3")
    print(f"  paper (Weller et al., Fig. 2)  {', '.join(f'{c:.4f}' for c in PAPER_CUBIC)}")
    print(f"  ours (least squares)           {', '.join(f'{c:.4f}' for c in ours)}")
    print(f"{'d':>6} {'paper n':>12} {'ours n':>12} {'ours / paper':>13}")
    for d in EXTRAPOLATE:
        p, o = polyval(PAPER_CUBIC, d), polyval(ours, d)
        print(f"{d:>6} {p:>12,.0f} {o:>12,.0f} {o / p:>13.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--dims", type=int, nargs="+", help="dimensions to search (>= 4 of them)")
    group.add_argument("--wide", action="store_true", help="every even d from 4 to 32")
    args = parser.parse_args()
    dims = list(range(4, 33, 2)) if args.wide else args.dims
    if dims is None:
        targets()
        return
    if len(dims) < 4 or min(dims) < 1:
        parser.error("--dims needs at least 4 positive dimensions for a cubic")
    wide(sorted(dims))


if __name__ == "__main__":
    main()

"""Time one SCF with the neural functional vs libxc PBE vs our torch PBE (same grid, basis).

Prints ours vs peer and the ratios; targets: neural <= 3x libxc PBE, <= 1.5x torch PBE.

    python benchmarks/bench_scf.py [--molecules H2O,C6H6] [--basis def2-svp] [--repeat 2]
"""

from __future__ import annotations

import argparse
import time

from ase.build import molecule
from pyscf import dft

import rl_chem
from rl_chem.core.molecules import from_ase
from rl_chem.skala.model import NeuralXC


def _time(make, repeat: int) -> tuple[float, int]:
    best, cycles = float("inf"), 0
    for _ in range(repeat):
        mf = make()
        t0 = time.perf_counter()
        mf.kernel()
        best = min(best, time.perf_counter() - t0)
        cycles = mf.cycles
        assert mf.converged
    return best, cycles


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--molecules", default="H2O,C6H6")
    ap.add_argument("--basis", default="def2-svp")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    neural = NeuralXC(base="pbe")
    print(f"{'molecule':<8}{'libxc PBE s':>12}{'torch PBE s':>12}{'neural s':>10}"
          f"{'neural/libxc':>14}{'neural/torch':>14}")  # fmt: skip
    for name in args.molecules.split(","):
        mol = from_ase(molecule(name), basis=args.basis)
        t_lib, _ = _time(lambda m=mol: dft.RKS(m, xc="pbe"), args.repeat)
        t_pbe, _ = _time(lambda m=mol: rl_chem.RKS(m, xc="pbe"), args.repeat)
        t_nn, _ = _time(lambda m=mol: rl_chem.RKS(m, xc=neural), args.repeat)
        print(f"{name:<8}{t_lib:>12.2f}{t_pbe:>12.2f}{t_nn:>10.2f}"
              f"{t_nn / t_lib:>14.2f}{t_nn / t_pbe:>14.2f}")  # fmt: skip


if __name__ == "__main__":
    main()

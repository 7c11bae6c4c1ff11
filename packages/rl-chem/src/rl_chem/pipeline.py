"""End-to-end training of the neural functional on a G2 set: split, references, densities, fit.

Example:
    >>> sorted(train_pipeline.__code__.co_varnames[:2])
    ['out_dir', 'set_name']
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import torch

from rl_chem.neural import NeuralXC
from rl_chem.reference_data import atomization_energies, atoms_of, compute_reference, set_names
from rl_chem.training import _ae, fixed_density, model_energies, split_molecules, train_fixed

__all__ = ["train_pipeline"]

Progress = Callable[[str], Callable[[Iterable[Any]], Iterable[Any]]]


def _mae(pred: dict[str, Any], ref: dict[str, float], names: list[str]) -> float:
    return float(np.mean([abs(float(pred[n]) - ref[n]) for n in names])) if names else float("nan")


def train_pipeline(
    set_name: str | list[str],
    out_dir: str | Path,
    basis: str = "cc-pvdz",
    base: str = "pbe",
    steps: int = 300,
    lr: float = 3e-3,
    grid_level: int = 2,
    n_val: int = 3,
    n_test: int = 6,
    seed: int = 0,
    resume: bool = True,
    method: str = "ccsd(t)",
    hidden: int = 16,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Split molecules, compute references and fixed densities, train, report MAEs.

    Args:
        set_name: "g2-tiny", "g2-small", "g2" or an explicit list of G2 names.
        out_dir: training output (checkpoints and ``functional/``).
        basis: basis of the references and densities.
        base: reference functional the model starts from.
        steps, lr: optimisation.
        grid_level: PySCF grid level of the fixed densities.
        n_val, n_test: validation and held-out test molecules.
        seed: split and initialisation seed.
        resume: continue an interrupted run.
        method: reference method.
        hidden: MLP width.
        progress: ``description -> wrapper`` for progress bars.

    Returns:
        a JSON-serialisable summary with the split, MAEs and the functional's folder.
    """
    wrap = progress or (lambda _d: lambda x: x)
    names = set_names(set_name) if isinstance(set_name, str) else list(set_name)
    train, val, test = split_molecules(names, n_val, n_test, seed=seed)
    clock = [time.perf_counter()]
    energies = compute_reference(names, method, basis, progress=wrap(f"reference {method}"))
    ref_ae = atomization_energies(names, energies)
    systems = atoms_of(names) + names
    clock.append(time.perf_counter())
    data = {
        s: fixed_density(s, basis=basis, base=base, grid_level=grid_level)
        for s in wrap(f"{base} densities")(systems)
    }
    clock.append(time.perf_counter())
    torch.manual_seed(seed)
    model = NeuralXC(base=base, hidden=hidden)
    with torch.no_grad():
        base_ae = _ae(model_energies(model, data), names)
    fit = train_fixed(
        model, data, ref_ae, train, val, out_dir, steps=steps, lr=lr, resume=resume,
        progress=wrap("training"),
    )  # fmt: skip
    clock.append(time.perf_counter())
    with torch.no_grad():
        model_ae = _ae(model_energies(model, data), names)
    secs = np.diff(clock)
    return {
        "train": train,
        "val": val,
        "test": test,
        "best_step": fit["best_step"],
        "best_val_mae": fit["best_val_mae"],
        "history": fit["history"],
        "test_mae_fixed": _mae(model_ae, ref_ae, test),
        "test_mae_base": _mae(base_ae, ref_ae, test),
        "train_mae_fixed": _mae(model_ae, ref_ae, train),
        "reference_ae": ref_ae,
        "fixed_ae": {n: float(v) for n, v in model_ae.items()},
        "functional": str(Path(out_dir) / "functional"),
        "model": model,
        "seconds": {"reference": secs[0], "densities": secs[1], "training": secs[2]},
    }

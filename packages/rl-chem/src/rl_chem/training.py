"""Training the neural functional on fixed densities, then checking it self-consistently.

As Skala does, the functional is first fitted on densities of a reference functional:
for each system the SCF density of the base functional (PBE by default) is frozen on the
grid, and the model's total energy is ``E_nonxc + sum_g w_g e_xc^theta(rho_g)``, where
``E_nonxc`` is the base SCF energy minus its XC part. The loss is the squared error of
atomization energies against the reference (CCSD(T)) values, over training molecules;
validation molecules pick the best step; test molecules are never seen. Training
checkpoints (rl-shared, safetensors + JSON, RNG included) make an interrupted run resume
to the same weights.

References:
    Skala, "Accurate and scalable exchange-correlation with deep learning", arXiv:2506.14665.

Example:
    >>> import torch
    >>> d = FixedDensity("X", torch.ones(3), torch.zeros(2, 5, 3, dtype=torch.float64), -1.0)
    >>> d.rho.shape
    torch.Size([2, 5, 3])
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from rl_chem.molecules import run_scf
from rl_chem.neural import NeuralXC, save_functional
from rl_chem.numint import get_functional
from rl_chem.reference_data import HARTREE_TO_KCAL, system_mol
from rl_shared.checkpoint import CheckpointManager
from rl_shared.errors import NonFiniteLoss

__all__ = [
    "FixedDensity",
    "fixed_density",
    "model_energies",
    "precompute",
    "split_molecules",
    "train_fixed",
]


@dataclass
class FixedDensity:
    """A frozen SCF density on its grid.

    Args:
        name: system name.
        weights: grid weights.
        rho: spin-resolved density rows (see :class:`rl_chem.functionals.XCFunctional`).
        e_nonxc: the SCF total energy minus its XC energy (Eh).

    Shapes:
        weights: ``(N,)``; rho: ``(2, 5, N)``.
    """

    name: str
    weights: torch.Tensor
    rho: torch.Tensor
    e_nonxc: float


def fixed_density(name: str, basis: str = "cc-pvdz", base: str = "pbe", grid_level: int = 2):
    """SCF with the torch ``base`` functional, then the density rows and E_nonxc on its grid.

    Example:
        >>> d = fixed_density("H2", basis="sto-3g", grid_level=1)
        >>> d.rho.shape[:2], round(float(d.e_nonxc), 2)
        (torch.Size([2, 5]), -0.44)
    """
    mol = system_mol(name, basis)
    out = run_scf(mol, xc=f"libxc:{base}", grid_level=grid_level)  # same density, faster
    mf = out["mf"]
    dm = mf.make_rdm1()
    dms = dm if dm.ndim == 3 else np.stack([dm / 2, dm / 2])
    ni, grids = mf._numint, mf.grids
    rows, weights = [], []
    for ao, _mask, weight, _coords in ni.block_loop(mol, grids, mol.nao, deriv=1):
        rows.append(
            np.stack([ni.eval_rho(mol, ao, d, xctype="MGGA", with_lapl=False) for d in dms])
        )
        weights.append(weight)
    rho = torch.tensor(np.concatenate(rows, axis=-1))
    w = torch.tensor(np.concatenate(weights))
    keep = rho[:, 0].sum(0) > 1e-10
    rho, w = rho[..., keep], w[keep]
    with torch.no_grad():
        exc = float((w * get_functional(base)(rho)).sum())
    return FixedDensity(name, w, rho, out["energy"] - exc)


def precompute(model: NeuralXC, data: dict[str, FixedDensity], dtype=torch.float32) -> dict:
    """Weight-independent parts of every system (reference energies, features) in ``dtype``."""
    out = {}
    with torch.no_grad():
        for k, d in data.items():
            pre = model.precompute(d.rho)
            out[k] = {"w": d.weights, "e0": d.e_nonxc, **{n: v.to(dtype) for n, v in pre.items()}}
    return out


def model_energies(
    model: torch.nn.Module, data: dict[str, FixedDensity], pre: dict | None = None
) -> dict[str, Any]:
    """Total energies (Eh, tensors with gradients) of the systems under ``model``.

    Args:
        model: an XC functional; with ``pre`` (from :func:`precompute`) only its
            weight-dependent part runs.
        data: frozen densities.
        pre: optional precomputed features.
    """
    if pre is not None:
        return {
            k: p["e0"] + (p["w"] * model.energy_density(p).double()).sum() for k, p in pre.items()
        }
    return {k: d.e_nonxc + (d.weights * model(d.rho)).sum() for k, d in data.items()}


def _ae(energies: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    from ase.build import molecule

    return {
        n: (sum(energies[a] for a in molecule(n).get_chemical_symbols()) - energies[n])
        * HARTREE_TO_KCAL
        for n in names
    }


def split_molecules(
    names: list[str], n_val: int, n_test: int, seed: int = 0
) -> tuple[list[str], list[str], list[str]]:
    """Molecule-level train / validation / test split with a fixed seed.

    Example:
        >>> tr, va, te = split_molecules(list("abcdef"), 1, 2, seed=0)
        >>> len(tr), len(va), len(te), sorted(tr + va + te) == list("abcdef")
        (3, 1, 2, True)
    """
    order = np.random.default_rng(seed).permutation(len(names))
    shuffled = [names[i] for i in order]
    return (
        sorted(shuffled[n_val + n_test :]),
        sorted(shuffled[:n_val]),
        sorted(shuffled[n_val : n_val + n_test]),
    )


def train_fixed(
    model: NeuralXC,
    data: dict[str, FixedDensity],
    reference_ae: dict[str, float],
    train: list[str],
    val: list[str],
    out_dir: str | Path,
    steps: int = 300,
    lr: float = 3e-3,
    checkpoint_every: int = 50,
    resume: bool = True,
    progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
    num_threads: int = 1,
) -> dict[str, Any]:
    """Fit ``model`` to reference atomization energies on fixed densities (full batch, Adam).

    Args:
        model: the neural functional (trained in place; ends at the best validation step).
        data: frozen densities of every molecule in ``train``/``val`` and of their atoms.
        reference_ae: reference atomization energies (kcal/mol).
        train, val: molecule names.
        out_dir: writes ``checkpoints/step-*`` and the best model to ``functional/``.
        steps: optimisation steps.
        lr: Adam learning rate.
        checkpoint_every: steps between training checkpoints.
        resume: continue from the newest checkpoint in ``out_dir/checkpoints`` if any.
        progress: wraps the step range (e.g. a progress bar).
        num_threads: torch threads while training (one is fastest on a shared 2-core box).

    Returns:
        ``{"history": [(step, train_mae, val_mae)], "best_step", "best_val_mae"}``.
    """
    out_dir = Path(out_dir)
    pre = precompute(model, data)
    model.float()  # the weight-dependent part trains in float32; energies sum in float64
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    manager = CheckpointManager(out_dir / "checkpoints")
    start, history, best = 0, [], {"step": 0, "val": float("inf"), "state": None}
    if resume and manager.latest() is not None:
        state = manager.load(model, opt)
        start, history = state.step, [tuple(h) for h in state.extra["history"]]
        best = {"step": state.extra["best_step"], "val": state.extra["best_val"], "state": None}
        best_dir = out_dir / "functional"
        if (best_dir / "model.safetensors").is_file():
            from safetensors.torch import load_file

            best["state"] = load_file(str(best_dir / "model.safetensors"))
    ref_t = {k: torch.tensor(float(v), dtype=torch.float64) for k, v in reference_ae.items()}
    steps_iter = range(start, steps)
    threads = torch.get_num_threads()
    torch.set_num_threads(num_threads)
    try:
        _loop(model, opt, manager, pre, ref_t, train, val, steps_iter, progress, history, best,
              out_dir, checkpoint_every, steps, lr)  # fmt: skip
    finally:
        torch.set_num_threads(threads)
    if best["state"] is not None:
        model.load_state_dict(best["state"])
    model.double()
    return {"history": history, "best_step": best["step"], "best_val_mae": best["val"]}


def _loop(model, opt, manager, pre, ref_t, train, val, steps_iter, progress, history, best,
          out_dir, checkpoint_every, steps, lr) -> None:  # fmt: skip
    for step in progress(steps_iter) if progress else steps_iter:
        opt.zero_grad()
        ae = _ae(model_energies(model, {}, pre), train + val)
        loss = torch.stack([(ae[n] - ref_t[n]) ** 2 for n in train]).mean()
        if not torch.isfinite(loss):
            raise NonFiniteLoss(f"the training loss became {loss.item()} at step {step}; lower lr")
        with torch.no_grad():
            tr = float(np.mean([abs(float(ae[n] - ref_t[n])) for n in train]))
            va = float(np.mean([abs(float(ae[n] - ref_t[n])) for n in val])) if val else tr
        history.append((step, tr, va))
        if va < best["val"]:
            best.update(step=step, val=va, state=copy.deepcopy(model.state_dict()))
            save_functional(model, out_dir / "functional", step=step, val_mae=va)
        loss.backward()
        opt.step()
        if (step + 1) % checkpoint_every == 0 or step + 1 == steps:
            manager.save(
                step + 1,
                model,
                opt,
                config={"functional": model.config(), "lr": lr, "steps": steps},
                extra={"history": history, "best_step": best["step"], "best_val": best["val"]},
            )

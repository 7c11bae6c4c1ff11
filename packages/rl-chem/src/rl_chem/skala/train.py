"""Training the neural functional on fixed densities, then checking it self-consistently.

As Skala does, the functional is first fitted on densities of a reference functional:
for each system the SCF density of the base functional (PBE by default) is frozen on the
grid, and the model's total energy is ``E_nonxc + sum_g w_g e_xc^theta(rho_g)``, where
``E_nonxc`` is the base SCF energy minus its XC part. The loss is the squared error of
atomization energies against the reference (CCSD(T)) values, over training molecules;
validation molecules pick the best step; test molecules are never seen. Training
checkpoints (``OUT/checkpoints``, rl-shared, safetensors + JSON, RNG included) make an
interrupted run resume to the same weights; the best validation step is saved as the model
folder ``OUT/model`` (:func:`rl_chem.skala.model.save_functional`).
:func:`train_pipeline` runs the whole recipe on a G2 set: split, references, densities, fit.

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
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import torch

from rl_chem.core.molecules import run_scf
from rl_chem.core.numint import get_functional
from rl_chem.core.reference_data import (
    HARTREE_TO_KCAL,
    atomization_energies,
    atoms_of,
    compute_reference,
    molecule_names,
    system_mol,
)
from rl_chem.skala.model import NeuralXC, load_functional, save_functional
from rl_shared.checkpoint import CheckpointManager
from rl_shared.errors import BadInput, NonFiniteLoss
from rl_shared.runtime import make_accelerator, seed_everything, threads

__all__ = [
    "FixedDensity",
    "check_split",
    "fixed_density",
    "model_energies",
    "precompute",
    "split_molecules",
    "train_fixed",
    "train_pipeline",
]


@dataclass
class FixedDensity:
    """A frozen SCF density on its grid.

    Args:
        name: system name.
        weights: grid weights.
        rho: spin-resolved density rows (see :class:`rl_chem.core.functionals.XCFunctional`).
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

    (The SCF itself runs PySCF's libxc version of ``base``: the same density, faster.)

    Args:
        name: a G2 molecule or atom (see :func:`~rl_chem.core.reference_data.system_mol`).
        basis: the basis set.
        base: the reference functional, ``"lda"``, ``"pbe"`` or ``"r2scan"``.
        grid_level: PySCF grid level.

    Shapes:
        ``rho`` ``(2, 5, N)`` and ``weights`` ``(N,)`` over the grid points with density.

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


def precompute(
    model: NeuralXC,
    data: dict[str, FixedDensity],
    dtype: torch.dtype = torch.float32,
    device: torch.device | str | None = None,
) -> dict:
    """Weight-independent parts of every system (reference energies, features) in ``dtype``.

    Args:
        model: the functional (on the CPU, in float64).
        data: frozen densities.
        dtype: dtype of the features the weights act on.
        device: where the features (and grid weights, in float64) go; ``None`` leaves them
            where the densities are (the CPU).

    Example:
        >>> d = {"X": FixedDensity("X", torch.ones(3), torch.rand(2, 5, 3, dtype=torch.float64), 0.0)}
        >>> precompute(NeuralXC(hidden=4), d)["X"]["fx"].dtype
        torch.float32
    """
    out = {}
    with torch.no_grad():
        for k, d in data.items():
            pre = model.precompute(d.rho)
            out[k] = {
                "w": d.weights.to(device or d.weights.device),
                "e0": d.e_nonxc,
                **{n: v.to(device=device or v.device, dtype=dtype) for n, v in pre.items()},
            }
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

    Example:
        >>> rho = torch.zeros(2, 5, 3, dtype=torch.float64)
        >>> rho[:, 0] = 0.1
        >>> d = {"X": FixedDensity("X", torch.ones(3), rho, -1.0)}
        >>> round(float(model_energies(get_functional("lda"), d)["X"]), 4)
        -1.2942
    """
    if pre is not None:
        return {
            k: p["e0"] + (p["w"] * cast(NeuralXC, model).energy_density(p).double()).sum()
            for k, p in pre.items()
        }
    return {k: d.e_nonxc + (d.weights * model(d.rho)).sum() for k, d in data.items()}


def _ae(energies: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    from ase.build import molecule

    return {
        n: (sum(energies[a] for a in molecule(n).get_chemical_symbols()) - energies[n])
        * HARTREE_TO_KCAL
        for n in names
    }


def check_split(n: int, n_val: int, n_test: int, what: str = "the set") -> None:
    """Refuse a split of ``n`` molecules that leaves nothing to train on.

    Validation and test molecules are drawn first and never train, so ``n_val + n_test``
    must stay below ``n``. (``n_val = 0`` picks the best step on the training molecules and
    ``n_test = 0`` reports no held-out error; ``rl chem skala train`` asks for at least one
    of each.)

    Args:
        n: molecules in the set.
        n_val: validation molecules.
        n_test: test molecules.
        what: names the set in the message (e.g. ``"--data g2-tiny"``).

    Raises:
        BadInput: a negative count, or no molecule left to train on.

    Example:
        >>> check_split(12, 2, 4)
        >>> try:
        ...     check_split(2, 1, 1, what="--data H2,LiH")
        ... except ValueError as err:
        ...     print(err)
        --n-val 1 and --n-test 1 leave no training molecule: --data H2,LiH has 2 molecules; lower them or use a larger set
    """
    if n_val < 0 or n_test < 0:
        raise BadInput(f"--n-val and --n-test must be at least 0, got {n_val} and {n_test}")
    if n_val + n_test >= n:
        raise BadInput(
            f"--n-val {n_val} and --n-test {n_test} leave no training molecule: {what} has "
            f"{n} molecule{'s' if n != 1 else ''}; lower them or use a larger set"
        )


def split_molecules(
    names: list[str], n_val: int, n_test: int, seed: int = 0
) -> tuple[list[str], list[str], list[str]]:
    """Molecule-level train / validation / test split with a fixed seed.

    Args:
        names: the molecules (each once).
        n_val: how many go to validation.
        n_test: how many go to test; the rest (sorted) train.
        seed: seeds the permutation.

    Raises:
        BadInput: a name given twice, or no molecule left to train on (:func:`check_split`).

    Example:
        >>> tr, va, te = split_molecules(list("abcdef"), 1, 2, seed=0)
        >>> len(tr), len(va), len(te), sorted(tr + va + te) == list("abcdef")
        (3, 1, 2, True)
    """
    if len(set(names)) != len(names):
        raise BadInput("a molecule is listed twice; train and validation would share it")
    check_split(len(names), n_val, n_test)
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
    device: torch.device | str = "auto",
    precision: str = "fp32",
) -> dict[str, Any]:
    """Fit ``model`` to reference atomization energies on fixed densities (full batch, Adam).

    The loop runs through :func:`rl_shared.runtime.make_accelerator`. Under ``torchrun``
    each process takes the training and validation molecules ``[rank::world]`` (and their
    atoms); its loss is its share of the squared errors scaled by ``world / len(train)``,
    so DDP's gradient average is the gradient of the mean squared error over every training
    molecule, whatever the split. The MAEs in the history are summed over processes, and
    only the main process writes checkpoints and the model folder.

    Args:
        model: the neural functional (trained in place; ends at the best validation step).
        data: frozen densities of every molecule in ``train``/``val`` and of their atoms.
        reference_ae: reference atomization energies (kcal/mol).
        train, val: molecule names.
        out_dir: writes ``checkpoints/step-*`` and the best model to ``model/``.
        steps: optimisation steps.
        lr: Adam learning rate.
        checkpoint_every: steps between training checkpoints.
        resume: continue from the newest checkpoint in ``out_dir/checkpoints`` if any.
        progress: wraps the step range (e.g. a progress bar); main process only.
        num_threads: torch threads while training (one is fastest on a shared 2-core box).
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``: where the
            weight-dependent part trains; the model returns to the CPU.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the enhancement-factor MLPs
            (energies are summed in float64).

    Returns:
        ``{"history": [(step, train_mae, val_mae)], "best_step", "best_val_mae", "loss"}``;
        ``loss`` holds the training loss (mean squared AE error, (kcal/mol)^2) of each step
        this call ran.

    Raises:
        BadInput: a checkpoint beyond ``steps``, fewer training molecules than processes,
            or an unavailable ``device``/``precision``.
        NonFiniteLoss: the loss became NaN or infinite.

    References:
        Skala, "Accurate and scalable exchange-correlation with deep learning", arXiv:2506.14665.

    Example:
        >>> import tempfile
        >>> data = {n: fixed_density(n, basis="sto-3g", grid_level=0) for n in ["H", "H2"]}
        >>> fit = train_fixed(NeuralXC(hidden=4), data, {"H2": 109.0}, ["H2"], [],
        ...                   tempfile.mkdtemp(), steps=3, lr=1e-2)
        >>> len(fit["history"]), fit["history"][-1][1] < fit["history"][0][1]
        (3, True)
    """
    out_dir = Path(out_dir)
    acc = make_accelerator(str(device), precision)
    world, rank = acc.num_processes, acc.process_index
    if len(train) < world:
        raise BadInput(
            f"{len(train)} training molecule(s) cannot be split over {world} processes; "
            "use fewer processes or more molecules"
        )
    mine = _Share(train[rank::world], val[rank::world], len(train), len(val), world)
    needed = set(mine.train + mine.val) | {
        a for n in mine.train + mine.val for a in _atoms(n) if a in data
    }
    pre = precompute(model, {k: d for k, d in data.items() if k in needed}, device=acc.device)
    model.float().to(acc.device)  # the weight-dependent part trains in float32; sums in float64
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    manager = CheckpointManager(out_dir / "checkpoints")
    best: dict[str, Any]
    start, history, best = 0, [], {"step": 0, "val": float("inf"), "state": None}
    if resume and manager.latest() is not None:
        state = manager.load(model, opt)
        if state.step > steps:
            raise BadInput(
                f"{out_dir} holds a checkpoint at step {state.step}, beyond steps={steps}; "
                "raise steps or start over without resume"
            )
        start, history = state.step, [tuple(h) for h in state.extra["history"]]
        best = {"step": state.extra["best_step"], "val": state.extra["best_val"], "state": None}
        if (out_dir / "model").is_dir():
            best["state"] = load_functional(out_dir / "model").float().to(acc.device).state_dict()
    net, opt = acc.prepare(_Energies(model), opt)
    ref_t = {k: torch.tensor(float(v), dtype=torch.float64) for k, v in reference_ae.items()}
    ref_t = {k: v.to(acc.device) for k, v in ref_t.items()}
    steps_iter: Iterable[int] = range(start, steps)
    if progress is not None and acc.is_main_process:
        steps_iter = progress(steps_iter)
    losses: list[float] = []
    with threads(num_threads):
        _loop(acc, net, model, opt, manager, pre, ref_t, mine, steps_iter, history, best,
              out_dir, checkpoint_every, steps, lr, losses)  # fmt: skip
    acc.wait_for_everyone()
    if best["state"] is not None:
        model.load_state_dict(best["state"])
    model.cpu().double()
    return {
        "history": history,
        "best_step": best["step"],
        "best_val_mae": best["val"],
        "loss": losses,
    }


@dataclass
class _Share:
    """This process's training and validation molecules, and the global counts."""

    train: list[str]
    val: list[str]
    n_train: int
    n_val: int
    world: int


class _Energies(torch.nn.Module):
    """Total energies (Eh, float64) of the precomputed systems: the module DDP wraps."""

    def __init__(self, model: NeuralXC) -> None:
        super().__init__()
        self.model = model

    def forward(self, pre: dict) -> dict[str, Any]:
        return model_energies(self.model, {}, pre)


def _atoms(name: str) -> list[str]:
    from ase.build import molecule

    try:
        return list(molecule(name).get_chemical_symbols())
    except KeyError:
        return []


def _mean(acc: Any, values: list[float], n: int) -> float:
    """The mean of ``values`` over every process (``n`` values in all)."""
    if acc.num_processes == 1:
        return float(np.mean(values))
    total = torch.tensor(float(sum(values)), dtype=torch.float64, device=acc.device)
    return float(acc.reduce(total, "sum")) / n


def _loop(acc, net, model, opt, manager, pre, ref_t, mine, steps_iter, history, best,
          out_dir, checkpoint_every, steps, lr, losses) -> None:  # fmt: skip
    for step in steps_iter:
        opt.zero_grad()
        with acc.autocast():
            ae = _ae(net(pre), mine.train + mine.val)
        sq = torch.stack([(ae[n] - ref_t[n]) ** 2 for n in mine.train])
        # this share's part of the mean over every training molecule (factor 1 in one process)
        loss = sq.mean() * (len(mine.train) * mine.world / mine.n_train)
        total = (
            float(loss.detach()) if mine.world == 1 else float(acc.reduce(loss.detach(), "mean"))
        )
        if not np.isfinite(total):
            raise NonFiniteLoss(f"the training loss became {total} at step {step}; lower lr")
        with torch.no_grad():
            tr = _mean(acc, [abs(float(ae[n] - ref_t[n])) for n in mine.train], mine.n_train)
            va_err = [abs(float(ae[n] - ref_t[n])) for n in mine.val]
            va = _mean(acc, va_err, mine.n_val) if mine.n_val else tr
        history.append((step, tr, va))
        losses.append(total)
        if va < best["val"]:
            best.update(step=step, val=va, state=copy.deepcopy(model.state_dict()))
            if acc.is_main_process:
                save_functional(model, out_dir / "model", step=step, val_mae=va)
        acc.backward(loss)
        opt.step()
        if acc.is_main_process and ((step + 1) % checkpoint_every == 0 or step + 1 == steps):
            manager.save(
                step + 1,
                model,
                opt,
                config={"functional": model.config(), "lr": lr, "steps": steps},
                extra={"history": history, "best_step": best["step"], "best_val": best["val"]},
            )


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
    device: torch.device | str = "auto",
    precision: str = "fp32",
) -> dict[str, Any]:
    """Split molecules, compute references and fixed densities, train, report MAEs.

    Args:
        set_name: "g2-tiny", "g2-small", "g2", comma-separated G2 names, or a list of them.
        out_dir: training output (``checkpoints/`` and the best model in ``model/``).
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
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``: where the weights train
            (the densities and references are PySCF's, on the CPU). Under ``torchrun`` the
            main process computes the missing references into the cache while the others
            wait, and each process computes its share of the densities, which all then share.
        precision: ``fp32``, ``bf16`` or ``fp16`` (see :func:`train_fixed`).

    Returns:
        a summary with the split, MAEs and the model folder; ``"model"`` is the trained
        :class:`NeuralXC` (drop it before writing JSON).

    References:
        Skala, "Accurate and scalable exchange-correlation with deep learning", arXiv:2506.14665.

    Example:
        >>> import tempfile
        >>> fit = train_pipeline("H2,LiH", tempfile.mkdtemp(), basis="6-31g", steps=2,
        ...                      grid_level=0, n_val=0, n_test=0, hidden=4)
        >>> fit["train"], sorted(fit["reference_ae"])
        (['H2', 'LiH'], ['H2', 'LiH'])
    """
    wrap = progress or (lambda _d: lambda x: x)
    names = molecule_names(set_name) if isinstance(set_name, str) else list(set_name)
    train, val, test = split_molecules(names, n_val, n_test, seed=seed)
    from accelerate.utils import gather_object

    acc = make_accelerator(str(device), precision)  # joins torchrun's process group, if any
    clock = [time.perf_counter()]
    with acc.main_process_first():  # rank 0 computes and caches; the others read its cache
        energies = compute_reference(names, method, basis, progress=wrap(f"reference {method}"))
    ref_ae = atomization_energies(names, energies)
    systems = atoms_of(names) + names
    clock.append(time.perf_counter())
    with acc.split_between_processes(systems) as mine:  # each rank its share of the SCFs
        local = {
            s: fixed_density(s, basis=basis, base=base, grid_level=grid_level)
            for s in wrap(f"{base} densities")(mine)
        }
    data = {k: v for part in gather_object([local]) for k, v in part.items()}
    data = {s: data[s] for s in systems}
    clock.append(time.perf_counter())
    seed_everything(seed)
    model = NeuralXC(base=base, hidden=hidden)
    with torch.no_grad():
        base_ae = _ae(model_energies(model, data), names)
    fit = train_fixed(
        model, data, ref_ae, train, val, out_dir, steps=steps, lr=lr, resume=resume,
        progress=wrap("training"), device=device, precision=precision,
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
        "model_dir": str(Path(out_dir) / "model"),
        "model": model,
        "seconds": {"reference": secs[0], "densities": secs[1], "training": secs[2]},
    }

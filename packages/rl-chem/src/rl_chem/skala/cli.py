"""``rl chem skala train|evaluate``: the Skala-style neural functional.

References:
    Luise et al., "Accurate and scalable exchange-correlation with deep learning", arXiv 2025.
    https://arxiv.org/abs/2506.14665

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import click

from rl_chem.core.cli import SCF_DEVICE_HELP
from rl_chem.skala.formats import SKALA_MODEL
from rl_shared.cli import (
    data_option,
    device_option,
    emit_json,
    json_option,
    lr_option,
    model_option,
    out_option,
    precision_option,
    progress,
    resume_option,
    seed_option,
    steps_option,
)

__all__ = ["group"]

_DATA_HELP = "Molecules: g2-tiny | g2-small | g2, or comma-separated G2 names (ase's)."


@click.group("skala")
def group() -> None:
    """Skala-style neural XC functional (arXiv:2506.14665): train on G2, evaluate in PySCF."""


@group.command("train")
@data_option(default="g2-small", help=_DATA_HELP)
@out_option(help="Output folder: the best model goes to OUT/model/, checkpoints to "
            "OUT/checkpoints/.")  # fmt: skip
@click.option("--basis", default="cc-pvdz", show_default=True,
              help="Basis of the references and densities.")  # fmt: skip
@click.option("--base", type=click.Choice(["pbe", "r2scan"]), default="pbe", show_default=True,
              help="Reference functional the model starts from (and whose densities it fits).")  # fmt: skip
@steps_option(default=300)
@lr_option(default=3e-3)
@click.option("--grid-level", type=click.IntRange(0, 9), default=2, show_default=True,
              help="PySCF grid level of the fixed densities.")  # fmt: skip
@click.option("--n-val", type=click.IntRange(1), default=3, show_default=True,
              help="Validation molecules (pick the best step; none of them trains).")  # fmt: skip
@click.option("--n-test", type=click.IntRange(1), default=6, show_default=True,
              help="Held-out test molecules (at least one molecule must be left to train on).")  # fmt: skip
@device_option()
@precision_option
@resume_option
@seed_option
@json_option
def train(data, out: Path, basis, base, steps, lr, grid_level, n_val, n_test, device, precision,
          resume, seed, as_json) -> None:  # fmt: skip
    """Fit the neural functional on fixed densities to CCSD(T) atomization energies."""
    from rl_chem.core.reference_data import molecule_names
    from rl_chem.skala.train import check_split, train_pipeline
    from rl_shared.runtime import resolve_device, resolve_precision

    names = molecule_names(data)  # every check before the first reference calculation
    check_split(len(names), n_val, n_test, what=f"--data {data}")
    if resume:
        _check_resume(out, steps)
    dev = resolve_device(device)
    resolve_precision(precision, dev)  # before the reference calculations
    track = progress(as_json)
    fit = train_pipeline(
        names, out, basis=basis, base=base, steps=steps, lr=lr, grid_level=grid_level,
        n_val=n_val, n_test=n_test, seed=seed, resume=resume, device=dev, precision=precision,
        progress=lambda d: (lambda items: track(list(items), d)),
    )  # fmt: skip
    fit.pop("model")
    if as_json:
        emit_json(fit)
        return
    click.echo(f"train {fit['train']}\nval   {fit['val']}\ntest  {fit['test']}")
    click.echo(
        f"best step {fit['best_step']}: val MAE {fit['best_val_mae']:.2f} kcal/mol; "
        f"fixed-density test MAE {fit['test_mae_fixed']:.2f} (base {fit['test_mae_base']:.2f})"
    )
    click.echo(f"model saved in {fit['model_dir']}")


def _check_resume(out: Path, steps: int) -> None:
    """Refuse to resume a run whose newest checkpoint is already past ``--steps``."""
    from rl_shared.checkpoint import CheckpointManager
    from rl_shared.errors import BadInput

    latest = CheckpointManager(out / "checkpoints").latest()
    done = int(latest.name.split("-")[-1]) if latest is not None else 0
    if done > steps:
        raise BadInput(
            f"{out} holds a checkpoint at step {done}, beyond --steps {steps}; pass --steps "
            f"above {done} to continue, or --no-resume to start over"
        )


@group.command("evaluate")
@model_option(default="pbe", help="XC functional: a saved model (OUT/model of `rl chem skala "
              "train`), lda | pbe | r2scan (torch), b3lyp | libxc:<code>, or hf.",
              formats=(SKALA_MODEL,))  # fmt: skip
@data_option(default="g2-tiny", help=_DATA_HELP)
@click.option("--basis", default="cc-pvdz", show_default=True, help="Basis set.")
@click.option("--reference", "ref_method", default="ccsd(t)", show_default=True,
              type=click.Choice(["ccsd(t)", "ccsd", "mp2", "hf", "experiment"]),
              help="Reference atomization energies (computed and cached, or experiment).")  # fmt: skip
@click.option("--grid-level", type=click.IntRange(0, 9), default=None,
              help="PySCF grid level [default: PySCF's, 3].")  # fmt: skip
@device_option(help=SCF_DEVICE_HELP)
@precision_option
@seed_option
@json_option
def evaluate(model, data, basis, ref_method, grid_level, device, precision, seed,
             as_json) -> None:  # fmt: skip
    """Self-consistent atomization energies of G2 molecules: errors and MAE, kcal/mol."""
    from rl_chem.core.atomization import dft_atomization, errors_table
    from rl_chem.core.molecules import check_scf_precision, resolve_xc
    from rl_chem.core.reference_data import (
        atomization_energies,
        compute_reference,
        experimental_atomization,
        molecule_names,
    )
    from rl_shared.errors import BadInput
    from rl_shared.runtime import resolve_device

    check_scf_precision(precision)
    dev = resolve_device(device)
    xc = resolve_xc(model)  # a broken model folder fails before the reference calculations
    names = molecule_names(data)
    track = progress(as_json)
    t0 = time.perf_counter()
    if ref_method == "experiment":
        ref = {n: experimental_atomization(n) for n in names}
        ref = {n: v for n, v in ref.items() if v == v}  # drop molecules without data
        missing = [n for n in names if n not in ref]
        if not ref:
            raise BadInput(
                f"no molecule of --data {data} has an experimental atomization energy in ase's "
                f"G2 tables ({', '.join(missing)}); use --reference ccsd(t)"
            )
        if missing:
            click.echo(
                f"warning: no experimental atomization energy for {', '.join(missing)}; "
                "left out of the errors",
                err=True,
            )
    else:
        energies = compute_reference(names, ref_method, basis,
                                     progress=lambda s: track(list(s), "reference"))  # fmt: skip
        ref = atomization_energies(names, energies)
    dft_out = dft_atomization(names, xc=xc, basis=basis, grid_level=grid_level, device=dev,
                              progress=lambda s: track(list(s), str(model)))  # fmt: skip
    table = errors_table(dft_out["atomization"], ref)
    if not math.isfinite(table["mae"]):
        click.echo(
            "warning: mae is undefined (no molecule has a converged SCF and a reference); "
            "reported as null",
            err=True,
        )
    res = {
        "model": model,
        "data": data,
        "basis": basis,
        "reference": ref_method,
        "atomization": dft_out["atomization"],
        "reference_atomization": ref,
        "errors": table["errors"],
        "mae": table["mae"],
        "not_converged": dft_out["not_converged"],
        "seconds": time.perf_counter() - t0,
    }
    if as_json:
        emit_json(res)
        return
    click.echo(f"{'molecule':<12}{'AE':>10}{'ref':>10}{'error':>10}  (kcal/mol)")
    for n, err in table["errors"].items():
        click.echo(f"{n:<12}{dft_out['atomization'][n]:>10.2f}{ref[n]:>10.2f}{err:>10.2f}")
    click.echo(f"MAE {table['mae']:.2f} kcal/mol over {len(table['errors'])} molecules")
    if dft_out["not_converged"]:
        click.echo(f"not converged (left out): {', '.join(dft_out['not_converged'])}")

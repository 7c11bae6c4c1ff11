"""``rl chem xcnn evaluate``: Kasim & Vinko's atomization and ionization sets.

References:
    Kasim & Vinko, "Learning the exchange-correlation functional from nature with fully
    differentiable density functional theory", PRL 127, 126403 (2021).
    https://arxiv.org/abs/2102.04229

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["evaluate", "--help"]).exit_code
    0
"""

from __future__ import annotations

import math

import click

from rl_chem.core.cli import SCF_DEVICE_HELP
from rl_chem.skala.formats import SKALA_MODEL
from rl_chem.xcnn.formats import XCNN_YAML
from rl_shared.cli import (
    data_option,
    device_option,
    emit_json,
    json_option,
    model_option,
    precision_option,
    progress,
    seed_option,
)

__all__ = ["group"]


@click.group("xcnn")
def group() -> None:
    """Kasim & Vinko's learned-XC benchmark sets (arXiv:2102.04229) with any functional."""


@group.command("evaluate")
@model_option(default="pbe", help="XC functional: lda | pbe | r2scan (torch), b3lyp | "
              "libxc:<code>, hf, or a saved model (OUT/model of `rl chem skala train`).",
              formats=(SKALA_MODEL,))  # fmt: skip
@data_option(default="xcnn-ae", help="xcnn-ae | xcnn-ae2 | xcnn-ae-g2 | xcnn-ie | xcnn-vie, "
             "xcnn:<file in dft/xcnn>, or a YAML file in their format.",
             formats=(XCNN_YAML,))  # fmt: skip
@click.option("--basis", default=None,
              help="Override the basis each system names [default: the file's].")  # fmt: skip
@click.option("--limit", type=click.IntRange(1), default=None,
              help="Only the first N entries.")  # fmt: skip
@click.option("--grid-level", type=click.IntRange(0, 9), default=None,
              help="PySCF grid level [default: PySCF's, 3].")  # fmt: skip
@device_option(help=SCF_DEVICE_HELP)
@precision_option
@seed_option
@json_option
def evaluate(model, data, basis, limit, grid_level, device, precision, seed, as_json) -> None:
    """Each entry's energy difference vs its experimental true_val; errors and MAE, kcal/mol."""
    from rl_chem.core.molecules import check_scf_precision, resolve_xc
    from rl_chem.core.reference_data import HARTREE_TO_KCAL
    from rl_chem.xcnn.benchmark import evaluate_xcnn, short_name
    from rl_chem.xcnn.data import load_xcnn, resolve_set
    from rl_shared.runtime import resolve_device

    check_scf_precision(precision)
    dev = resolve_device(device)
    xc = resolve_xc(model)  # every input is checked before the first SCF
    file = resolve_set(data)
    entries = load_xcnn(file)[:limit]
    track = progress(as_json)
    out = evaluate_xcnn(entries, xc=xc, basis=basis, grid_level=grid_level, device=dev,
                        progress=lambda s: track(list(s), str(model)))  # fmt: skip
    if not math.isfinite(out["mae"]):
        click.echo(
            "warning: mae is undefined (no entry had every SCF converge); reported as null",
            err=True,
        )
    res = {"model": model, "data": data, "file": str(file), "basis": basis or "from file",
           "reference": "true_val (experiment)", **out}  # fmt: skip
    if as_json:
        emit_json(res)
        return
    kind = sorted({e["type"] for e in entries})
    click.echo(f"{'entry':<28}{'DFT':>10}{'exp.':>10}{'error':>10}  (kcal/mol, {'/'.join(kind)})")
    for n, err in out["errors"].items():
        click.echo(f"{short_name(n)[:27]:<28}{out['values'][n] * HARTREE_TO_KCAL:>10.2f}"
                   f"{out['reference'][n] * HARTREE_TO_KCAL:>10.2f}{err:>10.2f}")  # fmt: skip
    click.echo(f"MAE {out['mae']:.2f} kcal/mol over {len(out['errors'])} entries ({model}, "
               f"{res['basis']}, {out['seconds']:.0f} s)")  # fmt: skip
    if out["not_converged"]:
        click.echo(f"not converged (left out): {', '.join(out['not_converged'])}")

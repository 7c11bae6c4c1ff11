"""``rl chem``: SCF with torch/neural functionals, reference energies, training, atomization.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from rl_shared.cli import emit_json, json_option, seed_option

__all__ = ["group"]


def _progress(as_json: bool, desc: str):
    from tqdm.auto import tqdm

    def wrap(items: Iterable[Any]) -> Iterable[Any]:
        items = list(items)
        return tqdm(items, desc=desc, file=sys.stderr, disable=not items)

    return wrap


@click.group(name="chem")
def group() -> None:
    """Learned exchange-correlation functionals in PySCF, and molecular cMIM."""


@group.command()
@click.option("--atom", required=True, help='Geometry in Angstrom: "O 0 0 0.117; H 0 0.757 ..."')
@click.option("--basis", default="def2-svp", show_default=True)
@click.option("--xc", default="pbe", show_default=True,
              help="lda | pbe | r2scan (torch), a neural checkpoint folder, libxc:<code>, hf.")  # fmt: skip
@click.option("--spin", default=0, show_default=True, help="N_alpha - N_beta.")
@click.option("--charge", default=0, show_default=True)
@click.option("--max-cycle", default=100, show_default=True)
@click.option("--grid-level", type=click.IntRange(0, 9), default=None)
@json_option
@seed_option
def scf(atom, basis, xc, spin, charge, max_cycle, grid_level, as_json, seed) -> None:
    """Run one SCF; print energy, convergence, iterations and seconds."""
    from rl_chem.molecules import build_mol, run_scf

    mol = build_mol(atom, basis=basis, spin=spin, charge=charge)
    out = run_scf(mol, xc=xc, max_cycle=max_cycle, grid_level=grid_level)
    res = {k: out[k] for k in ("energy", "converged", "iterations", "seconds")}
    res.update(xc=xc, basis=basis, spin=spin, charge=charge)
    if as_json:
        emit_json(res)
        return
    click.echo(
        f"E = {res['energy']:.10f} Eh  converged={res['converged']}  "
        f"iterations={res['iterations']}  {res['seconds']:.2f} s  ({xc}/{basis})"
    )


@group.command()
@click.option("--set", "set_name", default="g2-small", show_default=True,
              help="g2-tiny | g2-small | g2")  # fmt: skip
@click.option("--method", default="ccsd(t)", show_default=True, help="ccsd(t) | ccsd | mp2 | hf")
@click.option("--basis", default="cc-pvdz", show_default=True)
@json_option
@seed_option
def reference(set_name, method, basis, as_json, seed) -> None:
    """Compute (or resume) reference atomization energies, cached as JSON."""
    from rl_chem.reference_data import (
        ReferenceCache,
        atomization_energies,
        compute_reference,
        experimental_atomization,
        set_names,
    )

    names = set_names(set_name)
    energies = compute_reference(names, method, basis, progress=_progress(as_json, method))
    ae = atomization_energies(names, energies)
    path = str(ReferenceCache(method, basis).path)
    if as_json:
        emit_json({"method": method, "basis": basis, "cache": path, "atomization": ae})
        return
    click.echo(f"{'molecule':<12}{method + ' AE':>14}{'exp. AE':>10}  (kcal/mol, {basis})")
    for n, v in ae.items():
        click.echo(f"{n:<12}{v:>14.2f}{experimental_atomization(n):>10.2f}")
    click.echo(f"cached in {path}")


@group.command()
@click.option("--set", "set_name", default="g2-small", show_default=True)
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path))
@click.option("--basis", default="cc-pvdz", show_default=True)
@click.option("--base", default="pbe", show_default=True, help="pbe | r2scan")
@click.option("--steps", default=300, show_default=True)
@click.option("--lr", default=3e-3, show_default=True)
@click.option("--grid-level", default=2, show_default=True)
@click.option("--n-val", default=3, show_default=True)
@click.option("--n-test", default=6, show_default=True)
@click.option("--resume/--no-resume", default=True, show_default=True)
@json_option
@seed_option
def train(set_name, out_dir, basis, base, steps, lr, grid_level, n_val, n_test, resume,
          as_json, seed) -> None:  # fmt: skip
    """Train the neural functional on fixed densities against CCSD(T) atomization energies."""
    from rl_chem.pipeline import train_pipeline

    out = train_pipeline(
        set_name, out_dir, basis=basis, base=base, steps=steps, lr=lr, grid_level=grid_level,
        n_val=n_val, n_test=n_test, seed=seed, resume=resume,
        progress=lambda d: _progress(as_json, d),
    )  # fmt: skip
    out.pop("model")
    if as_json:
        emit_json(out)
        return
    click.echo(f"train {out['train']}\nval   {out['val']}\ntest  {out['test']}")
    click.echo(
        f"best step {out['best_step']}: val MAE {out['best_val_mae']:.2f} kcal/mol; "
        f"fixed-density test MAE {out['test_mae_fixed']:.2f} (base {out['test_mae_base']:.2f})"
    )
    click.echo(f"functional saved in {out['functional']}")


@group.command()
@click.option("--xc", default="pbe", show_default=True,
              help="lda | pbe | r2scan | b3lyp | hf | libxc:<code> | a neural checkpoint folder.")  # fmt: skip
@click.option("--set", "set_name", default="g2-tiny", show_default=True,
              help="g2-tiny | g2-small | g2, or Kasim & Vinko's xcnn-ae | xcnn-ae2 | "
              "xcnn-ae-g2 | xcnn-ie | xcnn-vie (true_val references).")  # fmt: skip
@click.option("--molecules", default=None, help="Comma-separated G2 names (overrides --set).")
@click.option("--basis", default=None,
              help="Basis set [default: cc-pvdz for G2; the file's basis for xcnn sets].")  # fmt: skip
@click.option("--reference", "ref_method", default="ccsd(t)", show_default=True,
              help="G2 only: ccsd(t) | ccsd | mp2 | hf | experiment")  # fmt: skip
@click.option("--limit", type=click.IntRange(1), default=None,
              help="Only the first N entries of an xcnn set.")  # fmt: skip
@click.option("--grid-level", type=click.IntRange(0, 9), default=None)
@json_option
@seed_option
def atomization(xc, set_name, molecules, basis, ref_method, limit, grid_level, as_json,
                seed) -> None:  # fmt: skip
    """Atomization (or xcnn ionization) energies with a functional; errors and MAE, kcal/mol."""
    if set_name.startswith("xcnn") and not molecules:
        _xcnn_atomization(xc, set_name, basis, limit, grid_level, as_json)
        return
    basis = basis or "cc-pvdz"
    from rl_chem.atomization import dft_atomization, errors_table
    from rl_chem.reference_data import (
        atomization_energies,
        compute_reference,
        experimental_atomization,
        set_names,
    )

    names = [m.strip() for m in molecules.split(",")] if molecules else set_names(set_name)
    t0 = time.perf_counter()
    if ref_method == "experiment":
        ref = {n: experimental_atomization(n) for n in names}
        ref = {n: v for n, v in ref.items() if v == v}  # drop molecules without data
    else:
        energies = compute_reference(names, ref_method, basis, progress=_progress(as_json, "ref"))
        ref = atomization_energies(names, energies)
    dft_out = dft_atomization(
        names, xc=xc, basis=basis, grid_level=grid_level, progress=_progress(as_json, str(xc))
    )
    table = errors_table(dft_out["atomization"], ref)
    res = {
        "xc": xc,
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


def _xcnn_atomization(xc, set_name, basis, limit, grid_level, as_json) -> None:
    from rl_chem.reference_data import HARTREE_TO_KCAL
    from rl_chem.xcnn_benchmark import evaluate_xcnn, short_name
    from rl_chem.xcnn_data import load_xcnn, xcnn_set_file

    file = xcnn_set_file(set_name)
    entries = load_xcnn(file)[:limit]
    out = evaluate_xcnn(
        entries, xc=xc, basis=basis, grid_level=grid_level, progress=_progress(as_json, str(xc))
    )
    res = {"xc": xc, "set": set_name, "file": file, "basis": basis or "from file",
           "reference": "true_val (experiment)", **out}  # fmt: skip
    if as_json:
        emit_json(res)
        return
    kind = {e["type"] for e in entries}
    click.echo(f"{'entry':<28}{'DFT':>10}{'exp.':>10}{'error':>10}  (kcal/mol, {'/'.join(kind)})")
    for n, err in out["errors"].items():
        click.echo(f"{short_name(n)[:27]:<28}{out['values'][n] * HARTREE_TO_KCAL:>10.2f}"
                   f"{out['reference'][n] * HARTREE_TO_KCAL:>10.2f}{err:>10.2f}")  # fmt: skip
    click.echo(f"MAE {out['mae']:.2f} kcal/mol over {len(out['errors'])} entries ({xc}, "
               f"{res['basis']}, {out['seconds']:.0f} s)")  # fmt: skip
    if out["not_converged"]:
        click.echo(f"not converged (left out): {', '.join(out['not_converged'])}")

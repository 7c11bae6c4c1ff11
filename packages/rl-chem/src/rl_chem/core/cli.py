"""``rl chem scf`` and ``rl chem reference``: the commands of the shared chemistry.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(scf, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import click

from rl_chem.skala.formats import SKALA_MODEL
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

__all__ = ["COMMANDS", "SCF_DEVICE_HELP", "reference", "scf"]

SCF_DEVICE_HELP = (
    "Device a torch functional is evaluated on: auto, cpu, cuda, cuda:N or mps (PySCF's "
    "integrals and libxc functionals run on the CPU)."
)
XC_HELP = (
    "XC functional: lda | pbe | r2scan (torch), b3lyp | libxc:<code> (libxc), hf, "
    "or a saved neural functional (the OUT/model folder of `rl chem skala train`)."
)


@click.command("scf")
@click.option("--atom", required=True, help='Geometry in Angstrom: "O 0 0 0.117; H 0 0.757 ..."')
@click.option("--basis", default="def2-svp", show_default=True, help="Basis set PySCF knows.")
@model_option(default="pbe", help=XC_HELP, formats=(SKALA_MODEL,))
@click.option(
    "--spin", type=click.IntRange(), default=0, show_default=True, help="N_alpha - N_beta."
)
@click.option("--charge", type=click.IntRange(), default=0, show_default=True, help="Total charge.")
@click.option("--max-cycle", type=click.IntRange(1), default=100, show_default=True,
              help="Most SCF iterations.")  # fmt: skip
@click.option("--grid-level", type=click.IntRange(0, 9), default=None,
              help="PySCF grid level [default: PySCF's, 3].")  # fmt: skip
@device_option(help=SCF_DEVICE_HELP)
@precision_option
@seed_option
@json_option
def scf(atom, basis, model, spin, charge, max_cycle, grid_level, device, precision, seed,
        as_json) -> None:  # fmt: skip
    """Run one SCF; print energy, convergence, iterations and seconds.

    Args:
        atom: ``--atom``, the geometry in Angstrom (see :func:`~rl_chem.core.molecules.build_mol`).
        basis: ``--basis``, a basis set PySCF knows.
        model: ``--model``, the XC functional (see :func:`~rl_chem.core.molecules.make_mf`).
        spin: ``--spin``, N_alpha - N_beta.
        charge: ``--charge``, the total charge.
        max_cycle: ``--max-cycle``, most SCF iterations.
        grid_level: ``--grid-level``, PySCF's grid level (``None``: PySCF's default).
        device: ``--device``, where a torch functional is evaluated.
        precision: ``--precision``, ``fp32`` only (see
            :func:`~rl_chem.core.molecules.check_scf_precision`).
        seed: ``--seed`` (the SCF itself is deterministic).
        as_json: ``--json``, print one JSON object instead of a line.

    Example:
        >>> import json
        >>> from click.testing import CliRunner
        >>> args = ["--atom", "H 0 0 0; H 0 0 0.74", "--basis", "sto-3g", "--model", "hf"]
        >>> out = json.loads(CliRunner().invoke(scf, [*args, "--json"]).output)
        >>> round(out["energy"], 4), out["converged"]
        (-1.1168, True)
    """
    from rl_chem.core.molecules import build_mol, check_scf_precision, resolve_xc, run_scf
    from rl_shared.runtime import resolve_device

    check_scf_precision(precision)
    dev = resolve_device(device)
    xc = resolve_xc(model)  # the functional, the geometry and the basis before the SCF
    mol = build_mol(atom, basis=basis, spin=spin, charge=charge)
    out = run_scf(mol, xc=xc, max_cycle=max_cycle, grid_level=grid_level, device=dev)
    res = {k: out[k] for k in ("energy", "converged", "iterations", "seconds")}
    res.update(model=model, basis=basis, spin=spin, charge=charge)
    if as_json:
        emit_json(res)
        return
    click.echo(
        f"E = {res['energy']:.10f} Eh  converged={res['converged']}  "
        f"iterations={res['iterations']}  {res['seconds']:.2f} s  ({model}/{basis})"
    )


@click.command("reference")
@data_option(default="g2-small",
             help="Molecules: g2-tiny | g2-small | g2, or comma-separated G2 names.")  # fmt: skip
@click.option("--method", type=click.Choice(["ccsd(t)", "ccsd", "mp2", "hf"], case_sensitive=False),
              default="ccsd(t)", show_default=True, help="Correlated method.")  # fmt: skip
@click.option("--basis", default="cc-pvdz", show_default=True, help="Basis set.")
@seed_option
@json_option
def reference(data, method, basis, seed, as_json) -> None:
    """Compute (or resume) reference atomization energies, cached as JSON.

    Args:
        data: ``--data``, a molecule set or comma-separated G2 names (see
            :func:`~rl_chem.core.reference_data.molecule_names`).
        method: ``--method``, the correlated method (``ccsd(t)``, ``ccsd``, ``mp2``, ``hf``).
        basis: ``--basis``, the basis set.
        seed: ``--seed`` (the calculations are deterministic).
        as_json: ``--json``, print one JSON object instead of a table.

    Example:
        HF/STO-3G for H2 and the H atom, cached in a fresh folder (``RL_CACHE_DIR``):

        >>> import json, tempfile
        >>> from click.testing import CliRunner
        >>> args = ["--data", "H2", "--method", "hf", "--basis", "sto-3g", "--json"]
        >>> r = CliRunner().invoke(reference, args, env={"RL_CACHE_DIR": tempfile.mkdtemp()})
        >>> round(json.loads(r.output)["atomization"]["H2"], 1)
        115.3
    """
    from rl_chem.core.reference_data import (
        ReferenceCache,
        atomization_energies,
        compute_reference,
        experimental_atomization,
        molecule_names,
    )

    names = molecule_names(data)
    track = progress(as_json)
    energies = compute_reference(names, method, basis, progress=lambda s: track(list(s), method))
    ae = atomization_energies(names, energies)
    path = str(ReferenceCache(method, basis).path)
    if as_json:
        emit_json({"method": method, "basis": basis, "cache": path, "atomization": ae})
        return
    click.echo(f"{'molecule':<12}{method + ' AE':>14}{'exp. AE':>10}  (kcal/mol, {basis})")
    for n, v in ae.items():
        click.echo(f"{n:<12}{v:>14.2f}{experimental_atomization(n):>10.2f}")
    click.echo(f"cached in {path}")


COMMANDS = [scf, reference]

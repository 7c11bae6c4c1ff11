"""``rl reproduce``: run the papers' experiments and report them beside the papers' numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from rl_shared.cli.common import emit_json
from rl_shared.cli.options import (
    device_option,
    json_option,
    out_option,
    precision_option,
    seed_option,
)
from rl_shared.data import list_datasets
from rl_shared.errors import BadInput, UnknownName
from rl_shared.plugins import entry_point_names
from rl_shared.reproduce.harness import run_reproductions
from rl_shared.reproduce.registry import list_reproductions
from rl_shared.reproduce.report import format_value

__all__ = ["reproduce"]


@click.command()
@click.argument("names", nargs=-1)
@click.option(
    "--list", "list_only", is_flag=True, help="List the installed reproductions and their data."
)
@click.option(
    "--smoke",
    "size",
    flag_value="smoke",
    help="Smoke size: each finishes in under 20 s on 2 cores (what CI runs).",
)
@click.option(
    "--quick",
    "size",
    flag_value="quick",
    default=True,
    help="Quick size (the default): each finishes in under 3 minutes on 2 cores.",
)
@click.option(
    "--full",
    "size",
    flag_value="full",
    help="Full size: each finishes in under 30 minutes on 2 cores.",
)
@click.option(
    "--update-results",
    is_flag=True,
    help="With --full: write each run's tables into its paper folder's RESULTS.md "
    "(a source checkout).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Compare each run with its paper folder's expected.json (smoke and quick sizes); "
    "exit 1 naming every metric that drifted beyond its tolerance.",
)
@click.option(
    "--update-expected",
    is_flag=True,
    help="Rewrite the expected.json entries of the sizes that ran (a source checkout), "
    "after an intended change.",
)
@click.option(
    "--download",
    is_flag=True,
    help="First fetch the datasets the chosen reproductions lack (`rl data download`); "
    "without NAME, every one a program can fetch.",
)
@out_option(
    required=False,
    default="reports",
    help="Output folder: <name>/result.json, <name>/report.md, plots and REPORT.md.",
)
@seed_option
@device_option(
    default="cpu",
    help="Device for the reproductions' networks (cpu keeps the recorded timings comparable): auto, cpu, cuda, cuda:N or mps.",
)
@precision_option
@json_option
def reproduce(
    names: tuple[str, ...],
    list_only: bool,
    size: str,
    update_results: bool,
    check: bool,
    update_expected: bool,
    download: bool,
    out: Path,
    seed: int,
    device: str,
    precision: str,
    as_json: bool,
) -> None:
    """Run reproductions (all whose data is present when no NAME is given).

    Each writes OUT/NAME/result.json, OUT/NAME/report.md and PNG plots; OUT/REPORT.md
    gets one row per reproduction.
    \f

    Args:
        names: the reproductions to run (all whose data is present when empty).
        list_only: ``--list``: list the installed reproductions and their data, run nothing.
        size: ``"smoke"``, ``"quick"`` or ``"full"``.
        update_results: ``--update-results`` (with ``--full`` only).
        check: ``--check``: compare with ``expected.json`` and exit 1 on drift.
        update_expected: ``--update-expected``: rewrite ``expected.json`` from this run.
        download: ``--download``: fetch missing datasets first.
        out: the output folder.
        seed: the random seed of every run.
        device: ``--device``, handed to each reproduction as ``ctx.device``.
        precision: ``--precision``, handed on as ``ctx.precision``.
        as_json: print one JSON object on stdout instead of a table.

    Raises:
        UnknownName: a NAME that no installed member registers.
        BadInput: ``--update-results`` without ``--full``, a reproduction whose package failed
            to import, or one whose dataset no member provides.

    Example:
        >>> from click.testing import CliRunner
        >>> result = CliRunner().invoke(reproduce, ["--update-results"])
        >>> result.exit_code, str(result.exception)
        (1, '--update-results records full runs only; add --full')
        >>> type(CliRunner().invoke(reproduce, ["no-such-paper"]).exception).__name__
        'UnknownName'
    """
    if update_results and size != "full":
        raise BadInput("--update-results records full runs only; add --full")
    if check and size == "full":
        raise BadInput(
            "--check compares the seeded smoke and quick sizes; a full run records its values "
            "with --update-expected"
        )
    if check and update_expected:
        raise BadInput("--check and --update-expected exclude each other: check, or record")
    if device != "cpu" or precision != "fp32":
        from rl_shared.runtime import resolve_device, resolve_precision

        resolve_precision(precision, resolve_device(device))  # refuse before anything runs
    registered = entry_point_names("rl.reproductions")  # check names before importing members
    for name in names:
        if name not in registered:
            raise UnknownName("reproduction", name, registered)
    available = list_reproductions()
    datasets = list_datasets()
    if list_only:
        _print_list(available, datasets, as_json)
        return
    for name in names:
        if name not in available:
            raise BadInput(
                f"reproduction '{name}' is installed but its package failed to import (see the warning above)"
            )
    chosen = [available[n] for n in names] if names else list(available.values())
    if download:
        _download_missing(chosen, datasets, strict=bool(names), as_json=as_json)
    if names:  # asked for by name: missing data is the user's to fix
        for repro in chosen:
            missing = repro.missing_datasets(datasets)
            if missing:
                first = missing[0]
                where = datasets[first].locate if first in datasets else None
                if where is not None:
                    where()  # raises DatasetNotFound naming the folder
                raise BadInput(
                    f"reproduction {repro.name} needs dataset '{first}', which no installed member provides"
                )
    runnable = [r for r in chosen if not r.missing_datasets(datasets)]
    if not as_json:
        _print_plan(runnable, len(chosen) - len(runnable), size)
    outcomes = run_reproductions(
        chosen,
        out,
        size=size,  # type: ignore[arg-type]
        seed=seed,
        console=Console(stderr=True),
        device=device,
        precision=precision,
    )
    if update_results:
        _update_results(available, outcomes, out)
    if update_expected:
        _update_expected(available, outcomes, size)
    drifts = _check(available, outcomes, size) if check else {}
    if check:
        from rl_shared.reproduce.html import write_check, write_html

        for name, found in drifts.items():
            write_check(out / name, [d.describe() for d in found])
        write_html(out, {o.name: (o.status, o.message) for o in outcomes if o.status != "ok"})
    if as_json:
        payload: dict[str, object] = {
            "out": str(out),
            "size": size,
            "reproductions": [o.to_json() for o in outcomes],
        }
        if check:
            payload["drifts"] = {k: [d.describe() for d in v] for k, v in drifts.items() if v}
        emit_json(payload)
    else:
        console = Console()
        table = Table(title=f"reproductions ({size}) -> {out}/index.html, {out}/REPORT.md")
        for column in ("reproduction", "status", "metrics", "seconds"):
            table.add_column(column)
        for o in outcomes:
            metrics = ", ".join(
                f"{k}={format_value(v)}" for k, v in (o.result.metrics.items() if o.result else [])
            )
            table.add_row(o.name, o.status, metrics[:120] or o.message, f"{o.seconds:.1f}")
        console.print(table)
    if check and not as_json:
        _print_check(drifts)
    if any(o.status == "failed" for o in outcomes) or any(drifts.values()):
        raise click.exceptions.Exit(1)


def _expected_entry(repro: Any, size: str) -> dict[str, Any]:
    from rl_shared.reproduce.expected import expected_path, read_expected

    entry = read_expected(expected_path(repro.folder)).get(repro.name, {}).get(size, {})
    return entry if isinstance(entry, dict) else {}


def _duration(seconds: float) -> str:
    """``40 s``, ``12 min``, ``2.5 h``."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _print_plan(runnable: list, skipped: int, size: str) -> None:  # type: ignore[type-arg]
    """Before anything runs: each reproduction, its size and its recorded duration."""
    from rl_shared.reproduce.expected import machine

    known, unknown = 0.0, 0
    lines = []
    for repro in runnable:
        seconds = _expected_entry(repro, size).get("seconds")
        if isinstance(seconds, int | float):
            known += float(seconds)
            lines.append(f"  {repro.name:<40} {size:<6} about {_duration(float(seconds))}")
        else:
            unknown += 1
            lines.append(f"  {repro.name:<40} {size:<6} no recorded time")
    total = f"about {_duration(known)}" if known else "time unknown"
    if unknown and known:
        total += f" plus {unknown} without a recorded time"
    click.echo(
        f"plan: {len(runnable)} reproduction(s) at the {size} size, {total} "
        f"(recorded on {machine()} in expected.json)"
        + (f"; {skipped} skipped for missing data (--download fetches it)" if skipped else ""),
        err=True,
    )
    for line in lines:
        click.echo(line, err=True)


def _check(available: dict, outcomes: list, size: str) -> dict[str, list]:  # type: ignore[type-arg]
    """Each run outcome's drifts from its ``expected.json`` entry (a missing entry is one)."""
    from rl_shared.reproduce.expected import Drift, check_metrics

    drifts: dict[str, list[Drift]] = {}
    for outcome in outcomes:
        if outcome.status != "ok" or outcome.result is None:
            continue
        entry = _expected_entry(available[outcome.name], size)
        if not entry.get("metrics"):
            drifts[outcome.name] = [
                Drift(outcome.name, f"(no {size} entry in expected.json)", 0.0, None, 0.0)
            ]
            continue
        drifts[outcome.name] = check_metrics(outcome.name, entry, outcome.result.metrics)
    return drifts


def _print_check(drifts: dict[str, list]) -> None:  # type: ignore[type-arg]
    bad = [d for found in drifts.values() for d in found]
    if not bad:
        click.echo(f"check: {len(drifts)} reproduction(s) match expected.json", err=True)
        return
    click.echo(
        f"check: {len(bad)} metric(s) of {sum(1 for v in drifts.values() if v)} "
        "reproduction(s) drifted beyond their tolerance:",
        err=True,
    )
    for drift in bad:
        if drift.metric.startswith("(no "):
            click.echo(
                f"  {drift.name}: {drift.metric[1:-1]}; record it with --update-expected", err=True
            )
        else:
            click.echo(f"  {drift.describe()}", err=True)


def _update_expected(available: dict, outcomes: list, size: str) -> None:  # type: ignore[type-arg]
    """Rewrite each successful run's entry in its paper folder's ``expected.json``."""
    from rl_shared.reproduce.expected import expected_entry, expected_path, write_expected

    for outcome in outcomes:
        if outcome.status != "ok" or outcome.result is None:
            continue
        repro = available[outcome.name]
        path = expected_path(repro.folder)
        if path is None:
            continue
        entry = expected_entry(
            outcome.result.metrics, outcome.seconds, size, _expected_entry(repro, size)
        )
        write_expected(path, outcome.name, size, entry)
        click.echo(f"updated {path} ({outcome.name}, {size})", err=True)


def _download_missing(chosen: list, datasets: dict, *, strict: bool, as_json: bool) -> None:  # type: ignore[type-arg]
    """Fetch the datasets ``chosen`` lacks; ``strict``: one that cannot be fetched is an error."""
    from rl_shared.data import download

    wanted = {name for repro in chosen for name in repro.missing_datasets(datasets)}
    fetchable = []
    for name in sorted(wanted):
        source = datasets[name].source if name in datasets else None
        if name not in datasets:
            continue  # no member provides it: reported below, before anything runs
        if strict or (source is not None and not source.manual and source.pinned):
            fetchable.append(datasets[name])
        elif not as_json:
            click.echo(f"{name}: not downloaded (`rl data download {name}` says why)", err=True)
    download(fetchable, progress=not as_json)


def _update_results(available: dict, outcomes: list, out: Path) -> None:  # type: ignore[type-arg]
    """Copy each successful full run's RESULTS.md section into its paper folder."""
    from importlib.util import find_spec

    from rl_shared.reproduce.report import update_results_file

    for outcome in outcomes:
        if outcome.status != "ok":
            continue
        spec = find_spec(available[outcome.name].folder)
        locations = list(spec.submodule_search_locations or []) if spec else []
        if not locations:
            continue
        target = Path(locations[0]) / "RESULTS.md"
        section = (out / outcome.name / "RESULTS.md").read_text(encoding="utf-8")
        update_results_file(target, outcome.name, section)
        click.echo(f"updated {target}", err=True)


def _print_list(available: dict, datasets: dict, as_json: bool) -> None:  # type: ignore[type-arg]
    rows = []
    for repro in available.values():
        missing = repro.missing_datasets(datasets)
        rows.append(
            {
                "name": repro.name,
                "summary": repro.summary,
                "folder": repro.folder,
                "paper": repro.paper,
                "datasets": list(repro.datasets),
                "data_present": not missing,
                "missing": missing,
            }
        )
    if as_json:
        emit_json({"reproductions": rows})
        return
    table = Table(title="installed reproductions")
    for column in ("name", "what it reproduces", "data", "ready"):
        table.add_column(column)
    for row in rows:
        data = ", ".join(row["datasets"]) or "none needed"
        ready = (
            "[green]yes[/]"
            if row["data_present"]
            else f"[red]missing {', '.join(row['missing'])}[/]"
        )
        table.add_row(row["name"], row["summary"], data, ready)
    Console(width=max(Console().width, 120)).print(table)

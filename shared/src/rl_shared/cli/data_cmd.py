"""``rl data list`` and ``rl data check``.

Example:
    >>> import json
    >>> from click.testing import CliRunner
    >>> result = CliRunner().invoke(data, ["list", "--json"])
    >>> result.exit_code, sorted(json.loads(result.output))
    (0, ['cache_dir', 'data_dir', 'datasets'])
"""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from rl_shared.cli.common import emit_json, json_option
from rl_shared.data import cache_dir, data_dir, list_datasets

__all__ = ["data"]


@click.group()
def data() -> None:
    """Datasets the installed members know, and where they are looked for.

    Datasets are read from $RL_DATA_DIR (else ~/.cache/rl/data); what the project
    generates or caches goes to $RL_CACHE_DIR (else ~/.cache/rl/cache).
    """


def _rows() -> list[dict[str, object]]:
    rows = []
    for ds in list_datasets().values():
        found = ds.find()
        rows.append(
            {
                "name": ds.name,
                "description": ds.description,
                "folder": str(found or data_dir() / ds.path),
                "files": list(ds.files),
                "present": found is not None,
                "generated": ds.generated,
            }
        )
    return rows


@data.command("list")
@json_option
def list_cmd(as_json: bool) -> None:
    """Every dataset, the folder it is looked for in, present or missing."""
    rows = _rows()
    if as_json:
        emit_json({"data_dir": str(data_dir()), "cache_dir": str(cache_dir()), "datasets": rows})
        return
    table = Table(title=f"datasets (RL_DATA_DIR={data_dir()})")
    for column in ("name", "status", "folder", "description"):
        table.add_column(column)
    for row in rows:
        status = "[green]present[/]" if row["present"] else "[red]missing[/]"
        table.add_row(str(row["name"]), status, str(row["folder"]), str(row["description"]))
    Console(width=max(Console().width, 140)).print(table)
    if not rows:
        click.echo("no installed member declares a dataset")


@data.command("check")
@json_option
def check_cmd(as_json: bool) -> None:
    """Check that each dataset's files are there; exit 1 if any is missing."""
    rows = _rows()
    missing = [r for r in rows if not r["present"]]
    if as_json:
        emit_json({"ok": not missing, "datasets": rows})
    else:
        for row in rows:
            mark = "ok     " if row["present"] else "MISSING"
            need = "" if row["present"] else f"  (needs {', '.join(row['files'])})"  # type: ignore[arg-type]
            click.echo(f"{mark} {row['name']:<22} {row['folder']}{need}")
        click.echo(f"{len(rows) - len(missing)} of {len(rows)} datasets present")
    if missing:
        raise click.exceptions.Exit(1)

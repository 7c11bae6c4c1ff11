"""The `rl` command sees every installed member's commands, reproductions and datasets."""

import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from rl_shared.data import list_datasets
from rl_shared.reproduce.registry import list_reproductions

RL = [sys.executable, "-m", "rl_shared.cli.main"]


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*RL, *args], capture_output=True, text=True, timeout=600, **kwargs)


def test_every_entry_point_loads_with_its_own_name():
    repros = list_reproductions()
    names = {ep.name for ep in entry_points(group="rl.reproductions")}
    assert names == set(repros), "a member's reproduction failed to import"
    datasets = list_datasets()
    for name, repro in repros.items():
        assert repro.name == name and repro.summary
        assert set(repro.datasets) <= set(datasets), f"{name} needs an unregistered dataset"
    for ep in entry_points(group="rl.commands"):
        assert hasattr(ep.load(), "invoke"), f"rl.commands:{ep.name} is not a click command"


def test_help_lists_member_commands():
    proc = _run("--help")
    assert proc.returncode == 0
    for ep in entry_points(group="rl.commands"):
        assert ep.name in proc.stdout


def test_unknown_names_exit_2_with_one_line():
    for args in (["nosuch"], ["reproduce", "nosuch"]):
        proc = _run(*args)
        assert proc.returncode == 2 and proc.stdout == ""
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: unknown"), (
            proc.stderr
        )


def test_reproduce_cmim_smoke_writes_results(tmp_path: Path):
    proc = _run("reproduce", "shared.cmim", "--smoke", "--out", str(tmp_path), "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout)
    assert [r["status"] for r in summary["reproductions"]] == ["ok"]
    folder = tmp_path / "shared.cmim"
    result = json.loads((folder / "result.json").read_text())
    assert result["size"] == "smoke" and result["seeds"] == [0]
    assert result["folder"] == "rl_shared.cmim"
    assert 0.5 < result["metrics"]["acc.cmim.bs64"] <= 1.0
    assert (folder / "report.md").is_file() and list(folder.glob("*.png"))
    assert "shared.cmim" in (tmp_path / "REPORT.md").read_text()


def test_data_check_with_missing_data_exits_1(tmp_path: Path):
    import os

    env = {**os.environ, "RL_DATA_DIR": str(tmp_path / "empty"), "RL_CACHE_DIR": str(tmp_path)}
    proc = _run("data", "check", "--json", env=env)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["ok"] is False


@pytest.mark.parametrize("args", [["data", "list"], ["reproduce", "--list"]])
def test_listings_run(args):
    proc = _run(*args)
    assert proc.returncode == 0, proc.stderr


def test_no_two_members_register_one_dataset_name_differently():
    from rl_shared.plugins import load_entry_points

    seen: dict[str, object] = {}
    for ep, obj in load_entry_points("rl.datasets"):
        for dataset in obj if isinstance(obj, list | tuple) else [obj]:
            assert seen.setdefault(dataset.name, dataset) == dataset, (
                f"{ep.value} redefines '{dataset.name}'"
            )

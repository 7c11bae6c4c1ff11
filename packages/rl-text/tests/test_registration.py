from __future__ import annotations

from rl_shared.data import list_datasets
from rl_shared.reproduce import list_reproductions


def test_datasets_and_reproduction_are_registered() -> None:
    datasets = list_datasets()
    assert datasets["stsb"].path == "sts/stsb" and datasets["sick"].path == "sts/sick"
    repro = list_reproductions()["text.2dmse"]
    assert repro.datasets == ("stsb",) and "2402.14776" in repro.paper


def test_cli_group_is_registered() -> None:
    from rl_shared.plugins import load_entry_points

    names = {ep.name for ep, _ in load_entry_points("rl.commands")}
    assert "text" in names

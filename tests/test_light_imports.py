"""Listing what is installed stays light: no member's plugin modules import torch and friends.

``rl --help``, ``rl <member> --help`` and ``rl reproduce --list`` import every module named by
the entry points below; each heavy library (torch alone takes seconds) is imported only
when a command or a reproduction actually runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points

HEAVY = ("torch", "torch_geometric", "transformers", "pyscf", "sklearn", "sentence_transformers")
GROUPS = ("rl.commands", "rl.reproductions", "rl.datasets")


def _modules(*groups: str) -> list[str]:
    return sorted({ep.value.partition(":")[0] for g in groups for ep in entry_points(group=g)})


def _heavy_after(code: str) -> dict[str, list[str]]:
    """Run ``code`` in a fresh interpreter; it prints a JSON dict ``{step: [heavy modules]}``."""
    prelude = f"import importlib, json, sys\nHEAVY = {HEAVY!r}\n"
    proc = subprocess.run(
        [sys.executable, "-c", prelude + code], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_every_plugin_module_imports_without_heavy_libraries():
    modules = _modules(*GROUPS)
    assert any(m.startswith("rl_shared.") for m in modules) and len(modules) > 10
    found = _heavy_after(
        f"loaded = {{}}\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "    new = [h for h in HEAVY if h in sys.modules and not any(h in v for v in loaded.values())]\n"
        "    if new:\n"
        "        loaded[m] = new\n"
        "print(json.dumps(loaded))"
    )
    assert found == {}, f"these modules import heavy libraries at module level: {found}"


def test_help_of_rl_and_of_each_member_stays_light():
    members = sorted(ep.name for ep in entry_points(group="rl.commands"))
    assert members
    found = _heavy_after(
        "import contextlib, io\n"
        "from rl_shared.cli.main import main\n"
        "out = {}\n"
        f"for args in [['--help']] + [[m, '--help'] for m in {members!r}]:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        try:\n"
        "            main(args)\n"
        "        except SystemExit as stop:\n"
        "            assert stop.code in (0, None), (args, stop.code)\n"
        "    out[' '.join(args)] = [h for h in HEAVY if h in sys.modules]\n"
        "print(json.dumps(out))"
    )
    assert set(found) == {"--help", *(f"{m} --help" for m in members)}
    assert all(v == [] for v in found.values()), found

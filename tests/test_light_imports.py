"""Listing what is installed stays light: no member's plugin modules import torch and friends.

``rl --help``, ``rl <member> --help`` and ``rl reproduce --list`` import every module named by
the entry points below; each heavy library (torch alone takes seconds) is imported only
when a command or a reproduction actually runs.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from importlib.metadata import entry_points
from types import ModuleType

import pytest

HEAVY = (
    "torch",
    "torch_geometric",
    "transformers",
    "sentence_transformers",
    "pyscf",
    "sklearn",
    "faiss",
    "pybullet",
    "rdkit",
)
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


def _lazy_packages() -> list[ModuleType]:
    """Every package of every member that declares lazy exports (``_EXPORTS``)."""
    tops = sorted({ep.value.partition(".")[0] for g in GROUPS for ep in entry_points(group=g)})
    found = []
    for top in tops:
        root = importlib.import_module(top)
        subs = pkgutil.walk_packages(root.__path__, f"{top}.")
        packages = [root, *(importlib.import_module(s.name) for s in subs if s.ispkg)]
        found += [p for p in packages if "_EXPORTS" in vars(p)]
    return found


def test_lazy_exports_resolve_and_match_all():
    packages = _lazy_packages()
    assert {"rl_chem", "rl_graph", "rl_retrieval", "rl_robotics", "rl_text"} <= {
        p.__name__ for p in packages
    }
    for package in packages:
        exported = set(package.__all__) - {"__version__"}
        assert len(set(package.__all__)) == len(package.__all__), package.__name__
        assert exported == set(package._EXPORTS), package.__name__
        for name in package.__all__:
            value = getattr(package, name)
            assert vars(package)[name] is value, f"{package.__name__}.{name} is not cached"
        with pytest.raises(AttributeError, match=f"module '{package.__name__}' has no attribute"):
            _ = package.no_such_name

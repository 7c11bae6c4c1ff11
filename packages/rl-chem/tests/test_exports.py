"""Lazy exports of rl_chem: every name in ``__all__`` resolves, and importing stays light.

Importing the package, or any module ``rl`` loads from it (commands, datasets, reproductions),
must not pull in torch or PySCF, so that ``rl --help`` and ``rl reproduce --list`` stay fast.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import distribution

import pytest

import rl_chem

HEAVY = ("torch", "pyscf", "sklearn")
PACKAGES = [rl_chem]


@pytest.mark.parametrize(
    ("package", "name"),
    [(p, n) for p in PACKAGES for n in p.__all__],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_every_name_in_all_resolves(package, name):
    value = getattr(package, name)
    assert vars(package)[name] is value  # cached on the package after the first access
    assert name in dir(package)


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_all_lists_exactly_the_lazy_exports(package):
    assert len(set(package.__all__)) == len(package.__all__)
    assert set(package.__all__) - {"__version__"} == set(package._EXPORTS)
    namespace: dict[str, object] = {}
    exec(f"from {package.__name__} import *", namespace)
    assert set(package.__all__) <= set(namespace)


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_unknown_name_is_an_attribute_error(package):
    with pytest.raises(
        AttributeError, match=f"module '{package.__name__}' has no attribute 'nope'"
    ):
        _ = package.nope


def test_plugin_modules_import_without_heavy_libraries():
    modules = sorted(
        {
            ep.value.partition(":")[0]
            for ep in distribution("rl-chem").entry_points
            if ep.group.startswith("rl.")
        }
    )
    modules += [p.__name__ for p in PACKAGES]
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == [], modules

"""rl_shared.lazy: PEP 562 exports resolve on first access, are cached, and fail clearly."""

from __future__ import annotations

import importlib
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from rl_shared.lazy import lazy_exports

INIT = """
from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "Heavy": "{pkg}.heavy",
    "make": "{pkg}.heavy:build",
    "Light": ".light",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
"""

HEAVY = """
CALLS = []

class Heavy:
    pass

def build():
    CALLS.append(1)
    return Heavy()
"""


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A throwaway package on sys.path whose ``__init__`` exports names from two submodules lazily."""
    name = f"lazy_pkg_{uuid.uuid4().hex[:8]}"
    folder = tmp_path / name
    folder.mkdir()
    (folder / "__init__.py").write_text(INIT.replace("{pkg}", name))
    (folder / "heavy.py").write_text(textwrap.dedent(HEAVY))
    (folder / "light.py").write_text("Light = 'light'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    for key in [k for k in sys.modules if k == name or k.startswith(f"{name}.")]:
        del sys.modules[key]


def test_import_does_not_load_target_until_first_access(package: str):
    pkg = importlib.import_module(package)
    assert f"{package}.heavy" not in sys.modules
    assert f"{package}.light" not in sys.modules
    heavy_class = pkg.Heavy
    assert f"{package}.heavy" in sys.modules
    assert heavy_class is sys.modules[f"{package}.heavy"].Heavy
    assert f"{package}.light" not in sys.modules


def test_attribute_resolves_and_is_cached_on_the_module(package: str):
    pkg = importlib.import_module(package)
    assert "Heavy" not in vars(pkg)
    first = pkg.Heavy
    assert vars(pkg)["Heavy"] is first
    sys.modules[f"{package}.heavy"].Heavy = object  # a second lookup must not re-import
    assert pkg.Heavy is first


def test_attribute_alias_and_relative_module(package: str):
    pkg = importlib.import_module(package)
    heavy = importlib.import_module(f"{package}.heavy")
    assert pkg.make is heavy.build
    assert type(pkg.make()) is heavy.Heavy and heavy.CALLS == [1]
    assert pkg.Light == "light"


def test_from_import_and_all(package: str):
    namespace: dict[str, object] = {}
    exec(f"from {package} import *", namespace)
    assert {"Heavy", "Light", "make"} <= set(namespace)
    exec(f"from {package} import make", namespace)
    assert callable(namespace["make"])


def test_unknown_name_raises_attribute_error_naming_the_package(package: str):
    pkg = importlib.import_module(package)
    with pytest.raises(AttributeError, match=rf"module '{package}' has no attribute 'Nope'"):
        _ = pkg.Nope
    assert not hasattr(pkg, "Nope")
    with pytest.raises(ImportError, match="cannot import name 'Nope'"):
        exec(f"from {package} import Nope", {})


def test_dir_lists_exports_and_ordinary_attributes(package: str):
    pkg = importlib.import_module(package)
    names = dir(pkg)
    assert {"Heavy", "Light", "make", "__all__", "__name__"} <= set(names)
    assert names == sorted(names)
    assert f"{package}.heavy" not in sys.modules


def test_missing_target_attribute_is_an_attribute_error():
    module = ModuleType("lazy_demo_missing")
    sys.modules[module.__name__] = module
    try:
        getattr_, _ = lazy_exports(module.__name__, {"absent": "json:no_such_function"})
        with pytest.raises(AttributeError, match="no_such_function"):
            getattr_("absent")
    finally:
        del sys.modules[module.__name__]


def test_exports_are_copied_when_created():
    module = ModuleType("lazy_demo_copy")
    sys.modules[module.__name__] = module
    try:
        exports = {"dumps": "json"}
        getattr_, dir_ = lazy_exports(module.__name__, exports)
        exports["loads"] = "json"
        assert "loads" not in dir_()
        with pytest.raises(AttributeError):
            getattr_("loads")
    finally:
        del sys.modules[module.__name__]

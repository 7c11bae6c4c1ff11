"""Sessions: lint, and for every workspace member tests-<name>, bench-<name>, build-<name>.

Members are found in ``shared/`` and ``packages/*``; a new member gets its sessions
without editing this file. ``tests-<name>`` installs that member alone (with its ``test``
dependency group) into the session's virtualenv through ``uv sync --package``, so an
import the member does not declare fails there. ``tests-workspace`` runs the
cross-package tests in ``tests/`` against the whole workspace.

    uv run nox                      # lint, every tests-* and build-* session
    uv run nox -s tests-rl-shared   # one member
    uv run nox -s bench-rl-shared   # benchmarks print our figure, the peer's and the ratio
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import nox

ROOT = Path(__file__).parent
nox.options.default_venv_backend = "uv"
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True


def _members() -> dict[str, Path]:
    folders = [ROOT / "shared", *sorted((ROOT / "packages").glob("*"))]
    found = {}
    for folder in folders:
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            found[tomllib.loads(pyproject.read_text())["project"]["name"]] = folder
    return found


MEMBERS = _members()


def _sync(session: nox.Session, *args: str) -> None:
    """``uv sync --locked`` into this session's venv (the nox cookbook's pattern)."""
    env = {"UV_PROJECT_ENVIRONMENT": session.virtualenv.location}
    session.run_install(
        "uv", "sync", "--locked", "--no-default-groups", *args, env=env, external=True
    )


def _test_env() -> dict[str, str]:
    # tests never reach the Hugging Face Hub: hub ids resolve from a cache the test builds
    env = {"PYTHONDONTWRITEBYTECODE": "", "MPLBACKEND": "Agg", "HF_HUB_OFFLINE": "1"}
    shared_data = ROOT.parent / "shared" / "data"
    if "RL_DATA_DIR" not in os.environ and shared_data.is_dir():
        env["RL_DATA_DIR"] = str(shared_data)
    return env


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check, ruff format --check, and mypy over every member's sources."""
    _sync(session, "--all-packages", "--group", "dev")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


def _make_sessions(name: str, folder: Path) -> None:
    @nox.session(name=f"tests-{name}")
    def tests(session: nox.Session) -> None:
        _sync(session, "--package", name, "--group", "test")
        sources = folder / "src"
        session.run(
            "pytest",
            str(folder / "tests"),
            str(sources),
            "--doctest-modules",
            "-q",
            *session.posargs,
            env=_test_env(),
        )

    tests.__doc__ = f"Tests and docstring examples of {name}, installed alone."

    @nox.session(name=f"bench-{name}", default=False)
    def bench(session: nox.Session) -> None:
        _sync(session, "--package", name, "--group", "test")
        for script in sorted((folder / "benchmarks").glob("*.py")):
            session.run("python", str(script), *session.posargs, env=_test_env())

    bench.__doc__ = f"Benchmarks of {name} against their peers (not in the default run)."

    @nox.session(name=f"build-{name}", venv_backend="none")
    def build(session: nox.Session) -> None:
        out = ROOT / "dist" / name
        session.run(
            "uv", "build", "--package", name, "--no-sources", "--out-dir", str(out), external=True
        )

    build.__doc__ = f"Build the sdist and wheel of {name} as the release does."


for _name, _folder in MEMBERS.items():
    _make_sessions(_name, _folder)


@nox.session(name="tests-workspace")
def tests_workspace(session: nox.Session) -> None:
    """Cross-package tests (CLI wiring, reproduce harness, distributed, built wheels)."""
    _sync(session, "--all-packages", "--group", "dev")
    session.run("pytest", str(ROOT / "tests"), "-q", *session.posargs, env=_test_env())

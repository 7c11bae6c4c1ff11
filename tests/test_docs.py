"""The docs list what is installed: the README's tables against the members and entry points."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

from rl_shared.reproduce.registry import paper_folder

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _members() -> dict[str, Path]:
    found = {}
    for folder in [ROOT / "shared", *sorted((ROOT / "packages").glob("*"))]:
        if (folder / "pyproject.toml").is_file():
            project = tomllib.loads((folder / "pyproject.toml").read_text())["project"]
            found[project["name"]] = folder
    return found


def _section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def test_package_table_lists_exactly_the_members():
    rows = re.findall(r"^\| \[(rl-[a-z]+)\]\(([^)]+)\) \|", _section("Packages"), re.M)
    members = _members()
    assert {name for name, _ in rows} == set(members)
    for name, link in rows:
        assert (ROOT / link).resolve() == members[name].resolve(), (name, link)
    assert "planned" not in _section("Packages")


def test_reproduction_table_lists_exactly_the_registered_reproductions():
    rows = re.findall(
        r"^\| `([a-z0-9.-]+)` \| \[`([a-z_0-9./]+)`\]\(([^)]+)\) \|",
        _section("Reproductions"),
        re.M,
    )
    registered = {ep.name for ep in entry_points(group="rl.reproductions")}
    assert {name for name, _, _ in rows} == registered
    for name, folder, link in rows:
        assert folder.rstrip("/").replace("/", ".") == paper_folder(name), (name, folder)
        assert (ROOT / link).is_file(), f"{name}: {link} does not exist"


def test_each_member_readme_links_its_paper_folders():
    members = _members()
    for ep in entry_points(group="rl.reproductions"):
        module = paper_folder(ep.name)
        top, paper = module.split(".")
        member = "rl-shared" if top == "rl_shared" else top.replace("_", "-")
        readme = (members[member] / "README.md").read_text(encoding="utf-8")
        link = f"src/{top}/{paper}/README.md"
        assert link in readme, f"{member}/README.md does not link {link}"
        assert (members[member] / link).is_file(), link


def test_member_readmes_hold_no_measurement_log():
    """Measured tables live in each paper's RESULTS.md; a member README is user documentation."""
    for name, folder in _members().items():
        text = (folder / "README.md").read_text(encoding="utf-8")
        assert len(text.splitlines()) < 250, f"{name}/README.md is {len(text.splitlines())} lines"
        assert "## Measured" not in text and "measurement log" not in text.lower(), name

"""The house rules of DESIGN.md sections 1 and 4, checked over everything installed.

* every reproduction ``D.P[.E]`` lives in its paper folder ``rl_D/<P as an identifier>/``,
  which has a README;
* every leaf command of the ``rl`` tree takes ``--json``; a folder option is always ``--out``;
  the vocabulary options are the shared ones (made by ``rl_shared.cli``), so an option never
  means two things; the retired synonyms (``--dataset``, ``--output``, ...) appear nowhere;
* ``rl text --help`` lists one sub-group per paper;
* nothing outside rl-shared selects a matplotlib backend.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.metadata import entry_points
from importlib.util import find_spec
from pathlib import Path

import click
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # --import-mode=importlib adds no test folder

from hostile import leaves

from rl_shared.cli import VOCABULARY, VocabOption
from rl_shared.cli.main import cli
from rl_shared.reproduce.registry import paper_folder

ROOT = Path(__file__).resolve().parents[1]
RL = [sys.executable, "-m", "rl_shared.cli.main"]

RETIRED = {
    "--dataset",
    "--set",
    "--input",
    "--baskets",
    "--data-root",
    "--output",
    "--output-dir",
    "--out-dir",
    "--run-out",
    "--learning-rate",
    "--save",
    "--save-dir",
}


def _listing() -> list[dict]:
    proc = subprocess.run(
        [*RL, "reproduce", "--list", "--json"], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)["reproductions"]


def test_every_reproduction_lives_in_its_paper_folder():
    rows = _listing()
    assert {r["name"] for r in rows} == {ep.name for ep in entry_points(group="rl.reproductions")}
    for row in rows:
        assert re.fullmatch(r"[a-z]+\.[a-z0-9-]+(\.[a-z0-9-]+)?", row["name"]), row["name"]
        assert row["folder"] == paper_folder(row["name"]), row
        spec = find_spec(row["folder"])
        assert spec is not None and spec.submodule_search_locations, (
            f"{row['folder']} is no package"
        )
        folder = Path(next(iter(spec.submodule_search_locations)))
        assert (folder / "reproduction.py").is_file(), folder
        assert (folder / "README.md").is_file(), f"{folder} has no README.md"


def _leaves() -> list[tuple[tuple[str, ...], click.Command]]:
    return leaves()


def test_click_tree_follows_the_vocabulary():
    leaves = _leaves()
    assert len(leaves) > 20
    problems = []
    for path, command in leaves:
        where = " ".join(path)
        options = [p for p in command.params if isinstance(p, click.Option)]
        names = {
            opt: [n for n in (*p.opts, *p.secondary_opts) if n.startswith("--")]
            for opt, p in enumerate(options)
        }
        flat = {n for ns in names.values() for n in ns}
        if "--json" not in flat:
            problems.append(f"{where}: no --json")
        for i, option in enumerate(options):
            for name in names[i]:
                if name in RETIRED:
                    problems.append(f"{where}: {name} is a retired synonym (see DESIGN section 4)")
                base = "--resume" if name == "--no-resume" else name
                if base in VOCABULARY and not isinstance(option, VocabOption):
                    problems.append(f"{where}: {name} is not the shared rl_shared.cli option")
            is_folder = isinstance(option.type, click.Path) and not option.type.file_okay
            if is_folder and not {"--out", "--data", "--model"} & set(names[i]):
                problems.append(f"{where}: folder option {'/'.join(names[i])} must be --out")
    assert not problems, "\n".join(problems)


def test_one_option_name_has_one_meaning_across_commands():
    meanings: dict[str, set[str]] = {}
    for _, command in _leaves():
        for p in command.params:
            if isinstance(p, click.Option):
                for name in p.opts:
                    kind = type(p.type).__name__ + ("/flag" if p.is_flag else "")
                    meanings.setdefault(name, set()).add(kind)
    clashes = {
        name: kinds for name, kinds in meanings.items() if len(kinds) > 1 and name in VOCABULARY
    }
    assert not clashes, clashes


def test_text_help_lists_one_sub_group_per_paper():
    proc = subprocess.run([*RL, "text", "--help"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    papers = {
        ep.name.split(".")[1]
        for ep in entry_points(group="rl.reproductions")
        if ep.name.startswith("text.")
    }
    text = cli.get_command(click.Context(cli), "text")
    assert isinstance(text, click.Group)
    groups = {
        n
        for n in text.list_commands(click.Context(text))
        if isinstance(text.get_command(click.Context(text), n), click.Group)
    }
    assert papers <= groups, f"papers without a sub-group: {sorted(papers - groups)}"
    assert "train" not in text.list_commands(click.Context(text)), "rl text train --method is gone"
    for paper in papers:
        assert re.search(rf"^\s+{re.escape(paper)}\s", proc.stdout, re.M), paper


def _sources() -> list[Path]:
    return sorted(
        p
        for base in [ROOT / "shared" / "src", *sorted((ROOT / "packages").glob("*/src"))]
        for p in base.rglob("*.py")
    )


@pytest.mark.parametrize(
    ("pattern", "allowed"),
    [
        (r"matplotlib\.use\(", {"shared/src/rl_shared/plotting.py"}),
        (
            r"\bsave_file\(",
            {"shared/src/rl_shared/artifacts.py", "shared/src/rl_shared/checkpoint.py"},
        ),
        (r"torch\.set_num_threads\(", {"shared/src/rl_shared/runtime.py"}),
        # hub ids are fetched in one place, rl_shared.models.resolve
        (
            r"\bsnapshot_download\(|\bhf_hub_download\(",
            {"shared/src/rl_shared/models.py", "shared/src/rl_shared/testing/__init__.py"},
        ),
    ],
)
def test_one_place_for(pattern, allowed):
    found = {
        str(p.relative_to(ROOT))
        for p in _sources()
        if re.search(pattern, p.read_text(encoding="utf-8"))
    }
    assert found <= allowed, f"{pattern} outside rl-shared's runtime: {sorted(found - allowed)}"


def test_no_member_keeps_a_reproductions_folder():
    left = [str(p.relative_to(ROOT)) for p in ROOT.glob("*/src/*/reproductions")]
    left += [str(p.relative_to(ROOT)) for p in ROOT.glob("packages/*/src/*/reproductions")]
    assert not left, left

"""Any device: every command that trains, encodes or scores with a network has ``--device``
and ``--precision``, and no module pins the CPU outside the resolver.

The walk covers the whole ``rl`` tree, so a new command is checked without editing this file;
the commands below are the ones that run no network (data plumbing, generators, renderers,
simulators, PySCF references, gensim), each with the reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from rl_shared.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
RESOLVER = ROOT / "shared" / "src" / "rl_shared" / "runtime.py"

NO_NETWORK = {
    "data check": "file checks",
    "data download": "downloads",
    "data list": "listing",
    "chem reference": "PySCF reference energies (CCSD(T), libxc functionals)",
    "graph l2r-gnn generate": "generates Spurious-Motif graphs",
    "recsys dual-embeddings evaluate": "gensim SGNS vectors, no torch network",
    "recsys dual-embeddings export": "writes gensim vectors",
    "recsys dual-embeddings recommend": "gensim vectors",
    "recsys dual-embeddings train": "gensim SGNS",
    "retrieval beir convert-smart": "file conversion",
    "retrieval beir submit": "scores a TREC run file (no model)",
    "retrieval limit bounds": "closed-form sign-rank bounds",
    "retrieval limit critical-n": "optimises free vectors (no network), numpy/torch on the CPU",
    "retrieval limit generate": "generates a corpus",
    "robotics sirl generate": "PyBullet simulation",
    "robotics sirl render": "PyBullet rendering",
    "text pixel render": "renders text to pixels",
    "text syntactic-domain tag": "lexicon tagging",
    "text disambiguated-skipgram induce": "clusters saved vectors with numpy",
    "text disambiguated-skipgram neighbours": "nearest neighbours of saved vectors",
    "vision any2seg scenes": "generates scenes",
}


def _leaves(command: click.Command, path: tuple[str, ...] = ()):
    if isinstance(command, click.Group):
        for name in command.list_commands(click.Context(command)):
            yield from _leaves(command.get_command(click.Context(command), name), (*path, name))
    else:
        yield " ".join(path), {opt for p in command.params for opt in getattr(p, "opts", [])}


def test_every_network_command_has_device_and_precision():
    leaves = dict(_leaves(cli))
    stale = sorted(set(NO_NETWORK) - set(leaves))
    assert not stale, f"exempted commands that no longer exist: {stale}"
    missing = sorted(
        f"rl {name}: no {' / '.join(o for o in ('--device', '--precision') if o not in opts)}"
        for name, opts in leaves.items()
        if name not in NO_NETWORK and not {"--device", "--precision"} <= opts
    )
    assert not missing, "\n".join(missing)


def test_no_module_pins_the_cpu_outside_the_resolver():
    pinned = []
    for folder in [ROOT / "shared" / "src", *sorted((ROOT / "packages").glob("*/src"))]:
        for path in folder.rglob("*.py"):
            if path == RESOLVER:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"""device\s*=\s*["']cpu["']""", line):
                    pinned.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not pinned, "\n".join(pinned)

"""Every format rl-graph declares writes a sample its command accepts (a VALID input)."""

from __future__ import annotations

import json

import pytest

import rl_graph.cli  # noqa: F401  (registers the formats)
from rl_shared.cli.main import main
from rl_shared.formats import get_format

NAMES = {"l2r-gnn-model", "l2r-gnn-molecules", "l2r-gnn-graphs", "vgnn-model", "vgnn-ehr"}


def _sample(tmp_path, name: str) -> str:
    folder = tmp_path / f"sample-{name}"
    folder.mkdir()
    return str(get_format(name).write_sample(folder))


@pytest.mark.parametrize(
    "argv",
    [
        ["l2r-gnn", "evaluate", "--model", "l2r-gnn-model", "--data", "l2r-gnn-molecules"],
        ["l2r-gnn", "train", "--data", "l2r-gnn-molecules", "--epochs", "1", "--out"],
        ["l2r-gnn", "train", "--data", "l2r-gnn-graphs", "--epochs", "1", "--out"],
        ["vgnn", "evaluate", "--model", "vgnn-model", "--data", "vgnn-ehr"],
        ["vgnn", "train", "--data", "vgnn-ehr", "--model", "logreg", "--out"],
        [
            "vgnn",
            "train",
            "--data",
            "vgnn-ehr",
            "--outcome",
            "readmission",
            "--epochs",
            "1",
            "--out",
        ],
    ],
    ids=lambda argv: " ".join(argv[:4]),
)
def test_the_sample_of_each_format_is_accepted(tmp_path, capsys, argv):
    args = [_sample(tmp_path, a) if a in NAMES else a for a in argv]
    if args[-1] == "--out":
        args.append(str(tmp_path / "run"))
    assert main(["graph", *args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)

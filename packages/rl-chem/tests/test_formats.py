"""Every format rl-chem declares writes a sample its command accepts (a VALID input)."""

from __future__ import annotations

import json

import pytest

import rl_chem.cli  # noqa: F401  (registers the formats)
from rl_shared.cli.main import main
from rl_shared.formats import get_format


def _sample(tmp_path, name: str) -> str:
    folder = tmp_path / f"sample-{name}"
    folder.mkdir()
    return str(get_format(name).write_sample(folder))


@pytest.mark.parametrize(
    "argv",
    [
        ["scf", "--atom", "H 0 0 0; H 0 0 0.74", "--basis", "sto-3g", "--model", "skala-model"],
        ["xcnn", "evaluate", "--data", "xcnn-yaml", "--model", "skala-model", "--grid-level", "0"],
        ["cmim", "evaluate", "--model", "cmim-model", "--data", "cmim-smiles"],
        ["cmim", "train", "--data", "cmim-smiles", "--steps", "2", "--batch-size", "4", "--out"],
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_the_sample_of_each_format_is_accepted(tmp_path, capsys, argv):
    names = {"skala-model", "xcnn-yaml", "cmim-model", "cmim-smiles"}
    args = [_sample(tmp_path, a) if a in names else a for a in argv]
    if args[-1] == "--out":
        args.append(str(tmp_path / "run"))
    assert main(["chem", *args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)

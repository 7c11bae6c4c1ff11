"""``rl chem xcnn evaluate``: JSON output, --limit, --data as a set name or a file."""

from __future__ import annotations

import json

from click.testing import CliRunner

from rl_chem.cli import group


def test_evaluate_set_json(fake_data_dir):
    res = CliRunner().invoke(group, ["xcnn", "evaluate", "--data", "xcnn-ie", "--model", "lda",
                                     "--grid-level", "1", "--limit", "1", "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert list(out["errors"]) == ["Atomization energy of H2"]  # --limit 1 of 2 entries
    assert out["data"] == "xcnn-ie" and out["basis"] == "from file"


def test_evaluate_yaml_file(fake_yaml):
    res = CliRunner().invoke(group, ["xcnn", "evaluate", "--data", str(fake_yaml), "--model",
                                     "lda", "--grid-level", "1", "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.stdout)["errors"]) == 2


def test_unknown_set_is_named():
    bad = CliRunner().invoke(group, ["xcnn", "evaluate", "--data", "xcnn-nope"])
    assert bad.exit_code != 0 and "xcnn-ae" in str(bad.exception)

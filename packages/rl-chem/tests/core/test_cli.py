"""``rl chem`` commands: JSON output and error exits."""

from __future__ import annotations

import json

from click.testing import CliRunner

from rl_chem.cli import group


def test_scf_json():
    res = CliRunner().invoke(group, ["scf", "--atom", "H 0 0 0; H 0 0 0.74", "--basis",
                                     "sto-3g", "--model", "lda", "--json"])  # fmt: skip
    out = json.loads(res.output)
    assert res.exit_code == 0 and out["converged"] and abs(out["energy"] + 1.121) < 1e-3


def test_scf_error_is_one_line_and_exit_2(capsys):
    from rl_shared.cli.main import main

    try:
        main(["chem", "scf", "--atom", "Qq 0 0 0", "--basis", "sto-3g"])
    except SystemExit as err:
        assert err.code == 2
    err_text = capsys.readouterr().err
    assert err_text.startswith("error: unknown element 'Qq'") and "Traceback" not in err_text

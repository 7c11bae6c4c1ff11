"""``rl chem skala train`` writes OUT/model and resumes; ``evaluate`` reads it back."""

from __future__ import annotations

import json

from click.testing import CliRunner

from rl_chem.cli import group

TINY = ["--data", "H2,LiH", "--basis", "6-31g", "--grid-level", "0"]


def test_train_then_evaluate_the_saved_model(tmp_path):
    out = tmp_path / "run"
    args = ["skala", "train", "--data", "H2,LiH,Li2", *TINY[2:], "--out", str(out),
            "--n-val", "1", "--n-test", "1", "--device", "cpu", "--json"]  # fmt: skip
    res = CliRunner().invoke(group, [*args, "--steps", "3"])
    assert res.exit_code == 0, res.output
    fit = json.loads(res.stdout)
    assert fit["model_dir"] == str(out / "model") and (out / "model" / "config.json").is_file()
    assert (out / "checkpoints").is_dir() and len(fit["history"]) == 3
    again = CliRunner().invoke(group, [*args, "--steps", "4"])
    assert again.exit_code == 0, again.output
    assert [h[0] for h in json.loads(again.stdout)["history"]] == [0, 1, 2, 3]  # resumed at 3
    ev = CliRunner().invoke(group, ["skala", "evaluate", "--model", str(out / "model"), *TINY,
                                    "--json"])  # fmt: skip
    assert ev.exit_code == 0, ev.output
    res = json.loads(ev.stdout)
    assert set(res["errors"]) == {"H2", "LiH"} and res["mae"] >= 0


def test_bad_options_exit_2():
    for bad in (["--steps", "0"], ["--lr", "nan"], ["--device", "tpu"]):
        res = CliRunner().invoke(group, ["skala", "train", "--out", "x", *bad])
        assert res.exit_code == 2, bad

"""``rl chem cmim train`` saves OUT/model; ``evaluate`` probes it on a labelled CSV."""

from __future__ import annotations

import json

from click.testing import CliRunner

from rl_chem.cli import group

SMILES = ["CCO", "c1ccccc1O", "CC(=O)N", "C#N", "OCC(O)CO", "CCCCCl", "CCN", "CC(C)O", "OCCO",
          "c1ccncc1", "CC#N", "CCCO"]  # fmt: skip


def test_train_and_evaluate(tmp_path):
    csv = tmp_path / "mols.csv"
    csv.write_text("smiles,y\n" + "".join(f"{s},{len(s) * 0.5}\n" for s in SMILES))
    out = tmp_path / "run"
    res = CliRunner().invoke(group, ["cmim", "train", "--data", str(csv), "--out", str(out),
                                     "--method", "cmim", "--steps", "2", "--batch-size", "4",
                                     "--latent", "4", "--hidden", "8", "--max-len", "16",
                                     "--device", "cpu", "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["model_dir"] == str(out / "model")
    assert (out / "model" / "model.safetensors").is_file() and (out / "checkpoints").is_dir()
    ev = CliRunner().invoke(group, ["cmim", "evaluate", "--model", str(out / "model"),
                                    "--data", str(csv), "--json"])  # fmt: skip
    assert ev.exit_code == 0, ev.output
    got = json.loads(ev.stdout)
    assert got["n"] == len(SMILES) and got["rmse"] >= 0


def test_missing_csv_is_one_sentence(tmp_path):
    res = CliRunner().invoke(group, ["cmim", "train", "--data", str(tmp_path / "no.csv"),
                                     "--out", str(tmp_path / "o")])  # fmt: skip
    assert res.exit_code != 0 and "no such CSV file" in str(res.exception)

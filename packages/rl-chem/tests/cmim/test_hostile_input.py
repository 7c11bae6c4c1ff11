"""``rl chem cmim``: SMILES CSVs and model folders are read strictly (file and line named)."""

from __future__ import annotations

import json

import pytest

from rl_chem.cmim.data import read_smiles_csv
from rl_chem.cmim.model import SmilesMIM, Vocab
from rl_chem.cmim.train import load_smiles_model, save_smiles_model
from rl_shared.errors import MalformedFile
from rl_shared.testing import refused

GOOD = "smiles,y\nCCO,1.5\nc1ccccc1,-0.5\nCCN,0.2\nCC(=O)O,0.9\nCCCl,-1.0\nCCCC,-2.0\n"


def _csv(tmp_path, text: str, name: str = "mols.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _refused(capsys, argv: list[str]) -> str:
    return refused(
        capsys,
        argv,
        prefix=(
            "chem",
            "cmim",
        ),
        only_line=True,
    )


def test_a_smiles_rdkit_cannot_parse_is_refused_naming_the_line(tmp_path):
    path = _csv(tmp_path, GOOD.replace("CCN,0.2", "C1CC(,0.2"))
    with pytest.raises(MalformedFile, match=r"mols\.csv:4: RDKit cannot parse the SMILES 'C1CC\('"):
        read_smiles_csv(str(path))


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN"])
def test_a_target_that_is_not_finite_is_refused_naming_the_line(tmp_path, value):
    path = _csv(tmp_path, GOOD.replace("CCCl,-1.0", f"CCCl,{value}"))
    with pytest.raises(MalformedFile, match=rf"mols\.csv:6: y '{value}' is not a finite number"):
        read_smiles_csv(str(path))


def test_a_row_with_a_missing_field_is_refused_naming_the_line(tmp_path):
    path = _csv(tmp_path, GOOD.replace("CCN,0.2", "CCN"))
    with pytest.raises(MalformedFile, match=r"mols\.csv:4: has 1 fields, the header has 2"):
        read_smiles_csv(str(path))


def test_an_empty_smiles_or_no_molecule_is_refused(tmp_path):
    with pytest.raises(MalformedFile, match=r"mols\.csv:3: the SMILES is empty"):
        read_smiles_csv(str(_csv(tmp_path, GOOD.replace("c1ccccc1,-0.5", " ,-0.5"))))
    with pytest.raises(MalformedFile, match=r"only\.csv: holds no molecule, only a header"):
        read_smiles_csv(str(_csv(tmp_path, "smiles,y\n", "only.csv")))


def test_a_file_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "mols.csv"
    path.write_bytes(GOOD.encode().replace(b"CCN", b"C\xffN"))
    with pytest.raises(MalformedFile, match=r"mols\.csv:4: byte 0xff at column 2"):
        read_smiles_csv(str(path))


def _model(tmp_path):
    vocab = Vocab.build(["CCO", "c1ccccc1"])
    return save_smiles_model(SmilesMIM(len(vocab), 2, 4), vocab, tmp_path / "model", max_len=12)


def test_a_model_config_with_a_broken_vocabulary_is_refused(tmp_path):
    folder = _model(tmp_path)
    payload = json.loads((folder / "config.json").read_text())
    payload["config"]["chars"] = payload["config"]["chars"][:-1]
    (folder / "config.json").write_text(json.dumps(payload))
    with pytest.raises(MalformedFile, match=r"config\.json: config\.chars is not a list of"):
        load_smiles_model(folder)


def test_evaluate_refuses_too_few_labelled_molecules(tmp_path, capsys):
    data = _csv(tmp_path, "smiles,y\nCCO,1\nCCN,2\nCCC,3\n")
    line = _refused(capsys, ["evaluate", "--model", str(_model(tmp_path)), "--data", str(data)])
    assert "holds 3 labelled molecules; the probe's 80/20 split needs at least 5" in line


def test_train_refuses_a_batch_larger_than_the_data_before_writing(tmp_path, capsys):
    out = tmp_path / "run"
    line = _refused(capsys, ["train", "--data", str(_csv(tmp_path, GOOD)), "--out", str(out)])
    assert "holds 6 SMILES, fewer than --batch-size 32" in line and not out.exists()

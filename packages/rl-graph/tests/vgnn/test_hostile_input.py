"""``rl graph vgnn``: MIMIC-III table folders and model folders are read strictly."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rl_graph.vgnn.data import EHRData, load_mimic_demo
from rl_graph.vgnn.model import VGNN
from rl_graph.vgnn.storage import load_outcome_model, save_outcome_model
from rl_graph.vgnn.train import OutcomeModel, split_admissions
from rl_shared.errors import BadInput, MalformedFile
from rl_shared.testing import refused

TABLES = {
    "ADMISSIONS.csv": "SUBJECT_ID,HADM_ID,HOSPITAL_EXPIRE_FLAG\n1,10,1\n1,11,0\n2,12,0\n3,13,0\n",
    "DIAGNOSES_ICD.csv": "HADM_ID,ICD9_CODE\n10,486\n11,4019\n12,486\n13,5849\n",
    "PROCEDURES_ICD.csv": "HADM_ID,ICD9_CODE\n10,9604\n",
    "PRESCRIPTIONS.csv": 'HADM_ID,DRUG\n10,"Heparin, 5000 units"\n12,Insulin\n',
    "ICUSTAYS.csv": "HADM_ID,INTIME,OUTTIME\n10,2150-01-01 08:00:00,2150-01-02 08:00:00\n",
}


@pytest.fixture
def mimic(tmp_path):
    folder = tmp_path / "mimic"
    folder.mkdir()
    for name, text in TABLES.items():
        (folder / name).write_text(text)
    return folder


def _refused(capsys, argv: list[str]) -> str:
    return refused(
        capsys,
        argv,
        prefix=(
            "graph",
            "vgnn",
        ),
        only_line=True,
    )


def test_a_valid_folder_reads_quoted_fields(mimic):
    data = load_mimic_demo(mimic)
    assert len(data) == 4 and "rx:heparin, 5000 units" in data.vocab


def test_a_row_with_a_missing_column_is_refused_naming_the_line(mimic):
    (mimic / "DIAGNOSES_ICD.csv").write_text("HADM_ID,ICD9_CODE\n10,486\n11\n")
    with pytest.raises(MalformedFile, match=r"DIAGNOSES_ICD\.csv:3: has 1 fields, header has 2"):
        load_mimic_demo(mimic)


@pytest.mark.parametrize("flag", ["7", "nan", "yes"])
def test_an_outcome_outside_the_label_set_is_refused_naming_the_line(mimic, flag):
    text = TABLES["ADMISSIONS.csv"].replace("2,12,0", f"2,12,{flag}")
    (mimic / "ADMISSIONS.csv").write_text(text)
    with pytest.raises(MalformedFile, match=rf"ADMISSIONS\.csv:4: HOSPITAL_EXPIRE_FLAG '{flag}'"):
        load_mimic_demo(mimic)


def test_an_id_that_is_not_an_integer_or_bytes_not_utf8_name_the_line(mimic):
    (mimic / "PRESCRIPTIONS.csv").write_text("HADM_ID,DRUG\n10,Heparin\ninf,Insulin\n")
    with pytest.raises(MalformedFile, match=r"PRESCRIPTIONS\.csv:3: HADM_ID 'inf' is not an"):
        load_mimic_demo(mimic)
    (mimic / "PRESCRIPTIONS.csv").write_bytes(b"HADM_ID,DRUG\n10,Hep\xe9rin\n")
    with pytest.raises(MalformedFile, match=r"PRESCRIPTIONS\.csv:2: byte 0xe9 at column 7"):
        load_mimic_demo(mimic)


def test_a_repeated_admission_is_refused(mimic):
    (mimic / "ADMISSIONS.csv").write_text(TABLES["ADMISSIONS.csv"] + "4,13,1\n")
    with pytest.raises(MalformedFile, match=r"ADMISSIONS\.csv:6: HADM_ID 13 is listed twice"):
        load_mimic_demo(mimic)


def test_a_broken_icu_table_is_refused_even_for_mortality(mimic):
    (mimic / "ICUSTAYS.csv").write_text("HADM_ID,INTIME,OUTTIME\n10,01/01/50,2150-01-02 08:00:00\n")
    with pytest.raises(MalformedFile, match=r"ICUSTAYS\.csv:2: INTIME '01/01/50' is not"):
        load_mimic_demo(mimic, outcome="mortality")


def test_an_empty_table_or_a_folder_in_its_place_is_refused(mimic):
    (mimic / "PROCEDURES_ICD.csv").write_text("")
    with pytest.raises(MalformedFile, match=r"PROCEDURES_ICD\.csv: the file is empty"):
        load_mimic_demo(mimic)
    (mimic / "PROCEDURES_ICD.csv").unlink()
    (mimic / "PROCEDURES_ICD.csv").mkdir()
    with pytest.raises(MalformedFile, match=r"PROCEDURES_ICD\.csv: is a folder"):
        load_mimic_demo(mimic)


def test_too_few_admissions_for_a_stratified_split_are_refused():
    data = EHRData([[0], [1], [0], [1]], np.array([1, 0, 0, 0]), ["a", "b"])
    with pytest.raises(BadInput, match=r"4 admissions \(1 of the rarer outcome\) are too few"):
        split_admissions(data)


def test_train_on_too_small_a_folder_is_refused_before_writing(mimic, tmp_path, capsys):
    out = tmp_path / "run"
    line = _refused(capsys, ["train", "--data", str(mimic), "--model", "logreg", "--out",
                             str(out)])  # fmt: skip
    assert "too few for a stratified" in line and not out.exists()


def test_a_file_where_the_folder_should_be_is_refused(mimic, tmp_path, capsys):
    line = _refused(capsys, ["train", "--data", str(mimic / "ADMISSIONS.csv"), "--out",
                             str(tmp_path / "run")])  # fmt: skip
    assert "ADMISSIONS.csv is a file; give the folder" in line


def test_a_model_config_without_its_vocabulary_is_refused(tmp_path):
    model = OutcomeModel("vgnn", ["a", "b"], net=VGNN(2, hidden=4))
    folder = save_outcome_model(model, tmp_path / "model")
    payload = json.loads((folder / "config.json").read_text())
    del payload["config"]["vocab"]
    (folder / "config.json").write_text(json.dumps(payload))
    with pytest.raises(MalformedFile, match=r"config\.json: config\.vocab is not a list"):
        load_outcome_model(folder)


def test_logistic_weights_that_do_not_fit_the_vocabulary_are_refused(tmp_path):
    model = OutcomeModel("logreg", ["a", "b", "c"], coef=np.array([1.0, -1.0]))
    folder = save_outcome_model(model, tmp_path / "model")
    with pytest.raises(BadInput, match=r"not a logistic regression over its 3 codes"):
        load_outcome_model(folder)

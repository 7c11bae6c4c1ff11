import numpy as np
import pytest

from rl_graph.vgnn.data import load_mimic_demo, make_synthetic_ehr
from rl_shared.errors import MalformedFile, UnknownName

ADMISSIONS = (
    "ROW_ID,SUBJECT_ID,HADM_ID,ADMITTIME,DIAGNOSIS,HOSPITAL_EXPIRE_FLAG\r\n"
    '1,10,100,10/23/64 21:09,"SEPSIS, SEVERE",0\r\n'
    "2,10,101,11/20/64 10:00,PNEUMONIA,1\r\n"
    "3,11,102,1/1/99 0:00,FALL,0\r\n"
)
DIAGNOSES = "row_id,subject_id,hadm_id,seq_num,icd9_code\n1,10,100,1,0389\n2,10,101,1,486\n3,11,102,1,E888\n"
PROCEDURES = "ROW_ID,SUBJECT_ID,HADM_ID,SEQ_NUM,ICD9_CODE\n1,10,100,1,3893\n"
PRESCRIPTIONS = "ROW_ID,SUBJECT_ID,HADM_ID,DRUG\n1,10,100,Heparin\n2,10,101,heparin \n3,11,102,\n"
ICUSTAYS = (
    "ROW_ID,SUBJECT_ID,HADM_ID,INTIME,OUTTIME\n"
    "1,10,100,2164-10-23 21:10:15,2164-10-25 12:21:07\n"
    "2,10,101,2164-11-20 10:00:00,2164-11-22 10:00:00\n"
    "3,11,102,2199-01-01 00:00:00,2199-01-02 00:00:00\n"
)


def _write(folder, **override):
    files = {
        "ADMISSIONS.csv": ADMISSIONS,
        "DIAGNOSES_ICD.csv": DIAGNOSES,
        "PROCEDURES_ICD.csv": PROCEDURES,
        "PRESCRIPTIONS.csv": PRESCRIPTIONS,
        "ICUSTAYS.csv": ICUSTAYS,
        **override,
    }
    for name, text in files.items():
        (folder / name).write_text(text, newline="")
    return folder


def test_loads_codes_and_outcomes_tolerating_known_deviations(tmp_path):
    data = load_mimic_demo(_write(tmp_path))  # CRLF, upper- and lowercase headers, quoted commas
    assert data.vocab == ["dx:0389", "dx:486", "dx:e888", "px:3893", "rx:heparin"]
    assert [[data.vocab[i] for i in c] for c in data.codes] == [
        ["dx:0389", "px:3893", "rx:heparin"],
        ["dx:486", "rx:heparin"],
        ["dx:e888"],
    ]
    assert data.labels.tolist() == [0, 1, 0]
    assert data.multi_hot().sum() == 6
    # readmission: 100 -> 101 within 30 days of ICU discharge (26 days), others not
    assert load_mimic_demo(tmp_path, outcome="readmission").labels.tolist() == [1, 0, 0]


@pytest.mark.parametrize(
    "file, text, message",
    [
        (
            "ADMISSIONS.csv",
            ADMISSIONS.replace(",1\r\n", ",yes\r\n"),
            r"ADMISSIONS.csv:3: HOSPITAL_EXPIRE_FLAG 'yes'",
        ),
        (
            "DIAGNOSES_ICD.csv",
            DIAGNOSES.replace("2,10,101", "2,10,1x1"),
            r"DIAGNOSES_ICD.csv:3: HADM_ID '1x1'",
        ),
        (
            "PROCEDURES_ICD.csv",
            "ROW_ID,HADM\n",
            r"PROCEDURES_ICD.csv:1: header lacks column\(s\) HADM_ID, ICD9_CODE",
        ),
        ("PRESCRIPTIONS.csv", PRESCRIPTIONS + "4,10\n", r"PRESCRIPTIONS.csv:5: has 2 fields"),
    ],
)
def test_errors_name_file_and_line(tmp_path, file, text, message):
    _write(tmp_path, **{file: text})
    with pytest.raises(MalformedFile, match=message):
        load_mimic_demo(tmp_path)


def test_bad_icu_time_and_unknown_outcome(tmp_path):
    _write(tmp_path, **{"ICUSTAYS.csv": ICUSTAYS.replace("2199-01-01 00:00:00", "1/1/99 0:00")})
    with pytest.raises(MalformedFile, match=r"ICUSTAYS.csv:4: INTIME"):
        load_mimic_demo(tmp_path, outcome="readmission")
    with pytest.raises(UnknownName, match="valid outcomes"):
        load_mimic_demo(tmp_path, outcome="los")


def test_synthetic_codes_follow_the_planted_graph():
    data = make_synthetic_ehr(1500, num_codes=30, num_conditions=5, seed=0)
    x = data.multi_hot()
    corr = np.nan_to_num(np.corrcoef(x.T))
    linked = data.adjacency > 0
    off = ~linked & ~np.eye(30, dtype=bool)
    assert corr[linked].mean() > corr[off].mean() + 0.2
    assert 0.1 < data.labels.mean() < 0.35
    again = make_synthetic_ehr(1500, num_codes=30, num_conditions=5, seed=0)
    assert again.codes == data.codes and (again.labels == data.labels).all()

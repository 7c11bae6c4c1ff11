from __future__ import annotations

import pytest

from rl_retrieval.core.beir_format import load_beir
from rl_retrieval.core.smart import convert_smart, read_smart, read_smart_qrels, write_smart
from rl_shared.errors import MalformedFile

CRAN_DOCS = ".I 1\r\n.T\r\nwing lift .\r\n.A\r\nsmith,j.\r\n.B\r\nj. ae. 1958\r\n.W\r\nwing lift .\r\n  the lift of a wing .\r\n.I 2\r\n.T\r\nheat\r\n.W\r\nheat flux\r\n"
CRAN_QRY = ".I 001\r\n.W\r\nwhat is lift ?\r\n.I 004\r\n.W\r\nheat ?\r\n"
CRAN_REL = "1 1 2 \n1 2 -1\n2 2 1"  # no final newline, as in cranqrel


@pytest.fixture
def cran(tmp_path):
    for name, text in {"docs": CRAN_DOCS, "qry": CRAN_QRY, "rel": CRAN_REL}.items():
        (tmp_path / name).write_bytes(text.encode())
    return tmp_path


def test_read_records_crlf(cran):
    records = read_smart(cran / "docs")
    assert [r[0] for r in records] == ["1", "2"]
    assert records[0][1] == {
        "T": "wing lift .",
        "A": "smith,j.",
        "B": "j. ae. 1958",
        "W": "wing lift . the lift of a wing .",
    }


def test_cranfield_conversion(cran):
    data = convert_smart(cran / "docs", cran / "qry", cran / "rel", cran / "out")
    assert data.corpus["1"] == {"title": "wing lift .", "text": "the lift of a wing ."}
    assert data.queries == {"1": "what is lift ?", "2": "heat ?"}  # numbered by position
    assert data.qrels == {"1": {"1": 3}, "2": {"2": 4}}  # Cleverdon 2 -> 3, 1 -> 4, -1 dropped
    assert load_beir(cran / "out").qrels == data.qrels


def test_record_ids_and_raw(cran):
    (cran / "rel2").write_text("1 1 1\n4 2 3\n")
    data = convert_smart(
        cran / "docs", cran / "qry", cran / "rel2", query_ids="record", relevance="raw"
    )
    assert data.qrels == {"1": {"1": 1}, "4": {"2": 3}}


def test_round_trip(tmp_path, tiny):
    write_smart(tiny, tmp_path / "d", tmp_path / "q", tmp_path / "r")
    back = convert_smart(tmp_path / "d", tmp_path / "q", tmp_path / "r")
    ids = {qid: str(i) for i, qid in enumerate(tiny.queries, start=1)}
    assert back.qrels == {ids[q]: v for q, v in tiny.qrels.items()}
    assert {ids[q]: t for q, t in tiny.queries.items()} == back.queries
    assert back.corpus == tiny.corpus


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("3 0 17 2", ("3", "17", 2.0)),
        ("3 17 0 0.000000", ("3", "17", 1.0)),
        ("3 17 2", ("3", "17", 2.0)),
    ],
)
def test_qrels_formats(tmp_path, line, expected):
    (tmp_path / "rel").write_text(line + "\n")
    assert read_smart_qrels(tmp_path / "rel") == [expected]


def test_bad_qrels_line(cran):
    (cran / "rel").write_text("1 1 2\n1 x\n")
    with pytest.raises(MalformedFile, match=r"rel:2: expected"):
        convert_smart(cran / "docs", cran / "qry", cran / "rel")


def test_unknown_document(cran):
    (cran / "rel").write_text("1 1 2\n1 9 2\n")
    with pytest.raises(MalformedFile, match=r"rel:2: document 9 is not in docs"):
        convert_smart(cran / "docs", cran / "qry", cran / "rel")


def test_text_before_record(cran):
    (cran / "docs").write_text("stray\n.I 1\n.W\nx\n")
    with pytest.raises(MalformedFile, match=r"docs:1: text comes before"):
        read_smart(cran / "docs")


def test_find_smart_files_by_name_and_override(tmp_path):
    from rl_retrieval.core.smart import find_smart_files
    from rl_shared.errors import DatasetNotFound

    for name in ("CISI.ALL", "CISI.QRY", "CISI.REL", "README"):
        (tmp_path / name).write_text("")
    assert [p.name for p in find_smart_files(tmp_path)] == ["CISI.ALL", "CISI.QRY", "CISI.REL"]
    (tmp_path / "MED.REL").write_text("")
    with pytest.raises(DatasetNotFound, match=r"2 files .* --qrels FILE"):
        find_smart_files(tmp_path)
    assert find_smart_files(tmp_path, qrels="MED.REL")[2] == tmp_path / "MED.REL"

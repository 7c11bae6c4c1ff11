from __future__ import annotations

import json

import pytest

from rl_retrieval.core.beir_format import available_splits, load_beir, write_beir
from rl_shared.errors import DatasetNotFound, MalformedFile


def test_round_trip(tmp_path, tiny):
    write_beir(tiny, tmp_path / "c")
    back = load_beir(tmp_path / "c")
    assert back.corpus == tiny.corpus and back.queries == tiny.queries and back.qrels == tiny.qrels


def test_limit_jsonl_qrels(tmp_path):
    (tmp_path / "corpus.jsonl").write_text(
        json.dumps({"_id": "Ann", "title": "", "text": "Ann likes X."}) + "\n"
    )
    (tmp_path / "queries.jsonl").write_text(
        json.dumps({"_id": "query_0", "text": "Who likes X?"}) + "\n"
    )
    (tmp_path / "qrels.jsonl").write_text(
        json.dumps({"query-id": "query_0", "corpus-id": "Ann", "score": 1}) + "\n"
    )
    assert load_beir(tmp_path).qrels == {"query_0": {"Ann": 1}}
    assert available_splits(tmp_path) == ["test"]


def test_malformed_json_names_file_and_line(tmp_path, tiny):
    write_beir(tiny, tmp_path / "c")
    path = tmp_path / "c" / "corpus.jsonl"
    lines = path.read_text().splitlines()
    lines[2] = '{"_id": "d3", "text": '
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(MalformedFile, match=r"corpus\.jsonl:3: not valid JSON"):
        load_beir(tmp_path / "c")


def test_malformed_qrels_row(tmp_path, tiny):
    write_beir(tiny, tmp_path / "c")
    with open(tmp_path / "c" / "qrels" / "test.tsv", "a") as handle:
        handle.write("q1\td3\n")
    with pytest.raises(MalformedFile, match=r"test\.tsv:5: expected 3 tab-separated columns"):
        load_beir(tmp_path / "c")


def test_missing_split_lists_existing(tmp_path, tiny):
    write_beir(tiny, tmp_path / "c", split="dev")
    with pytest.raises(DatasetNotFound, match="no qrels for split 'test'; splits found: dev"):
        load_beir(tmp_path / "c", "test")


def test_missing_corpus(tmp_path):
    with pytest.raises(DatasetNotFound, match=r"corpus\.jsonl is missing"):
        load_beir(tmp_path)

"""Hostile input to the loaders of BEIR folders, SMART files and TREC runs: clean, named refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rl_retrieval.core.beir_format import load_beir
from rl_retrieval.core.formats import BEIR_FOLDER, LIMIT_FOLDER, SMART_COLLECTION, TREC_RUN
from rl_retrieval.core.run_format import read_trec_run
from rl_retrieval.core.smart import convert_smart, find_smart_files, read_smart, read_smart_qrels
from rl_shared.errors import BadInput, MalformedFile


def _beir(tmp_path: Path) -> Path:
    folder = tmp_path / "beir"
    folder.mkdir()
    return BEIR_FOLDER.write_sample(folder)


def _limit(tmp_path: Path) -> Path:
    folder = tmp_path / "limit"
    folder.mkdir()
    return LIMIT_FOLDER.write_sample(folder)


def _replace_line(path: Path, number: int, text: bytes) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[number - 1] = text
    path.write_bytes(b"\n".join(lines))


# ----------------------------------------------------------------------------- BEIR folders


def test_samples_load():
    # the samples the hostile-input suite corrupts are valid to begin with
    import tempfile

    for fmt in (BEIR_FOLDER, LIMIT_FOLDER):
        data = load_beir(fmt.write_sample(Path(tempfile.mkdtemp())))
        assert data.qrels == {"q1": {"d1": 2, "d4": 1}, "q2": {"d2": 1}}
        assert set(data.queries) == {"q1", "q2"} and len(data.corpus) == 4


@pytest.mark.parametrize("file", ["corpus.jsonl", "queries.jsonl", "qrels/test.tsv"])
def test_beir_file_not_utf8_names_the_line(tmp_path, file):
    folder = _beir(tmp_path)
    _replace_line(folder / file, 2, b'{"_id": "d\xff2", "text": "x"}')
    with pytest.raises(MalformedFile) as err:
        load_beir(folder)
    assert err.value.path.name == Path(file).name and err.value.line == 2
    assert "not UTF-8" in str(err.value)


@pytest.mark.parametrize("grade", ["nan", "inf", "-inf", "NaN", "1.5", "high"])
def test_qrels_relevance_that_is_not_an_integer_is_refused(tmp_path, grade):
    folder = _beir(tmp_path)
    _replace_line(folder / "qrels" / "test.tsv", 3, f"q1\td4\t{grade}".encode())
    with pytest.raises(MalformedFile, match=r"test\.tsv:3: relevance"):
        load_beir(folder)


@pytest.mark.parametrize("score", ["NaN", "Infinity", "-Infinity", "1.5", '"x"'])
def test_jsonl_qrels_score_that_is_not_an_integer_is_refused(tmp_path, score):
    folder = _limit(tmp_path)
    line = '{"query-id": "q1", "corpus-id": "d4", "score": ' + score + "}"
    _replace_line(folder / "qrels.jsonl", 2, line.encode())
    with pytest.raises(MalformedFile, match=r"qrels\.jsonl:2: "):
        load_beir(folder)


def test_unjudged_query_without_text_is_refused(tmp_path):
    folder = _beir(tmp_path)  # q3 is not judged in the sample
    _replace_line(folder / "queries.jsonl", 3, b'{"_id": "q3"}')
    with pytest.raises(MalformedFile, match=r"queries\.jsonl:3: missing the field 'text'"):
        load_beir(folder)


def test_text_that_is_not_a_string_is_refused(tmp_path):
    folder = _beir(tmp_path)
    _replace_line(folder / "corpus.jsonl", 1, b'{"_id": "d1", "text": null}')
    with pytest.raises(MalformedFile, match=r"corpus\.jsonl:1: the field 'text' must be a string"):
        load_beir(folder)


def test_repeated_corpus_id_is_refused(tmp_path):
    folder = _beir(tmp_path)
    _replace_line(folder / "corpus.jsonl", 3, b'{"_id": "d1", "text": "again"}')
    with pytest.raises(MalformedFile, match=r"corpus\.jsonl:3: the _id 'd1' is already on line 1"):
        load_beir(folder)


@pytest.mark.parametrize("file", ["corpus.jsonl", "queries.jsonl", "qrels/test.tsv"])
def test_folder_or_empty_file_in_place_of_a_part_names_it(tmp_path, file):
    folder = _beir(tmp_path)
    (folder / file).unlink()
    (folder / file).mkdir()
    with pytest.raises(MalformedFile, match=rf"{Path(file).name}: is a folder"):
        load_beir(folder)
    (folder / file).rmdir()
    (folder / file).write_bytes(b"")
    with pytest.raises(MalformedFile, match=rf"{Path(file).name}: the file is empty"):
        load_beir(folder)


def test_qrels_with_only_a_header_is_refused(tmp_path):
    folder = _beir(tmp_path)
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n")
    with pytest.raises(MalformedFile, match=r"test\.tsv: holds no relevance judgement"):
        load_beir(folder)


def test_judged_query_missing_from_queries_names_its_qrels_line(tmp_path):
    folder = _beir(tmp_path)
    with open(folder / "qrels" / "test.tsv", "a") as handle:
        handle.write("q9\td3\t1\n")
    with pytest.raises(MalformedFile, match=r"test\.tsv:5: query 'q9' is judged but not in"):
        load_beir(folder)


def test_conflicting_judgements_are_refused(tmp_path):
    folder = _beir(tmp_path)
    with open(folder / "qrels" / "test.tsv", "a") as handle:
        handle.write("q1\td1\t2\nq1\td1\t0\n")
    with pytest.raises(MalformedFile, match=r"test\.tsv:6: query 'q1' judges document 'd1' again"):
        load_beir(folder)


def test_a_file_given_as_the_folder_is_refused(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"_id": "d", "text": "x"}\n')
    with pytest.raises(MalformedFile, match="is a file, where a folder was expected"):
        load_beir(path)


# ----------------------------------------------------------------------------- SMART files


@pytest.mark.parametrize("file", ["cran.all.1400", "cran.qry", "cranqrel"])
def test_smart_file_not_utf8_names_the_line(tmp_path, file):
    folder = SMART_COLLECTION.write_sample(tmp_path)
    _replace_line(folder / file, 3, b"caf\xe9 1 2")  # Latin-1, not UTF-8 (was read with "replace")
    with pytest.raises(MalformedFile) as err:
        convert_smart(*find_smart_files(folder))
    assert err.value.path.name == file and err.value.line == 3
    assert "byte 0xe9" in str(err.value)


@pytest.mark.parametrize("code", ["nan", "inf", "-inf", "2.5"])
def test_smart_relevance_that_is_not_an_integer_is_refused(tmp_path, code):
    folder = SMART_COLLECTION.write_sample(tmp_path)
    _replace_line(folder / "cranqrel", 2, f"1 4 {code}".encode())
    with pytest.raises(MalformedFile, match=r"cranqrel:2: relevance"):
        convert_smart(*find_smart_files(folder))
    with pytest.raises(MalformedFile, match=r"cranqrel:2: relevance"):
        read_smart_qrels(folder / "cranqrel")


def test_smart_qrels_error_names_the_physical_line(tmp_path):
    folder = SMART_COLLECTION.write_sample(tmp_path)
    (folder / "cranqrel").write_text("1 1 2\n\n\n1 9 2\n")  # blank lines count as lines
    with pytest.raises(MalformedFile, match=r"cranqrel:4: document 9 is not in"):
        convert_smart(*find_smart_files(folder))


def test_smart_repeated_document_is_refused(tmp_path):
    folder = SMART_COLLECTION.write_sample(tmp_path)
    text = (folder / "cran.all.1400").read_text() + ".I 1\n.W\nagain\n"
    (folder / "cran.all.1400").write_text(text)
    with pytest.raises(
        MalformedFile, match=r"cran\.all\.1400:\d+: document 1 is already on line 1"
    ):
        convert_smart(*find_smart_files(folder))


def test_smart_qrels_without_a_relevant_pair_are_refused(tmp_path):
    folder = SMART_COLLECTION.write_sample(tmp_path)
    (folder / "cranqrel").write_text("1 1 -1\n2 2 -1\n")
    with pytest.raises(MalformedFile, match="cranqrel: holds no relevant judgement"):
        convert_smart(*find_smart_files(folder))


def test_smart_folder_named_like_a_file_is_named(tmp_path):
    folder = SMART_COLLECTION.write_sample(tmp_path)
    (folder / "cran.qry").unlink()
    (folder / "cran.qry").mkdir()
    files = find_smart_files(folder)
    assert files[1].name == "cran.qry"
    with pytest.raises(MalformedFile, match=r"cran\.qry: is a folder"):
        read_smart(files[1])


def test_smart_missing_file_is_bad_input(tmp_path):
    with pytest.raises(BadInput, match="no file at"):
        read_smart(tmp_path / "cran.all.1400")


# ----------------------------------------------------------------------------- TREC runs


def _run(tmp_path: Path) -> Path:
    return TREC_RUN.write_sample(tmp_path)


@pytest.mark.parametrize("score", ["nan", "inf", "-inf", "NaN", "x"])
def test_trec_run_score_that_is_not_finite_is_refused(tmp_path, score):
    path = _run(tmp_path)
    _replace_line(path, 2, f"q1 Q0 d1 2 {score} sample".encode())
    with pytest.raises(MalformedFile, match=r"run\.trec:2: score"):
        read_trec_run(path)


@pytest.mark.parametrize("rank", ["nan", "1.5", "-1"])
def test_trec_run_rank_that_is_not_an_integer_is_refused(tmp_path, rank):
    path = _run(tmp_path)
    _replace_line(path, 3, f"q1 Q0 d3 {rank} 0.5 sample".encode())
    with pytest.raises(MalformedFile, match=r"run\.trec:3: rank"):
        read_trec_run(path)


def test_trec_run_not_utf8_names_the_line(tmp_path):
    path = _run(tmp_path)
    _replace_line(path, 4, b"q2 Q0 d\xff2 1 4.0 sample")
    with pytest.raises(MalformedFile, match=r"run\.trec:4: byte 0xff"):
        read_trec_run(path)


def test_trec_run_repeated_pair_is_refused(tmp_path):
    path = _run(tmp_path)
    with open(path, "a") as handle:
        handle.write("q1 Q0 d4 9 0.1 sample\n")
    with pytest.raises(MalformedFile, match=r"run\.trec:6: query 'q1' lists document 'd4' twice"):
        read_trec_run(path)


def test_trec_run_empty_or_folder_or_missing(tmp_path):
    (tmp_path / "empty.trec").write_text("\n")
    with pytest.raises(MalformedFile, match=r"empty\.trec: the file is empty"):
        read_trec_run(tmp_path / "empty.trec")
    with pytest.raises(MalformedFile, match="is a folder"):
        read_trec_run(tmp_path)
    with pytest.raises(BadInput, match="no file at"):
        read_trec_run(tmp_path / "none.trec")


def test_trec_run_sample_is_a_run_of_the_beir_sample(tmp_path):
    run = read_trec_run(_run(tmp_path))
    data = load_beir(_beir(tmp_path))
    assert set(run) == set(data.qrels) and all(set(r) <= set(data.corpus) for r in run.values())
    assert json.loads(json.dumps(run)) == run

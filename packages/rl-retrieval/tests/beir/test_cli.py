from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from rl_retrieval.beir.cli import group
from rl_retrieval.core.beir_format import write_beir
from rl_retrieval.core.run_format import read_trec_run

MEASURES = {"nDCG@10", "Recall@10", "Recall@100", "MAP@100", "MRR@10"}


def test_search_writes_run_into_out(tmp_path, tiny):
    write_beir(tiny, tmp_path / "c")
    out = tmp_path / "out"
    args = ["search", "--data", str(tmp_path / "c"), "--k", "10", "--out", str(out), "--json"]
    result = CliRunner().invoke(group, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["run"] == str(out / "run.trec") and summary["queries"] == 2
    run = read_trec_run(out / "run.trec")
    assert next(iter(run["q2"])) == "d2"


def test_evaluate_bm25_json_writes_run_and_metrics(tmp_path, tiny):
    write_beir(tiny, tmp_path / "c")
    out = tmp_path / "out"
    args = ["evaluate", "--data", str(tmp_path / "c"), "--retriever", "bm25", "--k", "10"]
    result = CliRunner().invoke(group, [*args, "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert set(summary["metrics"]) == MEASURES
    assert summary["metrics"]["Recall@10"] == 1.0
    assert (out / "run.trec").read_text().splitlines()[0].startswith("q1 Q0 ")
    assert json.loads((out / "metrics.json").read_text())["metrics"] == summary["metrics"]
    # scoring the written run gives the same numbers
    again = CliRunner().invoke(
        group, ["evaluate", "--data", str(tmp_path / "c"), "--run", str(out / "run.trec"), "--json"]
    )
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["metrics"] == summary["metrics"]


def test_evaluate_split_from_data_spec(tmp_path, tiny):
    write_beir(tiny, tmp_path / "c", split="dev")
    result = CliRunner().invoke(group, ["evaluate", "--data", f"{tmp_path / 'c'}:dev", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["queries"] == 2


def test_convert_smart_finds_the_files(tmp_path):
    src = tmp_path / "cran"
    src.mkdir()
    (src / "cran.all.1400").write_text(".I 1\n.W\nlift\n")
    (src / "cran.qry").write_text(".I 1\n.W\nlift?\n")
    (src / "cranqrel").write_text("1 1 1\n")
    args = ["convert-smart", "--data", str(src), "--out", str(tmp_path / "o"), "--json"]
    result = CliRunner().invoke(group, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["judgements"] == 1
    assert (tmp_path / "o" / "qrels" / "test.tsv").is_file()


def _rl(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from rl_shared.cli.main import main; main(sys.argv[1:])"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


def test_bad_input_exits_2_with_one_line(tmp_path):
    (tmp_path / "corpus.jsonl").write_text('{"_id": "a", "text": "x"}\nnot json\n')
    (tmp_path / "queries.jsonl").write_text('{"_id": "q", "text": "x"}\n')
    (tmp_path / "qrels.jsonl").write_text('{"query-id": "q", "corpus-id": "a", "score": 1}\n')
    proc = _rl("retrieval", "beir", "evaluate", "--data", str(tmp_path))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "corpus.jsonl:2" in lines[0]
    assert proc.stdout == ""


def test_missing_smart_file_is_one_line(tmp_path):
    proc = _rl(
        "retrieval", "beir", "convert-smart", "--data", str(tmp_path), "--out", str(tmp_path / "o")
    )
    assert (
        proc.returncode == 2 and proc.stderr.startswith("error: ") and "--docs FILE" in proc.stderr
    )


def test_every_lexical_and_neural_retriever_evaluates_through_the_cli(
    tmp_path, tiny, tiny_splade, tiny_cross_encoder, tiny_bare_bert
):
    write_beir(tiny, tmp_path / "c")
    models = {"splade": tiny_splade, "contriever": tiny_bare_bert, "rerank": tiny_cross_encoder}
    for retriever in ("bm25-multifield", "splade", "contriever", "rerank"):
        args = ["evaluate", "--data", str(tmp_path / "c"), "--retriever", retriever, "--json"]
        if retriever in models:
            args += ["--model", str(models[retriever]), "--device", "cpu"]
        result = CliRunner().invoke(group, args)
        assert result.exit_code == 0, (retriever, result.output)
        summary = json.loads(result.stdout)
        assert summary["retriever"] == retriever and set(summary["metrics"]) == MEASURES


def test_a_default_hub_model_missing_offline_is_one_clear_error(
    tmp_path, tiny, monkeypatch, capsys
):
    from rl_shared.testing import refused

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    write_beir(tiny, tmp_path / "c")
    args = ["evaluate", "--data", str(tmp_path / "c"), "--retriever", "splade"]
    line = refused(capsys, args, prefix=("retrieval", "beir"))
    assert "naver/splade-cocondenser-ensembledistil" in line


def test_arguana_runs_drop_each_querys_own_id(tmp_path, monkeypatch):
    from rl_retrieval.core.beir_format import BeirData

    corpus = {
        "q1": {"title": "", "text": "school uniforms should be compulsory"},
        "d1": {"title": "", "text": "uniforms stop pupils expressing themselves at school"},
        "d2": {"title": "", "text": "tax on sugar drinks"},
    }
    folder = tmp_path / "retrieval" / "beir" / "arguana"
    write_beir(BeirData(corpus, {"q1": corpus["q1"]["text"]}, {"q1": {"d1": 1}}), folder)
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path))
    out = tmp_path / "out"
    args = ["search", "--data", "beir-arguana", "--out", str(out), "--json"]
    result = CliRunner().invoke(group, args)
    assert result.exit_code == 0, result.output
    assert list(read_trec_run(out / "run.trec")["q1"]) == ["d1"]  # not itself

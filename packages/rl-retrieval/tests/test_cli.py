from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from rl_retrieval.beir import write_beir
from rl_retrieval.cli import group


def test_evaluate_bm25_json_and_run(tmp_path, tiny):
    write_beir(tiny, tmp_path / "c")
    result = CliRunner().invoke(
        group,
        [
            "evaluate",
            "--data",
            str(tmp_path / "c"),
            "--retriever",
            "bm25",
            "--k",
            "10",
            "--run-out",
            str(tmp_path / "run"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out["metrics"]) == {"nDCG@10", "Recall@10", "Recall@100", "MAP@100", "MRR@10"}
    assert out["metrics"]["Recall@10"] == 1.0
    assert (tmp_path / "run").read_text().splitlines()[0].startswith("q1 Q0 ")


def test_convert_smart(tmp_path):
    (tmp_path / "d").write_text(".I 1\n.W\nlift\n")
    (tmp_path / "q").write_text(".I 1\n.W\nlift?\n")
    (tmp_path / "r").write_text("1 1 1\n")
    args = [
        "convert",
        "smart",
        "--docs",
        str(tmp_path / "d"),
        "--queries",
        str(tmp_path / "q"),
        "--qrels",
        str(tmp_path / "r"),
        "--out",
        str(tmp_path / "o"),
        "--json",
    ]
    result = CliRunner().invoke(group, args)
    assert result.exit_code == 0 and json.loads(result.stdout)["judgements"] == 1


def test_critical_n_and_generate(tmp_path):
    result = CliRunner().invoke(group, ["limit", "critical-n", "--dims", "2", "3", "--json"])
    assert result.exit_code == 0
    assert [(r["d"], r["n"]) for r in json.loads(result.stdout)["rows"]] == [(2, 3), (3, 4)]
    result = CliRunner().invoke(
        group,
        ["limit", "generate", "--docs", "30", "--queries", "10", "--out", str(tmp_path / "g")],
    )
    assert result.exit_code == 0 and (tmp_path / "g" / "qrels.jsonl").is_file()


def _rl(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from rl_shared.cli.main import main; main(sys.argv[1:])"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


def test_bad_input_exits_2_with_one_line(tmp_path):
    (tmp_path / "corpus.jsonl").write_text('{"_id": "a", "text": "x"}\nnot json\n')
    (tmp_path / "queries.jsonl").write_text('{"_id": "q", "text": "x"}\n')
    (tmp_path / "qrels.jsonl").write_text('{"query-id": "q", "corpus-id": "a", "score": 1}\n')
    proc = _rl("retrieval", "evaluate", "--data", str(tmp_path))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "corpus.jsonl:2" in lines[0]
    assert proc.stdout == ""

from __future__ import annotations

import json

from click.testing import CliRunner

from rl_retrieval.limit.cli import group


def test_critical_n_json():
    result = CliRunner().invoke(group, ["critical-n", "--dims", "2", "3", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [(r["d"], r["n"]) for r in out["rows"]] == [(2, 3), (3, 4)]
    assert out["cubic"] is None and out["paper_cubic"] is not None


def test_critical_n_rejects_bad_numbers():
    assert CliRunner().invoke(group, ["critical-n", "--dims", "0"]).exit_code == 2
    assert CliRunner().invoke(group, ["critical-n", "--steps", "0"]).exit_code == 2


def test_generate_then_bounds(tmp_path):
    out = tmp_path / "g"
    args = ["generate", "--docs", "30", "--queries", "10", "--out", str(out), "--json"]
    result = CliRunner().invoke(group, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["core_documents"] == 5
    assert (out / "qrels.jsonl").is_file()
    result = CliRunner().invoke(group, ["bounds", "--data", str(out), "--json"])
    assert result.exit_code == 0, result.output
    bounds = json.loads(result.stdout)
    assert bounds["queries"] == 10 and bounds["documents"] == 5
    assert 1 <= bounds["lower"] <= bounds["upper"]

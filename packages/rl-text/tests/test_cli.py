from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner

from rl_text.cli import PAPERS, group


def test_help_lists_every_paper_without_importing_it() -> None:
    before = set(sys.modules)
    result = CliRunner().invoke(group, ["--help"])
    assert result.exit_code == 0, result.output
    for name in PAPERS:
        assert name in result.output
    assert not {m for m in set(sys.modules) - before if m.startswith("rl_text.") and "cli" in m}
    assert len(PAPERS) == 13


@pytest.mark.parametrize("paper", ["2dmse", "dse", "kalm", "codiemb", "moe", "defsent"])
def test_each_paper_of_this_part_has_a_train_command(paper: str) -> None:
    result = CliRunner().invoke(group, [paper, "train", "--help"])
    assert result.exit_code == 0, result.output
    assert "--out" in result.output and "--json" in result.output
    assert "--resume / --no-resume" in result.output and "--device" in result.output


def test_the_old_train_command_is_gone() -> None:
    result = CliRunner().invoke(group, ["train", "--method", "kalm"])
    assert result.exit_code == 2


def _pairs_file(tmp_path, sts_rows):
    data = tmp_path / "pairs.tsv"
    data.write_text("a\tb\tscore\n" + "".join(f"{s1}\t{s2}\t{y}\n" for s1, s2, y in sts_rows))
    return data


def test_eval_sts_json_and_layer(tiny_model_dir, tmp_path, sts_rows) -> None:
    data = _pairs_file(tmp_path, sts_rows)
    args = [
        "eval-sts",
        "--model",
        str(tiny_model_dir),
        "--data",
        str(data),
        "--columns",
        "a,b,score",
    ]
    result = CliRunner().invoke(group, [*args, "--layer", "2", "--dim", "16", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["layer"], out["dim"], out["pairs"]) == (2, 16, 6)
    assert -1 <= out["spearman"] <= 1


def test_eval_sts_malformed_file_is_a_user_error(tiny_model_dir, tmp_path) -> None:
    from rl_shared.errors import MalformedFile

    data = tmp_path / "bad.csv"
    data.write_text("a,b,1\nc,d,x\n")
    result = CliRunner().invoke(
        group, ["eval-sts", "--model", str(tiny_model_dir), "--data", str(data)]
    )
    assert isinstance(result.exception, MalformedFile) and "bad.csv:2" in str(result.exception)


def test_2dmse_train_and_evaluate(tiny_model_dir, tmp_path, sts_rows) -> None:
    data = _pairs_file(tmp_path, sts_rows)
    args = ["2dmse", "train", "--model", str(tiny_model_dir), "--data", str(data)]
    opts = ["--columns", "a,b,score", "--steps", "1", "--batch-size", "3", "--dims", "32,16"]
    result = CliRunner().invoke(group, [*args, *opts, "--out", str(tmp_path / "run"), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["loss"] == "ours" and out["model"].endswith("run/model")
    args = ["2dmse", "evaluate", "--model", out["model"], "--data", str(data)]
    opts = ["--columns", "a,b,score", "--layers", "1,3", "--dims", "32,8", "--json"]
    result = CliRunner().invoke(group, [*args, *opts])
    assert result.exit_code == 0, result.output
    grid = json.loads(result.stdout)["grid"]
    assert {(r["layer"], r["dim"]) for r in grid} == {(1, 32), (1, 8), (3, 32), (3, 8)}


def test_kalm_train_rejects_unknown_data(tiny_model_dir, tmp_path) -> None:
    from rl_shared.errors import BadInput

    args = ["kalm", "train", "--model", str(tiny_model_dir), "--data", "nonsense"]
    result = CliRunner().invoke(group, [*args, "--out", str(tmp_path)])
    assert isinstance(result.exception, BadInput) and "'pairs', 'cranfield'" in str(
        result.exception
    )


def test_dse_train_and_evaluate_from_the_command_line(tiny_model_dir, tmp_path, sts_rows) -> None:
    data = _pairs_file(tmp_path, sts_rows)
    args = ["dse", "train", "--model", str(tiny_model_dir), "--data", str(data)]
    opts = ["--columns", "a,b,score", "--steps", "1", "--batch-size", "3", "--json"]
    result = CliRunner().invoke(group, [*args, *opts, "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["teacher"].endswith("teacher/model") and out["model"].endswith("run/model")
    from rl_text.dse import DistilledSentenceEmbedding

    assert DistilledSentenceEmbedding.load(out["model"]).score(["a cat"], ["a dog"]).shape == (1,)
    args = ["dse", "evaluate", "--model", out["model"], "--data", str(data)]
    result = CliRunner().invoke(group, [*args, "--columns", "a,b,score", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["pairs"] == 6

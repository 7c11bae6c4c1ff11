from __future__ import annotations

import json

from click.testing import CliRunner

from rl_text.cli import group


def test_eval_sts_json_and_layer(tiny_model_dir, tmp_path, sts_rows) -> None:
    data = tmp_path / "pairs.tsv"
    data.write_text("a\tb\tscore\n" + "".join(f"{s1}\t{s2}\t{y}\n" for s1, s2, y in sts_rows))
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


def test_train_kalm_rejects_unknown_data(tiny_model_dir, tmp_path) -> None:
    from rl_shared.errors import BadInput

    args = ["train", "--method", "kalm", "--model", str(tiny_model_dir), "--data", "nonsense"]
    result = CliRunner().invoke(group, [*args, "--out", str(tmp_path)])
    assert isinstance(result.exception, BadInput) and "'pairs', 'cranfield'" in str(
        result.exception
    )


def test_train_dse_from_the_command_line(tiny_model_dir, tmp_path, sts_rows) -> None:
    data = tmp_path / "pairs.tsv"
    data.write_text("a\tb\tscore\n" + "".join(f"{s1}\t{s2}\t{y}\n" for s1, s2, y in sts_rows))
    args = ["train", "--method", "dse", "--model", str(tiny_model_dir), "--data", str(data)]
    opts = ["--columns", "a,b,score", "--steps", "1", "--batch-size", "3", "--json"]
    result = CliRunner().invoke(group, [*args, *opts, "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["method"] == "dse" and out["teacher"].endswith("teacher/model")
    from rl_text.dse import DistilledSentenceEmbedding

    assert DistilledSentenceEmbedding.load(out["model"]).score(["a cat"], ["a dog"]).shape == (1,)

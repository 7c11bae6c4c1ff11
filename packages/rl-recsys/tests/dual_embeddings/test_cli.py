import json

import numpy as np
import pytest

from rl_shared.cli.main import main

DE = ["recsys", "dual-embeddings"]
SMALL = ["--dim", "8", "--epochs", "10", "--negative", "5"]


def _write(tmp_path, planted):
    path = tmp_path / "baskets.csv"
    path.write_text("\n".join(",".join(b) for b in planted) + "\n")
    return path


def test_train_recommend_evaluate_export(tmp_path, planted, capsys):
    path = _write(tmp_path, planted)
    out = tmp_path / "run"
    assert main([*DE, "train", "--data", str(path), "--out", str(out), *SMALL, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["model"] == str(out / "model") and (out / "model" / "config.json").is_file()
    for model in (out / "model", out):  # the model folder, or the training OUT holding it
        main([*DE, "recommend", "--model", str(model), "--item", "A", "--k", "2", "--json"])
        rec = json.loads(capsys.readouterr().out)
        assert rec["items"][0][0] == "B" and rec["mode"] == "complementary"
    main([*DE, "evaluate", "--data", str(path), "--out", str(tmp_path / "ev"), "--json", *SMALL])
    result = json.loads(capsys.readouterr().out)
    assert set(result["methods"]) == {"in-out", "in-in", "popularity", "lift"}
    assert json.loads((tmp_path / "ev" / "metrics.json").read_text()) == result

    from gensim.models import KeyedVectors

    main([*DE, "export", "--model", str(out), "--out", str(tmp_path / "kv"), "--json"])
    files = json.loads(capsys.readouterr().out)["files"]
    kv_out = KeyedVectors.load(files["out"])
    from rl_recsys.dual_embeddings import DualEmbeddings

    emb = DualEmbeddings.load(out)
    np.testing.assert_array_equal(kv_out["B"], emb.out_vectors[emb.index["B"]])
    assert KeyedVectors.load(files["in"]).index_to_key == emb.items


def test_data_folder_and_registered_name(tmp_path, planted, capsys, monkeypatch):
    folder = tmp_path / "shop"
    folder.mkdir()
    _write(folder, planted)
    main([*DE, "train", "--data", str(folder), "--out", str(tmp_path / "r"), "--epochs", "1"])
    assert "trained on 300 baskets" in capsys.readouterr().out
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(SystemExit) as exit_info:
        main([*DE, "train", "--data", "groceries", "--out", str(tmp_path / "g")])
    assert exit_info.value.code == 2
    assert "groceries" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        [*DE, "evaluate", "--data", "{tmp}/missing.csv"],
        [*DE, "recommend", "--model", "{tmp}", "--item", "A"],
        [*DE, "train", "--data", "{tmp}/bad.csv", "--out", "{tmp}/m"],
        [*DE, "train", "--data", "{tmp}/bad.csv", "--out", "{tmp}/m", "--lr", "0"],
        [*DE, "train", "--data", "groceries:test", "--out", "{tmp}/m"],
        [*DE, "export", "--model", "{tmp}", "--out", "{tmp}/kv"],
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, argv):
    (tmp_path / "bad.csv").write_text("a,b\na,,b\n")
    with pytest.raises(SystemExit) as exit_info:
        main([a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ")


def test_unknown_item_exit_2(tmp_path, planted, capsys):
    path = _write(tmp_path, planted)
    main([*DE, "train", "--data", str(path), "--out", str(tmp_path / "m"), "--epochs", "1"])
    with pytest.raises(SystemExit) as exit_info:
        main([*DE, "recommend", "--model", str(tmp_path / "m"), "--item", "Zebra"])
    assert exit_info.value.code == 2
    assert "unknown item 'Zebra'" in capsys.readouterr().err


def test_every_command_has_json_and_help():
    from click.testing import CliRunner

    from rl_recsys.cli import group

    for command in ("train", "recommend", "evaluate", "export"):
        result = CliRunner().invoke(group, ["dual-embeddings", command, "--help"])
        assert result.exit_code == 0 and "--json" in result.output


def test_train_resumes_into_the_same_out(tmp_path, planted, capsys):
    path = _write(tmp_path, planted)
    out = str(tmp_path / "run")
    assert main([*DE, "train", "--data", str(path), "--out", out, *SMALL]) == 0
    assert (tmp_path / "run" / "checkpoints" / "step-000010").is_dir()
    main([*DE, "train", "--data", str(path), "--out", out, *SMALL])  # resumes at the end
    with pytest.raises(SystemExit) as exit_info:
        main([*DE, "train", "--data", str(path), "--out", out, "--dim", "4"])
    assert exit_info.value.code == 2
    assert "--no-resume" in capsys.readouterr().err
    main([*DE, "train", "--data", str(path), "--out", out, "--dim", "4", "--no-resume"])
    from rl_recsys.dual_embeddings import DualEmbeddings

    assert DualEmbeddings.load(out).dim == 4

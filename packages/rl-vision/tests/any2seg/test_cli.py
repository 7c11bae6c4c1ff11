import json

import pytest

from rl_shared.cli.main import main


def test_scenes_png(tmp_path, capsys):
    out = tmp_path / "pics"
    argv = ["vision", "any2seg", "scenes", "--out", str(out), "--count", "2", "--size", "32",
            "--condition", "fog", "--json"]  # fmt: skip
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["png"] == str(out / "scenes.png")
    assert (out / "scenes.png").read_bytes()[:4] == b"\x89PNG"


def test_train_then_evaluate_json(tmp_path, capsys):
    run = tmp_path / "run"
    argv = ["vision", "any2seg", "train", "--out", str(run), "--steps", "2", "--batch-size", "2",
            "--size", "32", "--num-scenes", "4", "--no-lscd", "--device", "cpu", "--json"]  # fmt: skip
    assert main(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["steps"] == 2 and summary["model"] == str(run / "model")
    assert (run / "model" / "model.safetensors").is_file()
    assert (run / "model" / "config.json").is_file() and (run / "model" / "README.md").is_file()
    assert list((run / "checkpoints").glob("step-*"))
    for model in (run, run / "model"):
        argv = ["vision", "any2seg", "evaluate", "--model", str(model), "--modalities",
                "depth,rgb", "--condition", "night", "--num-scenes", "3", "--json"]  # fmt: skip
        assert main(argv) == 0
        result = json.loads(capsys.readouterr().out)
        assert result["modalities"] == ["rgb", "depth"] and 0 <= result["miou"] <= 1
        assert result["data"] == "generated"
        assert set(result["per_class_iou"]) >= {"road", "sky", "car"}


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["vision", "any2seg", "evaluate", "--model", "{tmp}", "--modalities", "rgb"],
            "holds no trained model",
        ),
        (
            ["vision", "any2seg", "scenes", "--out", "{tmp}/x", "--condition", "snow"],
            "unknown condition 'snow'",
        ),
        (
            ["vision", "any2seg", "train", "--out", "{tmp}/r", "--data", "{tmp}/nowhere"],
            "is neither generated, deliver[:split], mcubes[:split] nor an existing folder",
        ),
        (
            ["vision", "any2seg", "train", "--out", "{tmp}/r", "--data", "deliver:dev"],
            "unknown split 'dev'",
        ),
        (
            ["vision", "any2seg", "train", "--out", "{tmp}/r", "--device", "tpu"],
            "is not one of auto, cpu, cuda, cuda:N, mps",
        ),
    ],
)
def test_user_errors_exit_2_with_one_line(tmp_path, capsys, argv, message):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and message in err and "\n" not in err, err

import json

import pytest

from rl_shared.cli.main import main


def test_scenes_png(tmp_path, capsys):
    out = tmp_path / "scenes.png"
    assert (
        main(
            [
                "vision",
                "scenes",
                "--out",
                str(out),
                "--count",
                "2",
                "--size",
                "32",
                "--condition",
                "fog",
            ]
        )
        == 0
    )
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_train_then_evaluate_json(tmp_path, capsys):
    run = tmp_path / "run"
    argv = ["vision", "any2seg", "train", "--out", str(run), "--steps", "2", "--batch-size", "2",
            "--size", "32", "--num-scenes", "4", "--no-lscd", "--json"]  # fmt: skip
    assert main(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["steps"] == 2 and (run / "final" / "model.safetensors").is_file()
    assert list((run / "checkpoints").glob("step-*"))
    argv = ["vision", "any2seg", "evaluate", "--model", str(run), "--modalities", "depth,rgb",
            "--condition", "night", "--num-scenes", "3", "--json"]  # fmt: skip
    assert main(argv) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["modalities"] == ["rgb", "depth"] and 0 <= result["miou"] <= 1
    assert set(result["per_class_iou"]) >= {"road", "sky", "car"}


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["vision", "any2seg", "evaluate", "--model", "{tmp}", "--modalities", "rgb"],
            "holds no trained model",
        ),
        (
            ["vision", "scenes", "--out", "{tmp}/x.png", "--condition", "snow"],
            "unknown condition 'snow'",
        ),
    ],
)
def test_user_errors_exit_2_with_one_line(tmp_path, capsys, argv, message):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and message in err and "\n" not in err

import json

import pytest

from rl_shared.cli.main import main


def test_sirl_json(capsys):
    argv = [
        "robotics",
        "sirl",
        "--queries",
        "6",
        "--person",
        "table",
        "--seeds",
        "1",
        "--preferences",
        "5",
        "--pool",
        "12",
        "--steps",
        "2",
        "--json",
    ]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["person"] == ["table"] and set(out["methods"]) >= {"sirl", "task_input", "oracle"}


def test_render_writes_png(tmp_path, capsys):
    out = tmp_path / "scene.png"
    assert main(["robotics", "render", "--out", str(out), "--trajectories", "2"]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["robotics", "sirl", "--person", "laptop,cup"],
        ["robotics", "sirl", "--queries", "0"],
        ["robotics", "render", "--out", "{tmp}/scene.jpg"],
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, argv):
    with pytest.raises(SystemExit) as exit_info:
        main([a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert exit_info.value.code == 2
    err = [
        line
        for line in capsys.readouterr().err.strip().splitlines()
        if "pybullet build" not in line
    ]
    assert len(err) == 1 and err[0].startswith("error: ")

from __future__ import annotations

from click.testing import CliRunner
from PIL import Image

from rl_text.pixel.cli import pixel


def test_render_writes_a_16px_strip(tmp_path) -> None:
    out = tmp_path / "r.png"
    res = CliRunner().invoke(
        pixel, ["render", "A man plays a guitar.", "--out", str(out), "--perturb", "shuffle"]
    )
    assert res.exit_code == 0, res.output
    img = Image.open(out)
    assert img.size == (1024, 16)
    assert sorted(res.output.split("'")[1].split()) == sorted("A man plays a guitar.".split())


def test_unknown_perturbation_is_rejected(tmp_path) -> None:
    res = CliRunner().invoke(
        pixel, ["render", "x", "--out", str(tmp_path / "r.png"), "--perturb", "zap"]
    )
    assert res.exit_code != 0 and "zap" in str(res.exception)

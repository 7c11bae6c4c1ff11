"""The rl-text commands built on sentence-transformers that run a network (dse, defsent, moe,
gfun) take --device and --precision and check them before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

COMMANDS = [
    ["defsent", "train", "--out", "{tmp}/out"],
    ["dse", "train", "--out", "{tmp}/out"],
    ["dse", "evaluate", "--model", "{tmp}/no-model"],
    ["gfun", "train", "--out", "{tmp}/out"],
    ["gfun", "evaluate"],
    ["gfun", "encode", "--model", "{tmp}/no-model", "--data", "{tmp}/x.csv", "--out", "{tmp}/out"],
    ["moe", "train", "--out", "{tmp}/out"],
    ["moe", "evaluate", "--model", "{tmp}/no-model"],
]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from rl_shared.cli.main import main

    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_help_lists_device_and_precision(argv: list[str], capsys) -> None:
    code, out, err = _run(["text", *argv[:2], "--help"], capsys)
    assert code == 0, err
    assert "--device" in out and "--precision" in out


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_fp16_on_the_cpu_is_one_error_before_any_work(
    argv: list[str], tmp_path: Path, capsys
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, _, err = _run(["text", *args, "--device", "cpu", "--precision", "fp16"], capsys)
    errors = [line for line in err.splitlines() if "error:" in line]
    assert code == 2 and len(errors) == 1 and "Traceback" not in err, err
    assert "fp16" in errors[0]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_unknown_device_exits_2(argv: list[str], tmp_path: Path, capsys) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, _, err = _run(["text", *args, "--device", "tpu"], capsys)
    assert code == 2 and "Traceback" not in err, err

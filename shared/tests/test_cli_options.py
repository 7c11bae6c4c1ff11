"""The shared option vocabulary: each factory validates at the edge and is a VocabOption."""

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from rl_shared.cli import (
    VocabOption,
    batch_size_option,
    data_option,
    device_option,
    emit_json,
    json_option,
    lr_option,
    model_option,
    out_option,
    progress,
    resume_option,
    seed_option,
    steps_option,
)


@click.command()
@data_option()
@model_option()
@out_option()
@steps_option(default=5)
@lr_option(default=1e-3)
@batch_size_option(default=4)
@seed_option
@device_option()
@resume_option
@json_option
def _cmd(**kwargs):
    emit_json({k: str(v) for k, v in kwargs.items()})


def _invoke(*args: str):
    return CliRunner().invoke(_cmd, list(args))


def test_every_factory_makes_a_vocab_option():
    assert all(isinstance(p, VocabOption) for p in _cmd.params if p.name != "help")
    names = {n for p in _cmd.params for n in (*p.opts, *p.secondary_opts)}
    assert {"--data", "--model", "--out", "--steps", "--lr", "--batch-size", "--seed"} <= names
    assert {"--device", "--resume", "--no-resume", "--json"} <= names


def test_defaults(tmp_path):
    result = _invoke("--data", "x.csv", "--out", str(tmp_path / "run"))
    assert result.exit_code == 0, result.output
    assert '"resume": "True"' in result.output and '"device": "auto"' in result.output
    assert not (tmp_path / "run").exists()  # validation creates nothing


@pytest.mark.parametrize(
    "args",
    [
        ["--steps", "0"],
        ["--steps", "-4"],
        ["--batch-size", "0"],
        ["--lr", "nan"],
        ["--lr", "inf"],
        ["--lr", "0"],
        ["--lr", "-1e-3"],
        ["--device", "gpu"],
        ["--device", "cuda:x"],
    ],
)
def test_out_of_range_numbers_exit_2(tmp_path, args):
    result = _invoke("--data", "x", "--out", str(tmp_path / "o"), *args)
    assert result.exit_code == 2, result.output
    assert args[0] in result.output


def test_out_must_be_a_writable_folder(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert _invoke("--data", "x", "--out", str(a_file)).exit_code == 2
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        import os

        if os.access(ro, os.W_OK):  # root ignores the mode bits
            pytest.skip("running as a user that can write anywhere")
        result = _invoke("--data", "x", "--out", str(ro / "run"))
        assert result.exit_code == 2 and "not a writable folder" in result.output
    finally:
        ro.chmod(0o700)
    nested = tmp_path / "a" / "b" / "c"
    assert _invoke("--data", "x", "--out", str(nested)).exit_code == 0


def test_emit_json_is_strict(capsys):
    emit_json({"x": float("nan"), "y": [float("inf"), 1.0], "p": Path("/a")})
    assert capsys.readouterr().out.split() == [
        "{",
        '"x":',
        "null,",
        '"y":',
        "[",
        "null,",
        "1.0",
        "],",
        '"p":',
        '"/a"',
        "}",
    ]


def test_progress_is_silent_under_json(capsys):
    assert list(progress(True)(iter([1, 2]), "x")) == [1, 2]
    assert capsys.readouterr().err == ""
    assert list(progress(False)(iter([1, 2]), "items", total=2)) == [1, 2]


def test_an_output_folder_on_a_read_only_mount_is_refused_before_work(tmp_path, monkeypatch):
    import click
    from click.testing import CliRunner

    from rl_shared.cli import out_option

    @click.command()
    @out_option()
    def cmd(out):
        click.echo("ran")

    def refuse(*args, **kwargs):  # what a read-only mount answers root, whatever os.access says
        raise OSError(30, "Read-only file system")

    import tempfile

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    result = CliRunner().invoke(cmd, ["--out", str(tmp_path / "run")])
    assert result.exit_code == 2 and "not a writable folder" in result.output
    assert not (tmp_path / "run").exists()

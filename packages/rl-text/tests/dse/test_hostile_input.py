"""Hostile input to ``rl text dse``: broken model and teacher folders, bad pairs, constant
scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import rl_text.dse.cli  # noqa: F401  (registers sts-pairs, dse-model, dse-teacher)
from rl_shared.errors import MalformedFile, ModelNotFound
from rl_shared.formats import get_format
from rl_text.dse.model import DistilledSentenceEmbedding


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from rl_shared.cli.main import main

    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if "error:" in line]


@pytest.fixture(scope="module")
def dse_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return get_format("dse-model").write_sample(tmp_path_factory.mktemp("dse"))


def _copy(folder: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(folder, tmp_path / "model"))


def test_dse_model_config_not_utf8_names_the_line(dse_model: Path, tmp_path: Path) -> None:
    model = _copy(dse_model, tmp_path)
    lines = (model / "config.json").read_bytes().split(b"\n")
    lines[2] = lines[2] + b"\xff"
    (model / "config.json").write_bytes(b"\n".join(lines))
    with pytest.raises(MalformedFile, match=r"model/config.json:3: byte 0xff"):
        DistilledSentenceEmbedding.load(model)


def test_dse_student_json_broken_names_the_file(dse_model: Path, tmp_path: Path) -> None:
    model = _copy(dse_model, tmp_path)
    (model / "student" / "config.json").write_bytes(b"")
    with pytest.raises(MalformedFile, match=r"student/config.json: the file is empty"):
        DistilledSentenceEmbedding.load(model)
    (model / "student" / "config.json").unlink()
    (model / "student" / "config.json").mkdir()
    with pytest.raises(MalformedFile, match=r"student/config.json: is a folder"):
        DistilledSentenceEmbedding.load(model)


def test_dse_student_missing_is_model_not_found(dse_model: Path, tmp_path: Path) -> None:
    model = _copy(dse_model, tmp_path)
    (model / "student" / "modules.json").unlink()
    with pytest.raises(ModelNotFound, match=r"student/modules.json"):
        DistilledSentenceEmbedding.load(model)


def test_dse_head_config_without_dim_is_refused(dse_model: Path, tmp_path: Path) -> None:
    model = _copy(dse_model, tmp_path)
    payload = json.loads((model / "config.json").read_text())
    del payload["config"]["dim"]
    (model / "config.json").write_text(json.dumps(payload))
    with pytest.raises(MalformedFile, match=r"config.json: the DSE head configuration lacks"):
        DistilledSentenceEmbedding.load(model)


@pytest.mark.parametrize("kind", ["file", "empty-folder", "sentence-transformers"])
def test_dse_evaluate_model_not_a_dse_folder_exits_2(
    kind: str, tmp_path: Path, tiny_model_dir: Path, capsys
) -> None:
    path = tmp_path / "model"
    if kind == "file":
        path.write_text("x")
    elif kind == "empty-folder":
        path.mkdir()
    else:
        path = tiny_model_dir  # a plain sentence-transformers folder, not a DSE one
    data = get_format("sts-pairs").write_sample(tmp_path)
    code, out, err = _run(
        ["text", "dse", "evaluate", "--model", str(path), "--data", str(data)], capsys
    )
    assert code == 2 and out == "" and len(_errors(err)) == 1, err
    assert "Traceback" not in err and path.name in _errors(err)[0]


def test_dse_evaluate_constant_scores_json_is_null_with_a_warning(
    dse_model: Path, tmp_path: Path, capsys
) -> None:
    data = tmp_path / "const.csv"
    data.write_text("a cat sleeps,a dog runs,2.0\na man plays,the ball,2.0\na car,a bed,2.0\n")
    code, out, err = _run(
        ["text", "dse", "evaluate", "--model", str(dse_model), "--data", str(data), "--json"],
        capsys,
    )
    assert code == 0, err
    result = json.loads(out)  # strict JSON: no NaN
    assert result["head"] == {"spearman": None, "pearson": None}
    assert result["cosine"] == {"spearman": None, "pearson": None}
    assert "warning:" in err and "null" in err
    code, out, err = _run(
        ["text", "dse", "evaluate", "--model", str(dse_model), "--data", str(data)], capsys
    )
    assert code == 0 and "head   Spearman undefined" in out, err


def test_dse_train_teacher_broken_json_exits_2_before_out(tmp_path: Path, capsys) -> None:
    (tmp_path / "t").mkdir()
    teacher = get_format("dse-teacher").write_sample(tmp_path / "t")
    (teacher / "tokenizer_config.json").write_bytes(b'{\n"x": \xc3\x28}')
    out = tmp_path / "out"
    code, _, err = _run(
        ["text", "dse", "train", "--teacher", str(teacher), "--out", str(out)], capsys
    )
    assert code == 2 and len(_errors(err)) == 1, err
    assert "tokenizer_config.json:2" in _errors(err)[0]
    assert not out.exists()


@pytest.mark.parametrize("kind", ["file", "empty-folder", "not-a-model"])
def test_dse_train_model_not_a_model_exits_2_before_out(kind: str, tmp_path: Path, capsys) -> None:
    model = tmp_path / "model"
    if kind == "file":
        model.write_text("x")
    else:
        model.mkdir()
        if kind == "not-a-model":
            (model / "notes.txt").write_text("hello")
    data = get_format("sts-pairs").write_sample(tmp_path)
    out = tmp_path / "out"
    argv = ["text", "dse", "train", "--model", str(model), "--data", str(data), "--out", str(out)]
    code, _, err = _run(argv, capsys)
    assert code == 2 and len(_errors(err)) == 1 and "Traceback" not in err, err
    assert "model" in _errors(err)[0] and not out.exists()


def test_dse_train_too_few_pairs_exits_2_before_out(tmp_path: Path, capsys) -> None:
    data = tmp_path / "one.csv"
    data.write_text("a cat,a dog,1.0\n")
    out = tmp_path / "out"
    code, _, err = _run(["text", "dse", "train", "--data", str(data), "--out", str(out)], capsys)
    assert code == 2 and "at least 2 sentence pairs" in err and not out.exists()


def test_dse_teacher_scores_on_a_broken_folder_is_model_not_found(tmp_path: Path) -> None:
    from rl_shared.sts import StsPairs
    from rl_text.dse.train import teacher_scores

    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelNotFound, match="could not be loaded as a cross-encoder"):
        teacher_scores(tmp_path, StsPairs(["a"], ["b"], [1.0]))

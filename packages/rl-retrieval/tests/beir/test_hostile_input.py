"""Hostile input to ``rl retrieval beir ...``: exit 2, one ``error:`` line naming the file, no OUT."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rl_retrieval.beir.cli import group
from rl_retrieval.core.formats import BEIR_FOLDER, SMART_COLLECTION, TREC_RUN
from rl_shared.cli import InputOption
from rl_shared.cli.main import main
from rl_shared.errors import BadInput, ModelNotFound
from rl_shared.testing import refused


def _refused(capsys, argv: list[str]) -> str:
    return refused(capsys, argv)


def _sample(tmp_path: Path, fmt, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return fmt.write_sample(folder)


def test_run_and_smart_options_are_input_options_with_formats():
    options = {
        (command, p.name): p
        for command in ("evaluate", "convert-smart")
        for p in group.commands[command].params
    }
    assert options["evaluate", "run_file"].formats == ("trec-run",)
    for name in ("docs", "queries", "qrels"):
        option = options["convert-smart", name]
        assert isinstance(option, InputOption) and option.formats == (f"beir-smart-{name}",)
    assert options["convert-smart", "data"].formats == ("beir-smart-collection",)
    assert options["evaluate", "data"].formats == ("beir-folder", "limit-folder")


@pytest.mark.parametrize("score", ["nan", "inf"])
def test_evaluate_run_with_a_non_finite_score_names_the_line(tmp_path, capsys, score):
    data = _sample(tmp_path, BEIR_FOLDER, "data")
    run = _sample(tmp_path, TREC_RUN, "run")
    lines = run.read_text().splitlines()
    lines[1] = f"q1 Q0 d1 2 {score} sample"
    run.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    argv = ["retrieval", "beir", "evaluate", "--data", str(data), "--run", str(run)]
    error = _refused(capsys, [*argv, "--out", str(out)])
    assert "run.trec:2: score" in error and not out.exists()


def test_evaluate_run_of_other_queries_is_refused(tmp_path, capsys):
    data = _sample(tmp_path, BEIR_FOLDER, "data")
    run = tmp_path / "other.trec"
    run.write_text("x1 Q0 d1 1 1.0 t\n")
    error = _refused(
        capsys, ["retrieval", "beir", "evaluate", "--data", str(data), "--run", str(run)]
    )
    assert "ranks no query of the qrels" in error and "other.trec" in error


def test_evaluate_run_missing_some_judged_queries_warns(tmp_path, capsys):
    data = _sample(tmp_path, BEIR_FOLDER, "data")
    run = tmp_path / "half.trec"
    run.write_text("q1 Q0 d1 1 1.0 t\n")
    argv = ["retrieval", "beir", "evaluate", "--data", str(data), "--run", str(run), "--json"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "warning: 1 of 2 judged queries are not in half.trec" in captured.err
    assert "means are over the 1 in both" in captured.err
    # by default (pytrec_eval, BEIR) the missing q2 is left out: q1 finds 1 of its 2 documents
    summary = json.loads(captured.out)
    assert summary["metrics"]["Recall@10"] == 0.5 and summary["missing"] == "skip"
    # --missing zero (trec_eval -c): q2 counts as 0, so (0.5 + 0) / 2
    assert main([*argv, "--missing", "zero"]) == 0
    captured = capsys.readouterr()
    assert "each counts as 0 in the means over all 2" in captured.err
    assert json.loads(captured.out)["metrics"]["Recall@10"] == 0.25


def test_evaluate_missing_choices_are_the_metrics_conventions():
    from rl_retrieval.beir.cli import MISSING_CHOICES
    from rl_retrieval.core.metrics import MISSING

    assert MISSING_CHOICES == MISSING == ("skip", "zero")
    option = next(p for p in group.commands["evaluate"].params if p.name == "missing")
    assert tuple(option.type.choices) == MISSING and option.default == "skip"


def test_convert_smart_not_utf8_docs_names_the_line_and_writes_nothing(tmp_path, capsys):
    src = _sample(tmp_path, SMART_COLLECTION, "cran")
    raw = (src / "cran.all.1400").read_bytes().split(b"\n")
    raw[4] = b"caf\xe9"  # Latin-1: read with errors="replace" before, silently
    (src / "cran.all.1400").write_bytes(b"\n".join(raw))
    out = tmp_path / "out"
    error = _refused(
        capsys, ["retrieval", "beir", "convert-smart", "--data", str(src), "--out", str(out)]
    )
    assert "cran.all.1400:5: byte 0xe9" in error and not out.exists()


def test_convert_smart_named_file_that_is_a_folder_is_refused(tmp_path, capsys):
    src = _sample(tmp_path, SMART_COLLECTION, "cran")
    (src / "sub").mkdir()
    out = tmp_path / "out"
    argv = ["retrieval", "beir", "convert-smart", "--data", str(src), "--qrels", "sub"]
    error = _refused(capsys, [*argv, "--out", str(out)])
    assert "sub: is a folder" in error and not out.exists()


def test_convert_smart_into_its_own_input_folder_is_refused(tmp_path, capsys):
    src = _sample(tmp_path, SMART_COLLECTION, "cran")
    argv = ["retrieval", "beir", "convert-smart", "--data", str(src), "--out", str(src)]
    assert "would replace it" in _refused(capsys, argv)
    assert (src / "cran.all.1400").is_file()


def test_explicit_model_is_checked_even_with_bm25(tmp_path, capsys):
    data = _sample(tmp_path, BEIR_FOLDER, "data")
    empty = tmp_path / "empty-model"
    empty.mkdir()
    for command in ("search", "evaluate"):
        out = tmp_path / "out"
        argv = ["retrieval", "beir", command, "--data", str(data), "--model", str(empty)]
        error = _refused(capsys, [*argv, "--out", str(out)])
        assert "empty-model is not a sentence-transformers model folder" in error
        assert not out.exists()


def test_check_model_raises_model_not_found(tmp_path):
    import click

    from rl_retrieval.beir.cli import _check_model

    command = group.commands["search"]
    with click.Context(command) as ctx:
        ctx.set_parameter_source("model", click.core.ParameterSource.COMMANDLINE)
        with pytest.raises(ModelNotFound):
            _check_model(str(tmp_path / "nothing"), "bm25")


def test_data_that_is_neither_a_folder_nor_a_name(tmp_path, capsys):
    missing = tmp_path / "no-such-beir"
    error = _refused(
        capsys,
        ["retrieval", "beir", "search", "--data", str(missing), "--out", str(tmp_path / "o")],
    )
    assert "no-such-beir" in error and "not a registered dataset" in error
    from rl_retrieval.core.datasets import load_data

    with pytest.raises(BadInput):
        load_data(str(missing))

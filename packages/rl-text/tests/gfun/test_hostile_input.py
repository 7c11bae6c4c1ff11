"""Hostile input to ``rl text gfun``: one clean error naming file and line, nothing written."""

from __future__ import annotations

import pytest

import rl_text.gfun.formats  # noqa: F401  (registers the formats)
from rl_shared.cli.main import main
from rl_shared.errors import BadInput, MalformedFile, UnknownName
from rl_shared.formats import get_format
from rl_text.gfun.data import read_documents


def _rl(argv: list[str], capsys) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    return stop.value.code, capsys.readouterr().err.strip().splitlines()


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return get_format("gfun-model").write_sample(tmp_path_factory.mktemp("gfun"))


def test_docs_file_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "docs.tsv"
    path.write_bytes(b"lang\ttext\tlabel\nen\ta cat\tcaptions\nit\tcaff\xe8\tnews\n")
    with pytest.raises(MalformedFile) as err:
        read_documents(path, labelled=True)
    assert err.value.line == 3 and "docs.tsv:3" in str(err.value) and "UTF-8" in str(err.value)


def test_row_with_a_missing_or_extra_field_names_the_line(tmp_path):
    path = tmp_path / "docs.tsv"
    path.write_text("lang\ttext\tlabel\nen\ta cat\tcaptions\nit\tun gatto\n")
    with pytest.raises(MalformedFile, match="expected 3 fields") as err:
        read_documents(path, labelled=True)
    assert err.value.line == 3
    path.write_text("lang\ttext\tlabel\nen\ta cat\tcaptions\textra\n")
    with pytest.raises(MalformedFile, match="found 4") as err:
        read_documents(path, labelled=True)
    assert err.value.line == 2


def test_csv_line_numbers_are_physical_lines(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text('lang,text,label\nen,"a cat\non two lines",captions\n\nit,,news\n')
    with pytest.raises(MalformedFile, match="empty 'text'") as err:
        read_documents(path, labelled=True)
    assert err.value.line == 5


def test_label_outside_the_models_label_set_names_the_line(model, tmp_path, capsys):
    data = tmp_path / "test.tsv"
    data.write_text("lang\ttext\tlabel\nen\ta cat sits\tcaptions\nen\tstocks fell\tsports\n")
    code, err = _rl(
        ["text", "gfun", "evaluate", "--model", str(model), "--data", str(data)], capsys
    )
    assert code == 2 and len(err) == 1 and err[0].startswith("error:")
    assert "test.tsv:3" in err[0] and "'sports'" in err[0]


def test_language_the_model_never_saw_names_the_line(model, tmp_path, capsys):
    data = tmp_path / "texts.tsv"
    data.write_text("lang\ttext\nen\ta cat sits\nde\teine Katze\n")
    out = tmp_path / "o"
    argv = ["text", "gfun", "encode", "--model", str(model), "--data", str(data), "--out", str(out)]
    code, err = _rl(argv, capsys)
    assert code == 2 and len(err) == 1 and "texts.tsv:3" in err[0] and "'de'" in err[0]
    assert not out.exists()


def test_evaluate_data_without_a_model_names_the_file(tmp_path, capsys):
    data = get_format("gfun-docs-tsv").write_sample(tmp_path)
    code, err = _rl(["text", "gfun", "evaluate", "--data", str(data)], capsys)
    assert code == 2 and len(err) == 1 and "docs.tsv" in err[0] and "--model" in err[0]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--views", "XQ"], "unknown --views letter 'Q'"),
        (["--views", "XX"], "distinct letters"),
        (["--langs", "en,xx"], "unknown --langs language 'xx'"),
        (["--low-resource", "ja:0"], "at least 1"),
        (["--low-resource", "xx:5", "--langs", "en,it"], "unknown --low-resource language 'xx'"),
    ],
)
def test_unknown_names_and_bad_caps_are_refused_before_work(tmp_path, capsys, args, words):
    out = tmp_path / "o"
    code, err = _rl(["text", "gfun", "train", "--out", str(out), *args], capsys)
    assert code == 2 and len(err) == 1 and words in err[0]
    assert not out.exists()


def test_unknown_names_are_unknown_name_errors():
    from rl_text.gfun.cli import _check_langs, _check_views

    with pytest.raises(UnknownName):
        _check_views("XZ")
    with pytest.raises(UnknownName):
        _check_langs("en,klingon")


def test_training_file_with_a_single_label_is_refused(tmp_path, capsys):
    data = tmp_path / "one.tsv"
    data.write_text("lang\ttext\tlabel\nen\ta cat\tnews\nit\tun gatto\tnews\n")
    code, err = _rl(
        ["text", "gfun", "train", "--data", str(data), "--out", str(tmp_path / "o")], capsys
    )
    assert code == 2 and "one label" in err[-1] and not (tmp_path / "o").exists()


def test_a_broken_joblib_is_bad_input(model, tmp_path):
    import shutil

    from rl_text.gfun.model import MODEL_FILE, GeneralizedFunnelling

    copy = tmp_path / "model"
    shutil.copytree(model, copy)
    (copy / MODEL_FILE).write_bytes(b"not a pickle")
    with pytest.raises(BadInput, match="not a readable gFun model"):
        GeneralizedFunnelling.load(copy)


def test_training_rows_of_one_class_after_the_caps_are_refused():
    import numpy as np

    from rl_text.gfun.model import GeneralizedFunnelling

    docs = {"en": ["a cat"], "it": ["un gatto"]}
    with pytest.raises(BadInput, match="hold 1 class"):
        GeneralizedFunnelling(2).fit(docs, {"en": np.array([0]), "it": np.array([0])})

"""Hostile input to ``rl recsys dual-embeddings ...``: baskets, transaction tables, model folders."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rl_recsys.dual_embeddings.data import load_data, read_baskets, read_transactions
from rl_recsys.dual_embeddings.formats import BASKETS, MODEL, SAMPLE_ITEMS
from rl_recsys.dual_embeddings.model import DualEmbeddings, UnknownItem
from rl_shared.cli.main import main
from rl_shared.errors import BadInput, MalformedFile, ModelNotFound, ShapeMismatch, UnknownName
from rl_shared.testing import refused

DE = ["recsys", "dual-embeddings"]


def _refused(capsys, argv: list[str]) -> str:
    return refused(capsys, argv)


def _model(tmp_path: Path) -> Path:
    folder = tmp_path / "sample"
    folder.mkdir()
    return MODEL.write_sample(folder)


# ----------------------------------------------------------------------------- basket lines


def test_baskets_not_utf8_names_the_line_and_column(tmp_path):
    path = BASKETS.write_sample(tmp_path)
    lines = path.read_bytes().split(b"\n")
    lines[2] = b"caf\xe9,yogurt"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(MalformedFile) as err:
        read_baskets(path)
    assert err.value.line == 3 and "byte 0xe9 at column 4" in str(err.value)


def test_baskets_empty_file_or_folder_is_refused(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("\n\n")
    with pytest.raises(MalformedFile, match=r"b\.csv: the file is empty"):
        read_baskets(path)
    with pytest.raises(MalformedFile, match="is a folder"):
        read_baskets(tmp_path)


# ----------------------------------------------------------------------------- transaction tables


def _table(tmp_path: Path, text: bytes) -> Path:
    path = tmp_path / "pos.csv"
    path.write_bytes(text)
    return path


def test_transactions_missing_named_column_is_line_1_naming_it(tmp_path):
    path = _table(tmp_path, b"order,sku\n1,tea\n")
    with pytest.raises(MalformedFile) as err:
        read_transactions(path, "order", "item")
    assert err.value.line == 1 and "no column 'item'" in str(err.value)


def test_transactions_not_utf8_names_the_line(tmp_path):
    path = _table(tmp_path, b"order,sku\n1,tea\n2,caf\xe9\n")
    with pytest.raises(MalformedFile, match=r"pos\.csv:3: byte 0xe9"):
        read_transactions(path, "order", "sku")
    path = _table(tmp_path, b"ord\xffer,sku\n1,tea\n")
    with pytest.raises(MalformedFile, match=r"pos\.csv:1: byte 0xff"):
        read_transactions(path, "order", "sku")


def test_transactions_empty_or_header_only_is_refused(tmp_path):
    with pytest.raises(MalformedFile, match="the file is empty"):
        read_transactions(_table(tmp_path, b""), "order", "sku")
    with pytest.raises(MalformedFile, match="a header but no row"):
        read_transactions(_table(tmp_path, b"order,sku\n"), "order", "sku")


def test_transaction_row_with_another_field_count_is_refused(tmp_path):
    path = _table(tmp_path, b"order,sku,qty\n1,tea,2\n2,milk,1,extra\n")
    with pytest.raises(MalformedFile, match=r"pos\.csv:3: the row has 4 fields, the header 3"):
        read_transactions(path, "order", "sku")


def test_transaction_col_without_item_col_exit_2(tmp_path, capsys):
    path = _table(tmp_path, b"order,sku\n1,tea\n")
    argv = [*DE, "train", "--data", str(path), "--transaction-col", "order"]
    error = _refused(capsys, [*argv, "--out", str(tmp_path / "o")])
    assert "'--item-col'" in error and not (tmp_path / "o").exists()
    argv = [*DE, "train", "--data", str(path), "--transaction-col", "sku", "--item-col", "sku"]
    assert "both be the column" in _refused(capsys, [*argv, "--out", str(tmp_path / "o")])


@pytest.mark.parametrize("delimiter", [";;", "", '"', "\n"])
def test_delimiter_that_is_not_one_character_exit_2(tmp_path, capsys, delimiter):
    path = BASKETS.write_sample(tmp_path)
    argv = [
        *DE,
        "train",
        "--data",
        str(path),
        "--delimiter",
        delimiter,
        "--out",
        str(tmp_path / "o"),
    ]
    assert "'--delimiter'" in _refused(capsys, argv)


def test_tab_delimiter_by_name(tmp_path, capsys):
    path = _table(tmp_path, b"order\tsku\n1\ttea\n1\tlemon\n2\ttea\n2\tlemon\n")
    for tab in ("\\t", "tab"):
        argv = [*DE, "train", "--data", str(path), "--delimiter", tab]
        argv += ["--transaction-col", "order", "--item-col", "sku", "--epochs", "1", "--dim", "2"]
        assert main([*argv, "--out", str(tmp_path / "o"), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["baskets"] == 2


def test_registered_dataset_with_table_columns_is_refused():
    with pytest.raises(BadInput, match="not a transaction table"):
        load_data("groceries", "order", "sku")


# ----------------------------------------------------------------------------- model folders


def test_model_sample_loads_and_holds_the_fill_item(tmp_path):
    model = DualEmbeddings.load(_model(tmp_path))
    assert model.items == list(SAMPLE_ITEMS) and "whole milk" in model and model.dim == 4


def test_model_items_not_utf8_names_the_line(tmp_path):
    folder = _model(tmp_path)
    lines = (folder / "items.json").read_bytes().split(b"\n")
    lines[2] = b'  "yog\xffurt",'
    (folder / "items.json").write_bytes(b"\n".join(lines))
    with pytest.raises(MalformedFile, match=r"items\.json:3: byte 0xff"):
        DualEmbeddings.load(folder)


@pytest.mark.parametrize(
    ("items", "problem"),
    [
        ('{"a": 1}', "a JSON list of item names"),
        ("[]", "has no item"),
        ('["a", "a"]', "listed twice"),
        ("[1, 2]", "a JSON list of item names"),
    ],
)
def test_model_items_of_the_wrong_kind_are_refused(tmp_path, items, problem):
    folder = _model(tmp_path)
    (folder / "items.json").write_text(items)
    with pytest.raises(MalformedFile, match=problem):
        DualEmbeddings.load(folder)


def test_model_items_not_matching_the_vectors_is_a_shape_mismatch(tmp_path):
    folder = _model(tmp_path)
    (folder / "items.json").write_text(json.dumps(list(SAMPLE_ITEMS[:-1])))
    with pytest.raises(ShapeMismatch, match="lists 5 items"):
        DualEmbeddings.load(folder)


def test_model_without_weights_is_not_found(tmp_path):
    folder = _model(tmp_path)
    (folder / "model.safetensors").unlink()
    with pytest.raises(ModelNotFound, match=r"no model\.safetensors"):
        DualEmbeddings.load(folder)


def test_model_with_nan_vectors_is_refused(tmp_path):
    folder = _model(tmp_path)
    model = DualEmbeddings.load(folder)
    model.in_vectors[1, 0] = np.nan
    model.save(folder)
    with pytest.raises(MalformedFile, match="'in' holds NaN or infinity"):
        DualEmbeddings.load(folder)


def test_recommend_unknown_item_is_an_unknown_name(tmp_path, capsys):
    folder = _model(tmp_path)
    with pytest.raises(UnknownName) as err:
        DualEmbeddings.load(folder).complementary("whole mlk")
    assert isinstance(err.value, UnknownItem) and "the closest are 'whole milk'" in str(err.value)
    error = _refused(capsys, [*DE, "recommend", "--model", str(folder), "--item", "whole mlk"])
    assert "unknown item 'whole mlk'" in error


def test_export_refuses_a_broken_model_before_writing(tmp_path, capsys):
    folder = _model(tmp_path)
    (folder / "config.json").write_bytes(b"")
    out = tmp_path / "kv"
    error = _refused(capsys, [*DE, "export", "--model", str(folder), "--out", str(out)])
    assert "config.json: the file is empty" in error and not out.exists()

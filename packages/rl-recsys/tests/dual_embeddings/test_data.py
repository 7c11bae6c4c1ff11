import pytest

from rl_recsys.dual_embeddings.data import (
    item_counts,
    load_baskets,
    read_baskets,
    read_transactions,
    split_baskets,
)
from rl_shared.errors import BadInput, MalformedFile


def test_read_baskets_skips_empty_and_dedupes(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes(b"milk,bread,milk\r\n\r\ncream cheese ,coffee\n")
    assert read_baskets(path) == [["milk", "bread"], ["cream cheese ", "coffee"]]


def test_empty_item_names_file_and_line(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("milk,bread\ncoffee,,tea\n")
    with pytest.raises(MalformedFile) as err:
        read_baskets(path)
    assert f"{path}:2" in str(err.value)


def test_non_utf8_line(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes(b"milk\n\xff\xfe\n")
    with pytest.raises(MalformedFile, match=":2:"):
        read_baskets(path)


def test_missing_file(tmp_path):
    with pytest.raises(BadInput, match="no file at"):
        read_baskets(tmp_path / "nope.csv")


def test_transactions(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("tid,item,qty\n1,milk,2\n2,tea,1\n1,bread,1\n1,milk,1\n")
    assert read_transactions(path, "tid", "item") == [["milk", "bread"], ["tea"]]
    assert load_baskets(path, "tid", "item") == [["milk", "bread"], ["tea"]]


def test_transaction_errors(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("tid,item\n1,milk\n2\n")
    with pytest.raises(MalformedFile, match=r"t\.csv:3"):
        read_transactions(path, "tid", "item")
    with pytest.raises(MalformedFile, match="no column 'sku'"):
        read_transactions(path, "tid", "sku")
    with pytest.raises(BadInput):
        load_baskets(path, "tid", None)


def test_split_time_and_random():
    baskets = [[str(i)] for i in range(10)]
    train, test = split_baskets(baskets, 0.3)
    assert test == [["7"], ["8"], ["9"]] and len(train) == 7
    train, test = split_baskets(baskets, 0.3, "random", seed=1)
    assert sorted(train + test) == sorted(baskets)
    assert split_baskets(baskets, 0.3, "random", seed=1) == (train, test)
    with pytest.raises(BadInput):
        split_baskets(baskets, 1.5)


def test_item_counts():
    assert item_counts([["a", "b"], ["a"]]) == {"a": 2, "b": 1}

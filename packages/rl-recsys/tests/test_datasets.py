import pytest

from rl_recsys.datasets import DATASETS
from rl_recsys.dual_embeddings.data import load_groceries
from rl_shared.data import list_datasets
from rl_shared.errors import DatasetNotFound


def test_registered():
    assert list_datasets()["groceries"] == DATASETS[0]
    assert DATASETS[0].used_by == ("recsys.dual-embeddings",)


def test_missing_names_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(DatasetNotFound, match="baskets"):
        load_groceries()


def test_groceries_when_present():
    if not DATASETS[0].is_present():
        pytest.skip("groceries.csv not in RL_DATA_DIR")
    baskets = load_groceries()
    assert len(baskets) == 9835
    assert len({i for b in baskets for i in b}) == 169

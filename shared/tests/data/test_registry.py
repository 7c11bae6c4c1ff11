import pytest

from rl_shared.data import Dataset, cache_dir, data_dir
from rl_shared.errors import DatasetNotFound


def test_dirs_follow_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path / "c"))
    assert data_dir() == tmp_path / "d"
    assert cache_dir("emb") == tmp_path / "c" / "emb" and (tmp_path / "c" / "emb").is_dir()


def test_locate_prefers_cache_then_data_and_names_folder_when_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path / "c"))
    ds = Dataset("toy", "sets/toy", ("*.csv",), "toy data")
    with pytest.raises(
        DatasetNotFound, match=r"dataset 'toy' not found in .*d/sets/toy: put \*.csv there"
    ):
        ds.locate()
    (tmp_path / "d" / "sets" / "toy").mkdir(parents=True)
    (tmp_path / "d" / "sets" / "toy" / "a.csv").write_text("x")
    assert ds.locate() == tmp_path / "d" / "sets" / "toy"
    (tmp_path / "c" / "sets" / "toy").mkdir(parents=True)
    assert ds.locate() == tmp_path / "d" / "sets" / "toy"  # an empty cache folder is not complete
    (tmp_path / "c" / "sets" / "toy" / "b.csv").write_text("y")
    assert ds.locate() == tmp_path / "c" / "sets" / "toy"

import pytest

from rl_shared.data import list_datasets
from rl_shared.reproduce import list_reproductions


@pytest.mark.parametrize(
    "name, datasets, arxiv",
    [("vision.any2seg", (), "2407.11351"), ("vision.grounded", ("stsb-en-test",), "1903.11393")],
)
def test_registered(name, datasets, arxiv):
    found = list_reproductions()[name]
    assert found.datasets == datasets and arxiv in found.paper


def test_datasets_registered_and_real_data_not_claimed(tmp_path, monkeypatch):
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path / "cache"))
    found = list_datasets()
    assert {"deliver", "mcubes", "stsb-en-test"} <= set(found)
    assert not found["deliver"].is_present() and not found["mcubes"].is_present()

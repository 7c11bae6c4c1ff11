import pytest

from rl_shared.data import list_datasets
from rl_shared.reproduce import RunContext, list_reproductions
from rl_vision.any2seg.reproduction import MODALITIES, run
from rl_vision.core.scenes.dataset import MODALITIES as SCENE_MODALITIES


def test_registered():
    found = list_reproductions()["vision.any2seg"]
    assert found.datasets == () and "2407.11351" in found.paper
    assert MODALITIES == tuple(SCENE_MODALITIES)


def test_datasets_registered_and_real_data_not_claimed(tmp_path, monkeypatch):
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path / "cache"))
    found = list_datasets()
    assert {"deliver", "mcubes"} <= set(found) and "stsb-en-test" not in found
    assert not found["deliver"].is_present() and not found["mcubes"].is_present()


@pytest.mark.slow
def test_smoke_size_runs_end_to_end(tmp_path):
    result = run(RunContext(tmp_path, "smoke", seed=0))
    assert 0 <= result.metrics["any2seg.R+D+E+L.clean"] <= 1
    assert (tmp_path / "any2seg_subsets.png").read_bytes()[:4] == b"\x89PNG"

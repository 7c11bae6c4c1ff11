import pytest

from rl_robotics.sirl.trajectories import TrajectorySet, generate_trajectories
from rl_shared.runtime import threads


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    """Every test writes its caches into its own temporary folder and runs torch on one thread."""
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path / "cache"))
    with threads(1):
        yield


@pytest.fixture(scope="session")
def tiny() -> TrajectorySet:
    """Twelve short trajectories made once per session (not cached)."""
    return generate_trajectories(12, steps=4, seed=0, cache=False)

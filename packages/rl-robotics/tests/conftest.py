import pytest
import torch

from rl_robotics.trajectories import TrajectorySet, generate_trajectories


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    """Every test writes its caches into its own temporary folder."""
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path / "cache"))
    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def tiny() -> TrajectorySet:
    """Twelve short trajectories made once per session (not cached)."""
    return generate_trajectories(12, steps=4, seed=0, cache=False)

import pytest

from rl_robotics.sirl import reproduction
from rl_robotics.sirl.experiment import ExperimentConfig
from rl_robotics.sirl.representation import TrainConfig
from rl_shared.reproduce import RunContext
from rl_shared.runtime import threads


def test_summarize_gives_mean_and_sample_std_over_seeds():
    rows = [
        {"method": "sirl", "queries": 5, "accuracy": 0.5},
        {"method": "sirl", "queries": 5, "accuracy": 0.7},
    ]
    mean, std = reproduction.summarize(rows, "accuracy")[("sirl", 5)]
    assert mean == pytest.approx(0.6) and std == pytest.approx(0.1 * 2**0.5)


def test_sizes_keep_quick_and_full_and_add_a_smaller_smoke():
    smoke, quick, full = (reproduction._settings(s) for s in ("smoke", "quick", "full"))
    assert quick["seeds"] == 2 and quick["config"].queries == (25, 100, 400)
    assert quick["config"].pool == 400 and quick["config"].train.steps == 300
    assert full["seeds"] == 5 and full["config"].queries == (10, 25, 50, 100, 200, 500, 1000)
    assert full["config"].pool == 1500 and len(full["people"]) == 3
    assert smoke["seeds"] == 1 and smoke["config"].pool < quick["config"].pool


def test_tiny_run_writes_tables_and_a_plot_and_restores_threads(tmp_path, monkeypatch):
    import torch

    tiny = ExperimentConfig(
        queries=(6, 12),
        preferences=6,
        pool=15,
        test=8,
        test_pairs=20,
        steps=3,
        train=TrainConfig(steps=2),
        contrastive_steps=2,
        cache=False,
    )
    monkeypatch.setattr(
        reproduction, "_settings", lambda size: {"seeds": 1, "people": ("table",), "config": tiny}
    )
    with threads(2):
        result = reproduction.run(RunContext(tmp_path, "smoke", seed=0))
        assert torch.get_num_threads() == 2
    assert (tmp_path / "accuracy_vs_queries_table.png").exists()
    assert "table.sirl.accuracy_moved" in result.metrics and result.seeds == [0]
    assert "| 12 |" in result.details

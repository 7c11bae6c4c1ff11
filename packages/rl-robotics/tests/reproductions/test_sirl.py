from rl_robotics.experiment import ExperimentConfig
from rl_robotics.representation import TrainConfig
from rl_robotics.reproductions import sirl
from rl_shared.reproduce import RunContext


def test_summarize_means_over_seeds():
    rows = [
        {"method": "sirl", "queries": 5, "accuracy": 0.5},
        {"method": "sirl", "queries": 5, "accuracy": 0.7},
    ]
    mean, std = sirl.summarize(rows, "accuracy")[("sirl", 5)]
    assert abs(mean - 0.6) < 1e-12 and abs(std - 0.1) < 1e-12


def test_tiny_run_writes_tables_and_a_plot(tmp_path, monkeypatch):
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
        sirl, "_settings", lambda quick: {"seeds": 1, "people": ("table",), "config": tiny}
    )
    result = sirl.run(RunContext(tmp_path, quick=True, seed=0))
    assert (tmp_path / "accuracy_vs_queries_table.png").exists()
    assert "table.sirl.accuracy_moved" in result.metrics and result.seeds == [0]
    assert "| 12 |" in result.details

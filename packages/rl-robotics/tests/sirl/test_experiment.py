import pytest

from rl_robotics.sirl.experiment import METHODS, ExperimentConfig, run_sirl_experiment
from rl_robotics.sirl.people import SimulatedPerson
from rl_robotics.sirl.representation import TrainConfig
from rl_shared.errors import BadInput

TINY = ExperimentConfig(
    queries=(10, 20),
    preferences=10,
    pool=20,
    test=10,
    test_pairs=30,
    steps=3,
    train=TrainConfig(steps=3),
    contrastive_steps=3,
    cache=False,
)


def test_one_row_per_method_and_budget_and_deterministic():
    rows = run_sirl_experiment(SimulatedPerson("laptop"), TINY, seed=0)
    assert {(r["method"], r["queries"]) for r in rows} == {
        (m, q) for m in METHODS for q in (10, 20)
    }
    for r in rows:
        assert 0.0 <= r["accuracy"] <= 1.0 and 0.0 <= r["accuracy_moved"] <= 1.0
    oracle = next(r for r in rows if r["method"] == "oracle")
    assert oracle["r2_table"] > 0.999
    assert rows == run_sirl_experiment(SimulatedPerson("laptop"), TINY, seed=0)


def test_bad_budget():
    with pytest.raises(BadInput):
        run_sirl_experiment(SimulatedPerson("laptop"), ExperimentConfig(queries=()))

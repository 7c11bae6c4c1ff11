import pytest

from rl_recsys.dual_embeddings.sgns import SGNSConfig
from rl_recsys.dual_embeddings.tuning import tune
from rl_shared.errors import BadInput


def test_tune_picks_best_trial(planted):
    base = SGNSConfig(dim=8, epochs=3, negative=3)
    result = tune(
        planted, planted[:60], {"ns_exponent": [0.0, 0.75], "dim": [4, 8]}, base, n_trials=3
    )
    assert len(result.trials) == 3
    assert result.best_score == max(score for _, score in result.trials)
    assert result.best in [config for config, _ in result.trials]


def test_tune_rejects_unknown_field(planted):
    with pytest.raises(BadInput, match="unknown hyper-parameters"):
        tune(planted, planted, {"learning_rate": [0.1]})

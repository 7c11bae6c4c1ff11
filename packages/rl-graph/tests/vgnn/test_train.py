import numpy as np
import pytest
import torch

from rl_graph.vgnn.data import EHRData, make_synthetic_ehr
from rl_graph.vgnn.model import VGNN, admission_graph
from rl_graph.vgnn.train import (
    OutcomeModel,
    ehr_experiment,
    fit_vgnn,
    load_outcome_model,
    predict_vgnn,
    save_outcome_model,
    score_admissions,
)
from rl_shared.errors import BadInput, UnknownName


@pytest.fixture(scope="module")
def data():
    return make_synthetic_ehr(120, num_codes=20, num_conditions=4, seed=0)


def test_fit_lowers_loss(data):
    graphs = [admission_graph(c, y) for c, y in zip(data.codes, data.labels)]
    hist = fit_vgnn(VGNN(20, hidden=8), graphs, epochs=4, lr=1e-2)
    assert hist[-1] < hist[0]


def test_same_seed_same_result(data):
    a = ehr_experiment(data, "vgnn", seed=1, epochs=1, hidden=8)
    b = ehr_experiment(data, "vgnn", seed=1, epochs=1, hidden=8)
    assert a == b and 0 < a["auprc"] <= 1 and a["effective_rank"] >= 1


@pytest.mark.parametrize("kind", ["logreg", "encdec", "vgnn"])
def test_saved_model_scores_like_the_trained_one(data, kind, tmp_path):
    _, trained = ehr_experiment(data, kind, epochs=1, hidden=8, return_model=True)
    again = load_outcome_model(save_outcome_model(trained, tmp_path / "model"))
    assert again.kind == kind and again.vocab == data.vocab and again.config["seed"] == 0
    p1, i1 = score_admissions(trained, data)
    p2, i2 = score_admissions(again, data)
    assert np.array_equal(i1, i2) and np.allclose(p1, p2, atol=1e-6)
    if kind == "logreg":  # sigmoid(x @ coef + b) on the multi-hot codes, as scikit-learn's
        x = data.multi_hot()
        assert np.allclose(p1, 1 / (1 + np.exp(-(x @ trained.coef + trained.intercept))))
    else:
        probs, _ = predict_vgnn(
            trained.net, [admission_graph(c, y) for c, y in zip(data.codes, data.labels)]
        )
        assert np.allclose(probs, p1, atol=1e-6)


def test_scoring_matches_codes_by_name():
    model = OutcomeModel("logreg", ["a", "b"], coef=np.array([3.0, -3.0]), intercept=0.0)
    data = EHRData([[1], [0, 2], [2]], np.array([1, 0, 0]), ["b", "a", "z"])
    probs, index = score_admissions(model, data)
    assert index.tolist() == [0, 1] and probs[0] > 0.5 > probs[1]  # 'a' up, 'b' down; 'z' unknown
    with pytest.raises(BadInput, match="no admission shares"):
        score_admissions(model, EHRData([[0]], np.array([1]), ["z"]))


def test_errors(data, tmp_path):
    with pytest.raises(UnknownName, match="valid EHR models"):
        ehr_experiment(data, "rf")
    single = EHRData(data.codes, np.zeros(len(data), dtype=np.int64), data.vocab)
    with pytest.raises(BadInput, match="single class"):
        ehr_experiment(single, "logreg")
    from rl_graph.core.models import GINClassifier
    from rl_graph.l2r_gnn.train import save_gin

    save_gin(GINClassifier(1, 4, 3), tmp_path / "gin")
    with pytest.raises(BadInput, match="not one of `rl graph vgnn train`"):
        load_outcome_model(tmp_path / "gin")
    assert torch.get_num_threads() == 1

import numpy as np
import pytest

from rl_graph.vgnn.data import EHRData, make_synthetic_ehr
from rl_graph.vgnn.model import admission_graph
from rl_graph.vgnn.storage import load_outcome_model, save_outcome_model, score_admissions
from rl_graph.vgnn.train import OutcomeModel, ehr_experiment, predict_vgnn
from rl_shared.errors import BadInput


@pytest.fixture(scope="module")
def data():
    return make_synthetic_ehr(120, num_codes=20, num_conditions=4, seed=0)


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


def test_loading_another_kind_of_model_fails(tmp_path):
    from rl_graph.core.models import GINClassifier
    from rl_graph.l2r_gnn.train import save_gin

    save_gin(GINClassifier(1, 4, 3), tmp_path / "gin")
    with pytest.raises(BadInput, match="not one of `rl graph vgnn train`"):
        load_outcome_model(tmp_path / "gin")

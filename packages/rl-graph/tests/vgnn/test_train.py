import numpy as np
import pytest
import torch

from rl_graph.vgnn.data import EHRData, make_synthetic_ehr
from rl_graph.vgnn.model import VGNN, admission_graph
from rl_graph.vgnn.train import ehr_experiment, fit_vgnn
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


def test_errors(data):
    with pytest.raises(UnknownName, match="valid EHR models"):
        ehr_experiment(data, "rf")
    single = EHRData(data.codes, np.zeros(len(data), dtype=np.int64), data.vocab)
    with pytest.raises(BadInput, match="single class"):
        ehr_experiment(single, "logreg")
    assert torch.get_num_threads() == 1

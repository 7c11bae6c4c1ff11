import pytest

from rl_graph.core.models import GINClassifier
from rl_graph.l2r_gnn.experiments import molecule_experiment, spurious_motif_experiment
from rl_graph.l2r_gnn.molecules import featurise


def test_spurious_motif_experiment_is_repeatable_and_returns_its_model():
    kwargs = {"num_train": 30, "num_test": 30, "epochs": 1}
    a, model = spurious_motif_experiment(0.9, "l2r", seed=3, return_model=True, **kwargs)
    b = spurious_motif_experiment(0.9, "l2r", seed=3, **kwargs)
    assert a == b and a["train_bias"] == pytest.approx(0.9)
    assert {"dependence.uniform", "dependence.weighted", "test_accuracy.base_differs"} <= set(a)
    assert isinstance(model, GINClassifier)


def test_molecule_experiment_on_given_graphs():
    smiles = ["CCO", "CCN", "c1ccccc1", "c1ccccc1O", "CCCl", "CC=O", "CCCC", "CCCCN"]
    mols = featurise(smiles * 2, [0, 1] * 8)
    r = molecule_experiment("own", "l2r", "size", epochs=2, graphs=mols)
    assert r["train_size"] + r["valid_size"] + r["test_size"] == 16
    assert {"valid_roc_auc", "test_roc_auc"} <= set(r)

import numpy as np
import pytest
import torch

from rl_graph.l2r_gnn.motif import load_graphs, make_spurious_motif, measured_bias, save_graphs
from rl_shared.errors import BadInput, MalformedFile


@pytest.mark.parametrize("bias", [1 / 3, 0.5, 0.7, 0.9, 1.0])
def test_measured_bias_equals_requested(bias):
    graphs = make_spurious_motif(90, bias=bias, seed=3)
    assert measured_bias(graphs) == pytest.approx(bias, abs=1e-9)
    # labels balanced, and among non-matching graphs the other two bases are balanced
    labels = np.array([int(g.y) for g in graphs])
    assert np.bincount(labels).tolist() == [30, 30, 30]


def test_motif_is_the_label_and_node_mask_marks_it():
    sizes = {0: 5, 1: 5, 2: 9}  # cycle-5, house, 3x3 grid
    for g in make_spurious_motif(30, bias=0.5, seed=0):
        assert int(g.node_mask.sum()) == sizes[int(g.y)]
        # undirected: every edge has its reverse
        e = set(map(tuple, g.edge_index.t().tolist()))
        assert all((j, i) in e for i, j in e)


def test_test_split_has_larger_bases_and_is_deterministic():
    train = make_spurious_motif(60, bias=0.5, split="train", seed=1)
    test = make_spurious_motif(60, bias=0.5, split="test", seed=1)
    base_nodes = lambda gs: np.mean([g.num_nodes - int(g.node_mask.sum()) for g in gs])  # noqa: E731
    assert base_nodes(test) > 1.7 * base_nodes(train)
    again = make_spurious_motif(60, bias=0.5, split="train", seed=1)
    assert all(torch.equal(a.edge_index, b.edge_index) for a, b in zip(train, again))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"bias": 1.5}, "bias must lie"),
        ({"split": "valid"}, "split must"),
        ({"num_graphs": 0}, "at least 1"),
    ],
)
def test_bad_arguments(kwargs, message):
    args = {"num_graphs": 9, **kwargs}
    with pytest.raises(BadInput, match=message):
        make_spurious_motif(**args)


def test_graph_file_round_trip_keeps_every_field(tmp_path):
    graphs = make_spurious_motif(12, bias=0.7, split="test", seed=2)
    again = load_graphs(save_graphs(graphs, tmp_path / "g.npz"))
    for a, b in zip(graphs, again, strict=True):
        assert torch.equal(a.x, b.x) and torch.equal(a.edge_index, b.edge_index)
        assert int(a.y) == int(b.y) and int(a.base) == int(b.base)
        assert torch.equal(a.node_mask, b.node_mask)
    assert measured_bias(again) == measured_bias(graphs)


def test_graph_file_errors(tmp_path):
    with pytest.raises(BadInput, match="generate"):
        load_graphs(tmp_path / "missing.npz")
    np.savez(tmp_path / "other.npz", a=np.zeros(2))
    with pytest.raises(MalformedFile, match=r"other\.npz"):
        load_graphs(tmp_path / "other.npz")


def test_generator_leaves_global_random_state_alone():
    import random

    random.seed(5)
    np.random.seed(5)
    torch.manual_seed(5)
    expected = (random.random(), np.random.rand(), torch.rand(1))
    random.seed(5)
    np.random.seed(5)
    torch.manual_seed(5)
    make_spurious_motif(9, seed=0)
    assert (random.random(), np.random.rand()) == expected[:2]
    assert torch.equal(torch.rand(1), expected[2])

import numpy as np
import pytest
import torch

from rl_graph.spurious_motif import make_spurious_motif, measured_bias
from rl_shared.errors import BadInput


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

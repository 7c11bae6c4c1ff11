import pytest

from rl_shared.reproduce import list_reproductions


@pytest.mark.parametrize(
    "name, datasets",
    [
        ("graph.l2r-gnn.spurious-motif", ()),
        ("graph.l2r-gnn.molecules", ("moleculenet-classification",)),
    ],
)
def test_registered(name, datasets):
    found = list_reproductions()[name]
    assert found.datasets == datasets and "2312.12475" in found.paper
    assert found.run.__module__ == "rl_graph.l2r_gnn.reproduction"

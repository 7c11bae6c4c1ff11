import pytest

from rl_shared.reproduce import list_reproductions


@pytest.mark.parametrize(
    "name, datasets, arxiv",
    [
        ("graph.spurious-motif", (), "2312.12475"),
        ("graph.molecules", ("moleculenet-classification",), "2312.12475"),
        ("graph.ehr", (), "1912.03761"),
    ],
)
def test_registered(name, datasets, arxiv):
    found = list_reproductions()[name]
    assert found.datasets == datasets and arxiv in found.paper

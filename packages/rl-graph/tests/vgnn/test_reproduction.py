from rl_shared.reproduce import list_reproductions


def test_registered():
    found = list_reproductions()["graph.vgnn"]
    assert found.datasets == () and "1912.03761" in found.paper
    assert found.run.__module__ == "rl_graph.vgnn.reproduction"

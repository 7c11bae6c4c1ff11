from rl_shared.reproduce import list_reproductions


def test_registered():
    found = list_reproductions()["vision.grounded"]
    assert found.datasets == ("stsb",) and "1903.11393" in found.paper

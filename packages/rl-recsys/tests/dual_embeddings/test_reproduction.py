from rl_recsys.reproductions.groceries import REPRODUCTION
from rl_shared.reproduce import list_reproductions


def test_registered():
    found = list_reproductions()["recsys.groceries"]
    assert found.run is REPRODUCTION.run and found.datasets == ("groceries",)
    assert "2211.14982" in found.paper

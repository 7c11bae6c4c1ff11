from rl_recsys.dual_embeddings.reproduction import REPRODUCTION, _settings
from rl_shared.reproduce import RunContext, list_reproductions


def test_registered():
    found = list_reproductions()["recsys.dual-embeddings"]
    assert found.run is REPRODUCTION.run and found.datasets == ("groceries",)
    assert "2211.14982" in found.paper
    assert found.folder == "rl_recsys.dual_embeddings"


def test_sizes_keep_quick_and_full(tmp_path):
    quick = _settings(RunContext(tmp_path, "quick", 0))
    full = _settings(RunContext(tmp_path, "full", 0))
    smoke = _settings(RunContext(tmp_path, "smoke", 0))
    assert (quick["seeds"], quick["base"].epochs, quick["baskets"]) == (2, 15, None)
    assert full["seeds"] == 5 and len(full["grid"]["ns_exponent"]) == 5
    assert smoke["baskets"] and smoke["base"].epochs < quick["base"].epochs

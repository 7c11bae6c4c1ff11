"""The chem.xcnn reproduction at its smoke size: the whole path, a report and a plot."""

from __future__ import annotations

import pytest

from rl_shared.data import get_dataset
from rl_shared.reproduce import RunContext
from rl_shared.reproduce.registry import list_reproductions


# the workspace's tests/test_smoke_reproductions.py runs every reproduction at this size in CI
# and checks its metrics against expected.json; here it is the member's own longer check
@pytest.mark.slow
def test_smoke_runs_end_to_end(tmp_path):
    repro = list_reproductions()["chem.xcnn"]
    if not all(get_dataset(name).is_present() for name in repro.datasets):
        pytest.skip(f"data of chem.xcnn not present: {repro.datasets}")
    result = repro.run(RunContext(tmp_path, "smoke", 0))
    assert result.plots and all((tmp_path / p).is_file() for p in result.plots)
    assert result.seeds == [0] and result.summary
    assert all(v == v for k, v in result.metrics.items() if "mae" in k or "rmse" in k)

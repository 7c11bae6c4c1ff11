from __future__ import annotations

import json

from click.testing import CliRunner

from rl_text.syntactic_domain.cli import group


def test_probe_reports_the_swap_drop_per_strength() -> None:
    res = CliRunner().invoke(
        group,
        ["probe", "--strength", "0,1", "--n-train", "120", "--n-test", "30", "--no-association",
         "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    assert [r["strength"] for r in rows] == [0.0, 1.0]
    assert rows[1]["drop"] > rows[0]["drop"]


def test_probe_rejects_a_strength_outside_0_1() -> None:
    res = CliRunner().invoke(group, ["probe", "--strength", "1.5", "--no-association"])
    assert res.exit_code != 0 and "[0, 1]" in str(res.exception)

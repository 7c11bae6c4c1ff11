"""The reproductions and the datasets are registered through entry points."""

from __future__ import annotations

from rl_shared.data import list_datasets
from rl_shared.reproduce.registry import list_reproductions


def test_registered():
    repros = list_reproductions()
    assert {"chem.skala", "chem.cmim", "chem.xcnn"} <= set(repros)
    assert "chem.xc" not in repros
    assert repros["chem.xcnn"].datasets == ("xcnn",)
    assert repros["chem.cmim"].datasets == ("moleculenet-regression",)
    assert {"xcnn", "moleculenet-regression"} <= set(list_datasets())
    for paper in ("skala", "xcnn", "cmim"):
        assert repros[f"chem.{paper}"].run.__module__ == f"rl_chem.{paper}.reproduction"

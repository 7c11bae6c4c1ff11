from __future__ import annotations

import pytest

from rl_retrieval.core.run_format import read_trec_run, top_k, write_trec_run
from rl_shared.errors import BadInput, MalformedFile


def test_round_trip(tmp_path):
    run = {"q1": {"d1": 0.5, "d2": 1.25, "d3": -3.0}, "q2": {"d9": 1e-7}}
    write_trec_run(run, tmp_path / "run.txt", tag="x")
    assert read_trec_run(tmp_path / "run.txt") == run
    first = (tmp_path / "run.txt").read_text().splitlines()[0]
    assert first == "q1 Q0 d2 1 1.25 x"


def test_k_and_ties(tmp_path):
    assert top_k({"b": 1.0, "a": 1.0, "c": 2.0}, 2) == [("c", 2.0), ("a", 1.0)]
    write_trec_run({"q": {"b": 1.0, "a": 1.0, "c": 2.0}}, tmp_path / "r", k=1)
    assert read_trec_run(tmp_path / "r") == {"q": {"c": 2.0}}


def test_malformed(tmp_path):
    (tmp_path / "r").write_text("q Q0 d 1 0.5 t\nq Q0 d 1 t\n")
    with pytest.raises(MalformedFile, match=r"r:2: expected 6 columns"):
        read_trec_run(tmp_path / "r")
    with pytest.raises(BadInput):
        write_trec_run({"q": {"d": 1.0}}, tmp_path / "x", tag="two words")

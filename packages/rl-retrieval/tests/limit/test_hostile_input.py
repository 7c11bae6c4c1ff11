"""Hostile input to ``rl retrieval limit ...``: cross-option checks and a strict ``--data``."""

from __future__ import annotations

import json

from click.testing import CliRunner

from rl_retrieval.core.formats import LIMIT_FOLDER
from rl_retrieval.limit.cli import group
from rl_shared.testing import refused


def _refused(capsys, argv: list[str]) -> str:
    return refused(capsys, argv)


def test_generate_more_attributes_than_documents_exit_2(tmp_path, capsys):
    out = tmp_path / "g"
    argv = ["retrieval", "limit", "generate", "--docs", "12", "--queries", "3"]
    error = _refused(capsys, [*argv, "--attributes", "13", "--out", str(out)])
    assert "'--attributes'" in error and "more than --docs 12" in error
    assert not out.exists()


def test_generate_pool_smaller_than_the_queries_need_exit_2(tmp_path, capsys):
    out = tmp_path / "g"
    argv = ["retrieval", "limit", "generate", "--docs", "4", "--queries", "10", "--out", str(out)]
    error = _refused(capsys, argv)
    assert "'--docs'" in error and "at least 5" in error
    assert not out.exists()


def test_zero_k_and_zero_counts_exit_2(capsys):
    assert "'--k'" in _refused(capsys, ["retrieval", "limit", "critical-n", "--k", "0"])
    for option in ("--docs", "--queries", "--attributes"):
        argv = ["retrieval", "limit", "generate", option, "0", "--out", "unused"]
        assert option in _refused(capsys, argv)


def test_generate_default_attributes_fit_a_small_corpus(tmp_path):
    out = tmp_path / "g"
    result = CliRunner().invoke(
        group, ["generate", "--docs", "20", "--queries", "5", "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    first = json.loads((out / "corpus.jsonl").read_text().splitlines()[0])
    assert first["text"].count(",") + 1 >= 19  # 20 attributes: "A, B, ... and T."


def test_bounds_declares_its_formats_and_names_a_bad_score_line(tmp_path, capsys):
    option = next(p for p in group.commands["bounds"].params if p.name == "data")
    assert option.formats == ("limit-folder", "beir-folder")
    folder = LIMIT_FOLDER.write_sample(tmp_path)
    lines = (folder / "qrels.jsonl").read_text().splitlines()
    lines[2] = '{"query-id": "q2", "corpus-id": "d2", "score": Infinity}'
    (folder / "qrels.jsonl").write_text("\n".join(lines) + "\n")
    error = _refused(capsys, ["retrieval", "limit", "bounds", "--data", str(folder)])
    assert "qrels.jsonl:3: Infinity is not a number JSON allows" in error

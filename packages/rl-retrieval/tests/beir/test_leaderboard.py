"""The BEIR leaderboard: reference numbers, rows, submitted runs, the files it writes."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from rl_retrieval.beir.leaderboard import (
    read_leaderboard,
    reference,
    run_leaderboard,
    submit_run,
    write_leaderboard,
)
from rl_retrieval.core.beir_format import BeirData, write_beir
from rl_retrieval.core.bm25 import BM25Retriever
from rl_retrieval.core.metrics import evaluate
from rl_retrieval.core.run_format import write_trec_run
from rl_shared.errors import BadInput, MalformedFile


@pytest.fixture
def beir_root(tmp_path, tiny, monkeypatch):
    """``RL_DATA_DIR`` holding the tiny collection as beir-scifact and an ArguAna-like set."""
    write_beir(tiny, tmp_path / "retrieval" / "beir" / "scifact")
    corpus = {
        "a1": {"title": "", "text": "school uniforms should be compulsory"},
        "a2": {"title": "", "text": "uniforms stop pupils expressing themselves at school"},
    }
    arguana = BeirData(corpus, {"a1": corpus["a1"]["text"]}, {"a1": {"a2": 1}})
    write_beir(arguana, tmp_path / "retrieval" / "beir" / "arguana")
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path))
    return tmp_path


def test_references_are_pyserinis_two_click_numbers():
    assert reference("bm25", "beir-scifact") == {"nDCG@10": 0.6789, "R@100": 0.9253}
    assert reference("bm25-multifield", "beir-trec-covid") == {"nDCG@10": 0.6559, "R@100": 0.1141}
    assert reference("splade", "beir-nq")["nDCG@10"] == 0.5378  # SPLADE++ EnsembleDistil
    assert reference("contriever", "beir-fiqa")["nDCG@10"] == 0.3293  # contriever-msmarco
    forums = reference("bm25", "beir-cqadupstack")
    assert forums["nDCG@10"] == pytest.approx(
        0.30212, abs=1e-5
    )  # mean of the 12 forums (Pyserini lists 0.302)
    assert reference("dense", "beir-scifact") is None and reference("bm25", "cranfield") is None


def test_rows_score_as_evaluate_does_and_carry_reference_and_command(beir_root, tiny):
    (flat, multi) = run_leaderboard(["beir-scifact"], ["bm25", "bm25-multifield"])
    run = BM25Retriever().fit(tiny.corpus).search(tiny.queries, 1000)
    assert flat.metrics == evaluate(tiny.qrels, run, ["nDCG@10", "R@100"])
    assert flat.reference == {"nDCG@10": 0.6789, "R@100": 0.9253}
    assert flat.command == "rl retrieval beir evaluate --data beir-scifact --retriever bm25"
    assert multi.system == "bm25-multifield" and multi.queries == len(tiny.qrels)


def test_arguana_rows_drop_each_querys_own_id(beir_root):
    (row,) = run_leaderboard(["beir-arguana"], ["bm25"])
    assert row.metrics["nDCG@10"] == 1.0  # a2 first once a1 (the query itself) is dropped


def test_a_model_that_cannot_load_gives_a_row_saying_so(beir_root, monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    (row,) = run_leaderboard(["beir-scifact"], ["splade"])
    assert row.metrics == {} and row.note.startswith("skipped: ")
    assert "naver/splade-cocondenser-ensembledistil" in row.note
    assert row.reference == reference("splade", "beir-scifact")  # shown, ours left empty


def test_submit_validates_ids_and_merges_into_the_table(beir_root, tiny, tmp_path):
    run = BM25Retriever().fit(tiny.corpus).search(tiny.queries, 10)
    good = tmp_path / "mine.trec"
    write_trec_run(run, good)
    out = tmp_path / "board"
    write_leaderboard(run_leaderboard(["beir-scifact"], ["bm25"]), out)
    write_leaderboard([submit_run(good, "beir-scifact", "my-bm25")], out)
    rows = {r.system: r for r in read_leaderboard(out)}
    assert set(rows) == {"bm25", "my-bm25"}  # the earlier row is kept
    assert rows["my-bm25"].metrics == rows["bm25"].metrics and rows["my-bm25"].note == "submitted"
    bad_query, bad_doc = tmp_path / "q.trec", tmp_path / "d.trec"
    write_trec_run({"nope": {"d1": 1.0}}, bad_query)
    write_trec_run({"q1": {"d99": 1.0}}, bad_doc)
    with pytest.raises(BadInput, match=r"query id.*'nope'"):
        submit_run(bad_query, "beir-scifact")
    with pytest.raises(BadInput, match=r"document id.*'d99'"):
        submit_run(bad_doc, "beir-scifact")
    twice = tmp_path / "twice.trec"
    twice.write_text("q1 Q0 d1 1 2.0 t\nq1 Q0 d1 2 1.0 t\n")
    with pytest.raises(MalformedFile, match="twice"):
        submit_run(twice, "beir-scifact")


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.scripts = 0, 0

    def handle_starttag(self, tag, attrs):
        self.rows += tag == "tr"
        self.scripts += tag in ("script", "link", "img")


def test_the_cli_writes_markdown_html_and_json(beir_root, tmp_path, capsys):
    from rl_shared.cli.main import main

    out = tmp_path / "board"
    code = 0
    try:
        main(["retrieval", "beir", "leaderboard", "--datasets", "beir-scifact,beir-arguana",
              "--retrievers", "bm25,bm25-multifield", "--out", str(out), "--json"])  # fmt: skip
    except SystemExit as stop:
        code = stop.code
    assert code in (0, None)
    summary = json.loads(capsys.readouterr().out)
    assert len(summary["rows"]) == 4
    md = (out / "leaderboard.md").read_text()
    assert "| beir-scifact | bm25 |" in md and "0.6789" in md and "pyserini/2cr/beir.yaml" in md
    page = _Cells()
    page.feed((out / "index.html").read_text())
    assert page.rows == 1 + 4 and page.scripts == 0  # header + rows, self-contained


def test_cli_refuses_unknown_names_in_one_line(beir_root, tmp_path, capsys):
    from rl_shared.testing import refused

    out = str(tmp_path / "b")
    line = refused(capsys, ["leaderboard", "--datasets", "beir-nope", "--out", out],
                   prefix=("retrieval", "beir"))  # fmt: skip
    assert "unknown dataset 'beir-nope'" in line
    line = refused(capsys, ["leaderboard", "--retrievers", "colbert", "--out", out],
                   prefix=("retrieval", "beir"))  # fmt: skip
    assert "unknown retriever 'colbert'" in line

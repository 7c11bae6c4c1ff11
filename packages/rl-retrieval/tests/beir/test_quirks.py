"""BEIR's evaluation quirks on small collections written in the test."""

from __future__ import annotations

import pytest

from rl_retrieval.beir.datasets import BEIR_DATASETS, CQADUPSTACK_FORUMS
from rl_retrieval.beir.quirks import (
    IDENTICAL_ID_SETS,
    drop_identical_ids,
    load_cqadupstack,
    mean_over_forums,
)
from rl_retrieval.core.beir_format import BeirData, load_beir, write_beir
from rl_retrieval.core.metrics import evaluate
from rl_shared.errors import BadInput, DatasetNotFound


def test_identical_id_sets_are_arguana_and_quora():
    assert IDENTICAL_ID_SETS == {"beir-arguana", "beir-quora"}
    assert IDENTICAL_ID_SETS <= {d.name for d in BEIR_DATASETS}


def test_drop_identical_ids_is_beirs_ignore_identical_ids():
    # ArguAna-like: each query is also a document under its own id, and is never judged
    qrels = {"a1": {"c1": 1}, "a2": {"c2": 1}}
    run = {"a1": {"a1": 9.0, "c1": 5.0, "c2": 1.0}, "a2": {"a2": 9.0, "a1": 4.0, "c2": 3.0}}
    dropped = drop_identical_ids(run)
    assert dropped == {"a1": {"c1": 5.0, "c2": 1.0}, "a2": {"a1": 4.0, "c2": 3.0}}
    assert "a1" in run["a1"]  # the input is untouched
    assert evaluate(qrels, run, ["RR@10"])["RR@10"] == pytest.approx((1 / 2 + 1 / 3) / 2)
    assert evaluate(qrels, dropped, ["RR@10"])["RR@10"] == pytest.approx((1 + 1 / 2) / 2)
    assert drop_identical_ids({"q": {"q": 1.0}}) == {"q": {}}
    assert drop_identical_ids({}) == {}


def _forums(root, skip=(), queries=None):
    for forum in CQADUPSTACK_FORUMS:
        if forum in skip:
            continue
        n = (queries or {}).get(forum, 1)
        data = BeirData(
            {"d": {"title": "", "text": forum}},
            {f"q{i}": forum for i in range(n)},
            {f"q{i}": {"d": 1} for i in range(n)},
        )
        write_beir(data, root / forum)


def test_load_cqadupstack_gives_one_collection_per_forum(tmp_path):
    _forums(tmp_path, queries={"tex": 3})
    forums = load_cqadupstack(tmp_path)
    assert list(forums) == list(CQADUPSTACK_FORUMS)
    assert len(forums["tex"].queries) == 3 and forums["android"].corpus["d"]["text"] == "android"
    with pytest.raises(DatasetNotFound, match="splits found: test"):
        load_cqadupstack(tmp_path, split="dev")


def test_load_cqadupstack_names_the_missing_forums(tmp_path):
    _forums(tmp_path, skip=("tex", "unix"))
    with pytest.raises(DatasetNotFound, match=r"the forums tex, unix are missing"):
        load_cqadupstack(tmp_path)


def test_load_cqadupstack_without_a_folder_looks_for_the_registered_set(tmp_path, monkeypatch):
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path))
    with pytest.raises(DatasetNotFound, match=r"retrieval/beir/cqadupstack.*rl data download"):
        load_cqadupstack()
    _forums(tmp_path / "retrieval" / "beir" / "cqadupstack")
    assert len(load_cqadupstack()) == 12


def test_mean_over_forums_is_unweighted():
    # tex has many queries, the others one: BEIR's figure is still the mean of 12 forum means
    scores = {f: {"nDCG@10": 0.0, "R@100": 1.0} for f in CQADUPSTACK_FORUMS}
    scores["tex"] = {"nDCG@10": 1.2, "R@100": 0.4}
    mean = mean_over_forums(scores)
    assert list(mean) == ["nDCG@10", "R@100"]
    assert mean["nDCG@10"] == pytest.approx(0.1) and mean["R@100"] == pytest.approx(0.95)


def test_mean_over_forums_refuses_a_partial_or_mixed_table():
    scores = {f: {"nDCG@10": 0.5} for f in CQADUPSTACK_FORUMS}
    with pytest.raises(BadInput, match="lacks gis"):
        mean_over_forums({f: v for f, v in scores.items() if f != "gis"})
    with pytest.raises(BadInput, match="has cooking"):
        mean_over_forums({**scores, "cooking": {"nDCG@10": 1.0}})
    with pytest.raises(BadInput, match="same measures"):
        mean_over_forums({**scores, "tex": {"R@10": 0.5}})
    with pytest.raises(BadInput, match="forums is empty"):
        mean_over_forums(scores, forums=())
    assert mean_over_forums({"a": {"m": 1.0}}, forums=("a",)) == {"m": 1.0}


def test_touche_grades_stay_integers_and_ndcg_takes_nonpositive_as_not_relevant(tmp_path):
    folder = tmp_path / "webis-touche2020"
    (folder / "qrels").mkdir(parents=True)
    (folder / "corpus.jsonl").write_text(
        "".join(f'{{"_id": "d{i}", "title": "", "text": "argument {i}"}}\n' for i in range(4))
    )
    (folder / "queries.jsonl").write_text('{"_id": "1", "text": "q"}\n{"_id": "2", "text": "r"}\n')
    (folder / "qrels" / "test.tsv").write_text(
        "query-id\tcorpus-id\tscore\n1\td0\t-2\n1\td1\t0\n1\td2\t2\n2\td0\t0\n2\td3\t-2\n"
    )
    data = load_beir(folder)
    assert data.qrels == {"1": {"d0": -2, "d1": 0, "d2": 2}, "2": {"d0": 0, "d3": -2}}
    assert all(type(g) is int for docs in data.qrels.values() for g in docs.values())
    # a -2 ranked first costs only its rank: nDCG is that of the one relevant document at 2
    first = evaluate({"1": data.qrels["1"]}, {"1": {"d0": 3.0, "d2": 2.0, "d1": 1.0}}, ["nDCG@10"])
    top = evaluate({"1": data.qrels["1"]}, {"1": {"d2": 3.0, "d0": 2.0, "d1": 1.0}}, ["nDCG@10"])
    assert first["nDCG@10"] == pytest.approx(1 / 1.5849625007211563) and top["nDCG@10"] == 1.0
    # a query with no grade above 0 scores 0, and stays in the mean
    both = evaluate(data.qrels, {"1": {"d2": 1.0}, "2": {"d0": 1.0}}, ["nDCG@10", "R@10"])
    assert both == {"nDCG@10": 0.5, "R@10": 0.5}

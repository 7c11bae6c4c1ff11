from __future__ import annotations

import random

import pytest
import pytrec_eval

from rl_retrieval.core.metrics import DEFAULT_MEASURES, evaluate, evaluate_per_query
from rl_shared.errors import BadInput, UnknownName


def _random_case(seed: int):
    rng = random.Random(seed)
    docs = [f"d{i}" for i in range(60)]
    qrels = {
        f"q{q}": {d: rng.choice([1, 2, 3]) for d in rng.sample(docs, rng.randint(1, 8))}
        for q in range(25)
    }
    run = {f"q{q}": {d: rng.random() for d in rng.sample(docs, 40)} for q in range(25)}
    return qrels, run


@pytest.mark.parametrize("seed", [0, 1])
def test_matches_pytrec_eval(seed):
    qrels, run = _random_case(seed)
    ours = evaluate(qrels, run, ["nDCG@10", "R@10", "R@100", "AP@100", "RR@10", "P@10", "AP"])
    ev = pytrec_eval.RelevanceEvaluator(
        qrels,
        {"ndcg_cut.10", "recall.10", "recall.100", "map_cut.100", "P.10", "map", "recip_rank"},
    )
    per = ev.evaluate(run)
    mean = {key: sum(v[key] for v in per.values()) / len(per) for key in next(iter(per.values()))}
    assert ours["nDCG@10"] == pytest.approx(mean["ndcg_cut_10"], abs=1e-9)
    assert ours["R@10"] == pytest.approx(mean["recall_10"], abs=1e-9)
    assert ours["R@100"] == pytest.approx(mean["recall_100"], abs=1e-9)
    assert ours["AP@100"] == pytest.approx(mean["map_cut_100"], abs=1e-9)
    assert ours["P@10"] == pytest.approx(mean["P_10"], abs=1e-9)
    assert ours["AP"] == pytest.approx(mean["map"], abs=1e-9)


def test_rr_cut_against_pytrec_eval():
    qrels, run = _random_case(3)
    cut = {q: dict(sorted(s.items(), key=lambda x: (-x[1], x[0]))[:10]) for q, s in run.items()}
    per = pytrec_eval.RelevanceEvaluator(qrels, {"recip_rank"}).evaluate(cut)
    expected = sum(v["recip_rank"] for v in per.values()) / len(per)
    assert evaluate(qrels, run, ["RR@10"])["RR@10"] == pytest.approx(expected, abs=1e-9)


def test_aliases_and_per_query():
    qrels = {"q": {"a": 1}}
    run = {"q": {"b": 2.0, "a": 1.0}}
    assert evaluate(qrels, run, ["MRR@10", "Recall@1", "MAP@100"]) == {
        "MRR@10": 0.5,
        "Recall@1": 0.0,
        "MAP@100": 0.5,
    }
    assert evaluate_per_query(qrels, run, ["RR@10"]) == {"q": {"RR@10": 0.5}}
    assert tuple(DEFAULT_MEASURES) == ("nDCG@10", "R@10", "R@100", "AP@100", "RR@10")


def test_errors():
    with pytest.raises(UnknownName):
        evaluate({"q": {"a": 1}}, {"q": {"a": 1.0}}, ["Bogus@3"])
    with pytest.raises(BadInput):
        evaluate({}, {"q": {"a": 1.0}})

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


# pytrec_eval's key for each measure evaluate is tested with; RR@k is recip_rank on the run cut
# at k (trec_eval has no recip_rank cut-off)
PYTREC = {
    "nDCG@10": ("ndcg_cut.10", "ndcg_cut_10"),
    "nDCG@5": ("ndcg_cut.5", "ndcg_cut_5"),
    "nDCG": ("ndcg", "ndcg"),
    "R@10": ("recall.10", "recall_10"),
    "R@100": ("recall.100", "recall_100"),
    "AP@100": ("map_cut.100", "map_cut_100"),
    "AP": ("map", "map"),
    "P@10": ("P.10", "P_10"),
    "P@5": ("P.5", "P_5"),
    "RR": ("recip_rank", "recip_rank"),
}
RR_CUTS = {"RR@10": 10, "RR@5": 5}


def _run_missing_queries(seed: int):
    """50 judged queries; the run lacks 6 of them, ranks nothing for 1 and adds 3 unjudged."""
    rng = random.Random(seed)
    docs = [f"d{i}" for i in range(150)]
    qrels = {
        f"q{q}": {d: rng.choice([0, 1, 2, 3]) for d in rng.sample(docs, rng.randint(1, 12))}
        for q in range(50)
    }
    lacking = set(rng.sample(sorted(qrels), 6))
    run = {q: {d: rng.random() for d in rng.sample(docs, 120)} for q in qrels if q not in lacking}
    run[next(q for q in sorted(run))] = {}
    run.update({f"x{i}": {d: rng.random() for d in rng.sample(docs, 20)} for i in range(3)})
    return qrels, run, lacking


def _pytrec_per_query(qrels, run) -> dict[str, dict[str, float]]:
    """pytrec_eval's per-query values, keyed by the measure names of PYTREC and RR_CUTS."""
    ev = pytrec_eval.RelevanceEvaluator(qrels, {m for m, _ in PYTREC.values()})
    per = {
        q: {name: v[key] for name, (_, key) in PYTREC.items()} for q, v in ev.evaluate(run).items()
    }
    for name, k in RR_CUTS.items():
        cut = {q: dict(sorted(s.items(), key=lambda x: (-x[1], x[0]))[:k]) for q, s in run.items()}
        for q, v in pytrec_eval.RelevanceEvaluator(qrels, {"recip_rank"}).evaluate(cut).items():
            per[q][name] = v["recip_rank"]
    return per


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_run_missing_judged_queries_default_is_pytrec_eval_mean(seed):
    qrels, run, lacking = _run_missing_queries(seed)
    per = _pytrec_per_query(qrels, run)
    assert set(per) == set(qrels) - lacking  # pytrec_eval scores the queries in both
    names = [*PYTREC, *RR_CUTS]
    ours = evaluate(qrels, run, names)
    assert ours == evaluate(qrels, run, names, missing="skip")
    for name in names:
        expected = sum(v[name] for v in per.values()) / len(per)
        assert ours[name] == pytest.approx(expected, abs=1e-9), name
    ours_per = evaluate_per_query(qrels, run, names)
    assert set(ours_per) == set(per)
    for q, values in per.items():
        assert ours_per[q] == pytest.approx(values, abs=1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_run_missing_judged_queries_zero_is_trec_eval_c(seed):
    qrels, run, lacking = _run_missing_queries(seed)
    per = _pytrec_per_query(qrels, run)
    names = [*PYTREC, *RR_CUTS]
    ours = evaluate(qrels, run, names, missing="zero")
    for name in names:
        expected = sum(v[name] for v in per.values()) / len(qrels)  # a lacking query adds 0
        assert ours[name] == pytest.approx(expected, abs=1e-9), name
        # the two conventions differ by exactly the share of judged queries in the run
        skip = evaluate(qrels, run, [name])[name]
        assert ours[name] == pytest.approx(skip * len(per) / len(qrels), abs=1e-9)
    ours_per = evaluate_per_query(qrels, run, names, missing="zero")
    assert set(ours_per) == set(qrels)
    assert all(v == 0.0 for q in lacking for v in ours_per[q].values())


def test_missing_conventions_agree_on_a_complete_run_and_errors():
    qrels, run = _random_case(4)
    assert evaluate(qrels, run) == evaluate(qrels, run, missing="zero")
    with pytest.raises(UnknownName, match="skip, zero"):
        evaluate(qrels, run, missing="drop")  # type: ignore[arg-type]
    other = {"x": {"d1": 1.0}}
    with pytest.raises(BadInput, match="no judged query"):
        evaluate(qrels, other)
    assert evaluate(qrels, other, ["R@10"], missing="zero") == {"R@10": 0.0}

import numpy as np
import pytest

from rl_recsys.dual_embeddings.baselines import Popularity
from rl_recsys.dual_embeddings.evaluation import (
    DualScorer,
    evaluate,
    hit_curve,
    leave_one_out,
    rank_target,
)
from rl_recsys.dual_embeddings.model import DualEmbeddings
from rl_shared.errors import BadInput


def test_leave_one_out_hides_one_known_item():
    q = leave_one_out([["a", "b", "zz"], ["c"], ["b", "c"]], ["a", "b", "c"], seed=0)
    assert len(q) == 2
    ctx = q.context.toarray()
    for row, target in zip(ctx, q.targets):
        assert row[target] == 0 and np.isclose(row.sum(), 1.0)
    only = leave_one_out([["a", "b"], ["b", "c"]], ["a", "b", "c"], only={"a"})
    assert only.targets.tolist() == [0]
    with pytest.raises(BadInput):
        leave_one_out([["a"]], ["a"])


def _naive(scores, queries, k):
    """Reference: expected hit/NDCG under uniform random tie-breaking, by enumeration."""
    hits, gains = [], []
    ctx = queries.context.toarray()
    for s, row, t in zip(scores, ctx, queries.targets):
        cand = [j for j in range(len(s)) if row[j] == 0]
        ahead = sum(s[j] > s[t] for j in cand)
        tied = sum(s[j] == s[t] for j in cand)
        positions = range(ahead, ahead + tied)
        hits.append(np.mean([p < k for p in positions]))
        gains.append(np.mean([1 / np.log2(p + 2) if p < k else 0 for p in positions]))
    return np.mean(hits), np.mean(gains)


def test_metrics_match_naive_loop_with_ties():
    rng = np.random.default_rng(0)
    items = [str(i) for i in range(30)]
    baskets = [list(rng.choice(items, size=4, replace=False)) for _ in range(50)]
    q = leave_one_out(baskets, items, seed=1)
    counts = rng.integers(0, 4, size=30).astype(float)  # many ties
    scorer = Popularity(counts)
    out = evaluate(scorer, q, k=5, batch_size=7)
    hit, ndcg = _naive(scorer.score(q.context), q, 5)
    assert np.isclose(out["hit@5"], hit) and np.isclose(out["ndcg@5"], ndcg)
    assert hit_curve(scorer, q, [5])[5] == pytest.approx(hit)


def test_constant_scorer_is_chance():
    items = [str(i) for i in range(11)]
    q = leave_one_out([["0", "1"]] * 5, items)
    out = evaluate(Popularity(np.zeros(11)), q, k=2)
    assert out["hit@2"] == pytest.approx(2 / 10)


def test_dual_scorer_matches_model_scores():
    rng = np.random.default_rng(0)
    emb = DualEmbeddings(list("abcd"), rng.normal(size=(4, 3)), rng.normal(size=(4, 3)))
    q = leave_one_out([["a", "b", "c"]], emb.items, seed=0)
    context = [emb.items[j] for j in q.context.indices]
    for mode in ("complementary", "similar"):
        np.testing.assert_allclose(
            DualScorer(emb, mode).score(q.context)[0], emb.scores(context, mode), rtol=1e-5
        )
    ahead, tied = rank_target(DualScorer(emb).score(q.context), q)
    assert ahead[0] <= 1 and tied[0] == 1

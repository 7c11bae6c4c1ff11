import numpy as np
import scipy.sparse as sp

from rl_recsys.dual_embeddings.baselines import CooccurrenceLift, Popularity, incidence_matrix

BASKETS = [["a", "b"], ["a", "b"], ["a", "c"], ["d"]]
ITEMS = ["a", "b", "c", "d"]


def test_incidence_ignores_unknown_and_repeats():
    x = incidence_matrix([["a", "a", "zz"]], ITEMS).toarray()
    np.testing.assert_array_equal(x, [[1, 0, 0, 0]])


def test_popularity_counts():
    pop = Popularity.fit(BASKETS, ITEMS)
    np.testing.assert_array_equal(pop.counts, [3, 2, 1, 1])
    assert pop.score(sp.csr_matrix(np.ones((2, 4)))).shape == (2, 4)


def test_lift_matches_definition():
    lift = CooccurrenceLift.fit(BASKETS, ITEMS).lift
    # P(a,b) = 2/4, P(a) = 3/4, P(b) = 2/4 -> lift = 0.5 / 0.375
    assert np.isclose(lift[0, 1], (2 / 4) / ((3 / 4) * (2 / 4)))
    assert lift[0, 0] == 0 and lift[0, 3] == 0
    np.testing.assert_allclose(lift, lift.T)
    assert CooccurrenceLift.fit(BASKETS, ITEMS, min_support=2).lift[0, 2] == 0

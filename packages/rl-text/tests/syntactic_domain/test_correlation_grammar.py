from __future__ import annotations

import math
import random

import pytest

from rl_shared.errors import BadInput
from rl_text.syntactic_domain.correlation import (
    association,
    cramers_v,
    normalized_mutual_information,
)
from rl_text.syntactic_domain.grammar import (
    DOMAINS,
    NOUNS,
    TEMPLATES,
    make_instructions,
    swap_template,
    swapped_set,
)
from rl_text.syntactic_domain.probe import BowClassifier, correlation_sweep, swap_drop


def test_association_reference_values():
    # 2x2 table [[2, 1], [1, 2]]: chi2 = 2/3, n = 6 -> V = 1/3
    t = ["a", "a", "a", "b", "b", "b"]
    d = ["x", "x", "y", "x", "y", "y"]
    assert cramers_v(t, d) == pytest.approx(1 / 3)
    p = [2 / 6, 1 / 6, 1 / 6, 2 / 6]
    mi = sum(q * math.log(q / 0.25) for q in p)
    assert normalized_mutual_information(t, d) == pytest.approx(mi / math.log(2))
    assert association(t, t)["nmi"] == 1.0
    assert association(["a"] * 4, ["x", "y", "x", "y"])["cramers_v"] == 0.0
    with pytest.raises(BadInput):
        association(["a"], ["x", "y"])


def test_association_is_label_permutation_invariant():
    rng = random.Random(0)
    t = [rng.choice("abc") for _ in range(60)]
    d = [rng.choice("xy") for _ in range(60)]
    rename = {"a": "q", "b": "r", "c": "s"}
    assert association(t, d) == association([rename[v] for v in t], d)


def test_strength_controls_template_domain_correlation():
    def share_own(rho):
        data = make_instructions(3000, rho, seed=0)
        return sum(e.template // 2 == e.domain for e in data) / len(data)

    assert share_own(1.0) == 1.0
    assert share_own(0.0) == pytest.approx(1 / 3, abs=0.04)
    assert share_own(0.5) == pytest.approx(0.5 + 0.5 / 3, abs=0.04)
    data = make_instructions(300, 0.7, seed=3)
    assert [sum(e.domain == k for e in data) for k in range(3)] == [100, 100, 100]
    with pytest.raises(BadInput):
        make_instructions(10, 1.5)


def test_swap_keeps_label_and_content_and_changes_template_owner():
    data = make_instructions(120, 1.0, seed=0)
    swapped = swapped_set(data, seed=4)
    for ex, sw in zip(data, swapped):
        assert (sw.domain, sw.verb, sw.adjective, sw.noun) == (
            ex.domain,
            ex.verb,
            ex.adjective,
            ex.noun,
        )
        assert sw.template // 2 != ex.domain
        assert sw.text == TEMPLATES[sw.template].format(v=sw.verb, a=sw.adjective, n=sw.noun)
        assert sw.noun in sw.text.split() and sw.verb in sw.text.split()
    # every other-domain template is used
    assert {sw.template for sw in swapped} == set(range(len(TEMPLATES)))
    assert swap_template(data[0], 1) == swap_template(data[0], 1)


def test_lexical_cue_only_model_has_no_drop():
    train = make_instructions(300, 1.0, seed=0, generic_rate=0.0)
    test = make_instructions(90, 1.0, seed=1, own_templates_only=True, generic_rate=0.0)
    lookup = {n: k for k, d in enumerate(DOMAINS) for n in NOUNS[d]}

    def noun_only(texts):
        return [next(lookup[w] for w in t.split() if w in lookup) for t in texts]

    assert swap_drop(noun_only, test)["drop"] == 0.0
    assert BowClassifier().fit([e.text for e in train], [e.domain for e in train])


def test_drop_grows_with_strength():
    rows = correlation_sweep([0.0, 1.0], [0], n_train=600, n_test=150)
    drop = {r["strength"]: r["drop"] for r in rows}
    assert drop[1.0] > drop[0.0] + 0.3
    assert abs(drop[0.0]) < 0.15

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from rl_shared.errors import BadInput, ShapeMismatch
from rl_text.gfun import (
    GeneralizedFunnelling,
    MultilingualEmbeddingView,
    PerLanguageBaseline,
    PosteriorView,
    WordClassEmbeddingView,
    f1_scores,
    label_matrix,
    nonparallel_split,
    word_class_embeddings,
)

EN = [
    "good film great plot",
    "bad film awful plot",
    "great actors good story",
    "awful story bad acting",
] * 4
IT = [
    "buon film grande trama",
    "brutto film pessima trama",
    "grandi attori buona storia",
    "pessima storia brutta recitazione",
] * 4
Y = np.array([0, 1, 0, 1] * 4)


def test_wce_on_a_toy_corpus_equals_the_hand_computed_value() -> None:
    docs = ["apple apple pie", "pie crust", "apple juice"]
    vec = CountVectorizer()
    X = vec.fit_transform(docs)  # vocabulary: apple, crust, juice, pie
    Y2 = label_matrix(np.array([0, 1, 0]), 2)
    E = word_class_embeddings(X, Y2, standardise=False)
    words = vec.get_feature_names_out().tolist()
    # apple: 2 (doc 0, class 0) + 1 (doc 2, class 0) -> [3, 0]; pie: 1 in class 0, 1 in class 1
    assert E[words.index("apple")].tolist() == [3.0, 0.0]
    assert E[words.index("pie")].tolist() == [1.0, 1.0]
    assert E[words.index("crust")].tolist() == [0.0, 1.0]
    Z = word_class_embeddings(X, Y2)
    # standardised: column 0 is [3, 0, 1, 1] -> mean 1.25, std sqrt(1.1875)
    assert Z[words.index("apple"), 0] == pytest.approx((3 - 1.25) / np.sqrt(1.1875))
    with pytest.raises(ShapeMismatch):
        word_class_embeddings(X, Y2[:2])


def test_calibrated_posteriors_sum_to_one_for_single_label() -> None:
    view = PosteriorView()
    Z = view.fit_transform(
        {"en": EN, "it": IT}, {"en": label_matrix(Y, 2), "it": label_matrix(Y, 2)}
    )
    for lang in ("en", "it"):
        assert Z[lang].shape == (16, 2)
        assert np.allclose(Z[lang].sum(1), 1.0)
        assert (Z[lang] >= 0).all()
    test = view.transform({"it": ["buon film", "brutto film"]})["it"]
    assert np.allclose(test.sum(1), 1.0) and test[0, 0] > test[0, 1] and test[1, 1] > test[1, 0]


def test_posteriors_cover_a_class_a_language_lacks() -> None:
    Z = PosteriorView().fit_transform(
        {"en": EN[:8]}, {"en": label_matrix(np.array([0, 0, 0, 0, 0, 0, 0, 0]), 3)}
    )
    assert Z["en"].shape == (8, 3) and np.allclose(Z["en"][:, 0], 1.0)


def test_gfun_transfers_to_a_language_with_few_documents() -> None:
    docs = {"en": EN, "it": IT[:4]}
    labels = {"en": Y, "it": Y[:4]}
    views = [PosteriorView(), WordClassEmbeddingView(), MultilingualEmbeddingView(dim=4)]
    model = GeneralizedFunnelling(2, views).fit(docs, labels)
    pred = model.predict({"en": EN[:4], "it": IT[:4]})
    assert pred["en"].tolist() == [0, 1, 0, 1] and pred["it"].tolist() == [0, 1, 0, 1]
    width = model.transform({"en": EN[:2]})["en"].shape[1]
    assert width == 2 + 2 + 4


def test_gfun_multilabel() -> None:
    Ym = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 0], [0, 1, 1]] * 4)
    view = PosteriorView(multilabel=True)
    Z = view.fit_transform({"en": EN}, {"en": Ym})
    assert Z["en"].shape == (16, 3) and ((Z["en"] >= 0) & (Z["en"] <= 1)).all()
    model = GeneralizedFunnelling(3, [PosteriorView(), WordClassEmbeddingView()], multilabel=True)
    pred = model.fit({"en": EN, "it": IT}, {"en": Ym, "it": Ym}).predict({"it": IT[:4]})["it"]
    assert pred.shape == (4, 3) and set(np.unique(pred)) <= {0, 1}
    assert pred[:, :2].tolist() == Ym[:4, :2].tolist()


def test_per_language_baseline_and_errors() -> None:
    base = PerLanguageBaseline(2).fit({"en": EN}, {"en": Y})
    assert base.predict({"en": EN[:4]})["en"].tolist() == [0, 1, 0, 1]
    with pytest.raises(BadInput, match="no per-language classifier"):
        base.predict({"it": IT})
    with pytest.raises(BadInput, match="same languages"):
        GeneralizedFunnelling(2).fit({"en": EN}, {"it": Y})
    with pytest.raises(BadInput, match="documents but"):
        GeneralizedFunnelling(2).fit({"en": EN}, {"en": Y[:3]})


def test_f1_scores_match_definitions() -> None:
    s = f1_scores(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 2]), 3)
    # class F1: 0 -> 2/3, 1 -> 2/3, 2 -> 1; accuracy 0.75
    assert s == {"macro_f1": round((2 / 3 + 2 / 3 + 1) / 3, 4), "micro_f1": 0.75}


def test_nonparallel_split_is_disjoint_and_capped() -> None:
    split = nonparallel_split(100, ["en", "de", "ja"], seed=1, sizes={"ja": 5})
    assert len(split["en"]) == len(split["de"]) == 33 and len(split["ja"]) == 5
    assert not set(split["en"]) & set(split["de"]) and not set(split["ja"]) & set(split["en"])

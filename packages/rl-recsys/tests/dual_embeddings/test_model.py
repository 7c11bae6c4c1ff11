import numpy as np
import pytest

from rl_recsys.dual_embeddings import DualEmbeddings, SGNSConfig, train_word2vec
from rl_shared.errors import BadInput, ModelNotFound, ShapeMismatch

CONFIG = SGNSConfig(dim=16, epochs=15, negative=5, ns_exponent=0.75, seed=3)


@pytest.fixture(scope="module")
def trained(planted):
    baskets = planted
    model = train_word2vec(baskets, CONFIG)
    return baskets, model, DualEmbeddings.from_word2vec(model)


def test_planted_complement_and_substitute(trained):
    _, _, emb = trained
    assert emb.complementary("A", k=3)[0][0] == "B"
    assert emb.similar("A", k=3)[0][0] == "A2"
    assert emb.complementary_to_basket(["A", "f0"], k=1)[0][0] == "B"


def test_out_vectors_are_syn1neg_rows(trained):
    _, model, emb = trained
    for item in ("A", "B", "f3"):
        np.testing.assert_array_equal(
            emb.out_vectors[emb.index[item]], model.syn1neg[model.wv.key_to_index[item]]
        )
        np.testing.assert_array_equal(emb.in_vectors[emb.index[item]], model.wv[item])


def test_deterministic(trained):
    baskets, _, emb = trained
    again = DualEmbeddings.fit(baskets, CONFIG)
    np.testing.assert_array_equal(again.in_vectors, emb.in_vectors)
    np.testing.assert_array_equal(again.out_vectors, emb.out_vectors)


def test_save_load_round_trip(trained, tmp_path):
    _, _, emb = trained
    emb.save(tmp_path / "model")
    back = DualEmbeddings.load(tmp_path / "model")
    assert back.items == emb.items and back.config == emb.config
    np.testing.assert_array_equal(back.in_vectors, emb.in_vectors)
    np.testing.assert_array_equal(back.out_vectors, emb.out_vectors)
    np.testing.assert_array_equal(back.counts, emb.counts)
    assert back.complementary("A", 3) == emb.complementary("A", 3)
    assert {p.name for p in (tmp_path / "model").iterdir()} == {
        "vectors.safetensors",
        "items.json",
        "config.json",
    }


def test_load_missing(tmp_path):
    with pytest.raises(ModelNotFound, match="rl recsys train"):
        DualEmbeddings.load(tmp_path)


def test_lookup_errors_and_loose_match():
    emb = DualEmbeddings(["cream cheese ", "milk"], np.eye(2), np.eye(2))
    assert emb.lookup("cream cheese") == 0
    with pytest.raises(BadInput, match="closest known items"):
        emb.similar("mlk")
    with pytest.raises(ShapeMismatch):
        DualEmbeddings(["a"], np.eye(2), np.eye(2))


def test_keyed_vectors(trained):
    _, _, emb = trained
    kv = emb.to_keyed_vectors("out")
    np.testing.assert_array_equal(kv["B"], emb.out_vectors[emb.index["B"]])

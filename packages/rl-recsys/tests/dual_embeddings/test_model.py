import warnings

import numpy as np
import pytest

from rl_recsys.dual_embeddings.model import DualEmbeddings
from rl_recsys.dual_embeddings.sgns import SGNSConfig, train_word2vec
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
    assert DualEmbeddings.load(tmp_path).items == emb.items  # OUT holding model/
    assert back.items == emb.items and back.config == emb.config
    np.testing.assert_array_equal(back.in_vectors, emb.in_vectors)
    np.testing.assert_array_equal(back.out_vectors, emb.out_vectors)
    np.testing.assert_array_equal(back.counts, emb.counts)
    assert back.complementary("A", 3) == emb.complementary("A", 3)
    assert {p.name for p in (tmp_path / "model").iterdir()} == {
        "model.safetensors",
        "items.json",
        "config.json",
        "README.md",
    }
    assert "2211.14982" in (tmp_path / "model" / "README.md").read_text()


def test_load_missing_or_other_kind(tmp_path):
    with pytest.raises(ModelNotFound):
        DualEmbeddings.load(tmp_path)
    from rl_shared.artifacts import save_model

    save_model(tmp_path / "other", kind="text.something", config={})
    with pytest.raises(BadInput, match=r"not a 'recsys\.dual-embeddings' model"):
        DualEmbeddings.load(tmp_path / "other")


def test_lookup_errors_and_loose_match():
    emb = DualEmbeddings(["cream cheese ", "milk"], np.eye(2), np.eye(2))
    assert emb.lookup("cream cheese") == 0
    with pytest.raises(BadInput, match="the closest are 'milk'"):
        emb.similar("mlk")
    with pytest.raises(ShapeMismatch):
        DualEmbeddings(["a"], np.eye(2), np.eye(2))


def test_keyed_vectors(trained):
    _, _, emb = trained
    kv = emb.to_keyed_vectors("out")
    np.testing.assert_array_equal(kv["B"], emb.out_vectors[emb.index["B"]])
    with pytest.raises(BadInput):
        emb.to_keyed_vectors("sideways")


@pytest.mark.parametrize("space", ["in", "out"])
def test_keyed_vectors_round_trip_through_gensim(trained, tmp_path, space):
    from gensim.models import KeyedVectors

    _, model, emb = trained
    extra = np.full((1, emb.dim), 0.1, dtype=np.float32)
    spaced = emb.with_items(["cream cheese "], extra, -extra)
    path = spaced.save_keyed_vectors(tmp_path / f"{space}.kv", space)
    kv = KeyedVectors.load(str(path))
    assert kv.index_to_key == spaced.items
    table = spaced.in_vectors if space == "in" else spaced.out_vectors
    np.testing.assert_array_equal(kv.vectors, table)
    assert kv.get_vecattr("A", "count") == model.wv.get_vecattr("A", "count")
    if space == "in":  # gensim's own query agrees with IN·IN
        assert [w for w, _ in kv.most_similar("A", topn=3)] == [
            i for i, _ in spaced.similar("A", 3)
        ]


TINY = SGNSConfig(dim=8, epochs=10, negative=3, seed=1)


@pytest.fixture(scope="module")
def tiny():
    baskets = [["milk", "cereal"], ["oat_milk", "cereal"], ["tea", "biscuit", "lemon"]] * 40
    return DualEmbeddings.fit(baskets, TINY)


@pytest.mark.parametrize("space", ["in", "out"])
def test_keyed_vectors_have_one_row_per_item(tiny, space):
    kv = tiny.to_keyed_vectors(space)
    table = tiny.in_vectors if space == "in" else tiny.out_vectors
    assert kv.vectors.shape == (len(tiny), tiny.dim) and len(kv) == len(tiny)
    assert kv.index_to_key == tiny.items and all(isinstance(k, str) for k in kv.index_to_key)
    assert kv.key_to_index == tiny.index
    np.testing.assert_array_equal(kv.vectors, table)
    np.testing.assert_array_equal(kv.expandos["count"], tiny.counts)


@pytest.mark.parametrize("binary", [True, False])
@pytest.mark.parametrize("space", ["in", "out"])
def test_keyed_vectors_word2vec_format_round_trip(tiny, tmp_path, space, binary):
    from gensim.models import KeyedVectors

    path = tmp_path / f"{space}.{'bin' if binary else 'txt'}"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tiny.to_keyed_vectors(space).save_word2vec_format(str(path), binary=binary)
        back = KeyedVectors.load_word2vec_format(str(path), binary=binary)
    assert sorted(back.index_to_key) == sorted(tiny.items) and len(back) == len(tiny)
    table = tiny.in_vectors if space == "in" else tiny.out_vectors
    for item in tiny.items:
        np.testing.assert_allclose(back[item], table[tiny.index[item]], rtol=1e-6, atol=1e-7)


def test_keyed_vectors_most_similar_is_similar(tiny):
    kv = tiny.to_keyed_vectors("in")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # gensim warns of NaN when a row is all zeros
        for item in ("milk", "tea", "cereal"):
            ours = tiny.similar(item, k=len(tiny) - 1)
            theirs = kv.most_similar(item, topn=len(tiny) - 1)
            assert [w for w, _ in theirs] == [w for w, _ in ours]
            np.testing.assert_allclose([s for _, s in theirs], [s for _, s in ours], atol=1e-5)

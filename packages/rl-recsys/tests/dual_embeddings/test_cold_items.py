import numpy as np
import pytest

from rl_recsys.dual_embeddings.cold_items import (
    ColdItemMapper,
    add_cold_items,
    embed_items,
    item_texts,
    synthetic_baskets,
)
from rl_recsys.dual_embeddings.model import DualEmbeddings
from rl_shared.errors import BadInput


def test_item_texts():
    assert item_texts(["cream cheese ", "tea"], {"tea": "drinks"}) == [
        "cream cheese",
        "tea (drinks)",
    ]


def test_mapper_recovers_linear_map():
    rng = np.random.default_rng(0)
    unit = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)  # noqa: E731
    in_vec, out_vec = unit(rng.normal(size=(40, 4))), unit(rng.normal(size=(40, 4)))
    mixing = rng.normal(size=(8, 8))
    feats = np.hstack([in_vec, out_vec]) @ mixing  # an invertible linear view of the targets
    items = [str(i) for i in range(40)]
    emb = DualEmbeddings(items, in_vec, out_vec)
    mapper = ColdItemMapper(alphas=(1e-8,)).fit(feats, emb, items)
    pred_in, pred_out = mapper.predict(feats[:3])
    np.testing.assert_allclose(pred_in, in_vec[:3], atol=1e-3)
    np.testing.assert_allclose(pred_out, out_vec[:3], atol=1e-3)


def test_add_cold_items_with_features():
    emb = DualEmbeddings(["a", "b", "c"], np.eye(3), np.eye(3)[::-1])
    feats = {"a": np.eye(3)[0], "b": np.eye(3)[1], "c": np.eye(3)[2], "a2": np.eye(3)[0]}
    grown = add_cold_items(emb, ["a2", "a"], features=feats)
    assert grown.items == ["a", "b", "c", "a2"]
    assert grown.similar("a2", 1)[0][0] == "a"
    with pytest.raises(BadInput, match="no features"):
        add_cold_items(emb, ["zz"], features=feats)


def test_synthetic_baskets_swap_neighbour():
    out = synthetic_baskets(
        [["milk", "bread"], ["tea"], ["milk", "jam"]], ["oat milk"], {"oat milk": ["milk"]}, 5
    )
    assert sorted(out) == [["oat milk", "bread"], ["oat milk", "jam"]]


def test_embed_items_minilm_through_the_shared_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path))
    first = embed_items(["whole milk", "beer "])
    assert first.shape == (2, 384) and first.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    assert list((tmp_path / "embeddings").rglob("*.npy"))
    np.testing.assert_array_equal(embed_items(["whole milk", "beer"]), first)

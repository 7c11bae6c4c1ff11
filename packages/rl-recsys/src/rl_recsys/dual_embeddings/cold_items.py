"""Cold items: map side information (item-name text, category) into the IN and OUT spaces.

Items with no co-purchase data get no SGNS vectors. Following the paper's synthetic
samples, a regression learnt on warm items maps another modality (here the item's name,
plus its category when one is known, embedded by MiniLM) to the item's unit IN and unit
OUT vectors; applying it to cold items places them in both spaces, so they can be
recommended as complements (their OUT vector) and queried (their IN vector).

What this adds: the ridge map (scikit-learn ``RidgeCV``) fitted jointly to IN and OUT, the
item texts (embedded through the workspace's cache, :func:`rl_shared.embeddings.encode_cached`),
and :meth:`DualEmbeddings.with_items` to grow a model.

References:
    Two Is Better Than One: Dual Embeddings for Complementary Product Recommendations,
    arXiv:2211.14982 (synthetic samples for coverage).

Example:
    >>> import numpy as np
    >>> from rl_recsys.dual_embeddings import DualEmbeddings
    >>> emb = DualEmbeddings(["a", "b", "c"], np.eye(3), np.eye(3))
    >>> mapper = ColdItemMapper().fit(np.eye(3), emb, ["a", "b", "c"])
    >>> mapper.predict(np.eye(3)[:1])[0].shape
    (1, 3)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from rl_recsys.dual_embeddings.model import DualEmbeddings, _unit
from rl_shared.errors import BadInput, ShapeMismatch

__all__ = [
    "ColdItemMapper",
    "add_cold_items",
    "embed_items",
    "item_texts",
    "synthetic_baskets",
]


def item_texts(items: Sequence[str], categories: Mapping[str, str] | None = None) -> list[str]:
    """Text describing each item: its name, then ``"(category)"`` when one is known.

    Args:
        items: item names (surrounding spaces are dropped).
        categories: item -> category, for the items that have one.

    Example:
        >>> item_texts(["cream cheese ", "tea"], {"tea": "drinks"})
        ['cream cheese', 'tea (drinks)']
    """
    categories = categories or {}
    return [
        f"{item.strip()} ({categories[item]})" if item in categories else item.strip()
        for item in items
    ]


def embed_items(
    items: Sequence[str],
    categories: Mapping[str, str] | None = None,
    model: str = "minilm",
    cache: bool = True,
) -> np.ndarray:
    """Unit sentence embeddings of the items' texts (:func:`item_texts`), cached.

    A thin use of :func:`rl_shared.embeddings.encode_cached` (content-hashed cache under
    ``cache_dir("embeddings")``).

    Args:
        items: item names.
        categories: item -> category, appended to the text.
        model: a short name (``minilm``), a local sentence-transformers folder or a hub id.
        cache: read and write the cache.

    Shapes:
        ``-> (len(items), embedding_dim)``, float32, rows of unit norm.

    Example:
        >>> vectors = embed_items(["whole milk", "beer"])
        >>> vectors.shape, bool(np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5))
        ((2, 384), True)
    """
    from rl_shared.embeddings import encode_cached

    texts = item_texts(items, categories)
    vectors = encode_cached(model, texts, model_id=model, normalize=True, cache=cache)
    return np.asarray(vectors, dtype=np.float32)


class ColdItemMapper:
    """Ridge regression from side-information features to unit IN and unit OUT vectors.

    Args:
        alphas: ridge strengths tried by leave-one-out cross-validation.

    Shapes:
        features: ``(n_items, n_features)`` -> IN, OUT: ``(n_items, dim)`` each.

    References:
        Two Is Better Than One: Dual Embeddings for Complementary Product Recommendations,
        arXiv:2211.14982 (side information for items without co-purchases).

    Example:
        >>> emb = DualEmbeddings(["a", "b", "c"], np.eye(3), np.eye(3)[::-1])
        >>> mapper = ColdItemMapper(alphas=(1e-6,)).fit(np.eye(3), emb, ["a", "b", "c"])
        >>> in_vec, out_vec = mapper.predict(np.eye(3)[:1])
        >>> in_vec.round(2).tolist(), out_vec.round(2).tolist()
        ([[1.0, 0.0, 0.0]], [[0.0, 0.0, 1.0]])
    """

    def __init__(self, alphas: Sequence[float] = (0.01, 0.1, 1.0, 10.0, 100.0)) -> None:
        self.alphas = tuple(alphas)
        self.regression = None
        self.dim = 0

    def fit(
        self, features: np.ndarray, model: DualEmbeddings, items: Sequence[str]
    ) -> ColdItemMapper:
        """Learn the map on warm ``items`` (rows of ``features`` in the same order)."""
        from sklearn.linear_model import RidgeCV

        features = np.asarray(features, dtype=np.float64)
        if features.ndim != 2 or features.shape[0] != len(items):
            raise ShapeMismatch(
                f"features {features.shape} must be (n_items, n_features) with n_items={len(items)}"
            )
        if len(items) < 2:
            raise BadInput("need at least two warm items to fit the cold-item map")
        rows = [model.lookup(item) for item in items]
        target = np.hstack([_unit(model.in_vectors[rows]), _unit(model.out_vectors[rows])])
        self.dim = model.dim
        self.regression = RidgeCV(alphas=list(self.alphas)).fit(features, target)
        return self

    def predict(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Predicted ``(IN, OUT)`` vectors for items described by ``features``."""
        if self.regression is None:
            raise BadInput("call fit() before predict()")
        out = self.regression.predict(np.asarray(features, dtype=np.float64)).astype(np.float32)
        return out[:, : self.dim], out[:, self.dim :]


def add_cold_items(
    model: DualEmbeddings,
    cold_items: Sequence[str],
    features: Mapping[str, np.ndarray] | None = None,
    categories: Mapping[str, str] | None = None,
    text_model: str = "minilm",
) -> DualEmbeddings:
    """A copy of ``model`` with ``cold_items`` placed by the side-information map.

    Args:
        model: trained on warm items only.
        cold_items: new item names (not in ``model``).
        features: item -> feature vector for warm and cold items; default: MiniLM text
            embeddings of :func:`item_texts`.
        categories: item -> category, appended to the text when ``features`` is not given.
        text_model: sentence-transformers model for the texts (short name, folder or hub id).

    Shapes:
        features values: ``(n_features,)``; the copy has ``len(model) + len(new items)`` rows.

    Example:
        >>> emb = DualEmbeddings(["a", "b", "c"], np.eye(3), np.eye(3)[::-1])
        >>> feats = {"a": np.eye(3)[0], "b": np.eye(3)[1], "c": np.eye(3)[2], "a2": np.eye(3)[0]}
        >>> grown = add_cold_items(emb, ["a2"], features=feats)
        >>> grown.items, grown.similar("a2", 1)[0][0]
        (['a', 'b', 'c', 'a2'], 'a')
    """
    cold_items = [item for item in cold_items if item not in model]
    if not cold_items:
        return model
    every = model.items + cold_items
    if features is None:
        matrix = embed_items(every, categories, text_model)
    else:
        missing = [item for item in every if item not in features]
        if missing:
            raise BadInput(f"no features for {len(missing)} items, e.g. {missing[0]!r}")
        matrix = np.stack([np.asarray(features[item]) for item in every])
    warm = len(model.items)
    mapper = ColdItemMapper().fit(matrix[:warm], model, model.items)
    in_vec, out_vec = mapper.predict(matrix[warm:])
    # put the predicted unit directions at the warm items' typical norms
    in_vec = _unit(in_vec) * float(np.median(np.linalg.norm(model.in_vectors, axis=1)))
    out_vec = _unit(out_vec) * float(np.median(np.linalg.norm(model.out_vectors, axis=1)))
    return model.with_items(cold_items, in_vec, out_vec)


def synthetic_baskets(
    baskets: Sequence[Sequence[str]],
    cold_items: Sequence[str],
    neighbours: Mapping[str, Sequence[str]],
    per_item: int,
    seed: int = 0,
) -> list[list[str]]:
    """Synthetic co-purchase baskets for cold items, borrowed from their nearest warm items.

    For each cold item, ``per_item`` baskets holding one of its side-information neighbours
    (e.g. nearest by name embedding) are drawn and the neighbour is swapped for the cold
    item. Training SGNS on real plus synthetic baskets gives cold items IN and OUT vectors.

    Args:
        baskets: warm training baskets.
        cold_items: items without co-purchase data.
        neighbours: cold item -> warm items close to it in another modality.
        per_item: synthetic baskets per cold item.
        seed: seed of the draw.

    Example:
        >>> synthetic_baskets([["milk", "bread"]], ["oat milk"], {"oat milk": ["milk"]}, 1)
        [['oat milk', 'bread']]
    """
    rng = np.random.default_rng(seed)
    holding: dict[str, list[int]] = {}
    for row, basket in enumerate(baskets):
        for item in basket:
            holding.setdefault(item, []).append(row)
    out: list[list[str]] = []
    for cold in cold_items:
        pool = [(n, r) for n in neighbours.get(cold, ()) for r in holding.get(n, ())]
        if not pool:
            continue
        for j in rng.choice(len(pool), size=min(per_item, len(pool)), replace=False):
            near, row = pool[int(j)]
            out.append([cold if item == near else item for item in baskets[row]])
    return out

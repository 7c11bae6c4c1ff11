"""Dual (IN/OUT) skip-gram product embeddings: similar items by IN·IN, complements by IN·OUT.

Skip-gram with negative sampling (SGNS) learns two vectors per item: the input vector
(gensim's ``wv.vectors``) and the output, or context, vector (gensim's ``syn1neg``). Most
uses keep only the IN vectors, whose cosine finds items bought *instead of* each other
(substitutes: they share contexts). The output vectors are what SGNS scores a co-purchase
with: ``sigmoid(IN[a] · OUT[b])`` is the model's estimate that ``b`` appears in a basket with
``a``, so IN·OUT finds items bought *together with* ``a`` (complements).

What this adds to gensim: training over baskets (a window that covers the whole basket,
items reshuffled every epoch, deterministic with one worker and a stable hash), keeping and
saving the OUT matrix, and the similar / complementary / basket-completion queries.

References:
    Two Is Better Than One: Dual Embeddings for Complementary Product Recommendations,
    arXiv:2211.14982. Mikolov et al., Distributed Representations of Words and Phrases and
    their Compositionality, arXiv:1310.4546.

Example:
    >>> baskets = [["milk", "cereal"], ["oat milk", "cereal"]] * 50
    >>> model = DualEmbeddings.fit(baskets, SGNSConfig(dim=8, epochs=5, negative=2))
    >>> sorted(model.items)
    ['cereal', 'milk', 'oat milk']
    >>> [item for item, _ in model.complementary("milk", k=1)]
    ['cereal']
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from rl_shared.errors import BadInput, ModelNotFound, ShapeMismatch

__all__ = [
    "CITATION",
    "KIND",
    "DualEmbeddings",
    "SGNSConfig",
    "set_training_state",
    "stable_hash",
    "train_word2vec",
    "training_state",
]

#: the ``kind`` of a saved model folder (``config.json``), checked on load
KIND = "recsys.dual-embeddings"
FORMAT_VERSION = 2
CITATION = """@article{kvernadze2022two,
  title   = {Two Is Better Than One: Dual Embeddings for Complementary Product Recommendations},
  author  = {Kvernadze and Sudyanti and Subedi and Hajiaghayi},
  journal = {arXiv preprint arXiv:2211.14982},
  year    = {2022}
}"""


def stable_hash(text: str) -> int:
    """A hash of ``text`` that does not depend on ``PYTHONHASHSEED`` (gensim's ``hashfxn``).

    Args:
        text: the string to hash (CRC-32 of its UTF-8 bytes).

    Example:
        >>> stable_hash("whole milk") == stable_hash("whole milk")
        True
    """
    return zlib.crc32(text.encode("utf-8"))


@dataclass(frozen=True)
class SGNSConfig:
    """Hyper-parameters of skip-gram with negative sampling over baskets.

    Args:
        dim: embedding dimension.
        epochs: passes over the baskets (each with a fresh shuffle of every basket).
        negative: negative samples per positive pair.
        ns_exponent: exponent of the negative-sampling distribution ``count ** ns_exponent``
            (0.75 in word2vec; 0 samples uniformly; negative values favour rare items).
        window: context window; ``None`` covers the whole basket.
        alpha: initial learning rate, decayed linearly to ``min_alpha``.
        min_alpha: final learning rate.
        min_count: items seen in fewer baskets are dropped.
        sample: frequent-item down-sampling threshold (0 disables it).
        seed: seed of initialisation, negative sampling and shuffles.
        shuffle: shuffle the items of every basket at each epoch.

    References:
        Mikolov et al., arXiv:1310.4546 (SGNS); Caselles-Dupré et al., arXiv:1804.04212
        (why the word defaults are wrong for items).

    Example:
        >>> SGNSConfig(dim=16).replace(ns_exponent=0.0).ns_exponent
        0.0
    """

    dim: int = 64
    epochs: int = 30
    negative: int = 10
    ns_exponent: float = 0.75
    window: int | None = None
    alpha: float = 0.025
    min_alpha: float = 1e-4
    min_count: int = 1
    sample: float = 0.0
    seed: int = 0
    shuffle: bool = True

    def replace(self, **changes: Any) -> SGNSConfig:
        """A copy with some fields changed."""
        return SGNSConfig(**{**asdict(self), **changes})


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


class DualEmbeddings:
    """IN and OUT vectors of a catalogue of items, with similar and complementary queries.

    Args:
        items: item names, one per row of the matrices.
        in_vectors: input (target) vectors.
        out_vectors: output (context) vectors, gensim's ``syn1neg``.
        counts: baskets each item appeared in during training (popularity), optional.
        config: the training configuration, kept for the record.

    Shapes:
        in_vectors, out_vectors: ``(n_items, dim)``; counts: ``(n_items,)``.

    References:
        Two Is Better Than One: Dual Embeddings for Complementary Product Recommendations,
        arXiv:2211.14982.

    Example:
        >>> import numpy as np
        >>> emb = DualEmbeddings(["a", "b"], np.eye(2), np.eye(2)[::-1])
        >>> emb.complementary("a", k=1)
        [('b', 1.0)]
    """

    def __init__(
        self,
        items: Sequence[str],
        in_vectors: np.ndarray,
        out_vectors: np.ndarray,
        counts: np.ndarray | None = None,
        config: SGNSConfig | None = None,
    ) -> None:
        in_vectors = np.asarray(in_vectors, dtype=np.float32)
        out_vectors = np.asarray(out_vectors, dtype=np.float32)
        if in_vectors.shape != out_vectors.shape or in_vectors.shape[0] != len(items):
            raise ShapeMismatch(
                f"IN {in_vectors.shape} and OUT {out_vectors.shape} must both be "
                f"({len(items)}, dim), one row per item"
            )
        if len(set(items)) != len(items):
            raise BadInput("item names must be unique")
        self.items = list(items)
        self.index = {item: i for i, item in enumerate(self.items)}
        self.in_vectors, self.out_vectors = in_vectors, out_vectors
        self.counts = np.zeros(len(items), dtype=np.int64) if counts is None else np.asarray(counts)
        self.config = config or SGNSConfig(dim=in_vectors.shape[1])
        self._unit_in = _unit(in_vectors)
        self._unit_out = _unit(out_vectors)

    # ------------------------------------------------------------------ training
    @classmethod
    def fit(
        cls,
        baskets: Sequence[Sequence[str]],
        config: SGNSConfig | None = None,
        progress: Callable[[Iterable[int], str], Iterable[int]] | None = None,
    ) -> DualEmbeddings:
        """Train SGNS on baskets with gensim and keep both vector sets.

        Args:
            baskets: lists of item names; each basket is one "sentence".
            config: hyper-parameters (defaults: :class:`SGNSConfig`).
            progress: optional wrapper of the epoch range (e.g. ``tqdm`` or ``ctx.track``).
        """
        return cls.from_word2vec(train_word2vec(baskets, config or SGNSConfig(), progress))

    @classmethod
    def from_word2vec(cls, model: Any, config: SGNSConfig | None = None) -> DualEmbeddings:
        """Wrap a trained gensim ``Word2Vec`` (skip-gram, negative sampling)."""
        if not getattr(model, "negative", 0) or getattr(model, "syn1neg", None) is None:
            raise BadInput("the Word2Vec model has no syn1neg; train it with negative > 0")
        wv = model.wv
        counts = np.array([wv.get_vecattr(k, "count") for k in wv.index_to_key], dtype=np.int64)
        config = config or getattr(model, "_rl_config", None)
        return cls(list(wv.index_to_key), wv.vectors.copy(), model.syn1neg.copy(), counts, config)

    # ------------------------------------------------------------------ lookup
    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, item: object) -> bool:
        return item in self.index

    @property
    def dim(self) -> int:
        return int(self.in_vectors.shape[1])

    def lookup(self, item: str) -> int:
        """Row of ``item`` (exact name, else the name with surrounding spaces ignored)."""
        if item in self.index:
            return self.index[item]
        loose = [i for i, name in enumerate(self.items) if name.strip() == item.strip()]
        if len(loose) == 1:
            return loose[0]
        close = sorted(self.items, key=lambda n: _distance(n.lower(), item.lower()))[:3]
        raise BadInput(f"unknown item {item!r}; the closest known items are {close}")

    # ------------------------------------------------------------------ queries
    def query_vector(self, items: Sequence[str], space: str = "in") -> np.ndarray:
        """Mean of the unit IN (or OUT) vectors of ``items``. Shapes: ``-> (dim,)``."""
        if not items:
            raise BadInput("the basket is empty; give at least one item")
        table = self._unit_in if space == "in" else self._unit_out
        return table[[self.lookup(item) for item in items]].mean(axis=0)

    def scores(self, items: Sequence[str], mode: str = "complementary") -> np.ndarray:
        """Cosine of the query items against every item. Shapes: ``-> (n_items,)``.

        Args:
            items: the query (one item or a basket).
            mode: ``"complementary"`` (IN·OUT) or ``"similar"`` (IN·IN).
        """
        if mode not in ("complementary", "similar"):
            raise BadInput(f"mode must be 'complementary' or 'similar', got {mode!r}")
        target = self._unit_out if mode == "complementary" else self._unit_in
        return target @ self.query_vector(items, "in")

    def _top(self, items: Sequence[str], mode: str, k: int) -> list[tuple[str, float]]:
        if k < 1:
            raise BadInput(f"k must be at least 1, got {k}")
        scores = self.scores(items, mode)
        scores[[self.lookup(item) for item in items]] = -np.inf
        order = np.argsort(-scores, kind="stable")[: min(k, len(self.items) - len(set(items)))]
        return [(self.items[i], round(float(scores[i]), 6)) for i in order]

    def similar(self, item: str, k: int = 10) -> list[tuple[str, float]]:
        """Items whose IN vectors are closest to ``item``'s (substitutes), best first."""
        return self._top([item], "similar", k)

    def complementary(self, item: str, k: int = 10) -> list[tuple[str, float]]:
        """Items whose OUT vectors best match ``item``'s IN vector (complements), best first."""
        return self._top([item], "complementary", k)

    def complementary_to_basket(self, items: Sequence[str], k: int = 10) -> list[tuple[str, float]]:
        """Items that complete a basket: mean unit IN of the basket against every OUT vector."""
        return self._top(list(items), "complementary", k)

    # ------------------------------------------------------------------ growing
    def with_items(
        self, items: Sequence[str], in_vectors: np.ndarray, out_vectors: np.ndarray
    ) -> DualEmbeddings:
        """A copy with extra items (e.g. cold items mapped from side information) appended."""
        return DualEmbeddings(
            self.items + list(items),
            np.vstack([self.in_vectors, in_vectors]),
            np.vstack([self.out_vectors, out_vectors]),
            np.concatenate([self.counts, np.zeros(len(items), dtype=np.int64)]),
            self.config,
        )

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> Path:
        """Write the model folder ``path`` through :func:`rl_shared.artifacts.save_model`.

        The folder holds ``config.json`` (kind ``recsys.dual-embeddings`` and the
        :class:`SGNSConfig`), ``model.safetensors`` (``in``, ``out``, ``counts``),
        ``items.json`` (the item names, one per row) and a ``README.md`` model card. An
        existing folder is replaced atomically; nothing is pickled.

        Args:
            path: the model folder (by convention ``OUT/model``).
        """
        import torch

        from rl_shared.artifacts import save_model
        from rl_shared.io import atomic_write_json

        def write_items(tmp: Path) -> None:
            atomic_write_json(tmp / "items.json", self.items)

        tensors = {
            "in": torch.from_numpy(np.ascontiguousarray(self.in_vectors)),
            "out": torch.from_numpy(np.ascontiguousarray(self.out_vectors)),
            "counts": torch.from_numpy(np.ascontiguousarray(self.counts.astype(np.int64))),
        }
        return save_model(
            path,
            kind=KIND,
            config={"version": FORMAT_VERSION, "n_items": len(self), **asdict(self.config)},
            tensors=tensors,
            citation=CITATION,
            summary=(
                f"Dual (IN/OUT) SGNS product embeddings: {len(self)} items, dimension "
                f"{self.dim}; IN·IN finds similar items, IN·OUT complementary ones."
            ),
            write=write_items,
        )

    @classmethod
    def load(cls, path: str | Path) -> DualEmbeddings:
        """Read a folder written by :meth:`save` (or a training ``OUT`` holding ``model/``).

        Raises:
            ModelNotFound: the folder is missing or incomplete.
            BadInput: the folder holds another kind of model.
        """
        from rl_shared.artifacts import load_model

        path = Path(path)
        if not (path / "config.json").is_file() and (path / "model" / "config.json").is_file():
            path = path / "model"
        items_file = path / "items.json"
        artifact = load_model(path, kind=KIND)
        if not items_file.is_file():
            raise ModelNotFound(
                f"{path} is not a complete dual-embeddings model (no items.json); "
                "train one with `rl recsys dual-embeddings train`"
            )
        items = json.loads(items_file.read_text(encoding="utf-8"))
        known = {f.name for f in fields(SGNSConfig)}
        config = SGNSConfig(**{k: v for k, v in artifact.config.items() if k in known})
        t = artifact.tensors
        return cls(items, t["in"].numpy(), t["out"].numpy(), t["counts"].numpy(), config)

    def to_keyed_vectors(self, space: str = "in") -> Any:
        """The IN (or OUT) vectors as a gensim ``KeyedVectors``, with the training counts.

        Args:
            space: ``"in"`` (input vectors, gensim's ``wv``) or ``"out"`` (``syn1neg``).
        """
        from gensim.models import KeyedVectors

        if space not in ("in", "out"):
            raise BadInput(f"space must be 'in' or 'out', got {space!r}")
        kv = KeyedVectors(self.dim)
        kv.add_vectors(self.items, self.in_vectors if space == "in" else self.out_vectors)
        kv.allocate_vecattrs(["count"], [np.int64])
        kv.expandos["count"][:] = np.asarray(self.counts, dtype=np.int64)
        return kv

    def save_keyed_vectors(self, path: str | Path, space: str = "in") -> Path:
        """Write the IN (or OUT) vectors as one gensim file, read back by ``KeyedVectors.load``.

        gensim's own format, arrays included in the one file (item names may hold spaces,
        which the word2vec text format cannot). Written to a temporary file and renamed.

        Args:
            path: the file to write, e.g. ``OUT/in.kv``.
            space: ``"in"`` or ``"out"``.

        Example:
            >>> import tempfile, pathlib
            >>> from gensim.models import KeyedVectors
            >>> emb = DualEmbeddings(["whole milk", "tea"], np.eye(2), np.eye(2)[::-1])
            >>> path = emb.save_keyed_vectors(pathlib.Path(tempfile.mkdtemp()) / "out.kv", "out")
            >>> KeyedVectors.load(str(path))["whole milk"].tolist()
            [0.0, 1.0]
        """
        from rl_shared.io import atomic_open

        kv = self.to_keyed_vectors(space)
        path = Path(path)
        with atomic_open(path, "wb") as handle:
            kv.save(handle)
        return path


def train_word2vec(
    baskets: Sequence[Sequence[str]],
    config: SGNSConfig,
    progress: Callable[[Iterable[int], str], Iterable[int]] | None = None,
    *,
    restore: Callable[[Any, np.random.Generator], int] | None = None,
    on_epoch: Callable[[int, Any, np.random.Generator], None] | None = None,
) -> Any:
    """Train a gensim skip-gram ``Word2Vec`` over baskets, reshuffling items every epoch.

    One worker and a stable ``hashfxn`` make the run reproducible for a given seed. The
    learning rate falls linearly from ``alpha`` to ``min_alpha`` across all epochs.

    Args:
        baskets: lists of item names (empty baskets are skipped).
        config: hyper-parameters.
        progress: optional wrapper of the epoch range, ``progress(epochs, description)``.
        restore: called once the vocabulary is built, as ``restore(model, shuffle_rng)``;
            it may load a checkpoint into both (:func:`set_training_state`) and returns the
            number of epochs already done, so that training goes on from there.
        on_epoch: called after every epoch as ``on_epoch(epochs_done, model, shuffle_rng)``
            (e.g. to write a checkpoint with :func:`training_state`).

    Returns:
        The gensim ``Word2Vec`` (``wv.vectors`` are IN, ``syn1neg`` OUT).

    References:
        Mikolov et al., Distributed Representations of Words and Phrases and their
        Compositionality, arXiv:1310.4546.

    Example:
        >>> w2v = train_word2vec([["tea", "lemon"]] * 10, SGNSConfig(dim=4, epochs=1, negative=1))
        >>> w2v.syn1neg.shape
        (2, 4)
    """
    from gensim.models import Word2Vec

    baskets = [list(b) for b in baskets if len(b) > 0]
    if not baskets:
        raise BadInput("no baskets to train on")
    if config.epochs < 1 or config.dim < 1 or config.negative < 1:
        raise BadInput("epochs, dim and negative must all be at least 1")
    longest = max(len(b) for b in baskets)
    model = Word2Vec(
        vector_size=config.dim,
        window=max(1, config.window or longest),
        min_count=config.min_count,
        sample=config.sample,
        sg=1,
        hs=0,
        negative=config.negative,
        ns_exponent=config.ns_exponent,
        alpha=config.alpha,
        min_alpha=config.min_alpha,
        seed=config.seed,
        workers=1,
        hashfxn=stable_hash,
        shrink_windows=config.window is not None,
        sorted_vocab=1,
    )
    model.build_vocab(baskets)
    if not model.wv.index_to_key:
        raise BadInput(f"no item appears in {config.min_count} baskets; lower min_count")
    rng = np.random.default_rng(config.seed)
    start = 0 if restore is None else restore(model, rng)
    epochs: Iterable[int] = range(start, config.epochs)
    if progress is not None:
        epochs = progress(epochs, "SGNS epochs")
    step = (config.alpha - config.min_alpha) / config.epochs
    for epoch in epochs:
        corpus = (
            [[b[i] for i in rng.permutation(len(b))] for b in baskets]
            if config.shuffle
            else baskets
        )
        model.train(
            corpus,
            total_examples=len(corpus),
            epochs=1,
            start_alpha=config.alpha - step * epoch,
            end_alpha=config.alpha - step * (epoch + 1),
        )
        if on_epoch is not None:
            on_epoch(epoch + 1, model, rng)
    model._rl_config = config
    return model


def training_state(model: Any, rng: np.random.Generator) -> tuple[dict[str, np.ndarray], dict]:
    """Everything that makes SGNS training go on exactly where it stopped.

    The IN and OUT matrices, gensim's ``model.random`` (the seeds of negative sampling and
    window shrinking) and the generator of the per-epoch basket shuffles.

    Args:
        model: a gensim ``Word2Vec`` being trained by :func:`train_word2vec`.
        rng: its shuffle generator.

    Returns:
        ``(arrays, meta)``: arrays ``in``, ``out`` (``(n_items, dim)``) and ``random_keys``
        (``(624,)``); meta is JSON-serialisable.

    Example:
        >>> w2v = train_word2vec([["tea", "lemon"]] * 5, SGNSConfig(dim=2, epochs=1, negative=1))
        >>> arrays, meta = training_state(w2v, np.random.default_rng(0))
        >>> sorted(arrays), arrays["out"].shape
        (['in', 'out', 'random_keys'], (2, 2))
    """
    name, keys, pos, has_gauss, cached = model.random.get_state()
    arrays = {
        "in": np.array(model.wv.vectors),
        "out": np.array(model.syn1neg),
        "random_keys": np.asarray(keys, dtype=np.int64),
    }
    meta = {
        "items": len(model.wv.index_to_key),
        "random": [name, int(pos), int(has_gauss), float(cached)],
        "shuffle": rng.bit_generator.state,
    }
    return arrays, meta


def set_training_state(
    model: Any, rng: np.random.Generator, arrays: dict[str, Any], meta: dict
) -> None:
    """Load what :func:`training_state` returned into a model whose vocabulary is built.

    Raises:
        BadInput: the state belongs to another vocabulary or dimension.

    Example:
        >>> w2v = train_word2vec([["tea", "lemon"]] * 5, SGNSConfig(dim=2, epochs=1, negative=1))
        >>> rng = np.random.default_rng(0)
        >>> arrays, meta = training_state(w2v, rng)
        >>> set_training_state(w2v, rng, arrays, meta)
    """
    shape = model.wv.vectors.shape
    if meta.get("items") != shape[0] or tuple(np.shape(arrays["in"])) != shape:
        raise BadInput(
            f"the checkpoint holds {meta.get('items')} items of dimension "
            f"{np.shape(arrays['in'])[-1]}, the baskets give {shape[0]} of dimension {shape[1]}"
        )
    model.wv.vectors[:] = np.asarray(arrays["in"], dtype=model.wv.vectors.dtype)
    model.syn1neg[:] = np.asarray(arrays["out"], dtype=model.syn1neg.dtype)
    name, pos, has_gauss, cached = meta["random"]
    keys = np.asarray(arrays["random_keys"], dtype=np.uint32)
    model.random.set_state((name, keys, pos, has_gauss, cached))
    rng.bit_generator.state = meta["shuffle"]


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (for "did you mean" hints)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]

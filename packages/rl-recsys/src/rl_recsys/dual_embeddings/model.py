"""Dual (IN/OUT) skip-gram product embeddings: similar items by IN·IN, complements by IN·OUT.

Skip-gram with negative sampling (SGNS) learns two vectors per item: the input vector
(gensim's ``wv.vectors``) and the output, or context, vector (gensim's ``syn1neg``). Most
uses keep only the IN vectors, whose cosine finds items bought *instead of* each other
(substitutes: they share contexts). The output vectors are what SGNS scores a co-purchase
with: ``sigmoid(IN[a] · OUT[b])`` is the model's estimate that ``b`` appears in a basket with
``a``, so IN·OUT finds items bought *together with* ``a`` (complements).

What this adds to gensim: training over baskets (a window that covers the whole basket,
items reshuffled every epoch, deterministic with one worker and a stable hash; in
:mod:`rl_recsys.dual_embeddings.sgns`), keeping and saving the OUT matrix, and the similar /
complementary / basket-completion queries.

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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import numpy as np

from rl_recsys.dual_embeddings.sgns import SGNSConfig, train_word2vec
from rl_shared.errors import BadInput, MalformedFile, ModelNotFound, ShapeMismatch, UnknownName

__all__ = ["CITATION", "KIND", "DualEmbeddings", "UnknownItem"]


#: the ``kind`` of a saved model folder (``config.json``), checked on load
KIND = "recsys.dual-embeddings"
FORMAT_VERSION = 2
CITATION = """@article{kvernadze2022two,
  title   = {Two Is Better Than One: Dual Embeddings for Complementary Product Recommendations},
  author  = {Kvernadze and Sudyanti and Subedi and Hajiaghayi},
  journal = {arXiv preprint arXiv:2211.14982},
  year    = {2022}
}"""


class UnknownItem(UnknownName, BadInput):
    """An item name that is not in the model's vocabulary; the message names the closest ones.

    An :class:`~rl_shared.errors.UnknownName` (and, as before, a ``BadInput``): the CLI prints
    it as one ``error:`` line and exits 2.

    Args:
        name: the name the user gave.
        items: the model's items (kept sorted in ``valid``; only the 3 closest are printed).

    Example:
        >>> err = UnknownItem("whole mlk", ["whole milk", "yogurt", "soda"])
        >>> print(err)
        unknown item 'whole mlk' (not among the model's 3 items); the closest are 'whole milk', 'soda', 'yogurt'
        >>> isinstance(err, UnknownName), isinstance(err, BadInput), err.exit_code
        (True, True, 2)
    """

    def __init__(self, name: str, items: Sequence[str]) -> None:
        super().__init__("item", name, list(items))
        close = sorted(items, key=lambda n: (_distance(n.lower(), name.lower()), n))[:3]
        shown = ", ".join(repr(c) for c in close)
        self.args = (
            f"unknown item {name!r} (not among the model's {len(items)} items); "
            f"the closest are {shown}",
        )


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
        """Row of ``item`` (exact name, else the name with surrounding spaces ignored).

        Raises:
            UnknownItem: no item has that name; the message names the closest ones.
        """
        if item in self.index:
            return self.index[item]
        loose = [i for i, name in enumerate(self.items) if name.strip() == item.strip()]
        if len(loose) == 1:
            return loose[0]
        raise UnknownItem(item, self.items)

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

        Args:
            path: the model folder, or the training ``OUT`` holding ``model/``.

        Raises:
            ModelNotFound: the folder is missing or incomplete.
            BadInput: the folder holds another kind of model.
            MalformedFile: ``config.json`` or ``items.json`` is not UTF-8, empty, not JSON or
                a folder; the weights lack a tensor or hold NaN.
            ShapeMismatch: the vectors do not have one row per listed item.
        """
        from rl_shared.artifacts import WEIGHTS, load_model
        from rl_shared.io import read_json

        path = Path(path)
        if not (path / "config.json").exists() and (path / "model" / "config.json").exists():
            path = path / "model"
        artifact = load_model(path, kind=KIND)
        items_file, weights = path / "items.json", path / WEIGHTS
        for part in (items_file, weights):
            if not part.exists():
                raise ModelNotFound(
                    f"{path} is not a complete dual-embeddings model (no {part.name}); "
                    "train one with `rl recsys dual-embeddings train`"
                )
        items = read_json(items_file)  # not UTF-8, empty, a folder: MalformedFile
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise MalformedFile(items_file, None, "expected a JSON list of item names")
        if not items:
            raise MalformedFile(items_file, None, "the model has no item")
        if len(set(items)) != len(items):
            twice = next(i for i in items if items.count(i) > 1)
            raise MalformedFile(items_file, None, f"the item {twice!r} is listed twice")
        if not isinstance(artifact.config, dict):
            raise MalformedFile(path / "config.json", None, "its 'config' is not an object")
        arrays = {}
        for name, dims in (("in", 2), ("out", 2), ("counts", 1)):
            if name not in artifact.tensors:
                raise MalformedFile(weights, None, f"holds no tensor '{name}'")
            array = artifact.tensors[name].numpy()
            rows = array.shape[0] if array.ndim else 0
            if array.ndim != dims or rows != len(items):
                raise ShapeMismatch(
                    f"{weights}: '{name}' has shape {tuple(array.shape)}, but {items_file.name} "
                    f"lists {len(items)} items (one row each)"
                )
            if not np.all(np.isfinite(array)):
                raise MalformedFile(weights, None, f"the tensor '{name}' holds NaN or infinity")
            arrays[name] = array
        known = {f.name for f in fields(SGNSConfig)}
        config = SGNSConfig(**{k: v for k, v in artifact.config.items() if k in known})
        return cls(items, arrays["in"], arrays["out"], arrays["counts"], config)

    def to_keyed_vectors(self, space: str = "in") -> Any:
        """The IN (or OUT) vectors as a gensim ``KeyedVectors``, with the training counts.

        Exactly one row per item, keyed by the item name (a string), in the model's order,
        so ``most_similar`` matches :meth:`similar` on the IN space and
        ``save_word2vec_format`` writes ``len(self)`` lines.

        Args:
            space: ``"in"`` (input vectors, gensim's ``wv``) or ``"out"`` (``syn1neg``).

        Returns:
            A ``gensim.models.KeyedVectors`` with the vector attribute ``count``.

        Raises:
            BadInput: ``space`` is neither ``"in"`` nor ``"out"``.

        Shapes:
            ``vectors``: ``(n_items, dim)``; ``expandos["count"]``: ``(n_items,)``.

        References:
            arXiv:2211.14982 (IN and OUT spaces); arXiv:1310.4546 (word2vec format).

        Example:
            >>> emb = DualEmbeddings(["milk", "tea"], np.eye(2), np.eye(2)[::-1])
            >>> kv = emb.to_keyed_vectors("out")
            >>> kv.vectors.shape, kv.index_to_key, kv["milk"].tolist()
            ((2, 2), ['milk', 'tea'], [0.0, 1.0])
        """
        from gensim.models import KeyedVectors

        if space not in ("in", "out"):
            raise BadInput(f"space must be 'in' or 'out', got {space!r}")
        table = self.in_vectors if space == "in" else self.out_vectors
        keys = [str(item) for item in self.items]
        # filled in place: add_vectors onto preallocated rows would leave N rows keyed None
        kv = KeyedVectors(self.dim, count=len(keys), dtype=np.float32)
        kv.vectors = np.array(table, dtype=np.float32, copy=True)
        kv.index_to_key = keys
        kv.key_to_index = {key: i for i, key in enumerate(keys)}
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


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (for "did you mean" hints)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]

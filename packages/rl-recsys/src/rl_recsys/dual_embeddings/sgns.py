"""Skip-gram with negative sampling over baskets on gensim: config, training, resumable state.

Baskets are the "sentences": the window covers the whole basket, items are reshuffled every
epoch, and one worker with a stable hash makes a run deterministic for a given seed. The
training state (IN, OUT, gensim's random state and the shuffle generator) can be taken out
after any epoch and put back, so that an interrupted run goes on exactly where it stopped.
:class:`~rl_recsys.dual_embeddings.model.DualEmbeddings` wraps the trained model.

References:
    Mikolov et al., Distributed Representations of Words and Phrases and their
    Compositionality, arXiv:1310.4546.

Example:
    >>> w2v = train_word2vec([["tea", "lemon"]] * 10, SGNSConfig(dim=4, epochs=1, negative=1))
    >>> sorted(w2v.wv.index_to_key)
    ['lemon', 'tea']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from rl_shared.errors import BadInput
from rl_shared.runtime import stable_hash

__all__ = ["SGNSConfig", "set_training_state", "train_word2vec", "training_state"]


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

    Args:
        model: a gensim ``Word2Vec`` over the same items and dimension; its IN and OUT
            matrices and ``model.random`` are overwritten in place.
        rng: the shuffle generator; its state is overwritten in place.
        arrays: the arrays of :func:`training_state` (``in``, ``out``, ``random_keys``).
        meta: its JSON-serialisable part.

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

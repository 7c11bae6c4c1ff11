"""Training entry points of dual embeddings, shared by ``cli.py`` and ``reproduction.py``.

:func:`train_model` fits the dual (IN/OUT) SGNS model on baskets and, given an output folder,
saves it to ``OUT/model/``; :func:`compare` fits it on a training split and scores IN·OUT,
IN·IN, popularity and lift by leave-one-out basket completion on a test split.

References:
    Two Is Better Than One: Dual Embeddings for Complementary Product Recommendations,
    arXiv:2211.14982.

Example:
    >>> import tempfile, pathlib
    >>> from rl_recsys.dual_embeddings import DualEmbeddings, SGNSConfig
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> model = train_model([["tea", "lemon"]] * 20, SGNSConfig(dim=4, epochs=2), out=out)
    >>> DualEmbeddings.load(out / "model").items == model.items
    True
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from rl_recsys.dual_embeddings.baselines import CooccurrenceLift, Popularity, Scorer
from rl_recsys.dual_embeddings.evaluation import DualScorer, evaluate, leave_one_out
from rl_recsys.dual_embeddings.model import DualEmbeddings
from rl_recsys.dual_embeddings.sgns import (
    SGNSConfig,
    set_training_state,
    train_word2vec,
    training_state,
)
from rl_shared.errors import BadInput

__all__ = ["CHECKPOINTS", "MODEL_FOLDER", "compare", "train_model"]

#: the saved model's folder inside ``--out``
MODEL_FOLDER = "model"
#: the training checkpoints' folder inside ``--out``
CHECKPOINTS = "checkpoints"

Progress = Callable[..., Iterable[Any]]


def train_model(
    baskets: Sequence[Sequence[str]],
    config: SGNSConfig | None = None,
    *,
    out: str | Path | None = None,
    progress: Progress | None = None,
    resume: bool = True,
    checkpoint_every: int = 1,
) -> DualEmbeddings:
    """Fit dual embeddings on ``baskets``; with ``out``, checkpoint and save to ``out/model/``.

    With an output folder, the training state is written to ``out/checkpoints/`` every
    ``checkpoint_every`` epochs (through :mod:`rl_shared.checkpoint`); a later call with
    ``resume=True`` goes on from the newest one and reaches the same vectors as a run
    straight through (same seed, one gensim worker).

    Args:
        baskets: lists of item names.
        config: hyper-parameters (defaults: :class:`SGNSConfig`).
        out: the output folder; the model goes to ``out/model/`` (replaced atomically).
        progress: optional wrapper of the epoch loop, ``progress(items, description)``
            (:func:`rl_shared.cli.progress` or ``ctx.track``).
        resume: go on from the newest checkpoint in ``out`` when there is one.
        checkpoint_every: epochs between checkpoints (the last epoch is always saved).

    Returns:
        The trained :class:`DualEmbeddings`.

    Raises:
        BadInput: the checkpoint in ``out`` was written for other baskets or another
            configuration (train with ``resume=False`` or into another folder).

    Example:
        >>> train_model([["tea", "lemon"]] * 20, SGNSConfig(dim=4, epochs=1)).dim
        4
    """
    config = config or SGNSConfig()
    if checkpoint_every < 1:
        raise BadInput(f"checkpoint_every must be at least 1, got {checkpoint_every}")
    if out is None:
        return DualEmbeddings.fit(baskets, config, progress=progress)
    from rl_shared.checkpoint import CheckpointManager

    manager = CheckpointManager(Path(out) / CHECKPOINTS, keep=1)
    run = {"sgns": asdict(config), "data": _fingerprint(baskets)}

    def restore(w2v: Any, rng: np.random.Generator) -> int:
        if not resume:  # start afresh: the old run's checkpoints would outrank the new ones
            for old in manager.checkpoints():
                shutil.rmtree(old)
        latest = manager.latest()
        if latest is None:
            return 0
        holder = _as_module(training_state(w2v, rng)[0])
        mismatch = BadInput(
            f"{latest} is a checkpoint of other baskets or another configuration; pass "
            "--no-resume to start again, or another --out"
        )
        try:
            state = manager.load(holder, restore_rng=False)
        except RuntimeError:  # the arrays do not fit this vocabulary
            raise mismatch from None
        if state.config != run:
            raise mismatch
        set_training_state(w2v, rng, _arrays(holder), state.extra)
        return state.step

    def on_epoch(done: int, w2v: Any, rng: np.random.Generator) -> None:
        if done % checkpoint_every == 0 or done == config.epochs:
            arrays, meta = training_state(w2v, rng)
            manager.save(done, _as_module(arrays), config=run, extra=meta)

    w2v = train_word2vec(baskets, config, progress, restore=restore, on_epoch=on_epoch)
    model = DualEmbeddings.from_word2vec(w2v, config)
    model.save(Path(out) / MODEL_FOLDER)
    return model


def _fingerprint(baskets: Sequence[Sequence[str]]) -> str:
    digest = hashlib.sha256()
    for basket in baskets:
        digest.update("\x1f".join(basket).encode("utf-8") + b"\x1e")
    return digest.hexdigest()


def _as_module(arrays: dict[str, np.ndarray]) -> Any:
    """The training state's arrays as buffers of a torch module (what rl_shared.checkpoint saves)."""
    import torch

    holder = torch.nn.Module()
    for name, value in arrays.items():
        holder.register_buffer(name, torch.from_numpy(np.ascontiguousarray(value)))
    return holder


def _arrays(holder: Any) -> dict[str, np.ndarray]:
    return {name: buf.numpy() for name, buf in holder.named_buffers()}


def compare(
    train_baskets: Sequence[Sequence[str]],
    test_baskets: Sequence[Sequence[str]],
    config: SGNSConfig | None = None,
    k: int = 10,
    lift_min_support: int = 10,
    progress: Progress | None = None,
) -> dict[str, dict[str, float]]:
    """Fit the dual model and the baselines on train; leave-one-out metrics on test.

    Args:
        train_baskets: baskets the model and the baselines are fitted on.
        test_baskets: held-out baskets; one known item of each is hidden.
        config: SGNS hyper-parameters; its seed also draws the hidden items.
        k: the cut-off of hit@k, NDCG@k and coverage@k.
        lift_min_support: pairs co-bought in fewer training baskets get lift 0.
        progress: optional wrapper of the epoch loop.

    Returns:
        ``{method: {"hit@k", "ndcg@k", "coverage@k", "queries"}}`` for the methods
        ``in-out``, ``in-in``, ``popularity`` and ``lift``.

    Example:
        >>> baskets = [["tea", "lemon"], ["beer", "chips"]] * 20
        >>> table = compare(baskets, baskets, SGNSConfig(dim=4, epochs=2), k=1)
        >>> sorted(table)
        ['in-in', 'in-out', 'lift', 'popularity']
    """
    config = config or SGNSConfig()
    model = train_model(train_baskets, config, progress=progress)
    queries = leave_one_out(test_baskets, model.items, seed=config.seed)
    scorers: dict[str, Scorer] = {
        "in-out": DualScorer(model, "complementary"),
        "in-in": DualScorer(model, "similar"),
        "popularity": Popularity.fit(train_baskets, model.items),
        "lift": CooccurrenceLift.fit(train_baskets, model.items, lift_min_support),
    }
    table = {name: evaluate(s, queries, k=k) for name, s in scorers.items()}
    for row in table.values():
        row["queries"] = float(len(queries))
    return table

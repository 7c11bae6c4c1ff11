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

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from rl_recsys.dual_embeddings.baselines import CooccurrenceLift, Popularity
from rl_recsys.dual_embeddings.evaluation import DualScorer, evaluate, leave_one_out
from rl_recsys.dual_embeddings.model import DualEmbeddings, SGNSConfig

__all__ = ["MODEL_FOLDER", "compare", "train_model"]

#: the saved model's folder inside ``--out``
MODEL_FOLDER = "model"

Progress = Callable[..., Iterable[Any]]


def train_model(
    baskets: Sequence[Sequence[str]],
    config: SGNSConfig | None = None,
    *,
    out: str | Path | None = None,
    progress: Progress | None = None,
) -> DualEmbeddings:
    """Fit dual embeddings on ``baskets``; with ``out``, save them to ``out/model/``.

    Args:
        baskets: lists of item names.
        config: hyper-parameters (defaults: :class:`SGNSConfig`).
        out: the output folder; the model goes to ``out/model/`` (replaced atomically).
        progress: optional wrapper of the epoch loop, ``progress(items, description)``
            (:func:`rl_shared.cli.progress` or ``ctx.track``).

    Returns:
        The trained :class:`DualEmbeddings`.

    Example:
        >>> train_model([["tea", "lemon"]] * 20, SGNSConfig(dim=4, epochs=1)).dim
        4
    """
    model = DualEmbeddings.fit(baskets, config or SGNSConfig(), progress=progress)
    if out is not None:
        model.save(Path(out) / MODEL_FOLDER)
    return model


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
    scorers = {
        "in-out": DualScorer(model, "complementary"),
        "in-in": DualScorer(model, "similar"),
        "popularity": Popularity.fit(train_baskets, model.items),
        "lift": CooccurrenceLift.fit(train_baskets, model.items, lift_min_support),
    }
    table = {name: evaluate(s, queries, k=k) for name, s in scorers.items()}
    for row in table.values():
        row["queries"] = float(len(queries))
    return table

"""``rl recsys``: train dual embeddings on baskets, recommend, evaluate against baselines.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from rl_recsys.baselines import CooccurrenceLift, Popularity
from rl_recsys.baskets import Basket, load_baskets, split_baskets
from rl_recsys.dual_embeddings import DualEmbeddings, SGNSConfig
from rl_recsys.evaluation import DualScorer, evaluate, leave_one_out
from rl_shared.cli import emit_json, json_option, seed_option

__all__ = ["group"]

F = TypeVar("F", bound=Callable[..., Any])


def _basket_options(func: F) -> F:
    options = [
        click.option(
            "--baskets",
            "baskets_path",
            required=True,
            type=click.Path(path_type=Path),
            help="Basket file: one basket per line (comma-separated), or a transaction table.",
        ),
        click.option("--transaction-col", default=None, help="Transaction-id column (tables)."),
        click.option("--item-col", default=None, help="Item column (tables)."),
        click.option("--delimiter", default=",", show_default=True, help="Field separator."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _config_options(func: F) -> F:
    default = SGNSConfig()
    options = [
        click.option("--dim", type=click.IntRange(1), default=default.dim, show_default=True),
        click.option("--epochs", type=click.IntRange(1), default=default.epochs, show_default=True),
        click.option(
            "--negative", type=click.IntRange(1), default=default.negative, show_default=True
        ),
        click.option(
            "--ns-exponent",
            type=float,
            default=default.ns_exponent,
            show_default=True,
            help="Negative-sampling exponent (0 keeps popularity in IN·OUT).",
        ),
        click.option(
            "--min-count", type=click.IntRange(1), default=default.min_count, show_default=True
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _config(seed: int, **kw: Any) -> SGNSConfig:
    keys = ("dim", "epochs", "negative", "ns_exponent", "min_count")
    return SGNSConfig(seed=seed, **{k: kw[k] for k in keys})


def _progress(as_json: bool) -> Callable[[Iterable[int], str], Iterable[int]] | None:
    if as_json or not sys.stderr.isatty():
        return None
    from tqdm.auto import tqdm

    return lambda it, desc: tqdm(it, desc=desc, file=sys.stderr, leave=False)


def _read(path: Path, transaction_col: str | None, item_col: str | None, delimiter: str):
    baskets = load_baskets(path, transaction_col, item_col, delimiter)
    if not baskets:
        from rl_shared.errors import BadInput

        raise BadInput(f"{path} holds no baskets; give a file with at least one item per line")
    return baskets


@click.group("recsys")
def group() -> None:
    """Dual (IN/OUT) skip-gram product embeddings: similar vs complementary items (arXiv:2211.14982)."""


@group.command("train")
@_basket_options
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
@_config_options
@seed_option
@json_option
def train_cmd(
    baskets_path: Path,
    transaction_col: str | None,
    item_col: str | None,
    delimiter: str,
    out: Path,
    seed: int,
    as_json: bool,
    **kw: Any,
) -> None:
    """Train dual embeddings on all baskets and save them to OUT (safetensors + JSON)."""
    baskets = _read(baskets_path, transaction_col, item_col, delimiter)
    model = DualEmbeddings.fit(baskets, _config(seed, **kw), progress=_progress(as_json))
    model.save(out)
    summary = {"out": str(out), "baskets": len(baskets), "items": len(model), "dim": model.dim}
    if as_json:
        emit_json(summary)
    else:
        click.echo(f"trained on {len(baskets)} baskets, {len(model)} items -> {out}")


@group.command("recommend")
@click.option("--model", "model_path", required=True, type=click.Path(path_type=Path))
@click.option("--item", "items", required=True, multiple=True, help="Query item (repeatable).")
@click.option(
    "--mode",
    type=click.Choice(["complementary", "similar"]),
    default="complementary",
    show_default=True,
)
@click.option("--k", type=click.IntRange(1), default=10, show_default=True)
@json_option
def recommend_cmd(
    model_path: Path, items: tuple[str, ...], mode: str, k: int, as_json: bool
) -> None:
    """Complementary (IN·OUT) or similar (IN·IN) items for one item or a basket."""
    model = DualEmbeddings.load(model_path)
    if mode == "similar":
        if len(items) != 1:
            from rl_shared.errors import BadInput

            raise BadInput("--mode similar takes exactly one --item")
        recs = model.similar(items[0], k)
    else:
        recs = model.complementary_to_basket(list(items), k)
    if as_json:
        emit_json({"query": list(items), "mode": mode, "items": [list(r) for r in recs]})
        return
    for rank, (item, score) in enumerate(recs, start=1):
        click.echo(f"{rank:>3}  {score:+.3f}  {item}")


def compare(
    train: list[Basket],
    test: list[Basket],
    config: SGNSConfig,
    k: int = 10,
    lift_min_support: int = 10,
    progress: Callable[[Iterable[int], str], Iterable[int]] | None = None,
) -> dict[str, dict[str, float]]:
    """Fit the dual model and the baselines on ``train``; leave-one-out metrics on ``test``."""
    model = DualEmbeddings.fit(train, config, progress=progress)
    queries = leave_one_out(test, model.items, seed=config.seed)
    scorers = {
        "in-out": DualScorer(model, "complementary"),
        "in-in": DualScorer(model, "similar"),
        "popularity": Popularity.fit(train, model.items),
        "lift": CooccurrenceLift.fit(train, model.items, lift_min_support),
    }
    table = {name: evaluate(s, queries, k=k) for name, s in scorers.items()}
    for row in table.values():
        row["queries"] = float(len(queries))
    return table


@group.command("evaluate")
@_basket_options
@click.option("--test-fraction", type=float, default=0.2, show_default=True)
@click.option("--split", type=click.Choice(["time", "random"]), default="time", show_default=True)
@click.option("--k", type=click.IntRange(1), default=10, show_default=True)
@click.option(
    "--lift-min-support",
    type=click.IntRange(1),
    default=10,
    show_default=True,
    help="Pairs co-bought in fewer training baskets get lift 0.",
)
@_config_options
@seed_option
@json_option
def evaluate_cmd(
    baskets_path: Path,
    transaction_col: str | None,
    item_col: str | None,
    delimiter: str,
    test_fraction: float,
    split: str,
    k: int,
    lift_min_support: int,
    seed: int,
    as_json: bool,
    **kw: Any,
) -> None:
    """Hide one item per held-out basket; rank by IN·OUT, IN·IN, popularity and lift."""
    baskets = _read(baskets_path, transaction_col, item_col, delimiter)
    train, test = split_baskets(baskets, test_fraction, split, seed)
    table = compare(
        train, test, _config(seed, **kw), k, lift_min_support, progress=_progress(as_json)
    )
    if as_json:
        emit_json({"k": k, "train": len(train), "test": len(test), "methods": table})
        return
    click.echo(f"{'method':<12} {'hit@' + str(k):>8} {'ndcg@' + str(k):>8} {'cov@' + str(k):>8}")
    for name, row in table.items():
        click.echo(
            f"{name:<12} {row[f'hit@{k}']:>8.4f} {row[f'ndcg@{k}']:>8.4f} "
            f"{row[f'coverage@{k}']:>8.4f}"
        )

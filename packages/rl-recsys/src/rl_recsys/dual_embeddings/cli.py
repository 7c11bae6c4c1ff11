"""``rl recsys dual-embeddings``: train on baskets, recommend, evaluate against baselines, export.

References:
    Kvernadze et al., "Two Is Better Than One: Dual Embeddings for Complementary Product
    Recommendations", arXiv 2022. https://arxiv.org/abs/2211.14982

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

import rl_recsys.dual_embeddings.formats  # noqa: F401  (registers the formats the options name)
from rl_recsys.dual_embeddings.sgns import SGNSConfig
from rl_shared.cli import (
    FiniteFloat,
    data_option,
    emit_json,
    json_option,
    lr_option,
    model_option,
    out_option,
    progress,
    resume_option,
    seed_option,
)

__all__ = ["group"]

F = TypeVar("F", bound=Callable[..., Any])

_DEFAULTS = SGNSConfig()

DATA_HELP = (
    "Baskets: a file with one basket per line (comma-separated items) or a transaction "
    "table (with --transaction-col and --item-col), a folder holding one such file, or the "
    "registered dataset 'groceries'."
)


def _check_delimiter(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """One character (``\\t`` or ``tab`` for a tab), and not a quote or a line break."""
    text = {"\\t": "\t", "tab": "\t"}.get(value, value)
    if len(text) != 1 or text in '"\r\n':
        raise click.BadParameter(
            f"{value!r} is not one character (a quote and line breaks are not allowed; "
            "write \\t or tab for a tab)",
            ctx,
            param,
        )
    return text


def _basket_options(func: F) -> F:
    options = [
        data_option(help=DATA_HELP, formats=("dual-embeddings-baskets",)),
        click.option("--transaction-col", default=None, help="Transaction-id column (tables)."),
        click.option("--item-col", default=None, help="Item column (tables)."),
        click.option(
            "--delimiter",
            default=",",
            show_default=True,
            callback=_check_delimiter,
            help="Field separator: one character (\\t or tab for a tab).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _config_options(func: F) -> F:
    d = _DEFAULTS
    options = [
        click.option(
            "--dim",
            type=click.IntRange(1),
            default=d.dim,
            show_default=True,
            help="Embedding dimension.",
        ),
        click.option(
            "--epochs",
            type=click.IntRange(1),
            default=d.epochs,
            show_default=True,
            help="Passes over the baskets (gensim's epochs; items reshuffled each time).",
        ),
        click.option(
            "--negative",
            type=click.IntRange(1),
            default=d.negative,
            show_default=True,
            help="Negative samples per positive pair.",
        ),
        click.option(
            "--ns-exponent",
            type=FiniteFloat(),
            default=d.ns_exponent,
            show_default=True,
            help="Negative-sampling exponent (0 keeps popularity in IN·OUT).",
        ),
        click.option(
            "--min-count",
            type=click.IntRange(1),
            default=d.min_count,
            show_default=True,
            help="Drop items seen in fewer baskets.",
        ),
        lr_option(default=d.alpha, help="Initial SGNS learning rate (alpha), decayed linearly."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _config(seed: int, lr: float, **kw: Any) -> SGNSConfig:
    keys = ("dim", "epochs", "negative", "ns_exponent", "min_count")
    return SGNSConfig(seed=seed, alpha=lr, **{k: kw[k] for k in keys})


def _read(data: str, transaction_col: str | None, item_col: str | None, delimiter: str):
    from rl_recsys.dual_embeddings.data import load_data

    if (transaction_col is None) != (item_col is None):
        given, missing = (
            ("--transaction-col", "--item-col")
            if item_col is None
            else ("--item-col", "--transaction-col")
        )
        raise click.BadParameter(
            f"{given} reads a transaction table, which also needs {missing}",
            param_hint=f"'{missing}'",
        )
    if transaction_col is not None and transaction_col == item_col:
        raise click.BadParameter(
            f"the transaction id and the item cannot both be the column {item_col!r}",
            param_hint="'--item-col'",
        )
    return load_data(data, transaction_col, item_col, delimiter)


def _epoch_progress(as_json: bool) -> Callable[..., Any]:
    track = progress(as_json)
    return lambda items, description: track(items, description)


@click.group("dual-embeddings", short_help="Dual IN/OUT SGNS: similar vs complementary items.")
def group() -> None:
    """Dual (IN/OUT) SGNS product embeddings: similar vs complementary items (arXiv:2211.14982)."""


@group.command("train", short_help="Train on baskets; save OUT/model/.")
@_basket_options
@out_option(help="Output folder: the model goes to OUT/model/, checkpoints to OUT/checkpoints/.")
@_config_options
@seed_option
@resume_option
@json_option
def train_cmd(
    data: str,
    transaction_col: str | None,
    item_col: str | None,
    delimiter: str,
    out: Path,
    seed: int,
    lr: float,
    resume: bool,
    as_json: bool,
    **kw: Any,
) -> None:
    """Train dual embeddings on all baskets and save them to OUT/model/.

    A checkpoint is written to OUT/checkpoints/ after every epoch; training into the same
    OUT again goes on from it (--no-resume starts afresh).
    """
    from rl_recsys.dual_embeddings.train import MODEL_FOLDER, train_model

    baskets = _read(data, transaction_col, item_col, delimiter)
    model = train_model(
        baskets,
        _config(seed, lr, **kw),
        out=out,
        progress=_epoch_progress(as_json),
        resume=resume,
    )
    folder = out / MODEL_FOLDER
    summary = {"model": str(folder), "baskets": len(baskets), "items": len(model), "dim": model.dim}
    if as_json:
        emit_json(summary)
    else:
        click.echo(f"trained on {len(baskets)} baskets, {len(model)} items -> {folder}")


@group.command("recommend", short_help="Complementary or similar items.")
@model_option(
    default=None,
    help="A model folder (OUT/model/ of `train`, or OUT itself).",
    formats=("dual-embeddings-model",),
)
@click.option("--item", "items", required=True, multiple=True, help="Query item (repeatable).")
@click.option(
    "--mode",
    type=click.Choice(["complementary", "similar"]),
    default="complementary",
    show_default=True,
    help="complementary: IN·OUT (bought together); similar: IN·IN (bought instead).",
)
@click.option("--k", type=click.IntRange(1), default=10, show_default=True, help="Items to list.")
@json_option
def recommend_cmd(model: str, items: tuple[str, ...], mode: str, k: int, as_json: bool) -> None:
    """Complementary (IN·OUT) or similar (IN·IN) items for one item or a basket."""
    from rl_recsys.dual_embeddings.model import DualEmbeddings
    from rl_shared.errors import BadInput

    emb = DualEmbeddings.load(model)
    if mode == "similar":
        if len(items) != 1:
            raise BadInput("--mode similar takes exactly one --item")
        recs = emb.similar(items[0], k)
    else:
        recs = emb.complementary_to_basket(list(items), k)
    if as_json:
        emit_json({"query": list(items), "mode": mode, "items": [list(r) for r in recs]})
        return
    for rank, (item, score) in enumerate(recs, start=1):
        click.echo(f"{rank:>3}  {score:+.3f}  {item}")


@group.command("evaluate", short_help="IN·OUT vs IN·IN vs popularity vs lift.")
@_basket_options
@out_option(required=False, help="Optional folder; the table is also written to OUT/metrics.json.")
@click.option(
    "--test-fraction",
    type=FiniteFloat(0.0, 1.0, min_open=True, max_open=True),
    default=0.2,
    show_default=True,
    help="Share of baskets held out for testing.",
)
@click.option(
    "--split",
    type=click.Choice(["time", "random"]),
    default="time",
    show_default=True,
    help="time: the last baskets are the test set; random: drawn with --seed.",
)
@click.option("--k", type=click.IntRange(1), default=10, show_default=True, help="Cut-off.")
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
    data: str,
    transaction_col: str | None,
    item_col: str | None,
    delimiter: str,
    out: Path | None,
    test_fraction: float,
    split: str,
    k: int,
    lift_min_support: int,
    seed: int,
    lr: float,
    as_json: bool,
    **kw: Any,
) -> None:
    """Train on a split; hide one item per test basket; rank by IN·OUT, IN·IN, popularity, lift."""
    from rl_recsys.dual_embeddings.data import split_baskets
    from rl_recsys.dual_embeddings.train import compare
    from rl_shared.io import atomic_write_json

    baskets = _read(data, transaction_col, item_col, delimiter)
    train, test = split_baskets(baskets, test_fraction, split, seed)
    table = compare(
        train, test, _config(seed, lr, **kw), k, lift_min_support, progress=_epoch_progress(as_json)
    )
    result = {"k": k, "train": len(train), "test": len(test), "methods": table}
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        atomic_write_json(out / "metrics.json", result)
    if as_json:
        emit_json(result)
        return
    click.echo(f"{'method':<12} {'hit@' + str(k):>8} {'ndcg@' + str(k):>8} {'cov@' + str(k):>8}")
    for name, row in table.items():
        click.echo(
            f"{name:<12} {row[f'hit@{k}']:>8.4f} {row[f'ndcg@{k}']:>8.4f} "
            f"{row[f'coverage@{k}']:>8.4f}"
        )


@group.command("export", short_help="Write gensim KeyedVectors files.")
@model_option(
    default=None,
    help="A model folder (OUT/model/ of `train`, or OUT itself).",
    formats=("dual-embeddings-model",),
)
@out_option(help="Folder for in.kv / out.kv (gensim KeyedVectors, read by KeyedVectors.load).")
@click.option(
    "--space",
    type=click.Choice(["in", "out", "both"]),
    default="both",
    show_default=True,
    help="Which vectors to export: IN (gensim's wv), OUT (syn1neg) or both.",
)
@json_option
def export_cmd(model: str, out: Path, space: str, as_json: bool) -> None:
    """Export the IN and/or OUT vectors as gensim KeyedVectors files in OUT."""
    from rl_recsys.dual_embeddings.model import DualEmbeddings

    emb = DualEmbeddings.load(model)
    out.mkdir(parents=True, exist_ok=True)
    spaces = ("in", "out") if space == "both" else (space,)
    files = {s: str(emb.save_keyed_vectors(out / f"{s}.kv", s)) for s in spaces}
    if as_json:
        emit_json({"items": len(emb), "dim": emb.dim, "files": files})
        return
    for s, path in files.items():
        click.echo(f"{s.upper()} vectors ({len(emb)} items, dim {emb.dim}) -> {path}")

"""``rl retrieval limit ...``: the free-embedding critical n, LIMIT corpora, sign-rank bounds.

References:
    Weller et al., "On the Theoretical Limitations of Embedding-Based Retrieval", arXiv 2025.
    https://arxiv.org/abs/2508.21038

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["critical-n", "--dims", "2", "--json"]).exit_code
    0
"""

from __future__ import annotations

import time
from pathlib import Path

import click

import rl_retrieval.core.formats  # noqa: F401  (registers the formats --data names)
from rl_shared.cli import (
    data_option,
    emit_json,
    json_option,
    out_option,
    progress,
    seed_option,
    steps_option,
)
from rl_shared.errors import BadInput

__all__ = ["group"]


@click.group("limit")
def group() -> None:
    """LIMIT (arXiv:2508.21038): free-embedding critical n, sign-rank bounds, dataset generator."""


@group.command("critical-n")
@click.option(
    "--k",
    "k",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Relevant documents per query.",
)
@click.option(
    "--dims",
    "dims",
    type=click.IntRange(min=1),
    multiple=True,
    help="Dimensions, e.g. --dims 4 6 8 10 12 (default 4 6 8 10 12).",
)
@click.argument("more_dims", nargs=-1, type=click.IntRange(min=1))
@click.option(
    "--seeds",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Restarts per (n, d), optimized together.",
)
@steps_option(default=5000, help="Most optimizer steps per (n, d) fit.")
@click.option(
    "--patience",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Stop a fit when the solved queries have not grown for this many steps.",
)
@seed_option
@json_option
def critical_n_cmd(
    k: int,
    dims: tuple[int, ...],
    more_dims: tuple[int, ...],
    seeds: int,
    steps: int,
    patience: int,
    seed: int,
    as_json: bool,
) -> None:
    """Largest n whose C(n, k) top-k sets free d-dimensional embeddings can realize, per d."""
    from rl_retrieval.limit.free_embedding import PAPER_CUBIC, critical_n_curve, fit_cubic, polyval

    all_dims = sorted({*dims, *more_dims}) or [4, 6, 8, 10, 12]
    if min(all_dims) < 1 or k < 1:
        raise BadInput(f"dimensions and k must be positive, got dims={all_dims}, k={k}")
    track = progress(as_json)
    start = time.perf_counter()
    curve = critical_n_curve(
        all_dims,
        k,
        seeds=seeds,
        seed=seed,
        max_steps=steps,
        patience=patience,
        track=lambda ds: track(ds, "critical n per d"),
    )
    rows = [
        {"d": res.d, "n": res.n, "seconds": round(res.seconds, 3), "trials": len(res.trials)}
        for res in curve
    ]
    total = time.perf_counter() - start
    cubic = fit_cubic([r["d"] for r in rows], [r["n"] for r in rows]) if len(rows) >= 4 else None
    result = {
        "k": k,
        "rows": rows,
        "cubic": cubic,
        "paper_cubic": PAPER_CUBIC if k == 2 else None,
        "seconds": round(total, 3),
    }
    if as_json:
        emit_json(result)
        return
    click.echo(f"{'d':>4} {'n':>5} {'paper':>7} {'seconds':>8}")
    for r in rows:
        paper = f"{polyval(PAPER_CUBIC, r['d']):7.1f}" if k == 2 else "      -"
        click.echo(f"{r['d']:>4} {r['n']:>5} {paper} {r['seconds']:>8.2f}")
    if cubic:
        click.echo("fit: n = {:.4f} + {:.4f} d + {:.4f} d^2 + {:.4f} d^3".format(*cubic))
    click.echo(f"total {total:.1f} s")


@group.command("generate")
@click.option(
    "--docs", type=click.IntRange(min=1), default=50_000, show_default=True, help="Corpus size."
)
@click.option(
    "--queries",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Queries (two relevant documents each).",
)
@click.option(
    "--attributes",
    type=click.IntRange(min=1),
    default=None,
    help="Attributes each person likes, at most --docs  [default: 46, or --docs when fewer].",
)
@out_option(help="Output folder, in LIMIT's layout (corpus.jsonl, queries.jsonl, qrels.jsonl).")
@seed_option
@json_option
def generate_cmd(
    docs: int, queries: int, attributes: int | None, out: Path, seed: int, as_json: bool
) -> None:
    """Generate a LIMIT-style corpus: people who like attributes, 'Who likes X?' queries."""
    from rl_retrieval.limit.data import core_size, generate_limit, write_limit

    need = core_size(queries)
    if docs < need:
        raise click.BadParameter(
            f"{docs} documents are too few for --queries {queries}: each query needs its own "
            f"pair of relevant documents, so at least {need} (C({need}, 2) >= {queries})",
            param_hint="'--docs'",
        )
    if attributes is None:
        attributes = min(46, docs)
    elif attributes > docs:
        raise click.BadParameter(
            f"{attributes} is more than --docs {docs}; give each person at most as many "
            "attributes as there are people (LIMIT: 46 each, 50,000 people)",
            param_hint="'--attributes'",
        )
    data = generate_limit(docs=docs, queries=queries, attributes_per_doc=attributes, seed=seed)
    write_limit(data, out)
    summary = {
        "out": str(out),
        "documents": len(data.corpus),
        "queries": len(data.queries),
        "core_documents": core_size(queries),
    }
    if as_json:
        emit_json(summary)
    else:
        click.echo(
            f"wrote {out}: {len(data.corpus)} documents, {len(data.queries)} queries over "
            f"{summary['core_documents']} core documents"
        )


@group.command("bounds")
@data_option(
    help="A BEIR or LIMIT folder, or a dataset name (limit-small, limit, cranfield), "
    "with an optional :split (default test).",
    formats=("limit-folder", "beir-folder"),
)
@json_option
def bounds_cmd(data: str, as_json: bool) -> None:
    """Sign-rank bounds on the embedding dimension the qrels need."""
    from rl_retrieval.core.datasets import load_data
    from rl_retrieval.limit.sign_rank import dimension_bounds, qrel_matrix

    matrix, qids, dids = qrel_matrix(load_data(data).qrels)
    lo, hi = dimension_bounds(matrix)
    result = {"data": data, "queries": len(qids), "documents": len(dids), "lower": lo, "upper": hi}
    if as_json:
        emit_json(result)
    else:
        click.echo(
            f"{len(qids)} queries x {len(dids)} relevant documents: {lo} <= d needed <= {hi}"
        )

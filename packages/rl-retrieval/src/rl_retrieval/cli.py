"""``rl retrieval ...``: evaluate retrievers, convert SMART collections, LIMIT experiments.

Registered under the entry-point group ``rl.commands`` as ``retrieval``.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["limit", "critical-n", "--dims", "2", "--json"]).exit_code
    0
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from rl_shared.cli.common import emit_json, json_option, seed_option
from rl_shared.errors import BadInput

__all__ = ["group"]


@click.group("retrieval")
def group() -> None:
    """BEIR-style retrieval: BM25, dense and hybrid search, metrics, SMART conversion, LIMIT."""


def _load(data: str, split: str):
    from rl_retrieval.beir import load_beir
    from rl_retrieval.datasets import DATASETS, load_dataset

    if not Path(data).exists() and data in {d.name for d in DATASETS}:
        return load_dataset(data, split)
    return load_beir(data, split)


@group.command("evaluate")
@click.option(
    "--data", required=True, help="A BEIR folder, or a dataset name: cranfield, limit-small, limit."
)
@click.option("--split", default="test", show_default=True, help="Which qrels split to evaluate.")
@click.option(
    "--retriever", type=click.Choice(["bm25", "dense", "hybrid"]), default="bm25", show_default=True
)
@click.option(
    "--model",
    default="minilm",
    show_default=True,
    help="Dense model: a short name or a local folder.",
)
@click.option(
    "--k", "k", type=int, default=1000, show_default=True, help="Documents retrieved per query."
)
@click.option("--k1", type=float, default=0.9, show_default=True, help="BM25 k1.")
@click.option("--b", type=float, default=0.4, show_default=True, help="BM25 b.")
@click.option(
    "--run-out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the run in TREC format here.",
)
@seed_option
@json_option
def evaluate_cmd(
    data: str,
    split: str,
    retriever: str,
    model: str,
    k: int,
    k1: float,
    b: float,
    run_out: str | None,
    seed: int,
    as_json: bool,
) -> None:
    """Retrieve with BM25, a dense model or their RRF fusion and print nDCG@10, Recall@10/100, MAP@100, MRR@10."""
    from rl_retrieval.bm25 import BM25Retriever
    from rl_retrieval.dense import DenseRetriever
    from rl_retrieval.fusion import reciprocal_rank_fusion
    from rl_retrieval.metrics import DEFAULT_MEASURES, evaluate
    from rl_retrieval.run_format import write_trec_run

    if k < 1:
        raise BadInput(f"--k must be at least 1, got {k}")
    beir = _load(data, split)
    start = time.perf_counter()
    runs = []
    if retriever in ("bm25", "hybrid"):
        runs.append(BM25Retriever(k1=k1, b=b).fit(beir.corpus).search(beir.queries, k))
    if retriever in ("dense", "hybrid"):
        runs.append(
            DenseRetriever(model, show_progress=not as_json).search(beir.corpus, beir.queries, k)
        )
    run = runs[0] if len(runs) == 1 else reciprocal_rank_fusion(runs, top=k)
    seconds = time.perf_counter() - start
    metrics = evaluate(beir.qrels, run, DEFAULT_MEASURES)
    if run_out:
        write_trec_run(run, run_out, tag=f"rl-{retriever}", k=k)
    labels = {
        "nDCG@10": "nDCG@10",
        "R@10": "Recall@10",
        "R@100": "Recall@100",
        "AP@100": "MAP@100",
        "RR@10": "MRR@10",
    }
    named = {labels[m]: v for m, v in metrics.items()}
    if as_json:
        emit_json(
            {
                "data": data,
                "split": split,
                "retriever": retriever,
                "queries": len(beir.queries),
                "documents": len(beir.corpus),
                "metrics": named,
                "seconds": round(seconds, 3),
            }
        )
        return
    click.echo(
        f"{retriever} on {data} ({len(beir.corpus)} documents, {len(beir.queries)} queries, {seconds:.1f} s)"
    )
    for name, value in named.items():
        click.echo(f"  {name:<11} {value:.4f}")


@group.group("convert")
def convert() -> None:
    """Convert other formats into the BEIR layout."""


@convert.command("smart")
@click.option(
    "--docs",
    required=True,
    type=click.Path(dir_okay=False),
    help="SMART document file (.I/.T/.A/.B/.W).",
)
@click.option("--queries", required=True, type=click.Path(dir_okay=False), help="SMART query file.")
@click.option("--qrels", required=True, type=click.Path(dir_okay=False), help="Relevance file.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output BEIR folder.")
@click.option(
    "--relevance",
    type=click.Choice(["cleverdon", "raw", "binary"]),
    default="cleverdon",
    show_default=True,
)
@click.option(
    "--query-ids", type=click.Choice(["position", "record"]), default="position", show_default=True
)
@click.option(
    "--qrels-format",
    type=click.Choice(["auto", "qdr", "trec", "cisi"]),
    default="auto",
    show_default=True,
)
@json_option
def convert_smart_cmd(
    docs: str,
    queries: str,
    qrels: str,
    out: str,
    relevance: str,
    query_ids: str,
    qrels_format: str,
    as_json: bool,
) -> None:
    """Convert a SMART collection (Cranfield, CISI, MEDLINE, CACM, NPL) into a BEIR folder."""
    from rl_retrieval.smart import convert_smart

    data = convert_smart(
        docs,
        queries,
        qrels,
        out,
        relevance=relevance,
        query_ids=query_ids,
        qrels_format=qrels_format,
    )
    summary = {
        "out": out,
        "documents": len(data.corpus),
        "queries": len(data.queries),
        "judgements": sum(len(v) for v in data.qrels.values()),
    }
    if as_json:
        emit_json(summary)
    else:
        click.echo(
            f"wrote {out}: {summary['documents']} documents, {summary['queries']} queries, {summary['judgements']} judgements"
        )


@group.group("limit")
def limit() -> None:
    """LIMIT (arXiv:2508.21038): free-embedding critical n, sign-rank bounds, dataset generator."""


@limit.command("critical-n", context_settings={"ignore_unknown_options": False})
@click.option(
    "--k", "k", type=int, default=2, show_default=True, help="Relevant documents per query."
)
@click.option(
    "--dims", "dims", type=int, multiple=True, help="Dimensions, e.g. --dims 4 6 8 10 12."
)
@click.argument("more_dims", nargs=-1, type=int)
@click.option(
    "--seeds",
    type=int,
    default=3,
    show_default=True,
    help="Restarts per (n, d), optimized together.",
)
@click.option("--max-steps", type=int, default=5000, show_default=True)
@click.option("--patience", type=int, default=1000, show_default=True)
@seed_option
@json_option
def critical_n_cmd(
    k: int,
    dims: tuple[int, ...],
    more_dims: tuple[int, ...],
    seeds: int,
    max_steps: int,
    patience: int,
    seed: int,
    as_json: bool,
) -> None:
    """Largest n whose C(n, k) top-k sets free d-dimensional embeddings can realize, per d."""
    from rl_retrieval.limit.free_embedding import PAPER_CUBIC, critical_n_curve, fit_cubic, polyval

    all_dims = sorted({*dims, *more_dims}) or [4, 6, 8, 10, 12]
    if min(all_dims) < 1 or k < 1:
        raise BadInput(f"dimensions and k must be positive, got dims={all_dims}, k={k}")
    start = time.perf_counter()
    rows = []
    for res in critical_n_curve(
        all_dims, k, seeds=seeds, seed=seed, max_steps=max_steps, patience=patience
    ):
        rows.append(
            {"d": res.d, "n": res.n, "seconds": round(res.seconds, 3), "trials": len(res.trials)}
        )
        if not as_json:
            print(
                f"d={res.d:<4} n={res.n:<5} {res.seconds:6.2f} s  ({len(res.trials)} trials)",
                file=sys.stderr,
                flush=True,
            )
    total = time.perf_counter() - start
    cubic = fit_cubic([r["d"] for r in rows], [r["n"] for r in rows]) if len(rows) >= 4 else None
    out = {
        "k": k,
        "rows": rows,
        "cubic": cubic,
        "paper_cubic": PAPER_CUBIC if k == 2 else None,
        "seconds": round(total, 3),
    }
    if as_json:
        emit_json(out)
        return
    click.echo(f"{'d':>4} {'n':>5} {'paper':>7} {'seconds':>8}")
    for r in rows:
        paper = f"{polyval(PAPER_CUBIC, r['d']):7.1f}" if k == 2 else "      -"
        click.echo(f"{r['d']:>4} {r['n']:>5} {paper} {r['seconds']:>8.2f}")
    if cubic:
        click.echo("fit: n = {:.4f} + {:.4f} d + {:.4f} d^2 + {:.4f} d^3".format(*cubic))
    click.echo(f"total {total:.1f} s")


@limit.command("generate")
@click.option("--docs", type=int, default=50_000, show_default=True, help="Corpus size.")
@click.option(
    "--queries",
    type=int,
    default=1000,
    show_default=True,
    help="Queries (two relevant documents each).",
)
@click.option(
    "--attributes", type=int, default=46, show_default=True, help="Attributes each person likes."
)
@click.option(
    "--out", required=True, type=click.Path(file_okay=False), help="Output folder (LIMIT layout)."
)
@seed_option
@json_option
def generate_cmd(
    docs: int, queries: int, attributes: int, out: str, seed: int, as_json: bool
) -> None:
    """Generate a LIMIT-style corpus: people who like attributes, 'Who likes X?' queries."""
    from rl_retrieval.limit.generate import core_size, generate_limit, write_limit

    data = generate_limit(docs=docs, queries=queries, attributes_per_doc=attributes, seed=seed)
    write_limit(data, out)
    summary = {
        "out": out,
        "documents": len(data.corpus),
        "queries": len(data.queries),
        "core_documents": core_size(queries),
    }
    if as_json:
        emit_json(summary)
    else:
        click.echo(
            f"wrote {out}: {len(data.corpus)} documents, {len(data.queries)} queries over {summary['core_documents']} core documents"
        )


@limit.command("bounds")
@click.option("--data", required=True, help="A BEIR folder or dataset name.")
@click.option("--split", default="test", show_default=True)
@json_option
def bounds_cmd(data: str, split: str, as_json: bool) -> None:
    """Sign-rank bounds on the embedding dimension the qrels need."""
    from rl_retrieval.limit.sign_rank import dimension_bounds, qrel_matrix

    matrix, qids, dids = qrel_matrix(_load(data, split).qrels)
    lo, hi = dimension_bounds(matrix)
    out = {"queries": len(qids), "documents": len(dids), "lower": lo, "upper": hi}
    if as_json:
        emit_json(out)
    else:
        click.echo(
            f"{len(qids)} queries x {len(dids)} relevant documents: {lo} <= d needed <= {hi}"
        )

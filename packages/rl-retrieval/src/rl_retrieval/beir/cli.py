"""``rl retrieval beir ...``: run the reference retrievers, score runs, convert SMART collections.

References:
    Kamalloo et al., "Resources for Brewing BEIR: Reproducible Reference Models and an Official
    Leaderboard", arXiv 2023. https://arxiv.org/abs/2306.07471
    Thakur et al., "BEIR", arXiv 2021. https://arxiv.org/abs/2104.08663

Example:
    >>> from click.testing import CliRunner
    >>> sorted(group.commands)
    ['convert-smart', 'evaluate', 'leaderboard', 'search', 'submit']
    >>> CliRunner().invoke(group, ["evaluate", "--help"]).exit_code
    0
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

import rl_retrieval.core.formats  # noqa: F401  (registers the formats the options name)
from rl_retrieval.beir.retrievers import RETRIEVERS
from rl_shared.cli import (
    FiniteFloat,
    InputOption,
    data_option,
    device_option,
    emit_json,
    json_option,
    model_option,
    out_option,
    precision_option,
    seed_option,
)
from rl_shared.errors import BadInput, ModelNotFound

if TYPE_CHECKING:
    from rl_retrieval.core.metrics import Missing

__all__ = ["group"]

RUN_FILE = "run.trec"
METRICS_FILE = "metrics.json"
#: ir-measures name -> the label the commands print
LABELS = {
    "nDCG@10": "nDCG@10",
    "R@10": "Recall@10",
    "R@100": "Recall@100",
    "AP@100": "MAP@100",
    "RR@10": "MRR@10",
}
#: evaluate --missing: rl_retrieval.core.metrics.MISSING, kept here so --help imports no ir-measures
MISSING_CHOICES = ("skip", "zero")
#: what --data of search / evaluate reads: a BEIR folder, or LIMIT's layout
DATA_FORMATS = ("beir-folder", "limit-folder")
DATA_HELP = (
    "A BEIR folder (corpus.jsonl, queries.jsonl, qrels/<split>.tsv) or a dataset name "
    "(cranfield, limit-small, limit), with an optional :split (default test)."
)


@click.group("beir")
def group() -> None:
    """Brewing BEIR (arXiv:2306.07471): reference retrievers and their evaluation on BEIR data."""


def _retriever_options(func):
    func = click.option(
        "--depth",
        type=click.IntRange(min=1),
        default=100,
        show_default=True,
        help="rerank: BM25 documents the cross-encoder re-scores per query.",
    )(func)
    func = click.option(
        "--b", type=FiniteFloat(0, 1), default=0.4, show_default=True, help="BM25 b."
    )(func)
    func = click.option(
        "--k1", type=FiniteFloat(min=0), default=0.9, show_default=True, help="BM25 k1."
    )(func)
    func = click.option(
        "--k",
        "k",
        type=click.IntRange(min=1),
        default=1000,
        show_default=True,
        help="Documents retrieved per query.",
    )(func)
    func = precision_option(func)
    func = device_option()(func)
    func = model_option(
        default="",
        help="Model of a neural retriever: a short name, a local folder or a hub id "
        "org/name[@rev]. Default per retriever: splade -> splade "
        "(naver/splade-cocondenser-ensembledistil), contriever -> contriever "
        "(facebook/contriever-msmarco), dense and hybrid -> minilm, rerank -> "
        "minilm-reranker (cross-encoder/ms-marco-MiniLM-L6-v2).",
    )(func)
    return click.option(
        "--retriever",
        type=click.Choice(RETRIEVERS),
        default="bm25",
        show_default=True,
        help="bm25 (flat, title+text), bm25-multifield (title and text scored apart), splade "
        "(learned sparse), contriever (dot product), dense (any sentence-transformers "
        "model, cosine), rerank (BM25 top --depth re-scored by a cross-encoder), hybrid "
        "(reciprocal-rank fusion of bm25 and dense).",
    )(func)


#: the retrievers that run no network
LEXICAL = ("bm25", "bm25-multifield")


def _check_runtime(retriever: str, device: str, precision: str) -> str | None:
    """The resolved ``--device`` of a retriever that encodes (``None`` for BM25), checked
    against ``--precision`` before any data or model is read.

    Raises:
        BadInput: a device this machine lacks, or a precision it cannot run (fp16 on the
            CPU), for the neural retrievers.
    """
    if retriever in LEXICAL:
        return None
    from rl_shared.runtime import resolve_device, resolve_precision

    where = resolve_device(device)
    resolve_precision(precision, where)
    return str(where)


def _model_of(model: str, retriever: str) -> str | None:
    """``--model``, or the retriever's default model when it was not given."""
    from rl_retrieval.beir.retrievers import DEFAULT_MODELS

    return model or DEFAULT_MODELS[retriever]


def _check_model(model: str, retriever: str) -> None:
    """Refuse a --model that is no sentence-transformers folder before any work starts.

    Checked when the retriever uses it, and whenever the user named one: a mistyped path
    given with ``--retriever bm25`` is reported rather than silently ignored.
    """
    chosen = _model_of(model, retriever) if retriever not in LEXICAL else model
    if not chosen:
        return
    from rl_shared.models import resolve

    path = resolve(chosen)  # ModelNotFound: unknown name, missing path, a file, hub id not had
    if not any((path / name).is_file() for name in ("modules.json", "config.json")):
        raise ModelNotFound(
            f"{path} is not a sentence-transformers model folder: it has neither modules.json "
            "nor config.json"
        )


def _without_identical_ids(spec: str, run: dict[str, dict[str, float]]):
    """BEIR's ``ignore_identical_ids`` for the sets whose queries are also documents.

    ArguAna and Quora (:data:`rl_retrieval.beir.quirks.IDENTICAL_ID_SETS`) reuse each query's
    id for the same text in the corpus; BEIR drops that document from the query's run before
    scoring, and so does this, for those sets named in ``--data``.
    """
    from rl_retrieval.beir.quirks import IDENTICAL_ID_SETS, drop_identical_ids
    from rl_retrieval.core.datasets import split_spec

    name = split_spec(spec)[0]
    return drop_identical_ids(run) if name in IDENTICAL_ID_SETS else run


def _run(
    data,
    retriever: str,
    model: str,
    k: int,
    k1: float,
    b: float,
    depth: int,
    device: str,
    precision: str,
    as_json: bool,
):
    from rl_retrieval.beir.retrievers import make_retriever

    if k1 < 0 or not 0 <= b <= 1:
        raise BadInput(f"BM25 needs --k1 >= 0 and 0 <= --b <= 1, got {k1} and {b}")
    dev = _check_runtime(retriever, device, precision)
    start = time.perf_counter()
    system = make_retriever(
        retriever,
        model=_model_of(model, retriever),
        k1=k1,
        b=b,
        depth=depth,
        device=dev,
        precision=precision,
        show_progress=not as_json,
    )
    run = system.fit(data.corpus).search(data.queries, k)
    return run, time.perf_counter() - start


@group.command("search")
@data_option(help=DATA_HELP, formats=DATA_FORMATS)
@_retriever_options
@out_option(help=f"Output folder; the run is written to OUT/{RUN_FILE} (TREC format).")
@seed_option
@json_option
def search_cmd(
    data: str,
    retriever: str,
    model: str,
    device: str,
    precision: str,
    k: int,
    k1: float,
    b: float,
    depth: int,
    out: Path,
    seed: int,
    as_json: bool,
) -> None:
    """Retrieve the top-k documents of every query and write the run as OUT/run.trec."""
    from rl_retrieval.core.datasets import load_data
    from rl_retrieval.core.run_format import write_trec_run

    _check_runtime(retriever, device, precision)
    beir = load_data(data)
    _check_model(model, retriever)
    run, seconds = _run(beir, retriever, model, k, k1, b, depth, device, precision, as_json)
    run = _without_identical_ids(data, run)
    path = out / RUN_FILE
    write_trec_run(run, path, tag=f"rl-{retriever}", k=k)
    summary = {
        "data": data,
        "retriever": retriever,
        "queries": len(beir.queries),
        "documents": len(beir.corpus),
        "run": str(path),
        "seconds": round(seconds, 3),
    }
    if as_json:
        emit_json(summary)
    else:
        click.echo(
            f"wrote {path}: {retriever} on {data}, {len(run)} queries x top {k} ({seconds:.1f} s)"
        )


def _check_run(
    run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]], path: Path, missing: str
) -> None:
    """A run must rank documents for some judged query; the judged queries it lacks are named."""
    judged = [q for q in qrels if q in run]
    if not judged:
        raise BadInput(
            f"the run {path} ranks no query of the qrels (it has {len(run)} queries, e.g. "
            f"'{next(iter(run))}'; the qrels judge e.g. '{next(iter(qrels))}'); "
            "score it against the data it was made for"
        )
    if len(judged) < len(qrels):
        lacking = len(qrels) - len(judged)
        how = (
            f"each counts as 0 in the means over all {len(qrels)} (--missing zero)"
            if missing == "zero"
            else f"the means are over the {len(judged)} in both (--missing zero counts each as 0)"
        )
        click.echo(
            f"warning: {lacking} of {len(qrels)} judged queries are not in {path.name}; {how}",
            err=True,
        )


@group.command("evaluate")
@data_option(help=DATA_HELP, formats=DATA_FORMATS)
@_retriever_options
@click.option(
    "--run",
    "run_file",
    cls=InputOption,
    formats=("trec-run",),
    type=click.Path(path_type=Path),
    default=None,
    help="Score this TREC run file (qid Q0 docid rank score tag) instead of retrieving "
    "(the retriever options are ignored).",
)
@click.option(
    "--missing",
    type=click.Choice(MISSING_CHOICES),
    default="skip",
    show_default=True,
    help="A judged query the run lacks: skip = average over the queries in both run and "
    "qrels (pytrec_eval, BEIR); zero = average over every judged query, counting it 0 "
    "(trec_eval -c).",
)
@out_option(
    required=False,
    help=f"Also write the run (OUT/{RUN_FILE}) and the scores (OUT/{METRICS_FILE}) here.",
)
@seed_option
@json_option
def evaluate_cmd(
    data: str,
    retriever: str,
    model: str,
    device: str,
    precision: str,
    k: int,
    k1: float,
    b: float,
    depth: int,
    run_file: Path | None,
    missing: str,
    out: Path | None,
    seed: int,
    as_json: bool,
) -> None:
    """Retrieve (or read --run) and print nDCG@10, Recall@10/100, MAP@100 and MRR@10."""
    from rl_retrieval.core.datasets import load_data
    from rl_retrieval.core.metrics import DEFAULT_MEASURES, evaluate
    from rl_retrieval.core.run_format import read_trec_run, write_trec_run
    from rl_shared.io import atomic_write_json

    if run_file is None:
        _check_runtime(retriever, device, precision)
    beir = load_data(data)
    if run_file is not None:
        start = time.perf_counter()
        run, system = read_trec_run(run_file), str(run_file)
        seconds = time.perf_counter() - start
        _check_run(run, beir.qrels, run_file, missing)
        source = click.get_current_context().get_parameter_source("model")
        if source is not click.core.ParameterSource.DEFAULT:
            _check_model(model, retriever)
    else:
        _check_model(model, retriever)
        run, seconds = _run(beir, retriever, model, k, k1, b, depth, device, precision, as_json)
        system = retriever
    run = _without_identical_ids(data, run)
    metrics = evaluate(beir.qrels, run, DEFAULT_MEASURES, missing=cast("Missing", missing))
    named = {LABELS[m]: v for m, v in metrics.items()}
    summary = {
        "data": data,
        "retriever": system,
        "queries": len(beir.queries),
        "documents": len(beir.corpus),
        "metrics": named,
        "missing": missing,
        "seconds": round(seconds, 3),
    }
    if out is not None:
        if run_file is None:
            write_trec_run(run, out / RUN_FILE, tag=f"rl-{retriever}", k=k)
            summary["run"] = str(out / RUN_FILE)
        atomic_write_json(out / METRICS_FILE, summary)
    if as_json:
        emit_json(summary)
        return
    click.echo(
        f"{system} on {data} ({len(beir.corpus)} documents, {len(beir.queries)} queries, {seconds:.1f} s)"
    )
    for name, value in named.items():
        click.echo(f"  {name:<11} {value:.4f}")
    if out is not None:
        click.echo(f"wrote {out / METRICS_FILE}")


@group.command("convert-smart")
@data_option(
    help="A folder holding a SMART collection (Cranfield, CISI, MEDLINE, CACM, NPL), "
    "or the dataset name cranfield.",
    formats=("beir-smart-collection",),
)
@out_option(help="Output folder: the BEIR layout (corpus.jsonl, queries.jsonl, qrels/test.tsv).")
@click.option(
    "--docs",
    cls=InputOption,
    formats=("beir-smart-docs",),
    type=click.Path(path_type=Path),
    default=None,
    help="The document file (.I/.T/.A/.B/.W), relative to --data; found by name when omitted.",
)
@click.option(
    "--queries",
    cls=InputOption,
    formats=("beir-smart-queries",),
    type=click.Path(path_type=Path),
    default=None,
    help="The query file, relative to --data; found by name when omitted.",
)
@click.option(
    "--qrels",
    cls=InputOption,
    formats=("beir-smart-qrels",),
    type=click.Path(path_type=Path),
    default=None,
    help="The relevance file, relative to --data; found by name when omitted.",
)
@click.option(
    "--relevance",
    type=click.Choice(["cleverdon", "raw", "binary"]),
    default="cleverdon",
    show_default=True,
    help="cleverdon: code c in 1..4 becomes grade 5-c (-1 dropped); raw: as is; binary: all 1.",
)
@click.option(
    "--query-ids",
    type=click.Choice(["position", "record"]),
    default="position",
    show_default=True,
    help="position: the qrels number the k-th query k (Cranfield); record: the .I ids.",
)
@click.option(
    "--qrels-format",
    type=click.Choice(["auto", "qdr", "trec", "cisi"]),
    default="auto",
    show_default=True,
    help="Relevance lines: q d rel (qdr), q 0 d rel (trec), q d 0 0.0 (cisi), or auto.",
)
@json_option
def convert_smart_cmd(
    data: str,
    out: Path,
    docs: Path | None,
    queries: Path | None,
    qrels: Path | None,
    relevance: str,
    query_ids: str,
    qrels_format: str,
    as_json: bool,
) -> None:
    """Convert a SMART collection (Cranfield, CISI, MEDLINE, CACM, NPL) into a BEIR folder."""
    from rl_retrieval.core.datasets import DATASETS
    from rl_retrieval.core.smart import convert_smart, find_smart_files

    folder = Path(data)
    if not folder.exists() and data == "cranfield":
        folder = next(d for d in DATASETS if d.name == "cranfield").locate()
    files = find_smart_files(folder, docs=docs, queries=queries, qrels=qrels)
    target = out.resolve()
    for source in (folder, *files):
        if source.resolve() == target or target in source.resolve().parents:
            raise click.BadParameter(
                f"{out} holds the input {source}; writing the BEIR folder there would replace it",
                param_hint="'--out'",
            )
    converted = convert_smart(
        *files,
        out,
        relevance=relevance,
        query_ids=query_ids,
        qrels_format=qrels_format,
    )
    summary = {
        "out": str(out),
        "files": [str(f) for f in files],
        "documents": len(converted.corpus),
        "queries": len(converted.queries),
        "judgements": sum(len(v) for v in converted.qrels.values()),
    }
    if as_json:
        emit_json(summary)
    else:
        click.echo(
            f"wrote {out}: {summary['documents']} documents, {summary['queries']} queries, "
            f"{summary['judgements']} judgements"
        )


def _add_leaderboard() -> None:
    from rl_retrieval.beir.leaderboard_cli import leaderboard_cmd, submit_cmd

    group.add_command(leaderboard_cmd)
    group.add_command(submit_cmd)


_add_leaderboard()

"""A reproducible BEIR leaderboard: our retrievers beside Pyserini's two-click reproductions.

:func:`run_leaderboard` runs each chosen retriever on each BEIR set that is present (and on
Cranfield, which is not a BEIR set and has no reference) and scores nDCG@10 and R@100 on
the test split as BEIR does: ArguAna and Quora drop each query's own id, CQADupStack is the
unweighted mean over its 12 forums. Every row carries the exact command that reproduces it
and, where one exists, Pyserini's published number for the same system
(``pyserini_2cr.json``: ``pyserini/2cr/beir.yaml`` at a pinned commit). A retriever whose
model cannot be loaded here gives a row that says so instead of a number; nothing is filled
in. :func:`submit_run` validates a TREC run made elsewhere (its query and document ids exist
in the set, no pair twice, scores numeric) and scores it the same way.
:func:`write_leaderboard` writes ``leaderboard.json`` (what ``submit`` adds to),
``leaderboard.md`` and ``index.html`` (one self-contained page).

References:
    Kamalloo et al., "Resources for Brewing BEIR: Reproducible Reference Models and an
    Official Leaderboard", arXiv:2306.07471; Lin et al., "Pyserini", SIGIR 2021.

Example:
    >>> reference("bm25", "beir-scifact")
    {'nDCG@10': 0.6789, 'R@100': 0.9253}
    >>> reference("dense", "beir-scifact") is None, reference("bm25", "cranfield") is None
    (True, True)
    >>> round(reference("bm25", "beir-cqadupstack")["nDCG@10"], 4)  # mean over the 12 forums
    0.3021

    A two-document SciFact in a temporary data folder, one retriever, a submitted run:

    >>> import os, pathlib, tempfile
    >>> from rl_retrieval.core.beir_format import BeirData, write_beir
    >>> from rl_retrieval.core.run_format import write_trec_run
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> corpus = {"d1": {"title": "", "text": "wing lift"}, "d2": {"title": "", "text": "heat"}}
    >>> write_beir(BeirData(corpus, {"q": "lift"}, {"q": {"d1": 1}}), root / "retrieval/beir/scifact")
    >>> os.environ["RL_DATA_DIR"] = str(root)
    >>> leaderboard_datasets(["beir-scifact"])
    ['beir-scifact']
    >>> (row,) = run_leaderboard(["beir-scifact"], ["bm25"])
    >>> isinstance(row, Row), row.metrics, row.reference
    (True, {'nDCG@10': 1.0, 'R@100': 1.0}, {'nDCG@10': 0.6789, 'R@100': 0.9253})
    >>> write_trec_run({"q": {"d2": 1.0, "d1": 0.5}}, root / "mine.trec")
    >>> mine = submit_run(root / "mine.trec", "beir-scifact", "mine")
    >>> board = write_leaderboard([row, mine], root / "board")
    >>> [(r.system, round(r.metrics["nDCG@10"], 4)) for r in read_leaderboard(board)]
    [('bm25', 1.0), ('mine', 0.6309)]
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from rl_shared.errors import BadInput, RLError, UnknownName

__all__ = [
    "MEASURES",
    "REFERENCE_CONDITION",
    "Row",
    "leaderboard_datasets",
    "read_leaderboard",
    "reference",
    "run_leaderboard",
    "submit_run",
    "write_leaderboard",
]

#: the leaderboard's measures (ir-measures names), as the Brewing-BEIR tables report them
MEASURES = ("nDCG@10", "R@100")
#: our retriever -> the Pyserini two-click condition it reproduces
REFERENCE_CONDITION: dict[str, str] = {
    "bm25": "bm25-flat",
    "bm25-multifield": "bm25-multifield",
    "splade": "splade-pp-ed",
    "contriever": "contriever-msmarco",
}


@cache
def _references() -> dict[str, Any]:
    text = resources.files("rl_retrieval.beir").joinpath("pyserini_2cr.json").read_text("utf-8")
    return json.loads(text)


def _beir_name(dataset: str) -> str | None:
    return dataset.removeprefix("beir-") if dataset.startswith("beir-") else None


def reference(retriever: str, dataset: str) -> dict[str, float] | None:
    """Pyserini's published nDCG@10 and R@100 for the system ``retriever`` reproduces.

    Args:
        retriever: one of ours (``bm25``, ``bm25-multifield``, ``splade``, ``contriever``
            have references).
        dataset: a registered name (``beir-scifact``; ``beir-cqadupstack``: the mean of the
            12 forums' references).

    Returns:
        ``{"nDCG@10": ..., "R@100": ...}``, or ``None`` where no reference exists.
    """
    from rl_retrieval.beir.datasets import CQADUPSTACK_FORUMS

    condition, name = REFERENCE_CONDITION.get(retriever), _beir_name(dataset)
    if condition is None or name is None:
        return None
    table = _references()["scores"][condition]
    if name == "cqadupstack":
        forums = [table[f"cqadupstack-{f}"] for f in CQADUPSTACK_FORUMS]
        return {m: sum(f[m] for f in forums) / len(forums) for m in MEASURES}
    return {m: table[name][m] for m in MEASURES} if name in table else None


def reference_source() -> str:
    """One line naming where the reference numbers come from."""
    src = _references()["source"]
    return f"{src['repository']} {src['path']} @ {src['commit'][:12]} ({src['page']})"


@dataclass
class Row:
    """One (dataset, system) cell of the leaderboard.

    Attributes:
        dataset: the registered dataset name.
        system: our retriever's name, or the submitted run's name.
        metrics: ``{measure: value}`` (empty when the row was skipped).
        reference: Pyserini's numbers for the same system, or ``None``.
        command: the command that reproduces the row.
        queries: judged test queries scored.
        seconds: wall time of retrieval and scoring.
        note: why a row has no numbers, or what it is (a submitted run).
    """

    dataset: str
    system: str
    metrics: dict[str, float]
    reference: dict[str, float] | None
    command: str
    queries: int = 0
    seconds: float = 0.0
    note: str = ""


def leaderboard_datasets(names: Iterable[str] | None = None) -> list[str]:
    """The BEIR sets (and Cranfield) that are present, or the named ones, checked to exist.

    Args:
        names: dataset names to check (``None``: every one that is present).

    Raises:
        UnknownName: a name is no registered retrieval dataset.
    """
    from rl_retrieval.core.datasets import DATASETS

    known = {d.name: d for d in DATASETS if d.name.startswith("beir-") or d.name == "cranfield"}
    if names is None:
        return [n for n, d in known.items() if d.is_present()]
    chosen = list(names)
    for name in chosen:
        if name not in known:
            raise UnknownName("dataset", name, list(known))
    return chosen


def _splits(dataset: str) -> dict[str, Any]:
    """``{part: BeirData}``: one part, or CQADupStack's 12 forums."""
    from rl_retrieval.beir.quirks import load_cqadupstack
    from rl_retrieval.core.datasets import load_dataset

    if dataset == "beir-cqadupstack":
        return dict(load_cqadupstack(split="test"))
    return {dataset: load_dataset(dataset, "test")}


def _score(dataset: str, parts: Mapping[str, Any], runs: Mapping[str, Any]) -> tuple[dict, int]:
    """Mean nDCG@10 and R@100 (over forums for CQADupStack) and the judged queries scored."""
    from rl_retrieval.beir.quirks import IDENTICAL_ID_SETS, drop_identical_ids, mean_over_forums
    from rl_retrieval.core.metrics import evaluate

    scores, queries = {}, 0
    for part, data in parts.items():
        run = runs[part]
        if dataset in IDENTICAL_ID_SETS:
            run = drop_identical_ids(run)
        scores[part] = evaluate(data.qrels, run, list(MEASURES))
        queries += sum(1 for q in data.qrels if q in run)
    if len(parts) == 1:
        return next(iter(scores.values())), queries
    return mean_over_forums(scores, forums=tuple(scores)), queries


def run_leaderboard(
    datasets: Sequence[str],
    retrievers: Sequence[str],
    *,
    device: str | None = None,
    precision: str = "fp32",
    log: Callable[[str], None] = lambda _line: None,
) -> list[Row]:
    """Run every retriever on every dataset; one :class:`Row` each (in that order).

    Args:
        datasets: registered names (:func:`leaderboard_datasets`).
        retrievers: names from :data:`rl_retrieval.beir.retrievers.RETRIEVERS`.
        device: where neural models run (``None``: ``auto``).
        precision: their autocast precision.
        log: receives one line per finished row (progress).

    Raises:
        UnknownName: a retriever name is unknown (before any work).
    """
    from rl_retrieval.beir.retrievers import RETRIEVERS, make_retriever

    for name in retrievers:
        if name not in RETRIEVERS:
            raise UnknownName("retriever", name, list(RETRIEVERS))
    rows = []
    for dataset in datasets:
        parts = _splits(dataset)
        for name in retrievers:
            command = f"rl retrieval beir evaluate --data {dataset} --retriever {name}"
            ref = reference(name, dataset)
            start = time.perf_counter()
            try:
                runs = {}
                for part, data in parts.items():
                    system = make_retriever(name, device=device, precision=precision)
                    runs[part] = system.fit(data.corpus).search(data.queries, 1000)
            except RLError as err:  # a model this machine lacks: say so, never a number
                note = f"skipped: {str(err).splitlines()[0]}"
                rows.append(Row(dataset, name, {}, ref, command, note=note))
                log(f"{dataset} {name}: {note}")
                continue
            metrics, queries = _score(dataset, parts, runs)
            row = Row(dataset, name, metrics, ref, command, queries, time.perf_counter() - start)
            rows.append(row)
            log(f"{dataset} {name}: nDCG@10 {metrics['nDCG@10']:.4f} R@100 {metrics['R@100']:.4f}")
    return rows


def submit_run(run_path: str | Path, dataset: str, name: str | None = None) -> Row:
    """Validate a TREC run of ``dataset``'s test queries and score it as the leaderboard does.

    Args:
        run_path: ``qid Q0 docid rank score tag`` rows (:func:`~rl_retrieval.core.run_format.read_trec_run`
            checks columns, numeric ranks and scores, and no (query, document) pair twice).
        dataset: a registered BEIR name or a BEIR folder (CQADupStack: one forum at a time,
            ``beir-cqadupstack/<forum>``).
        name: the row's system name (default: the run's file name).

    Raises:
        BadInput: a query id that is not a test query, a document id not in the corpus, or
            no judged query in the run; CQADupStack.
        MalformedFile: a malformed row (file and line named).
    """
    from rl_retrieval.core.run_format import read_trec_run

    if dataset == "beir-cqadupstack":
        raise BadInput(
            "submit one run per forum as beir-cqadupstack/<forum>; the leaderboard's "
            "CQADupStack row is the mean over the 12 forums"
        )
    from rl_retrieval.core.datasets import load_data

    path = Path(run_path)
    run = read_trec_run(path)
    data = load_data(dataset, "test")  # a registered name or a BEIR folder
    bad_q = sorted(set(run) - set(data.queries))
    if bad_q:
        raise BadInput(
            f"{path} ranks {len(bad_q)} query id(s) that {dataset} has no test query for, "
            f"e.g. '{bad_q[0]}'"
        )
    bad_d = sorted({d for docs in run.values() for d in docs} - set(data.corpus))
    if bad_d:
        raise BadInput(
            f"{path} ranks {len(bad_d)} document id(s) not in {dataset}'s corpus, e.g. '{bad_d[0]}'"
        )
    if not any(q in data.qrels for q in run):
        raise BadInput(f"{path} ranks no judged test query of {dataset}")
    start = time.perf_counter()
    metrics, queries = _score(dataset, {dataset: data}, {dataset: run})
    system = name or path.name
    command = f"rl retrieval beir submit --run {path} --data {dataset}"
    return Row(
        dataset, system, metrics, None, command, queries, time.perf_counter() - start, "submitted"
    )


def read_leaderboard(folder: str | Path) -> list[Row]:
    """The rows of ``folder/leaderboard.json`` (empty when there is none).

    Args:
        folder: a leaderboard folder (:func:`write_leaderboard`).
    """
    from rl_shared.io import read_json

    path = Path(folder) / "leaderboard.json"
    if not path.is_file():
        return []
    return [Row(**r) for r in read_json(path)["rows"]]


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _merge(old: Sequence[Row], new: Sequence[Row]) -> list[Row]:
    """``new`` replaces the rows of ``old`` with the same dataset and system."""
    keys = {(r.dataset, r.system) for r in new}
    return [r for r in old if (r.dataset, r.system) not in keys] + list(new)


def render_markdown(rows: Sequence[Row]) -> str:
    """The leaderboard as a Markdown table (one row per dataset and system)."""
    lines = [
        "# BEIR leaderboard",
        "",
        f"Reference: Pyserini two-click reproductions, {reference_source()}.",
        "",
        "| dataset | system | nDCG@10 | ref nDCG@10 | R@100 | ref R@100 | queries | command |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ref = r.reference or {}
        cells = [
            r.dataset,
            r.system,
            _fmt(r.metrics.get("nDCG@10")) or r.note,
            _fmt(ref.get("nDCG@10")),
            _fmt(r.metrics.get("R@100")),
            _fmt(ref.get("R@100")),
            str(r.queries or ""),
            f"`{r.command}`",
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def render_html(rows: Sequence[Row]) -> str:
    """The leaderboard as one self-contained HTML page (inline CSS, no script, no network)."""
    esc = html.escape
    body = []
    for r in rows:
        ref = r.reference or {}
        ours = r.metrics.get("nDCG@10")
        delta = "" if ours is None or "nDCG@10" not in ref else f"{ours - ref['nDCG@10']:+.4f}"
        body.append(
            "<tr>"
            + "".join(
                f"<td>{esc(c)}</td>"
                for c in (
                    r.dataset,
                    r.system,
                    _fmt(ours) or r.note,
                    _fmt(ref.get("nDCG@10")),
                    delta,
                    _fmt(r.metrics.get("R@100")),
                    _fmt(ref.get("R@100")),
                    str(r.queries or ""),
                )
            )
            + f"<td><code>{esc(r.command)}</code></td></tr>"
        )
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "dataset",
            "system",
            "nDCG@10",
            "Pyserini nDCG@10",
            "&Delta;",
            "R@100",
            "Pyserini R@100",
            "queries",
            "command",
        )
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>BEIR leaderboard</title><style>"
        "body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#eee}"
        "code{font-size:90%}</style></head><body><h1>BEIR leaderboard</h1>"
        f"<p>Reference numbers: Pyserini two-click reproductions, {esc(reference_source())}."
        " Test split, nDCG@10 and R@100; ArguAna and Quora without each query's own id;"
        " CQADupStack the mean of its 12 forums.</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        "</body></html>\n"
    )


def write_leaderboard(rows: Sequence[Row], folder: str | Path, *, merge: bool = True) -> Path:
    """Write ``leaderboard.json``, ``leaderboard.md`` and ``index.html`` into ``folder``.

    Args:
        rows: the new rows.
        folder: the leaderboard folder (created).
        merge: keep the rows already there, replacing those of the same dataset and system.

    Returns:
        The folder.
    """
    from rl_shared.io import atomic_write_json, atomic_write_text

    folder = Path(folder)
    all_rows = _merge(read_leaderboard(folder), rows) if merge else list(rows)
    all_rows.sort(key=lambda r: (r.dataset, r.system))
    data = {"reference": reference_source(), "rows": [asdict(r) for r in all_rows]}
    atomic_write_json(folder / "leaderboard.json", data)
    atomic_write_text(folder / "leaderboard.md", render_markdown(all_rows))
    atomic_write_text(folder / "index.html", render_html(all_rows))
    return folder

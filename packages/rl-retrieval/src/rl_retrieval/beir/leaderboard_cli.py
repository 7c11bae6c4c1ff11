"""``rl retrieval beir leaderboard`` and ``rl retrieval beir submit``: the reproducible leaderboard.

References:
    Kamalloo et al., "Resources for Brewing BEIR: Reproducible Reference Models and an
    Official Leaderboard", arXiv:2306.07471.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(leaderboard_cmd, ["--help"]).exit_code
    0
"""

from __future__ import annotations

from pathlib import Path

import click

from rl_retrieval.beir.retrievers import RETRIEVERS
from rl_shared.cli import (
    InputOption,
    data_option,
    device_option,
    emit_json,
    json_option,
    out_option,
    precision_option,
)

__all__: list[str] = []  # the commands are reached through `rl retrieval beir`

#: what the leaderboard runs unless told otherwise: the retrievers that need no hub download
DEFAULT_RETRIEVERS = ("bm25", "bm25-multifield", "dense")


def _names(text: str | None) -> list[str] | None:
    return None if text is None else [t.strip() for t in text.split(",") if t.strip()]


def _summary(rows, out: Path) -> dict:
    return {
        "out": str(out),
        "rows": [
            {"dataset": r.dataset, "system": r.system, "metrics": r.metrics,
             "reference": r.reference, "note": r.note, "command": r.command}
            for r in rows
        ],
    }  # fmt: skip


@click.command("leaderboard")
@click.option(
    "--datasets",
    default=None,
    help="Comma-separated dataset names (beir-scifact,beir-nfcorpus,...; cranfield); "
    "default: every BEIR set present (and Cranfield).",
)
@click.option(
    "--retrievers",
    default=",".join(DEFAULT_RETRIEVERS),
    show_default=True,
    help=f"Comma-separated retrievers: {', '.join(RETRIEVERS)}. splade and contriever fetch "
    "their models from the Hugging Face Hub on first use; a model that cannot be loaded gives "
    "a row saying so.",
)
@device_option()
@precision_option
@out_option(help="Leaderboard folder: leaderboard.json, leaderboard.md, index.html.")
@json_option
def leaderboard_cmd(
    datasets: str | None,
    retrievers: str,
    device: str,
    precision: str,
    out: Path,
    as_json: bool,
) -> None:
    """Run retrievers on the BEIR sets present; write the table beside Pyserini's numbers.

    Every row has nDCG@10 and R@100 on the test split, Pyserini's two-click-reproduction
    number for the same system where one exists, and the command that reproduces it. Rows
    already in OUT (earlier runs, submitted runs) are kept.
    """
    from rl_retrieval.beir.leaderboard import (
        leaderboard_datasets,
        run_leaderboard,
        write_leaderboard,
    )
    from rl_shared.errors import BadInput
    from rl_shared.runtime import resolve_device, resolve_precision

    names = _names(retrievers) or []
    if not names:
        raise BadInput("--retrievers names none; give e.g. bm25,bm25-multifield")
    where = resolve_device(device)
    resolve_precision(precision, where)
    chosen = leaderboard_datasets(_names(datasets))
    if not chosen:
        raise BadInput(
            "no BEIR set is present; fetch one with `rl data download beir-scifact` "
            "(or name --datasets cranfield)"
        )
    log = (lambda _line: None) if as_json else (lambda line: click.echo(line, err=True))
    rows = run_leaderboard(chosen, names, device=str(where), precision=precision, log=log)
    write_leaderboard(rows, out)
    if as_json:
        emit_json(_summary(rows, out))
    else:
        click.echo(f"wrote {out / 'leaderboard.md'} and {out / 'index.html'} ({len(rows)} rows)")


@click.command("submit")
@click.option(
    "--run",
    "run_file",
    cls=InputOption,
    formats=("trec-run",),
    type=click.Path(path_type=Path),
    required=True,
    help="The TREC run file to score (qid Q0 docid rank score tag).",
)
@data_option(
    help="The BEIR set the run answers: a registered name (beir-scifact, ...) or a BEIR folder.",
    formats=("beir-folder",),
)
@click.option("--name", default=None, help="The row's system name (default: the file name).")
@out_option(help="Leaderboard folder the row is added to.")
@json_option
def submit_cmd(run_file: Path, data: str, name: str | None, out: Path, as_json: bool) -> None:
    """Validate a TREC run (ids exist, no pair twice, numeric scores); add its scores to OUT."""
    from rl_retrieval.beir.leaderboard import submit_run, write_leaderboard

    row = submit_run(run_file, data, name)
    write_leaderboard([row], out)
    if as_json:
        emit_json(_summary([row], out))
    else:
        m = row.metrics
        click.echo(
            f"{row.system} on {data}: nDCG@10 {m['nDCG@10']:.4f}, R@100 {m['R@100']:.4f} "
            f"({row.queries} queries); added to {out / 'leaderboard.md'}"
        )

"""Run reproductions and write their results, reports and the summary ``REPORT.md``.

For each reproduction the harness writes ``OUT/<name>/result.json`` (``name``, ``metrics``,
``anchors``, ``seeds``, ``seconds``, ``size``), ``OUT/<name>/report.md`` and the PNG plots
the reproduction made, then ``OUT/REPORT.md`` with one row per reproduction in ``OUT`` and
``OUT/index.html``, the same as one self-contained page (:mod:`rl_shared.reproduce.html`).
Each reproduction runs in isolation (:func:`rl_shared.runtime.isolated`: seeds, the torch
thread count and matplotlib's state are restored afterwards) and writes into a temporary
folder that replaces ``OUT/<name>`` whole when it is done, so a report folder never mixes
two runs. A reproduction whose data is missing is skipped with the dataset it lacks; one
that raises is reported as failed and the others still run.
"""

from __future__ import annotations

import json
import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from rl_shared.data import list_datasets
from rl_shared.errors import RLError
from rl_shared.io import atomic_write_json, atomic_write_text, replace_dir, temp_dir_beside
from rl_shared.reproduce.html import write_html
from rl_shared.reproduce.registry import SIZES, Reproduction, Result, RunContext, Size
from rl_shared.reproduce.report import render_report, render_results, render_summary

__all__ = ["Outcome", "run_reproductions"]


@dataclass
class Outcome:
    """What happened to one reproduction in a run.

    Attributes:
        name: the reproduction's name.
        status: ``"ok"``, ``"failed"`` or ``"skipped"``.
        seconds: its wall time.
        message: why it failed or was skipped (empty when it ran).
        result: what it returned (also kept for a run that failed only for lack of a plot).

    Example:
        >>> Outcome("toy.demo", "skipped", message="missing dataset: stsb").to_json()
        {'name': 'toy.demo', 'status': 'skipped', 'seconds': 0.0, 'message': 'missing dataset: stsb'}
    """

    name: str
    status: str  # "ok" | "failed" | "skipped"
    seconds: float = 0.0
    message: str = ""
    result: Result | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "name": self.name,
            "status": self.status,
            "seconds": round(self.seconds, 2),
        }
        if self.message:
            out["message"] = self.message
        if self.result is not None:
            out["metrics"] = self.result.metrics
        return out


def run_reproductions(
    reproductions: list[Reproduction],
    out: Path,
    *,
    size: Size = "quick",
    seed: int = 0,
    console: Console | None = None,
    device: str = "cpu",
    precision: str = "fp32",
) -> list[Outcome]:
    """Run each reproduction whose data is present; return one :class:`Outcome` each.

    Args:
        reproductions: what to run, in order.
        out: the output folder (created).
        size: ``"smoke"``, ``"quick"`` or ``"full"``.
        seed: base seed handed to each.
        console: where progress is drawn (stderr by default).
        device: handed to each as ``ctx.device``.
        precision: handed to each as ``ctx.precision``.
        console: where progress goes (stderr by default, so ``--json`` stdout stays clean).

    Raises:
        ValueError: ``size`` is not one of :data:`~rl_shared.reproduce.registry.SIZES`.

    Example:
        >>> import io, pathlib, tempfile
        >>> from rich.console import Console
        >>> from rl_shared.plotting import subplots
        >>> from rl_shared.reproduce import Reproduction, Result
        >>> def run(ctx):
        ...     fig, ax = subplots()
        ...     _ = ax.plot([0, 1], [0, ctx.pick(smoke=1, quick=2, full=3)])
        ...     _ = ctx.save_figure(fig, "line")
        ...     return Result(metrics={"slope": 1.0}, anchors=[], seeds=[ctx.seed])
        >>> toy = Reproduction("toy.line", "a straight line", run)
        >>> needs_data = Reproduction("toy.data", "needs data", run, datasets=("no-such-set",))
        >>> out = pathlib.Path(tempfile.mkdtemp())
        >>> quiet = Console(file=io.StringIO())
        >>> outcomes = run_reproductions([toy, needs_data], out, size="smoke", console=quiet)
        >>> [(o.name, o.status) for o in outcomes]
        [('toy.line', 'ok'), ('toy.data', 'skipped')]
        >>> sorted(p.name for p in out.iterdir())
        ['REPORT.md', 'index.html', 'toy.line']
        >>> sorted(p.name for p in (out / "toy.line").iterdir())
        ['line.png', 'report.md', 'result.json']
    """
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}, got {size!r}")
    console = console or Console(stderr=True)
    out.mkdir(parents=True, exist_ok=True)
    datasets = list_datasets()
    outcomes: list[Outcome] = []
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        overall = progress.add_task("reproductions", total=len(reproductions))
        for repro in reproductions:
            missing = repro.missing_datasets(datasets)
            if missing:
                where = ", ".join(
                    f"{m} ({datasets[m].path})" if m in datasets else m for m in missing
                )
                outcomes.append(Outcome(repro.name, "skipped", message=f"missing dataset: {where}"))
                progress.advance(overall)
                continue
            outcomes.append(_run_one(repro, out, size, seed, progress, device, precision))
            progress.advance(overall)
    _write_summary(out, outcomes)
    return outcomes


def _run_one(
    repro: Reproduction,
    out: Path,
    size: Size,
    seed: int,
    progress: Progress,
    device: str = "cpu",
    precision: str = "fp32",
) -> Outcome:
    import shutil

    from rl_shared.runtime import isolated

    final = out / repro.name
    folder = temp_dir_beside(final)
    tasks: list[TaskID] = []

    def make_bar(total: int | None, description: str):
        task = progress.add_task(f"  {repro.name}: {description}", total=total)
        tasks.append(task)
        return lambda n: progress.advance(task, n)

    ctx = RunContext(folder, size, seed, make_bar, device=device, precision=precision)
    start = time.perf_counter()
    try:
        with isolated(seed):
            result = repro.run(ctx)
        seconds = time.perf_counter() - start
        plots = sorted(p.name for p in folder.glob("*.png"))
        result.plots = result.plots or plots
    except RLError as err:
        shutil.rmtree(folder, ignore_errors=True)
        return Outcome(repro.name, "failed", time.perf_counter() - start, str(err))
    except Exception as err:  # a bug in a reproduction must not stop the others
        atomic_write_text(folder / "error.txt", traceback.format_exc())
        for stale in ("result.json", "report.md"):
            (folder / stale).unlink(missing_ok=True)
        replace_dir(folder, final)
        return Outcome(
            repro.name, "failed", time.perf_counter() - start, f"{type(err).__name__}: {err}"
        )
    finally:
        for task in tasks:
            progress.remove_task(task)
    payload = {
        "name": repro.name,
        "metrics": result.metrics,
        "anchors": [asdict(a) for a in result.anchors],
        "seeds": result.seeds,
        "seconds": round(seconds, 2),
        "size": size,
        "summary": result.summary,
        "paper": repro.paper,
        "folder": repro.folder,
        "plots": result.plots,
        "figures": ctx.figures,
    }
    atomic_write_json(folder / "result.json", payload)
    atomic_write_text(folder / "report.md", render_report(repro, result, seconds, size))
    if (
        size == "full"
    ):  # what a paper folder's RESULTS.md holds (see `rl reproduce --update-results`)
        atomic_write_text(folder / "RESULTS.md", render_results(payload, result.details))
    replace_dir(folder, final)
    if not plots:  # the measurements are kept; the reproduction still fails its contract
        message = f"reproduction {repro.name} wrote no PNG plot into {final}"
        return Outcome(repro.name, "failed", seconds, message, result=result)
    return Outcome(repro.name, "ok", seconds, result=result)


def _write_summary(out: Path, outcomes: list[Outcome]) -> None:
    """``REPORT.md``: every reproduction with a ``result.json`` in ``out`` plus this run's others."""
    rows: dict[str, dict[str, object]] = {}
    for path in sorted(out.glob("*/result.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        rows[data["name"]] = {**data, "status": "ok"}
    for outcome in outcomes:
        if outcome.status != "ok":
            rows[outcome.name] = {
                "name": outcome.name,
                "status": outcome.status,
                "message": outcome.message,
            }
    atomic_write_text(out / "REPORT.md", render_summary(list(rows.values())))
    write_html(out, {o.name: (o.status, o.message) for o in outcomes if o.status != "ok"})

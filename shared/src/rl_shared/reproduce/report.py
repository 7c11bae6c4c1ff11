"""Markdown for one reproduction's ``report.md`` and the run's ``REPORT.md``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rl_shared.reproduce.registry import Reproduction, Result

__all__ = [
    "format_value",
    "render_report",
    "render_results",
    "render_summary",
    "update_results_file",
]


def format_value(value: Any) -> str:
    """Numbers to 4 significant decimals, everything else as text.

    Floats get 4 decimals (1 from 1000 up); ``None`` is a dash; anything else its ``str``.

    Args:
        value: a metric or an anchor's value.

    Example:
        >>> format_value(0.123456), format_value(12345.678), format_value(None), format_value(3)
        ('0.1235', '12345.7', '—', '3')
    """
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 1000 else f"{value:.1f}"
    return str(value)


def render_report(repro: Reproduction, result: Result, seconds: float, size: str) -> str:
    """The Markdown of ``OUT/<name>/report.md``.

    A table puts each metric beside its anchors (claims without a measured metric come
    last), followed by the seeds, the size, the wall time, the details, the plots and the
    command that re-runs it.

    Args:
        repro: the reproduction.
        result: what it returned.
        seconds: its wall time.
        size: ``"smoke"``, ``"quick"`` or ``"full"``.

    Example:
        >>> from rl_shared.reproduce import Anchor, Reproduction, Result
        >>> repro = Reproduction("toy.demo", "A demo.", lambda ctx: None, paper="Paper, arXiv:0000.00000")
        >>> result = Result({"acc": 0.9}, [Anchor("acc", 0.91, "Table 1")], seeds=[0, 1])
        >>> print(render_report(repro, result, 1.5, "quick"))
        # toy.demo
        <BLANKLINE>
        A demo.
        <BLANKLINE>
        Paper: Paper, arXiv:0000.00000
        <BLANKLINE>
        | metric | measured | anchor | source |
        |---|---|---|---|
        | acc | 0.9000 | 0.9100 | Table 1 |
        <BLANKLINE>
        Seeds: 0, 1. Size: quick. Wall time: 1.5 s.
        <BLANKLINE>
        <BLANKLINE>
        Re-run: `uv run rl reproduce toy.demo --quick`
        <BLANKLINE>
    """
    lines = [f"# {repro.name}", "", repro.summary, ""]
    if repro.paper:
        lines += [f"Paper: {repro.paper}", ""]
    if result.summary:
        lines += [f"**Outcome.** {result.summary}", ""]
    by_metric: dict[str, list[Any]] = {}
    for anchor in result.anchors:
        by_metric.setdefault(anchor.metric, []).append(anchor)
    lines += ["| metric | measured | anchor | source |", "|---|---|---|---|"]
    for key, value in result.metrics.items():
        anchors = by_metric.pop(key, [])
        if not anchors:
            lines.append(f"| {key} | {format_value(value)} | | |")
        for anchor in anchors:
            source = anchor.source + (f" ({anchor.note})" if anchor.note else "")
            lines.append(
                f"| {key} | {format_value(value)} | {format_value(anchor.value)} | {source} |"
            )
    for key, anchors in by_metric.items():  # claims without a measured twin
        for anchor in anchors:
            source = anchor.source + (f" ({anchor.note})" if anchor.note else "")
            lines.append(f"| {key} | | {format_value(anchor.value)} | {source} |")
    lines += [
        "",
        f"Seeds: {', '.join(map(str, result.seeds))}. Size: {size}. Wall time: {seconds:.1f} s.",
        "",
    ]
    if result.details:
        lines += [result.details.strip(), ""]
    lines += [f"![{plot}]({plot})" for plot in result.plots]
    rerun = f"uv run rl reproduce {repro.name} --{size}"
    lines += ["", f"Re-run: `{rerun}`", ""]
    return "\n".join(lines)


def render_summary(rows: Sequence[dict[str, Any]]) -> str:
    """The Markdown of ``OUT/REPORT.md``: one row per reproduction.

    Args:
        rows: one dict per reproduction with ``name`` and ``status``; an ``ok`` row also
            ``size``, ``summary`` and ``seconds`` (as in ``result.json``), another a ``message``.

    Example:
        >>> rows = [
        ...     {"name": "b.two", "status": "skipped", "message": "missing dataset: stsb"},
        ...     {"name": "a.one", "status": "ok", "size": "smoke", "summary": "fine", "seconds": 2.0},
        ... ]
        >>> print(render_summary(rows))
        # Reproductions
        <BLANKLINE>
        | reproduction | status | outcome | seconds | report |
        |---|---|---|---|---|
        | a.one | ok (smoke) | fine | 2.0 | [a.one/report.md](a.one/report.md) |
        | b.two | skipped | missing dataset: stsb | | |
        <BLANKLINE>
    """
    lines = [
        "# Reproductions",
        "",
        "| reproduction | status | outcome | seconds | report |",
        "|---|---|---|---|---|",
    ]
    for row in sorted(rows, key=lambda r: r["name"]):
        name = row["name"]
        if row["status"] == "ok":
            mode = f" ({row['size']})" if row.get("size") else ""
            lines.append(
                f"| {name} | ok{mode} | {row.get('summary', '')} | {row.get('seconds', '')} "
                f"| [{name}/report.md]({name}/report.md) |"
            )
        else:
            lines.append(f"| {name} | {row['status']} | {row.get('message', '')} | | |")
    return "\n".join(lines) + "\n"


def render_results(payload: dict[str, Any], details: str = "") -> str:
    """The Markdown of a paper folder's ``RESULTS.md``, from a full run's ``result.json``.

    Args:
        payload: the ``result.json`` object the harness wrote.
        details: the reproduction's own Markdown (its tables), when there is one.

    Example:
        >>> payload = {"name": "toy.demo", "size": "full", "seeds": [0, 1, 2], "seconds": 60,
        ...            "metrics": {"acc": 0.9}, "anchors": [{"metric": "acc", "value": 0.91,
        ...            "source": "Table 1", "note": ""}]}
        >>> text = render_results(payload)
        >>> text.splitlines()[0]
        '## toy.demo'
        >>> print("\\n".join(text.splitlines()[4:]))
        | metric | measured |
        |---|---|
        | acc | 0.9000 |
        <BLANKLINE>
        | anchor | value | source |
        |---|---|---|
        | acc | 0.9100 | Table 1 |
    """
    import platform
    from datetime import date

    name = payload["name"]
    size = payload.get("size", "full")
    lines = [
        f"## {name}",
        "",
        f"Generated from `result.json` of `uv run rl reproduce {name} --{size}` "
        f"on {date.today().isoformat()} ({platform.machine()}, {_cores()} CPU cores), "
        f"seeds {', '.join(map(str, payload.get('seeds', [])))}, "
        f"{payload.get('seconds', 0):.0f} s.",
        "",
    ]
    if payload.get("summary"):
        lines += [f"**Outcome.** {payload['summary']}", ""]
    if details:
        lines += [details.strip(), ""]
    lines += ["| metric | measured |", "|---|---|"]
    lines += [f"| {k} | {format_value(v)} |" for k, v in payload.get("metrics", {}).items()]
    anchors = payload.get("anchors", [])
    if anchors:
        lines += ["", "| anchor | value | source |", "|---|---|---|"]
        for a in anchors:
            source = a["source"] + (f" ({a['note']})" if a.get("note") else "")
            lines.append(f"| {a['metric']} | {format_value(a['value'])} | {source} |")
    return "\n".join(lines) + "\n"


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def update_results_file(path: Any, name: str, section: str) -> str:
    """Put ``section`` between the markers of reproduction ``name`` in ``path`` (a RESULTS.md).

    A folder holds one paper and may register several reproductions; each owns the part of
    ``RESULTS.md`` between ``<!-- results: NAME -->`` and ``<!-- end results: NAME -->``,
    appended when missing. Text outside the markers is kept. Returns the new text.

    Args:
        path: the ``RESULTS.md`` file (created when missing).
        name: the reproduction's name.
        section: its Markdown, put between its markers.

    Example:
        >>> import pathlib, tempfile
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "RESULTS.md"
        >>> _ = p.write_text("# Results\\n\\nnotes\\n")
        >>> _ = update_results_file(p, "x.y", "| a | 1 |\\n")
        >>> _ = update_results_file(p, "x.y", "| a | 2 |\\n")
        >>> print(p.read_text())
        # Results
        <BLANKLINE>
        notes
        <BLANKLINE>
        <!-- results: x.y -->
        | a | 2 |
        <!-- end results: x.y -->
        <BLANKLINE>
    """
    from pathlib import Path

    from rl_shared.io import atomic_write_text

    path = Path(path)
    start, end = f"<!-- results: {name} -->", f"<!-- end results: {name} -->"
    block = f"{start}\n{section.strip()}\n{end}\n"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if start in text and end in text:
        head, rest = text.split(start, 1)
        tail = rest.split(end, 1)[1].lstrip("\n")
        new = head + block + tail
    else:
        new = (text.rstrip("\n") + "\n\n" if text.strip() else "") + block
    atomic_write_text(path, new)
    return new

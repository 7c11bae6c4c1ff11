"""Markdown for one reproduction's ``report.md`` and the run's ``REPORT.md``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rl_shared.reproduce.registry import Reproduction, Result

__all__ = ["format_value", "render_report", "render_summary"]


def format_value(value: Any) -> str:
    """Numbers to 4 significant decimals, everything else as text."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 1000 else f"{value:.1f}"
    return str(value)


def render_report(repro: Reproduction, result: Result, seconds: float, size: str) -> str:
    """The Markdown of ``OUT/<name>/report.md``."""
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
    """The Markdown of ``OUT/REPORT.md``: one row per reproduction."""
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

"""Every registered reproduction runs end to end at the smoke size (DESIGN section 5).

One ``rl reproduce --smoke --check`` process runs all of them in turn, as a user's would, so state one
leaves behind (threads, seeds, plotting) would reach the next; each must finish ``ok`` with a
``result.json``, a ``report.md`` and at least one PNG. The seconds each took are printed (the
20-second budget is a measured figure reported by the harness, not a timed assertion). The
run is checked against each paper folder's ``expected.json`` (a regression in any method's
smoke metrics fails here, naming the metric), and every plot it drew must say what it shows.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

RL = [sys.executable, "-m", "rl_shared.cli.main"]


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("smoke")
    proc = subprocess.run(
        [*RL, "reproduce", "--smoke", "--check", "--out", str(out), "--json"],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    try:
        summary = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"no JSON summary (exit {proc.returncode}): {proc.stderr[-3000:]}")
    return out, summary


def test_every_reproduction_runs_at_smoke_size(smoke_run, capsys):
    out, summary = smoke_run
    rows = {r["name"]: r for r in summary["reproductions"]}
    assert set(rows) == {ep.name for ep in entry_points(group="rl.reproductions")}
    with capsys.disabled():
        print("\nsmoke reproductions:")
        for name, row in sorted(rows.items()):
            print(f"  {name:34s} {row['status']:8s} {row['seconds']:7.1f} s")
    bad = {n: r.get("message", "") for n, r in rows.items() if r["status"] != "ok"}
    assert not bad, bad
    for name in rows:
        folder = out / name
        result = json.loads((folder / "result.json").read_text())
        assert result["size"] == "smoke" and result["metrics"], name
        assert (folder / "report.md").is_file() and list(folder.glob("*.png")), name


def test_every_smoke_metric_matches_expected_json(smoke_run):
    _, summary = smoke_run
    drifts = [line for lines in summary.get("drifts", {}).values() for line in lines]
    assert not drifts, "drifted (rerun with --update-expected after an intended change):\n" + (
        "\n".join(drifts)
    )


def test_every_plot_labels_its_axes_titles_itself_and_tells_its_series_apart(smoke_run):
    """Labels, a title, a legend where series need telling apart, and no data under it."""
    out, summary = smoke_run
    gaps = []
    for row in summary["reproductions"]:
        result = json.loads((out / row["name"] / "result.json").read_text())
        for figure in result.get("figures", []):
            for i, ax in enumerate(figure["axes"]):
                where = f"{row['name']}/{figure['file']} axes {i}"
                gaps += [f"{where}: no {k}" for k in ("xlabel", "ylabel", "title") if not ax[k]]
                if ax["legend"] is False:
                    gaps.append(f"{where}: several labelled series and no legend")
                if ax["hidden"]:
                    gaps.append(f"{where}: a legend covers {ax['hidden']} data point(s)")
    assert not gaps, "\n".join(gaps)


def test_a_reproduction_that_changes_threads_does_not_leak_them(tmp_path):
    """robotics.sirl then a probe, in one process: the probe sees the default thread count."""
    code = """
import json, sys, torch
from rl_shared.reproduce import Reproduction, Result, run_reproductions
from rl_shared.reproduce.registry import get_reproduction
from rl_shared.plotting import subplots
default = torch.get_num_threads()
seen = []
def probe(ctx):
    seen.append(torch.get_num_threads())
    fig, ax = subplots(); ax.plot([0, 1]); ctx.save_figure(fig, "probe")
    return Result(metrics={"threads": seen[-1]}, anchors=[], seeds=[0])
outcomes = run_reproductions(
    [get_reproduction("robotics.sirl"), Reproduction("probe.threads", "probe", probe)],
    __import__("pathlib").Path(sys.argv[1]), size="smoke")
print(json.dumps({"default": default, "seen": seen, "status": [o.status for o in outcomes]}))
"""
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    found = json.loads(proc.stdout.strip().splitlines()[-1])
    assert found["status"] == ["ok", "ok"], proc.stderr[-3000:]
    assert found["seen"] == [found["default"]], found

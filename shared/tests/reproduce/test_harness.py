import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from rl_shared.data import Dataset
from rl_shared.reproduce import Anchor, Reproduction, Result, run_reproductions


def _good(ctx):
    for _ in ctx.track(range(3), "steps"):
        pass
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    fig.savefig(ctx.out_dir / "curve.png")
    plt.close(fig)
    return Result(
        metrics={"acc": 0.8 if ctx.quick else 0.9},
        anchors=[Anchor("acc", 0.91, "Paper, Table 2")],
        seeds=[ctx.seed],
        summary="close to the paper",
    )


def _no_plot(ctx):
    return Result(metrics={"x": 1.0}, anchors=[], seeds=[0])


def _crash(ctx):
    raise ValueError("bug inside")


def test_writes_result_report_plot_and_summary(tmp_path):
    outcomes = run_reproductions(
        [Reproduction("toy.good", "a toy", _good)], tmp_path, quick=True, seed=7
    )
    assert [o.status for o in outcomes] == ["ok"]
    result = json.loads((tmp_path / "toy.good" / "result.json").read_text())
    assert {"name", "metrics", "anchors", "seeds", "seconds", "quick"} <= set(result)
    assert result["metrics"] == {"acc": 0.8} and result["seeds"] == [7] and result["quick"] is True
    assert result["anchors"][0]["source"] == "Paper, Table 2"
    report = (tmp_path / "toy.good" / "report.md").read_text()
    assert (
        "| acc | 0.8000 | 0.9100 | Paper, Table 2 |" in report
        and "![curve.png](curve.png)" in report
    )
    summary = (tmp_path / "REPORT.md").read_text()
    assert "| toy.good | ok (quick) | close to the paper |" in summary


def test_missing_data_is_skipped_and_failures_do_not_stop_others(tmp_path, monkeypatch):
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path / "nodata"))
    need = Dataset("absent", "x/absent", ("a.csv",), "absent set")
    monkeypatch.setattr("rl_shared.reproduce.harness.list_datasets", lambda: {"absent": need})
    repros = [
        Reproduction("toy.needs", "needs data", _good, datasets=("absent",)),
        Reproduction("toy.crash", "crashes", _crash),
        Reproduction("toy.noplot", "no plot", _no_plot),
        Reproduction("toy.good", "fine", _good),
    ]
    outcomes = {o.name: o for o in run_reproductions(repros, tmp_path / "out")}
    assert (
        outcomes["toy.needs"].status == "skipped"
        and "absent (x/absent)" in outcomes["toy.needs"].message
    )
    assert (
        outcomes["toy.crash"].status == "failed" and "bug inside" in outcomes["toy.crash"].message
    )
    assert outcomes["toy.noplot"].status == "failed" and "no PNG" in outcomes["toy.noplot"].message
    assert (tmp_path / "out" / "toy.noplot" / "result.json").is_file()  # measurements are kept
    assert outcomes["toy.good"].status == "ok"
    summary = (tmp_path / "out" / "REPORT.md").read_text()
    assert "| toy.needs | skipped | missing dataset: absent (x/absent) |" in summary
    assert (tmp_path / "out" / "toy.crash" / "error.txt").read_text().startswith("Traceback")

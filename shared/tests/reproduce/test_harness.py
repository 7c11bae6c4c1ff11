import json
import os
import random

import pytest
import torch

from rl_shared.data import Dataset
from rl_shared.plotting import subplots
from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext, run_reproductions


def _good(ctx):
    for _ in ctx.track(range(3), "steps"):
        pass
    fig, ax = subplots()
    ax.plot([1, 2], [3, 4])
    ctx.save_figure(fig, "curve")
    return Result(
        metrics={"acc": ctx.pick(smoke=0.7, quick=0.8, full=0.9)},
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
        [Reproduction("toy.good", "a toy", _good)], tmp_path, size="quick", seed=7
    )
    assert [o.status for o in outcomes] == ["ok"]
    result = json.loads((tmp_path / "toy.good" / "result.json").read_text())
    assert {"name", "metrics", "anchors", "seeds", "seconds", "size", "folder"} <= set(result)
    assert (
        result["metrics"] == {"acc": 0.8} and result["seeds"] == [7] and result["size"] == "quick"
    )
    assert result["anchors"][0]["source"] == "Paper, Table 2"
    report = (tmp_path / "toy.good" / "report.md").read_text()
    assert (
        "| acc | 0.8000 | 0.9100 | Paper, Table 2 |" in report
        and "![curve.png](curve.png)" in report
        and "rl reproduce toy.good --quick" in report
    )
    summary = (tmp_path / "REPORT.md").read_text()
    assert "| toy.good | ok (quick) | close to the paper |" in summary


@pytest.mark.parametrize(("size", "acc"), [("smoke", 0.7), ("quick", 0.8), ("full", 0.9)])
def test_size_reaches_the_reproduction(tmp_path, size, acc):
    (outcome,) = run_reproductions([Reproduction("toy.good", "a toy", _good)], tmp_path, size=size)
    assert outcome.result is not None and outcome.result.metrics == {"acc": acc}


def test_unknown_size_is_refused(tmp_path):
    with pytest.raises(ValueError, match="smoke, quick, full"):
        run_reproductions([], tmp_path, size="tiny")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        RunContext(tmp_path, "huge", 0)  # type: ignore[arg-type]


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


def test_a_rerun_replaces_the_report_folder_whole(tmp_path):
    """A crash after a good run leaves no stale result.json or plot beside its error."""
    run_reproductions([Reproduction("toy.x", "fine", _good)], tmp_path)
    assert (tmp_path / "toy.x" / "curve.png").is_file()
    run_reproductions([Reproduction("toy.x", "crashes", _crash)], tmp_path)
    assert sorted(p.name for p in (tmp_path / "toy.x").iterdir()) == ["error.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def _changes_global_state(ctx):
    torch.set_num_threads(1)
    random.seed(12345)
    torch.manual_seed(12345)
    import matplotlib

    matplotlib.rcParams["lines.linewidth"] = 9.0
    return _good(ctx)


def _asserts_default_threads(expected):
    def run(ctx):
        assert torch.get_num_threads() == expected
        return _good(ctx)

    return run


def test_each_reproduction_runs_in_isolation(tmp_path):
    import matplotlib

    threads = torch.get_num_threads()
    if threads == 1:
        torch.set_num_threads(2)
        threads = 2
    py_state, torch_state = random.getstate(), torch.random.get_rng_state()
    width = matplotlib.rcParams["lines.linewidth"]
    outcomes = run_reproductions(
        [
            Reproduction("toy.leaky", "sets one thread", _changes_global_state),
            Reproduction("toy.after", "checks threads", _asserts_default_threads(threads)),
        ],
        tmp_path,
    )
    assert [o.status for o in outcomes] == ["ok", "ok"], [o.message for o in outcomes]
    assert torch.get_num_threads() == threads
    assert random.getstate() == py_state
    assert torch.equal(torch.random.get_rng_state(), torch_state)
    assert matplotlib.rcParams["lines.linewidth"] == width


def test_written_files_honour_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        run_reproductions([Reproduction("toy.good", "fine", _good)], tmp_path)
    finally:
        os.umask(old)
    folder = tmp_path / "toy.good"
    assert folder.stat().st_mode & 0o777 == 0o755
    for name in ("result.json", "report.md", "curve.png"):
        assert (folder / name).stat().st_mode & 0o777 == 0o644, name


def test_a_full_run_writes_the_results_section_of_its_paper_folder(tmp_path):
    from rl_shared.reproduce.report import update_results_file

    run_reproductions([Reproduction("toy.good", "fine", _good)], tmp_path, size="full", seed=3)
    section = (tmp_path / "toy.good" / "RESULTS.md").read_text()
    assert "rl reproduce toy.good --full" in section and "| acc | 0.9000 |" in section
    assert "seeds 3" in section and "| acc | 0.9100 | Paper, Table 2 |" in section
    target = tmp_path / "paper" / "RESULTS.md"
    target.parent.mkdir()
    target.write_text("# Paper\n\nHand-written notes.\n")
    update_results_file(target, "toy.good", section)
    update_results_file(target, "toy.other", "| b | 1 |")
    update_results_file(target, "toy.good", section.replace("0.9000", "0.9500"))
    text = target.read_text()
    assert text.startswith("# Paper\n\nHand-written notes.\n")
    assert text.count("<!-- results: toy.good -->") == 1 and "0.9500" in text
    assert "0.9000" not in text and "<!-- results: toy.other -->" in text
    run_reproductions([Reproduction("toy.q", "fine", _good)], tmp_path, size="quick")
    assert not (tmp_path / "toy.q" / "RESULTS.md").exists()

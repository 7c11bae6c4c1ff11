"""``rl reproduce --check`` / ``--update-expected`` against a toy paper folder's expected.json."""

import importlib
import json
import sys

import pytest

from rl_shared.cli.main import main
from rl_shared.reproduce.expected import check_metrics, expected_entry


def _rl(*args: str, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """A paper folder ``rl_toy.paper`` on sys.path whose one metric depends on the seed."""
    from rl_shared.plotting import subplots
    from rl_shared.reproduce import Reproduction, Result

    package = tmp_path / "src" / "rl_toy" / "paper"
    package.mkdir(parents=True)
    (package.parent / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    importlib.invalidate_caches()

    def run(ctx):
        fig, ax = subplots()
        ax.plot([0, 1])
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ctx.save_figure(fig, "p")
        acc = 0.5 + 0.1 * ctx.seed + ctx.pick(smoke=0.0, quick=0.01, full=0.02)
        return Result(
            metrics={"acc": acc, "fixed": 1.0, "train_seconds": ctx.seed + 3.0},
            anchors=[],
            seeds=[ctx.seed],
        )

    run.__module__ = "rl_toy.paper.reproduction"
    repro = Reproduction("toy.paper", "a toy", run)
    monkeypatch.setattr(
        "rl_shared.cli.reproduce_cmd.list_reproductions", lambda: {"toy.paper": repro}
    )
    monkeypatch.setattr("rl_shared.cli.reproduce_cmd.entry_point_names", lambda g: ["toy.paper"])
    yield package / "expected.json"
    sys.modules.pop("rl_toy", None)
    sys.modules.pop("rl_toy.paper", None)


def test_update_then_check_passes_and_a_changed_seed_names_the_metric(toy, tmp_path, capsys):
    out = str(tmp_path / "o")
    code, _, err = _rl("reproduce", "toy.paper", "--smoke", "--check", "--out", out, capsys=capsys)
    assert code == 1 and "no smoke entry in expected.json" in err and "--update-expected" in err

    code, _, err = _rl(
        "reproduce", "toy.paper", "--smoke", "--update-expected", "--out", out, capsys=capsys
    )
    assert code == 0, err
    saved = json.loads(toy.read_text())["toy.paper"]["smoke"]
    assert saved["metrics"]["acc"]["value"] == 0.5
    assert saved["metrics"]["train_seconds"] == {"value": 3.0, "checked": False}
    assert saved["seconds"] >= 0

    code, _, err = _rl("reproduce", "toy.paper", "--smoke", "--check", "--out", out, capsys=capsys)
    assert code == 0, err
    assert "check: 1 reproduction(s) match expected.json" in err
    assert "plan: 1 reproduction(s) at the smoke size" in err

    code, _, err = _rl(
        "reproduce", "toy.paper", "--smoke", "--check", "--seed", "1", "--out", out, capsys=capsys
    )
    assert code == 1
    assert "toy.paper: acc = 0.6 (expected 0.5" in err
    assert "fixed" not in err and "train_seconds" not in err  # in tolerance / not checked

    # the quick size has its own entry
    code, _, err = _rl("reproduce", "toy.paper", "--quick", "--check", "--out", out, capsys=capsys)
    assert code == 1 and "no quick entry" in err


def test_a_hand_set_tolerance_survives_an_update(toy, tmp_path, capsys):
    out = str(tmp_path / "o")
    _rl("reproduce", "toy.paper", "--smoke", "--update-expected", "--out", out, capsys=capsys)
    data = json.loads(toy.read_text())
    data["toy.paper"]["smoke"]["metrics"]["acc"]["atol"] = 0.2
    toy.write_text(json.dumps(data))
    _rl("reproduce", "toy.paper", "--smoke", "--update-expected", "--out", out, capsys=capsys)
    assert json.loads(toy.read_text())["toy.paper"]["smoke"]["metrics"]["acc"]["atol"] == 0.2
    code, _, err = _rl(
        "reproduce", "toy.paper", "--smoke", "--check", "--seed", "1", "--out", out, capsys=capsys
    )
    assert code == 0, err  # 0.6 is within 0.5 ± 0.2


def test_a_full_update_records_date_and_machine_and_the_plan_uses_its_time(toy, tmp_path, capsys):
    out = str(tmp_path / "o")
    code, _, err = _rl(
        "reproduce", "toy.paper", "--full", "--update-expected", "--out", out, capsys=capsys
    )
    assert code == 0, err
    full = json.loads(toy.read_text())["toy.paper"]["full"]
    assert full["metrics"]["acc"] == pytest.approx(0.52)
    assert set(full) == {"date", "machine", "metrics", "seconds"} and "CPU cores" in full["machine"]
    code, _, err = _rl("reproduce", "toy.paper", "--full", "--out", out, capsys=capsys)
    assert code == 0 and "about 0 s" in err and "no recorded time" not in err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--full", "--check"], "--check compares the seeded smoke and quick sizes"),
        (["--smoke", "--check", "--update-expected"], "exclude each other"),
    ],
)
def test_contradictory_options_exit_2(toy, tmp_path, capsys, args, needle):
    code, _, err = _rl("reproduce", "toy.paper", *args, "--out", str(tmp_path), capsys=capsys)
    assert code == 2 and needle in err and err.count("\n") == 1


def test_nan_and_a_missing_metric_drift():
    entry = expected_entry({"acc": 0.5, "loss": 1.0}, 1.0, "smoke")
    drifts = check_metrics("toy", entry, {"acc": float("nan")})
    assert [(d.metric, d.measured is None) for d in drifts] == [("acc", False), ("loss", True)]
    assert "missing from the run" in drifts[1].describe()

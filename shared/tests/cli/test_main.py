import json
import subprocess
import sys

import pytest

from rl_shared import __version__
from rl_shared.cli.main import main


def _rl(*args: str, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def test_version(capsys):
    code, out, _ = _rl("--version", capsys=capsys)
    assert code == 0 and __version__ in out


def test_unknown_command_exits_2_with_one_line_listing_commands(capsys):
    code, out, err = _rl("nosuch", capsys=capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(
        "error: unknown command 'nosuch'; valid commands:"
    )
    assert "reproduce" in err and "data" in err


def test_unknown_reproduction_exits_2(capsys):
    code, _, err = _rl("reproduce", "nosuch", capsys=capsys)
    assert code == 2 and err.startswith(
        "error: unknown reproduction 'nosuch'; valid reproductions:"
    )
    assert "shared.cmim" in err and "Traceback" not in err


def test_bad_option_is_one_line(capsys):
    code, _, err = _rl("reproduce", "--bogus", capsys=capsys)
    assert code == 2 and err.startswith("error: No such option") and "Traceback" not in err


def test_reproduce_list_json_shows_cmim(capsys):
    code, out, _ = _rl("reproduce", "--list", "--json", capsys=capsys)
    rows = {r["name"]: r for r in json.loads(out)["reproductions"]}
    assert code == 0 and rows["shared.cmim"]["data_present"] is True


def test_data_list_json(capsys):
    code, out, _ = _rl("data", "list", "--json", capsys=capsys)
    assert code == 0 and "datasets" in json.loads(out)


def test_console_script_end_to_end():
    proc = subprocess.run(
        [sys.executable, "-m", "rl_shared.cli.main", "nosuch"], capture_output=True, text=True
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_a_failed_reproduction_makes_reproduce_exit_1(capsys, monkeypatch, tmp_path):
    """click returns (not raises) a command's exit code under standalone_mode=False; main keeps it."""
    from rl_shared.reproduce import Reproduction

    def crash(ctx):
        raise RuntimeError("bug inside")

    broken = Reproduction("shared.cmim", "crashes", crash)
    monkeypatch.setattr(
        "rl_shared.cli.reproduce_cmd.list_reproductions", lambda: {"shared.cmim": broken}
    )
    code, out, _ = _rl(
        "reproduce", "shared.cmim", "--smoke", "--out", str(tmp_path), "--json", capsys=capsys
    )
    assert code == 1
    assert json.loads(out)["reproductions"][0]["status"] == "failed"


def test_reproduce_list_json_names_the_paper_folder(capsys):
    code, out, _ = _rl("reproduce", "--list", "--json", capsys=capsys)
    rows = {r["name"]: r for r in json.loads(out)["reproductions"]}
    assert code == 0 and rows["shared.cmim"]["folder"] == "rl_shared.cmim"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["reproduce", "--smoke", "--out", "{file}/x"], "--out"),
        (["reproduce", "--smoke", "--seed", "x"], "--seed"),
    ],
)
def test_bad_reproduce_options_exit_2(capsys, tmp_path, args, needle):
    (tmp_path / "file").write_text("x")
    args = [a.format(file=tmp_path / "file") for a in args]
    code, out, err = _rl(*args, capsys=capsys)
    assert code == 2 and out == "" and err.startswith("error:") and needle in err


def test_update_results_writes_the_paper_folders_results_section(capsys, monkeypatch, tmp_path):
    """``--full --update-results`` puts the run's section into RESULTS.md of the paper folder."""
    import importlib.util
    import sys

    from rl_shared.plotting import subplots
    from rl_shared.reproduce import Reproduction, Result

    package = tmp_path / "src" / "rl_toy" / "paper"
    package.mkdir(parents=True)
    (package.parent / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "RESULTS.md").write_text("# Paper\n\nNotes by hand.\n")
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    importlib.invalidate_caches()

    def run(ctx):
        fig, ax = subplots()
        ax.plot([0, 1])
        ctx.save_figure(fig, "p")
        return Result(metrics={"acc": 0.5}, anchors=[], seeds=[0])

    run.__module__ = "rl_toy.paper.reproduction"
    toy = Reproduction("toy.paper", "a toy", run)
    monkeypatch.setattr(
        "rl_shared.cli.reproduce_cmd.list_reproductions", lambda: {"toy.paper": toy}
    )
    monkeypatch.setattr("rl_shared.cli.reproduce_cmd.entry_point_names", lambda g: ["toy.paper"])
    code, _, err = _rl(
        "reproduce",
        "toy.paper",
        "--full",
        "--update-results",
        "--out",
        str(tmp_path / "o"),
        capsys=capsys,
    )
    assert code == 0, err
    text = (package / "RESULTS.md").read_text()
    assert text.startswith("# Paper\n\nNotes by hand.\n")
    assert "<!-- results: toy.paper -->" in text and "| acc | 0.5000 |" in text
    assert importlib.util.find_spec("rl_toy.paper") is not None
    sys.modules.pop("rl_toy", None)
    code, _, err = _rl("reproduce", "toy.paper", "--quick", "--update-results", capsys=capsys)
    assert code == 2 and "--full" in err

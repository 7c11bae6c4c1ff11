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


def test_an_error_line_never_shares_a_line_with_a_progress_bar(capsys, monkeypatch):
    import click
    from tqdm.auto import tqdm

    from rl_shared.cli import main as main_module
    from rl_shared.errors import BadInput

    @click.command("hostile-probe")
    def probe() -> None:
        bar = tqdm(total=10, desc="steps", leave=False)  # a training loop's manual bar
        bar.update(3)  # the traceback keeps it alive, still drawn, when the error reaches main()
        raise BadInput("the third row is broken")

    monkeypatch.setitem(main_module._BUILTIN, "hostile-probe", probe)
    code, _, err = _rl("hostile-probe", capsys=capsys)
    assert code == 2
    # on a terminal "\r" returns to the line's start: the error must start a line of its own
    # (or one whose bar was wiped), never follow the bar's text
    lines = [line for line in err.split("\n") if "error:" in line]
    assert len(lines) == 1, repr(err)
    shown = lines[0].split("\r")
    assert shown[-1] == "error: the third row is broken", repr(err)
    assert all(not part.strip() for part in shown[:-1]) or lines[0] == shown[-1], repr(err)


def test_data_check_with_a_dataset_missing_exits_1(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path / "cache"))
    code, out, _ = _rl("data", "check", "--json", capsys=capsys)
    assert code == 1
    assert json.loads(out)["ok"] is False


def test_json_output_with_an_undefined_value_is_strict_and_warns(capsys):
    from rl_shared.cli import emit_json

    emit_json({"metrics": {"spearman": float("nan"), "pearson": 0.5}, "curve": [float("inf")]})
    out = capsys.readouterr()
    assert json.loads(out.out) == {"metrics": {"spearman": None, "pearson": 0.5}, "curve": [None]}
    assert out.err == "warning: not a finite number, written as null: metrics.spearman, curve[0]\n"

"""Hostile xcnn YAML sets are refused naming file and line, before any SCF runs."""

from __future__ import annotations

import pytest

import rl_chem.xcnn.benchmark  # noqa: F401  (imported before any patch: none leaks)
from rl_chem.core import molecules
from rl_chem.xcnn.data import load_xcnn
from rl_shared.cli.main import main
from rl_shared.errors import MalformedFile

ENTRY = """\
- name: Atomization energy of H2
  type: ae
  cmd: 2 * energy(systems[1]) - energy(systems[0])
  true_val: {true_val}
  systems:
  - type: mol
    kwargs: {{moldesc: "{moldesc}", basis: {basis}, charge: {charge}, spin: {spin}}}
  - type: mol
    kwargs: {{moldesc: H 0 0 0, basis: {basis}, spin: 1}}
"""


def _write(tmp_path, name: str = "set.yaml", **values) -> object:
    fields = {"true_val": 0.1745, "moldesc": "H 0 0 0; H 0 0 1.4", "basis": "sto-3g",
              "charge": 0, "spin": 0, **values}  # fmt: skip
    path = tmp_path / name
    path.write_text(ENTRY.format(**fields), encoding="utf-8")
    return path


@pytest.fixture
def no_scf(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("an SCF ran before the input was checked")

    monkeypatch.setattr(molecules, "run_scf", boom)
    monkeypatch.setattr("rl_chem.xcnn.benchmark.run_scf", boom)


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"moldesc": "H 0 0 0; H 0 0 0.1"}, "atoms 1 (H) and 2 (H) are 0.053 Angstrom apart"),
        ({"moldesc": "H 0 0 0; H 0 0 nan"}, "has the coordinate z=nan"),
        ({"moldesc": "H 0 0 0; Qq 0 0 1.4"}, "unknown element 'Qq' in geometry row 2"),
        ({"charge": 2}, "charge 2 leaves 0 electrons"),
        ({"spin": 1}, "spin 1 does not fit 2 electrons"),
        ({"spin": 4}, "spin 4 is more than the 2 electrons"),
    ],
)
def test_an_impossible_system_is_refused_naming_the_line(tmp_path, values, problem):
    path = _write(tmp_path, **values)
    with pytest.raises(MalformedFile) as err:
        load_xcnn(path)
    assert err.value.line == 6 and problem in str(err.value), str(err.value)
    assert str(err.value).startswith(f"{path}:6: a system of 'Atomization energy of H2': ")


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_a_true_val_that_is_not_finite_is_refused(tmp_path, value):
    with pytest.raises(MalformedFile, match=r"set\.yaml:1: the true_val .* is not finite"):
        load_xcnn(_write(tmp_path, true_val=value))


def test_a_file_that_is_not_utf8_names_the_line(tmp_path):
    path = _write(tmp_path)
    lines = path.read_bytes().split(b"\n")
    lines[3] = b"  true_val: \xff0.17"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(MalformedFile, match=r"set\.yaml:4: byte 0xff at column 13 is not UTF-8"):
        load_xcnn(path)


def test_a_folder_or_an_empty_file_is_refused(tmp_path):
    (tmp_path / "dir.yaml").mkdir()
    with pytest.raises(MalformedFile, match=r"dir\.yaml: is a folder"):
        load_xcnn(tmp_path / "dir.yaml")
    (tmp_path / "empty.yaml").write_text("\n")
    with pytest.raises(MalformedFile, match=r"empty\.yaml: the file is empty"):
        load_xcnn(tmp_path / "empty.yaml")


def test_two_different_entries_of_one_name_are_refused_a_repeat_is_kept_once(tmp_path):
    path = tmp_path / "twice.yaml"
    one = ENTRY.format(true_val=0.17, moldesc="H 0 0 0; H 0 0 1.4", basis="sto-3g", charge=0,
                       spin=0)  # fmt: skip
    path.write_text(one + one)
    assert len(load_xcnn(path)) == 1
    path.write_text(one + one.replace("0.17", "0.18"))
    with pytest.raises(MalformedFile, match=r"twice\.yaml:10: entry .* differs from the one"):
        load_xcnn(path)


def test_evaluate_refuses_a_bad_basis_or_geometry_before_any_scf(tmp_path, no_scf, capsys):
    path = _write(tmp_path, basis="no-such-basis")
    with pytest.raises(SystemExit) as stop:
        main(["chem", "xcnn", "evaluate", "--data", str(path)])
    assert stop.value.code == 2
    assert capsys.readouterr().err.startswith("error: basis set 'no-such-basis' is not available")
    with pytest.raises(SystemExit) as stop:
        main(["chem", "xcnn", "evaluate", "--data", str(_write(tmp_path, spin=2, charge=1))])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "set.yaml:6:" in err and "spin 2 does not fit 1" in err

"""The xcnn YAML loader, the entry evaluation (units, shared systems) and ``--set xcnn-*``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rl_chem.cli import group
from rl_chem.molecules import build_mol, run_scf
from rl_chem.reference_data import HARTREE_TO_KCAL
from rl_chem.xcnn_benchmark import evaluate_xcnn, short_name, system_key
from rl_chem.xcnn_data import load_xcnn, parse_cmd
from rl_shared.errors import MalformedFile

FAKE = """---
# tiny fake set in the xcnn format
- name: Atomization energy of H2
  type: ae
  cmd: 2 * energy(systems[1]) - energy(systems[0])
  true_val: 0.1745
  systems:
  - type: mol
    kwargs:
      moldesc: H 0 0 0; H 0 0 1.4
      basis: sto-3g
  - type: mol
    kwargs:
      moldesc: H 0 0 0
      basis: sto-3g
      spin: 1
- name: density of H2
  type: dens
  cmd: dens(systems[0])
  true_val: 0.0
  systems:
  - type: mol
    kwargs: {moldesc: H 0 0 0; H 0 0 1.4, basis: sto-3g}
- name: Ionization energy of H
  type: ie
  cmd: -energy(systems[0])
  true_val: 0.5
  systems:
  - type: mol
    kwargs:
      moldesc: H   0 0   0
      basis: sto-3g
      spin: 1
"""


@pytest.fixture
def fake_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "fake.yaml"
    path.write_text(FAKE, encoding="utf-8")
    return path


def test_parse_cmd_terms_and_rejects():
    assert parse_cmd("energy(systems[1]) + energy(systems[2]) + 3 * energy(systems[3]) "
                     "- energy(systems[0])") == [(1.0, 1), (1.0, 2), (3.0, 3), (-1.0, 0)]  # fmt: skip
    for bad in ("dm(systems[0])", "energy(systems[0]) energy(systems[1])", "",
                "energy(systems[0]) * 2"):  # fmt: skip
        with pytest.raises(ValueError):
            parse_cmd(bad)


def test_load_keeps_energy_entries_with_lines(fake_yaml):
    entries = load_xcnn(fake_yaml)
    assert [e["name"] for e in entries] == ["Atomization energy of H2", "Ionization energy of H"]
    h2, ie = entries
    assert h2["line"] == 3 and ie["line"] == 24
    assert h2["terms"] == [(2.0, 1), (-1.0, 0)] and ie["terms"] == [(-1.0, 0)]
    assert h2["systems"][0] == {"moldesc": "H 0 0 0; H 0 0 1.4", "basis": "sto-3g",
                                "charge": 0, "spin": 0}  # fmt: skip
    assert h2["systems"][1]["spin"] == 1
    assert [e["name"] for e in load_xcnn(fake_yaml, types=("ie",))] == ["Ionization energy of H"]


@pytest.mark.parametrize(
    ("old", "new", "where", "text"),
    [
        ("cmd: -energy(systems[0])", "cmd: -energy(systems[0]) ** 2", ":26:", "cannot read cmd"),
        ("cmd: -energy(systems[0])", "cmd: -energy(systems[4])", ":26:", "system index beyond"),
        ("true_val: 0.5", "true_val: half", ":24:", "numeric 'true_val'"),
        ("      moldesc: H   0 0   0\n", "", ":29:", "kwargs.moldesc"),
        (
            "      spin: 1\n- name: density",
            "      spin: one\n- name: density",
            ":12:",
            "spin of a system",
        ),
    ],
)
def test_malformed_entries_name_file_and_line(tmp_path, old, new, where, text):
    path = tmp_path / "bad.yaml"
    assert old in FAKE
    path.write_text(FAKE.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(MalformedFile, match=text) as info:
        load_xcnn(path)
    assert f"bad.yaml{where}" in str(info.value)


def test_yaml_syntax_error_has_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("- name: x\n  systems: [a, b\n", encoding="utf-8")
    with pytest.raises(MalformedFile, match=r"broken\.yaml:\d+"):
        load_xcnn(path)


def test_evaluate_h2_lda_minimal_basis(fake_yaml):
    entries = load_xcnn(fake_yaml)
    out = evaluate_xcnn(entries, xc="lda", grid_level=1)
    # H appears in both entries (differently spaced): one SCF for it, one for H2
    assert out["n_systems"] == 2 and not out["not_converged"]
    e_h2 = run_scf(build_mol("H 0 0 0; H 0 0 1.4", basis="sto-3g", unit="Bohr"), xc="lda",
                   grid_level=1)["energy"]  # fmt: skip
    e_h = run_scf(build_mol("H 0 0 0", basis="sto-3g", spin=1), xc="lda", grid_level=1)["energy"]
    ae = out["values"]["Atomization energy of H2"]
    assert ae == pytest.approx(2 * e_h - e_h2, abs=1e-8)
    assert 0.1 < ae < 0.3  # LDA overbinds H2 a little, in Hartree
    assert out["values"]["Ionization energy of H"] == pytest.approx(-e_h, abs=1e-8)
    err = out["errors"]["Atomization energy of H2"]
    assert err == pytest.approx((ae - 0.1745) * HARTREE_TO_KCAL, rel=1e-12)
    assert out["mae"] == pytest.approx(
        (abs(err) + abs(out["errors"]["Ionization energy of H"])) / 2
    )


def test_bohr_not_angstrom_and_basis_override(fake_yaml):
    entry = load_xcnn(fake_yaml)[0]
    key = system_key(entry["systems"][0], basis="6-31G")
    assert key == ("H 0 0 0;H 0 0 1.4", "6-31g", 0, 0)
    assert short_name(entry["name"]) == "H2"
    out = evaluate_xcnn([entry], xc="lda", basis="6-31g", grid_level=1)
    ref = evaluate_xcnn([entry], xc="lda", grid_level=1)
    assert out["values"][entry["name"]] != pytest.approx(ref["values"][entry["name"]], abs=1e-4)


def test_cli_xcnn_set_json(tmp_path, monkeypatch):
    root = tmp_path / "dft" / "xcnn"
    for rel in ("datagen/ae_gauss2.yaml", "test_dsets/ae_mols.yaml", "test_dsets/ie_atoms.yaml"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(FAKE, encoding="utf-8")
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path))
    res = CliRunner().invoke(group, ["atomization", "--set", "xcnn-ie", "--xc", "lda",
                                     "--grid-level", "1", "--limit", "1", "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    out = json.loads(res.output[res.output.index("{") :])
    assert list(out["errors"]) == ["Atomization energy of H2"]  # --limit 1 of 2 entries
    assert out["set"] == "xcnn-ie" and out["basis"] == "from file"
    bad = CliRunner().invoke(group, ["atomization", "--set", "xcnn-nope"])
    assert bad.exit_code != 0 and "xcnn-ae" in str(bad.exception)

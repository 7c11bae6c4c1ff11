"""The xcnn YAML loader: energy entries, cmd parsing, file:line errors, the dataset."""

from __future__ import annotations

import pytest

from rl_chem.xcnn.data import XCNN, load_xcnn, load_xcnn_ae, parse_cmd, resolve_set
from rl_shared.errors import DatasetNotFound, MalformedFile, UnknownName


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
def test_malformed_entries_name_file_and_line(tmp_path, fake_text, old, new, where, text):
    path = tmp_path / "bad.yaml"
    assert old in fake_text
    path.write_text(fake_text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(MalformedFile, match=text) as info:
        load_xcnn(path)
    assert f"bad.yaml{where}" in str(info.value)


def test_yaml_syntax_error_has_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("- name: x\n  systems: [a, b\n", encoding="utf-8")
    with pytest.raises(MalformedFile, match=r"broken\.yaml:\d+"):
        load_xcnn(path)


def test_resolve_set_names_files_and_unknown():
    assert resolve_set("xcnn-ie") == "test_dsets/ie_atoms.yaml"
    assert resolve_set("mine.yaml") == "mine.yaml"
    with pytest.raises(UnknownName, match="xcnn-ae"):
        resolve_set("xcnn-nope")


def test_real_atomization_entries():
    if not XCNN.is_present():
        pytest.skip("xcnn data not present")
    entries = load_xcnn_ae("test_dsets/ae_mols.yaml")
    assert len(entries) > 5 and all(0 < e["true_val"] < 2 for e in entries)


def test_missing_data_names_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path))
    with pytest.raises(DatasetNotFound, match="dft/xcnn"):
        load_xcnn_ae()

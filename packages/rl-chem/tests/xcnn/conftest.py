"""A tiny fake set in the xcnn YAML format."""

from __future__ import annotations

from pathlib import Path

import pytest

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
def fake_text() -> str:
    return FAKE


@pytest.fixture
def fake_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "fake.yaml"
    path.write_text(FAKE, encoding="utf-8")
    return path


@pytest.fixture
def fake_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$RL_DATA_DIR with the xcnn dataset's files, each the fake set."""
    root = tmp_path / "data" / "dft" / "xcnn"
    for rel in ("datagen/ae_gauss2.yaml", "test_dsets/ae_mols.yaml", "test_dsets/ie_atoms.yaml"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(FAKE, encoding="utf-8")
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path / "data"))
    return root

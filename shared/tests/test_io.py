import pytest

from rl_shared.io import atomic_dir, atomic_open, atomic_write_json


def test_failed_write_keeps_old_content_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_open(target) as handle:
        handle.write("new half")
        raise RuntimeError("crash")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_dir_replaces_whole_folder(tmp_path):
    folder = tmp_path / "ck"
    with atomic_dir(folder) as tmp:
        (tmp / "a").write_text("1")
    with atomic_dir(folder) as tmp:
        (tmp / "b").write_text("2")
    assert sorted(p.name for p in folder.iterdir()) == ["b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ck"]


def test_json_handles_numpy_and_torch_scalars(tmp_path):
    import json

    import numpy as np
    import torch

    atomic_write_json(tmp_path / "r.json", {"a": np.float32(0.5), "b": torch.tensor(2)})
    assert json.loads((tmp_path / "r.json").read_text()) == {"a": 0.5, "b": 2}

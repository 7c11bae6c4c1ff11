import json
import random

import numpy as np
import pytest
import torch

from rl_shared.checkpoint import CheckpointManager, load_checkpoint, save_checkpoint
from rl_shared.errors import BadInput


def _setup(seed=0):
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Dropout(0.2), torch.nn.Linear(8, 1))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
    return model, opt, sched


def _step(model, opt, sched):
    # draws from torch, numpy and python RNGs, as real loops do (dropout, sampling, shuffling)
    x = torch.randn(16, 4) + float(np.random.rand()) + random.random()
    loss = model(x).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()


def test_resume_reaches_same_parameters_as_straight_run(tmp_path):
    random.seed(0), np.random.seed(0)
    model, opt, sched = _setup()
    for _ in range(10):
        _step(model, opt, sched)
    straight = [p.detach().clone() for p in model.parameters()]

    random.seed(0), np.random.seed(0)
    model, opt, sched = _setup()
    manager = CheckpointManager(tmp_path / "run", keep=2)
    for step in range(1, 5):
        _step(model, opt, sched)
        manager.save(step, model, opt, sched, config={"lr": 1e-2})
    # a new process: fresh objects, scrambled RNGs
    random.seed(123), np.random.seed(123), torch.manual_seed(123)
    model, opt, sched = _setup(seed=99)
    state = manager.load(model, opt, sched)
    assert state.step == 4 and state.config == {"lr": 1e-2}
    for _ in range(state.step, 10):
        _step(model, opt, sched)
    for a, b in zip(straight, model.parameters(), strict=True):
        assert torch.equal(a, b)
    assert [p.name for p in manager.checkpoints()] == ["step-000003", "step-000004"]


def test_files_are_safetensors_and_json(tmp_path):
    model, opt, _ = _setup()
    path = save_checkpoint(tmp_path / "ck", model, opt, step=1, extra={"epoch": 0})
    assert sorted(p.name for p in path.iterdir()) == [
        "model.safetensors",
        "state.json",
        "training.safetensors",
    ]
    assert json.loads((path / "state.json").read_text())["extra"] == {"epoch": 0}


def test_failed_save_leaves_previous_checkpoint(tmp_path, monkeypatch):
    model, opt, _ = _setup()
    path = save_checkpoint(tmp_path / "ck", model, opt, step=1)
    import rl_shared.checkpoint as ck

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(ck, "save_file", boom)
    with pytest.raises(OSError):
        save_checkpoint(tmp_path / "ck", model, opt, step=2)
    assert json.loads((path / "state.json").read_text())["step"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["ck"]


def test_missing_checkpoint_is_a_clear_error(tmp_path):
    model, _, _ = _setup()
    with pytest.raises(BadInput, match="no checkpoint in"):
        CheckpointManager(tmp_path).load(model)
    with pytest.raises(BadInput, match="not a checkpoint folder"):
        load_checkpoint(tmp_path, model)

"""Atomic training checkpoints: safetensors weights, JSON config, optimizer and RNG state.

A checkpoint is a folder ``step-000123/`` holding

* ``model.safetensors``: the model's ``state_dict``;
* ``training.safetensors``: every tensor of the optimizer / scheduler state and the RNG
  states (torch CPU and CUDA, NumPy), so nothing is ever unpickled;
* ``state.json``: the step, the user's config, the non-tensor parts of the optimizer state
  and Python's ``random`` state.

The folder is written under a temporary name and renamed into place, so a run killed while
saving leaves the previous checkpoint intact. Resuming restores parameters, optimizer
moments and every RNG, so a run stopped after step *k* and resumed reaches the same
parameters as a run straight through with the same seed.

Example:
    >>> import tempfile, torch
    >>> from rl_shared.checkpoint import CheckpointManager
    >>> model = torch.nn.Linear(2, 1); opt = torch.optim.Adam(model.parameters())
    >>> manager = CheckpointManager(tempfile.mkdtemp())
    >>> _ = manager.save(5, model, opt, config={"lr": 1e-3})
    >>> manager.load(model, opt).step
    5
"""

from __future__ import annotations

import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file, save_file

from rl_shared.errors import BadInput
from rl_shared.io import atomic_dir

__all__ = [
    "CheckpointManager",
    "TrainingState",
    "load_checkpoint",
    "load_tensors",
    "save_checkpoint",
    "save_tensors",
]


def save_tensors(path: str | Path, tensors: dict[str, torch.Tensor]) -> Path:
    """Write ``tensors`` to one safetensors file atomically (a kill leaves the old file or none).

    For extra state stored beside a host library's checkpoint (a loss's head inside a
    transformers ``checkpoint-N`` folder); whole models go through :mod:`rl_shared.artifacts`.

    Args:
        path: the file to write (replaced if it exists).
        tensors: name -> tensor; each is detached, moved to the CPU and made contiguous.

    Shapes:
        - tensors: any shape per name; each is written with its own shape.

    Example:
        >>> import tempfile, torch
        >>> p = save_tensors(tempfile.mkdtemp() + "/head.safetensors", {"w": torch.ones(2)})
        >>> load_tensors(p)["w"].tolist()
        [1.0, 1.0]
    """
    from rl_shared.io import atomic_open

    path = Path(path)
    data = {k: v.detach().cpu().contiguous() for k, v in tensors.items()}
    from safetensors.torch import save

    with atomic_open(path, "wb") as handle:
        handle.write(save(data))
    return path


def load_tensors(path: str | Path) -> dict[str, torch.Tensor]:
    """Read a file written by :func:`save_tensors`; :class:`BadInput` names a missing or corrupt one.

    Args:
        path: the safetensors file.

    Shapes:
        - output: name -> tensor, each with the shape it was saved with.

    Raises:
        BadInput: the file does not exist or is not a readable safetensors file.

    Example:
        >>> import tempfile, torch
        >>> p = save_tensors(tempfile.mkdtemp() + "/t.safetensors", {"b": torch.zeros(1, 2)})
        >>> {k: tuple(v.shape) for k, v in load_tensors(p).items()}
        {'b': (1, 2)}
        >>> load_tensors(p.with_name("missing.safetensors"))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        rl_shared.errors.BadInput: ...missing.safetensors does not exist; the checkpoint is incomplete
    """
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"{path} does not exist; the checkpoint is incomplete")
    try:
        return load_file(str(path))
    except Exception as err:  # safetensors raises its own error type for a truncated file
        raise BadInput(f"{path} is not a readable safetensors file ({err})") from None


_STEP_DIR = re.compile(r"^step-(\d+)$")


@dataclass
class TrainingState:
    """What :func:`load_checkpoint` returns besides restoring the objects in place.

    Attributes:
        step: the number of optimisation steps taken when the checkpoint was saved.
        config: the hyper-parameters saved with it.
        extra: the caller's extra data saved with it.
        path: the checkpoint folder it was read from (``None`` when built by hand).

    Example:
        >>> state = TrainingState(step=3, config={"lr": 0.1})
        >>> state.step, state.config, state.extra, state.path
        (3, {'lr': 0.1}, {}, None)
    """

    step: int
    config: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


def _flatten(prefix: str, obj: Any, tensors: dict[str, torch.Tensor]) -> Any:
    """Move every tensor of a nested structure into ``tensors``; return a JSON skeleton."""
    if isinstance(obj, torch.Tensor):
        key = prefix
        tensors[key] = obj.detach().cpu().contiguous().clone()
        return {"__tensor__": key}
    if isinstance(obj, dict):
        return {
            "__dict__": [[_key(k), _flatten(f"{prefix}.{k}", v, tensors)] for k, v in obj.items()]
        }
    if isinstance(obj, list | tuple):
        items = [_flatten(f"{prefix}.{i}", v, tensors) for i, v in enumerate(obj)]
        return {"__tuple__": items} if isinstance(obj, tuple) else items
    if isinstance(obj, float | int | str | bool) or obj is None:
        return obj
    raise BadInput(f"cannot checkpoint a value of type {type(obj).__name__} at {prefix}")


def _key(k: Any) -> Any:
    return {"__int__": k} if isinstance(k, int) else k


def _unkey(k: Any) -> Any:
    return k["__int__"] if isinstance(k, dict) else k


def _unflatten(obj: Any, tensors: dict[str, torch.Tensor]) -> Any:
    if isinstance(obj, dict):
        if "__tensor__" in obj:
            return tensors[obj["__tensor__"]]
        if "__dict__" in obj:
            return {_unkey(k): _unflatten(v, tensors) for k, v in obj["__dict__"]}
        if "__tuple__" in obj:
            return tuple(_unflatten(v, tensors) for v in obj["__tuple__"])
    if isinstance(obj, list):
        return [_unflatten(v, tensors) for v in obj]
    return obj


def _rng_state() -> dict[str, Any]:
    np_state: tuple[Any, ...] = tuple(np.random.get_state())
    state: dict[str, Any] = {
        "torch": torch.get_rng_state(),
        "numpy": (
            np_state[0],
            torch.from_numpy(np_state[1].astype(np.int64)),
            *map(_py, np_state[2:]),
        ),
        "python": _py(random.getstate()),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _py(obj: Any) -> Any:
    if isinstance(obj, tuple | list):
        return [_py(v) for v in obj]
    return obj.item() if hasattr(obj, "item") else obj


def _set_rng_state(state: dict[str, Any]) -> None:
    torch.set_rng_state(state["torch"])
    name, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((name, keys.numpy().astype(np.uint32), pos, has_gauss, cached))
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(list(state["cuda"]))


def save_checkpoint(
    path: str | Path,
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    scheduler: Any | None = None,
    *,
    step: int,
    config: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Write a checkpoint folder atomically and return its path.

    Args:
        path: the checkpoint folder (replaced if it exists).
        model: module whose ``state_dict`` is saved as safetensors.
        optimizer: optional optimizer whose state is saved.
        scheduler: optional LR scheduler (anything with ``state_dict``).
        step: the number of optimisation steps taken so far.
        config: JSON-serialisable hyper-parameters, saved as they are.
        extra: JSON-serialisable data of the caller (e.g. epoch, data-loader position).

    Raises:
        BadInput: the optimizer or scheduler state holds a value that cannot be saved.

    Example:
        >>> import tempfile, torch
        >>> model = torch.nn.Linear(2, 1)
        >>> opt = torch.optim.SGD(model.parameters(), lr=0.1)
        >>> folder = save_checkpoint(tempfile.mkdtemp() + "/step-000001", model, opt, step=1)
        >>> sorted(p.name for p in folder.iterdir())
        ['model.safetensors', 'state.json', 'training.safetensors']
    """
    weights = {k: v.detach().cpu().contiguous().clone() for k, v in model.state_dict().items()}
    tensors: dict[str, torch.Tensor] = {}
    skeleton = {
        "optimizer": _flatten("optimizer", optimizer.state_dict(), tensors) if optimizer else None,
        "scheduler": _flatten("scheduler", scheduler.state_dict(), tensors) if scheduler else None,
        "rng": _flatten("rng", _rng_state(), tensors),
    }
    state = {"step": step, "config": config or {}, "extra": extra or {}, "training": skeleton}
    with atomic_dir(path) as tmp:
        save_file(weights, str(tmp / "model.safetensors"))
        save_file(tensors, str(tmp / "training.safetensors"))
        (tmp / "state.json").write_text(json.dumps(state, indent=1), encoding="utf-8")
    return Path(path)


def load_checkpoint(
    path: str | Path,
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    scheduler: Any | None = None,
    *,
    restore_rng: bool = True,
) -> TrainingState:
    """Restore a checkpoint written by :func:`save_checkpoint` into the given objects.

    Args:
        path: the checkpoint folder.
        model: module whose parameters are overwritten with the saved ``state_dict``.
        optimizer: optional optimizer whose saved state is restored.
        scheduler: optional LR scheduler whose saved state is restored.
        restore_rng: also restore the torch (CPU and CUDA), NumPy and Python RNG states.

    Raises:
        BadInput: ``path`` lacks ``model.safetensors`` or ``state.json``.

    Example:
        >>> import tempfile, torch
        >>> model = torch.nn.Linear(2, 1)
        >>> folder = save_checkpoint(tempfile.mkdtemp() + "/ck", model, step=7, extra={"epoch": 1})
        >>> fresh = torch.nn.Linear(2, 1)
        >>> state = load_checkpoint(folder, fresh, restore_rng=False)
        >>> state.step, state.extra, bool(torch.equal(fresh.weight, model.weight))
        (7, {'epoch': 1}, True)
    """
    path = Path(path)
    if not (path / "model.safetensors").is_file() or not (path / "state.json").is_file():
        raise BadInput(
            f"{path} is not a checkpoint folder (model.safetensors and state.json are missing)"
        )
    model.load_state_dict(load_file(str(path / "model.safetensors")))
    state = json.loads((path / "state.json").read_text(encoding="utf-8"))
    tensors = load_file(str(path / "training.safetensors"))
    training = {key: _unflatten(value, tensors) for key, value in state["training"].items()}
    if optimizer is not None and training["optimizer"] is not None:
        optimizer.load_state_dict(training["optimizer"])
    if scheduler is not None and training["scheduler"] is not None:
        scheduler.load_state_dict(training["scheduler"])
    if restore_rng:
        _set_rng_state(training["rng"])
    return TrainingState(
        step=state["step"], config=state["config"], extra=state["extra"], path=path
    )


class CheckpointManager:
    """Keeps the last ``keep`` checkpoints of a run in ``directory`` and finds the newest.

    Args:
        directory: the run's checkpoint folder.
        keep: how many checkpoints to keep; older ones are removed after each save.
    """

    def __init__(self, directory: str | Path, keep: int = 2) -> None:
        if keep < 1:
            raise BadInput(f"keep must be at least 1, got {keep}")
        self.directory = Path(directory)
        self.keep = keep

    def checkpoints(self) -> list[Path]:
        """Checkpoint folders, oldest first."""
        if not self.directory.is_dir():
            return []
        found = [
            (int(m.group(1)), p) for p in self.directory.iterdir() if (m := _STEP_DIR.match(p.name))
        ]
        return [p for _, p in sorted(found)]

    def latest(self) -> Path | None:
        found = self.checkpoints()
        return found[-1] if found else None

    def save(
        self,
        step: int,
        model: torch.nn.Module,
        optimizer: Any = None,
        scheduler: Any = None,
        **kwargs: Any,
    ) -> Path:
        path = save_checkpoint(
            self.directory / f"step-{step:06d}", model, optimizer, scheduler, step=step, **kwargs
        )
        for old in self.checkpoints()[: -self.keep]:
            shutil.rmtree(old, ignore_errors=True)
        return path

    def load(
        self, model: torch.nn.Module, optimizer: Any = None, scheduler: Any = None, **kwargs: Any
    ) -> TrainingState:
        """Restore the newest checkpoint; raise :class:`BadInput` if there is none."""
        latest = self.latest()
        if latest is None:
            raise BadInput(f"no checkpoint in {self.directory}; train without --resume first")
        return load_checkpoint(latest, model, optimizer, scheduler, **kwargs)

"""Finding and checking a saved model folder, for both papers' ``--model`` options.

A ``--model`` of rl-vision is a model folder written by :func:`rl_shared.artifacts.save_model`
or the run folder above it (``OUT`` of a ``train`` command, holding ``OUT/model``).
:func:`find_model_folder` picks the folder and refuses a ``config.json`` that is a folder;
:func:`check_finite_weights` refuses NaN or infinite weights, naming the weights file.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> run = Path(tempfile.mkdtemp())
    >>> (run / "model").mkdir(); _ = (run / "model" / "config.json").write_text("{}")
    >>> find_model_folder(run, "`rl vision grounded train --out {run}`").name
    'model'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rl_shared.artifacts import CONFIG, WEIGHTS
from rl_shared.errors import MalformedFile, ModelNotFound, RLError

__all__ = ["check_finite_weights", "find_model_folder", "reason"]


def find_model_folder(run: str | Path, train_hint: str, what: str = "model") -> Path:
    """The model folder of ``run`` (``run`` itself, or ``run/model``), its ``config.json`` checked.

    Args:
        run: a model folder, or the run folder above it.
        train_hint: the command that makes one, with ``{run}`` standing for the path (for the
            message).
        what: what the model is, for the message (``"grounded model"``).

    Raises:
        ModelNotFound: no ``config.json`` in ``run`` nor in ``run/model``.
        MalformedFile: the ``config.json`` there is a folder.

    Example:
        >>> import tempfile
        >>> try:
        ...     find_model_folder(Path(tempfile.mkdtemp()), "`train --out {run}`")
        ... except ModelNotFound as err:
        ...     print(str(err).split(";")[1])
         train one with `train --out ...
    """
    run = Path(run)
    folder = run / "model" if not (run / CONFIG).exists() and (run / "model").is_dir() else run
    config = folder / CONFIG
    if config.is_dir():
        raise MalformedFile(
            config, None, "is a folder, where the model's configuration was expected"
        )
    if not config.is_file():
        if run.exists() and not run.is_dir():
            raise ModelNotFound(f"{run} is a file, not a model folder (pass the OUT/model folder)")
        raise ModelNotFound(
            f"{run} holds no trained {what} (no model/{CONFIG}); train one with "
            + train_hint.format(run=run)
        )
    return folder


def check_finite_weights(folder: Path, tensors: Mapping[str, Any]) -> None:
    """Refuse a model folder whose weights file is missing or holds NaN or infinity.

    Args:
        folder: the model folder (its ``model.safetensors`` is named in the message).
        tensors: the weights read from it, name -> tensor.

    Raises:
        MalformedFile: no weights file, or a floating-point tensor that is not finite.

    Example:
        >>> import tempfile, torch
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / WEIGHTS).write_bytes(b"")
        >>> try:
        ...     check_finite_weights(folder, {"w": torch.tensor([1.0, float("nan")])})
        ... except MalformedFile as err:
        ...     print(err.path.name, err.problem)
        model.safetensors holds NaN or infinite weights
    """
    import torch

    weights = folder / WEIGHTS
    if not weights.is_file():
        raise MalformedFile(weights, None, "missing: the model folder has no weights")
    for tensor in tensors.values():
        if tensor.is_floating_point() and not bool(torch.isfinite(tensor).all()):
            raise MalformedFile(weights, None, "holds NaN or infinite weights")


def reason(err: BaseException) -> str:
    """One line saying what an exception met while reading a configuration was about.

    Args:
        err: the exception (a ``KeyError`` is a missing key).

    Example:
        >>> reason(KeyError("vocab")), reason(ValueError("bad\\nmore"))
        ("no key 'vocab'", 'bad')
    """
    if isinstance(err, KeyError) and not isinstance(err, RLError):
        return f"no key {err}"
    text = str(err)
    return text.splitlines()[0] if text.strip() else type(err).__name__

"""What the papers' commands share: quiet stdout under ``--json``, DDP teardown, score output.

Imports nothing heavy, so every paper's ``cli.py`` can use it at module level.

Example:
    >>> with training_output(as_json=False):
    ...     print("trainer log line")
    trainer log line
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

__all__ = ["check_runtime", "format_score", "leave_process_group", "training_output"]


def check_runtime(device: str = "auto", precision: str = "fp32") -> torch.device:
    """Resolve ``--device`` and check ``--precision`` against it, before any work starts.

    Every command that trains, encodes or scores with a network calls it first, so a
    precision the device cannot run (fp16 on the CPU) or a device this machine lacks is one
    ``error:`` line (exit 2) before data or models are read and before OUT is made.

    Args:
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``.
        precision: ``fp32``, ``bf16`` or ``fp16``.

    Returns:
        The resolved device.

    Raises:
        BadInput: as :func:`rl_shared.runtime.resolve_device` and
            :func:`rl_shared.runtime.resolve_precision`.

    Example:
        >>> check_runtime("cpu", "bf16")
        device(type='cpu')
        >>> try:
        ...     check_runtime("cpu", "fp16")
        ... except ValueError as err:
        ...     print(err)
        --precision fp16 needs a CUDA or MPS device; use bf16 or fp32 on the CPU
    """
    from rl_shared.runtime import resolve_device, resolve_precision

    resolved = resolve_device(device)
    resolve_precision(precision, resolved)
    return resolved


def format_score(value: float | None) -> str:
    """A correlation for the text output: four decimals, or ``undefined`` for ``None``.

    Args:
        value: a Spearman or Pearson correlation, ``None`` where it is undefined (constant
            scores; the ``--json`` output has ``null`` there).

    Example:
        >>> format_score(0.81234), format_score(None)
        ('0.8123', 'undefined')
    """
    return "undefined" if value is None else f"{value:.4f}"


def leave_process_group() -> None:
    """Tear down a torchrun process group, so no gloo thread outlives the interpreter.

    Left to interpreter exit, gloo's worker threads can be destroyed while joinable and
    abort the process (``terminate called without an active exception``).
    Outside ``torchrun`` (or before ``torch`` is imported) it does nothing.

    Example:
        >>> leave_process_group()  # no process group here: a no-op
        >>> import torch.distributed as dist
        >>> dist.is_available() and dist.is_initialized()
        False
    """
    if "torch" not in sys.modules:
        return
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


@contextlib.contextmanager
def training_output(as_json: bool) -> Iterator[None]:
    """Run a training command: the trainer's stdout lines go to stderr under ``--json``.

    Args:
        as_json: the command's ``--json`` flag (stdout then holds the JSON object alone).
    """
    redirect = contextlib.redirect_stdout(sys.stderr) if as_json else contextlib.nullcontext()
    try:
        with redirect:
            yield
    finally:
        leave_process_group()

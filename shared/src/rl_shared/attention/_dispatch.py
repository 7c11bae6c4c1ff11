"""When the Triton kernels run: on CUDA tensors, or anywhere under ``TRITON_INTERPRET=1``."""

from __future__ import annotations

import os

import torch

__all__ = ["triton_available", "use_triton"]


def triton_available() -> bool:
    """Whether the ``triton`` package can be imported here.

    Example:
        >>> isinstance(triton_available(), bool)
        True
    """
    try:
        import triton  # noqa: F401
    except ImportError:
        return False
    return True


def use_triton(*tensors: torch.Tensor) -> bool:
    """Triton runs for CUDA inputs, or for CPU inputs when the interpreter is switched on.

    Args:
        *tensors: the kernel's inputs; mixed CUDA and CPU inputs never use Triton.

    Example:
        >>> import os, torch
        >>> x = torch.zeros(2)
        >>> use_triton(x) == (triton_available() and os.environ.get("TRITON_INTERPRET") == "1")
        True
    """
    if not triton_available():
        return False
    if all(t.is_cuda for t in tensors):
        return True
    return os.environ.get("TRITON_INTERPRET") == "1" and not any(t.is_cuda for t in tensors)

"""Reading the image and ``.npy`` files the real datasets store their frames in.

:func:`read_image` returns a PNG/JPEG as a ``(C, H, W)`` array, :func:`read_array` a
``.npy`` array as float32 ``(C, H, W)``; an unreadable file is a
:class:`~rl_shared.errors.MalformedFile`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from rl_shared.errors import MalformedFile

__all__ = ["read_array", "read_image"]


def read_image(path: Path, *, channels: int | None = None) -> np.ndarray:
    """Read a PNG/JPEG as ``(C, H, W)`` uint8/uint16 array (alpha dropped; gray repeated if asked)."""
    try:
        with Image.open(path) as img:
            arr = np.asarray(img)
    except (OSError, UnidentifiedImageError) as err:
        raise MalformedFile(path, None, f"not a readable image ({err})") from None
    arr = arr[None] if arr.ndim == 2 else arr.transpose(2, 0, 1)
    if arr.shape[0] == 4:
        arr = arr[:3]
    if channels is not None and arr.shape[0] != channels:
        if arr.shape[0] == 1:
            arr = np.repeat(arr, channels, axis=0)
        elif channels == 1:
            arr = arr[:1]
        else:
            raise MalformedFile(path, None, f"has {arr.shape[0]} channels, expected {channels}")
    return arr


def read_array(path: Path) -> np.ndarray:
    """Read a ``.npy`` array as float32 ``(C, H, W)`` (no pickles)."""
    try:
        arr = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as err:
        raise MalformedFile(path, None, f"not a readable .npy array ({err})") from None
    arr = np.asarray(arr, dtype=np.float32)
    return (
        arr[None]
        if arr.ndim == 2
        else arr.transpose(2, 0, 1)
        if arr.shape[-1] <= 4 and arr.ndim == 3
        else arr
    )

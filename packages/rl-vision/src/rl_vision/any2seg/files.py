"""Reading the image and ``.npy`` files the real datasets store their frames in.

:func:`read_image` returns a PNG/JPEG as a ``(C, H, W)`` array, :func:`read_array` a
``.npy`` array as float32 ``(C, H, W)``; an unreadable file is a
:class:`~rl_shared.errors.MalformedFile`.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation from Any
    Modalities", ECCV 2024. https://arxiv.org/abs/2407.11351
    Zhang et al., "Delivering Arbitrary-Modal Semantic Segmentation", CVPR 2023 (DELIVER).
    https://arxiv.org/abs/2303.01480
    Liang et al., "Multimodal Material Segmentation", CVPR 2022 (MCubeS).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError
from PIL.Image import DecompressionBombError

from rl_shared.errors import MalformedFile

__all__ = ["read_array", "read_image"]


def read_image(path: Path, *, channels: int | None = None) -> np.ndarray:
    """Read a PNG/JPEG as ``(C, H, W)`` uint8/uint16 array (alpha dropped; gray repeated if asked).

    Args:
        path: the image file.
        channels: the channel count wanted: a gray image is repeated to it, and
            ``channels=1`` keeps the first channel (default: as stored).

    Raises:
        MalformedFile: missing, a folder, not a readable image (not an image, truncated,
            corrupt), or channels that cannot be matched.

    Shapes:
        returns ``(C, H, W)``.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "gray.png"
        >>> Image.fromarray(np.zeros((4, 5), dtype=np.uint8)).save(path)
        >>> read_image(path).shape, read_image(path, channels=3).shape
        ((1, 4, 5), (3, 4, 5))
    """
    if path.is_dir():
        raise MalformedFile(path, None, "is a folder, where an image file was expected")
    try:
        with Image.open(path) as img:
            img.load()  # decode now: a truncated or corrupt file fails here, not later
            arr = np.asarray(img)
    except UnidentifiedImageError:
        raise MalformedFile(
            path, None, "not a readable image (no image format PIL knows)"
        ) from None
    except FileNotFoundError:
        raise MalformedFile(path, None, "missing") from None
    except (OSError, SyntaxError, ValueError, EOFError, zlib.error, DecompressionBombError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise MalformedFile(path, None, f"not a readable image ({reason})") from None
    if arr.ndim not in (2, 3) or arr.size == 0 or arr.dtype.kind not in "biuf":
        raise MalformedFile(path, None, f"not an image of pixels (array {arr.shape}, {arr.dtype})")
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
    """Read a ``.npy`` array as float32 ``(C, H, W)`` (no pickles).

    A 2-D array gains a channel axis; a 3-D array with at most 4 entries on its last axis
    is taken as ``(H, W, C)`` and transposed; anything else is returned as stored.

    Args:
        path: the ``.npy`` file.

    Raises:
        MalformedFile: missing, a folder, not a readable ``.npy`` array (truncated, or one
            that needs pickles), not 2-D or 3-D numbers, or NaN / infinite values.

    Shapes:
        ``(H, W)`` or ``(H, W, C<=4)`` stored -> ``(C, H, W)``.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> np.save(folder / "a.npy", np.zeros((4, 5, 2)))
        >>> arr = read_array(folder / "a.npy")
        >>> arr.shape, arr.dtype
        ((2, 4, 5), dtype('float32'))
    """
    if path.is_dir():
        raise MalformedFile(path, None, "is a folder, where a .npy file was expected")
    try:
        arr = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise MalformedFile(path, None, "missing") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise MalformedFile(path, None, f"not a readable .npy array ({reason})") from None
    if not isinstance(arr, np.ndarray):  # np.load opened an .npz archive
        raise MalformedFile(path, None, "is a .npz archive, not one .npy array")
    if arr.dtype.kind not in "biuf" or arr.ndim not in (2, 3) or arr.size == 0:
        raise MalformedFile(
            path, None, f"not a 2-D or 3-D array of numbers ({arr.shape}, {arr.dtype})"
        )
    arr = np.asarray(arr, dtype=np.float32)
    if not np.isfinite(arr).all():
        raise MalformedFile(path, None, "holds NaN or infinite values")
    return (
        arr[None]
        if arr.ndim == 2
        else arr.transpose(2, 0, 1)
        if arr.shape[-1] <= 4 and arr.ndim == 3
        else arr
    )

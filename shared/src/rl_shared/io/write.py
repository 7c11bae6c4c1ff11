"""Atomic writes: files and folders appear whole or not at all, with umask permissions.

Files are written to a temporary sibling and renamed into place with :func:`os.replace`,
which is atomic on POSIX and Windows when source and target share a file system; folders are
exchanged whole (:func:`replace_dir`).

Example:
    >>> import tempfile, pathlib
    >>> from rl_shared.io import atomic_write_text
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "hello.txt"
    >>> atomic_write_text(path, "hi\\n")
    >>> path.read_text()
    'hi\\n'
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = [
    "atomic_dir",
    "atomic_open",
    "atomic_write_json",
    "atomic_write_text",
    "replace_dir",
    "temp_dir_beside",
]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; rename it onto ``path`` only if the block succeeds.

    Args:
        path: final location.
        mode: ``"w"`` or ``"wb"``.
        **kwargs: passed to :func:`open` (e.g. ``encoding``).

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "out" / "log.txt"
        >>> with atomic_open(path) as handle:
        ...     _ = handle.write("done")
        >>> path.read_text()
        'done'
        >>> try:
        ...     with atomic_open(path) as handle:
        ...         _ = handle.write("half")
        ...         raise RuntimeError("killed")
        ... except RuntimeError:
        ...     pass
        >>> path.read_text(), sorted(p.name for p in path.parent.iterdir())
        ('done', ['log.txt'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if "b" not in mode:
            kwargs.setdefault("encoding", "utf-8")
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; honour the umask as open() does
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` atomically (UTF-8).

    Args:
        path: final location (its parent folders are created).
        text: the whole content.
    """
    with atomic_open(path, "w") as handle:
        handle.write(text)


def atomic_write_json(path: str | os.PathLike[str], obj: Any) -> None:
    """Write ``obj`` as indented JSON to ``path`` atomically.

    Args:
        path: final location (its parent folders are created).
        obj: a JSON-serialisable value; numpy / torch scalars and arrays and paths are
            converted, anything else raises :class:`TypeError`.

    Example:
        >>> import json, pathlib, tempfile, numpy as np
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "result.json"
        >>> atomic_write_json(path, {"acc": np.float32(0.5), "out": pathlib.Path("runs")})
        >>> json.loads(path.read_text())
        {'acc': 0.5, 'out': 'runs'}
    """
    atomic_write_text(path, json.dumps(obj, indent=2, sort_keys=False, default=_jsonable) + "\n")


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary folder that replaces ``path`` (a folder) when the block succeeds.

    The swap is :func:`replace_dir`: readers see the old folder or the new one, never a
    partial one and never neither. If the block raises, ``path`` is untouched.

    Args:
        path: the folder to create or replace (its parent folders are created).

    Example:
        >>> import pathlib, tempfile
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "model"
        >>> with atomic_dir(target) as tmp:
        ...     _ = (tmp / "a.txt").write_text("1")
        >>> with atomic_dir(target) as tmp:
        ...     _ = (tmp / "b.txt").write_text("2")
        >>> sorted(p.name for p in target.iterdir())
        ['b.txt']
    """
    path = Path(path)
    tmp = temp_dir_beside(path)
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    replace_dir(tmp, path)


def temp_dir_beside(path: str | os.PathLike[str]) -> Path:
    """A new empty hidden folder next to ``path`` (same file system), with umask permissions.

    Args:
        path: the folder (existing or not) the temporary one is for; its parent is created.

    Example:
        >>> import pathlib, tempfile
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> tmp = temp_dir_beside(root / "model")
        >>> tmp.parent == root, tmp.name.startswith(".model."), list(tmp.iterdir())
        (True, True, [])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700; honour the umask as mkdir() does
    return tmp


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's ``renameat2(RENAME_EXCHANGE)``; ``False`` if unsupported."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


def replace_dir(src: str | Path, dst: str | Path) -> None:
    """Put the folder ``src`` at ``dst``, replacing any folder there, with no window without one.

    On Linux the two folders are exchanged in one ``renameat2(RENAME_EXCHANGE)`` call and the
    old one is then removed; where exchange is unsupported the old folder is renamed aside
    and the new one renamed into place (two renames, the shortest window the platform allows).

    Args:
        src: a complete folder on the same file system as ``dst``.
        dst: where it should be.

    Raises:
        FileExistsError: ``dst`` exists and is a file or a symbolic link.

    Example:
        >>> import pathlib, tempfile
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> (root / "old").mkdir(); _ = (root / "old" / "v1").write_text("1")
        >>> (root / "new").mkdir(); _ = (root / "new" / "v2").write_text("2")
        >>> replace_dir(root / "new", root / "old")
        >>> sorted(p.name for p in root.iterdir()), [p.name for p in (root / "old").iterdir()]
        (['old'], ['v2'])
    """
    src, dst = Path(src), Path(dst)
    if not dst.exists():
        os.replace(src, dst)
        return
    if not dst.is_dir() or dst.is_symlink():
        raise FileExistsError(f"{dst} exists and is not a folder")
    if _exchange(src, dst):
        shutil.rmtree(src, ignore_errors=True)  # src now holds the old folder
        return
    old = dst.with_name(f".{dst.name}.old-{os.getpid()}")
    os.replace(dst, old)
    os.replace(src, dst)
    shutil.rmtree(old, ignore_errors=True)


def _jsonable(obj: Any) -> Any:
    """Turn numpy / torch scalars and paths into JSON values."""
    if hasattr(obj, "item") and callable(obj.item):
        return obj.item()
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")

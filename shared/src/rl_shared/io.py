"""Reading user files strictly and writing atomically: nothing is misread, nothing half written.

Readers (:func:`read_text`, :func:`iter_lines`, :func:`read_json`, :func:`finite_float`) turn
whatever is wrong with a user's file (bytes that are not UTF-8, a folder where a file should be,
an empty file, a number that is NaN) into one :class:`~rl_shared.errors.MalformedFile` naming
the file and the line. Writers put files in a temporary sibling and rename them into place
with :func:`os.replace`, which is atomic on POSIX and Windows when source and target share a
file system.

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
import math
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from rl_shared.errors import BadInput, MalformedFile

__all__ = [
    "atomic_dir",
    "atomic_open",
    "atomic_write_json",
    "atomic_write_text",
    "finite_float",
    "iter_lines",
    "read_json",
    "read_text",
    "replace_dir",
    "temp_dir_beside",
]


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise MalformedFile(path, None, "is a folder, where a file was expected")
    if not path.exists():
        raise BadInput(f"no file at {path}")


def _not_utf8(path: Path, line: int, column: int, byte: int) -> MalformedFile:
    return MalformedFile(
        path, line, f"byte 0x{byte:02x} at column {column} is not UTF-8; save the file as UTF-8"
    )


def read_text(path: str | os.PathLike[str], *, allow_empty: bool = False) -> str:
    """The whole text of a user's UTF-8 file (a leading byte-order mark is dropped).

    Args:
        path: the file.
        allow_empty: accept a file with no non-blank character (otherwise it is an error).

    Returns:
        The decoded text, line endings as in the file.

    Raises:
        MalformedFile: the path is a folder, the file is empty, or a byte is not UTF-8 (the
            message names the line and column).
        BadInput: nothing exists at ``path``.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "pairs.tsv"
        >>> _ = path.write_bytes(b"a\\tb\\n\\xff\\tc\\n")
        >>> try:
        ...     read_text(path)
        ... except MalformedFile as err:
        ...     print(err.line, err.problem)
        2 byte 0xff at column 1 is not UTF-8; save the file as UTF-8
    """
    path = Path(path)
    _check_file(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        start = err.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        raise _not_utf8(path, line, column, data[start]) from None
    if not allow_empty and not text.strip():
        raise MalformedFile(path, None, "the file is empty")
    return text


def iter_lines(path: str | os.PathLike[str], *, allow_empty: bool = False) -> Iterator[str]:
    """The lines of a user's UTF-8 file, streamed, each with its line ending.

    For files too large to read whole (a corpus); ``csv.reader(iter_lines(path))`` reads a
    CSV strictly. A byte-order mark at the start is dropped.

    Args:
        path: the file.
        allow_empty: accept a file with no line (otherwise it is an error, raised once the
            file has been read through).

    Raises:
        MalformedFile: the path is a folder, the file is empty, or a byte of line N is not
            UTF-8 (raised when line N is reached).
        BadInput: nothing exists at ``path``.

    Example:
        >>> import csv, pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "pairs.csv"
        >>> _ = path.write_text("s1,s2,score\\na,b,1.5\\n")
        >>> list(csv.reader(iter_lines(path)))
        [['s1', 's2', 'score'], ['a', 'b', '1.5']]
    """
    path = Path(path)
    _check_file(path)
    seen = False
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise _not_utf8(path, number, err.start + 1, raw[err.start]) from None
            seen = seen or bool(line.strip())
            yield line
    if not seen and not allow_empty:
        raise MalformedFile(path, None, "the file is empty")


def read_json(path: str | os.PathLike[str]) -> Any:
    """A user's JSON file, parsed strictly (``NaN`` and ``Infinity`` are refused).

    Args:
        path: the file.

    Raises:
        MalformedFile: not UTF-8, empty, a folder, not JSON (the line of the fault is named),
            or it holds NaN / Infinity.
        BadInput: nothing exists at ``path``.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "config.json"
        >>> _ = path.write_text('{"dim": 8,\\n "lr": NaN}')
        >>> try:
        ...     read_json(path)
        ... except MalformedFile as err:
        ...     print(err)  # doctest: +ELLIPSIS
        /.../config.json: NaN is not a number JSON allows.
    """
    path = Path(path)
    text = read_text(path)

    def refuse(constant: str) -> float:
        raise MalformedFile(path, None, f"{constant} is not a number JSON allows")

    try:
        return json.loads(text, parse_constant=refuse)
    except json.JSONDecodeError as err:
        raise MalformedFile(path, err.lineno, f"not JSON ({err.msg})") from None


def finite_float(text: str, *, path: str | os.PathLike[str], line: int | None, field: str) -> float:
    """Parse one numeric field of a user's file; NaN, infinity and non-numbers are refused.

    Args:
        text: the field as read.
        path: the file it came from, for the message.
        line: its 1-based line, for the message (``None`` if unknown).
        field: the field's name, for the message.

    Raises:
        MalformedFile: ``text`` is not a finite number.

    Example:
        >>> finite_float(" 2.5 ", path="qrels.tsv", line=3, field="relevance")
        2.5
        >>> try:
        ...     finite_float("inf", path="qrels.tsv", line=4, field="relevance")
        ... except MalformedFile as err:
        ...     print(err)
        qrels.tsv:4: relevance 'inf' is not a finite number.
    """
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise MalformedFile(path, line, f"{field} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise MalformedFile(path, line, f"{field} {text.strip()!r} is not a finite number")
    return value


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

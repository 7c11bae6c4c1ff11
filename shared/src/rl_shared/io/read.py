"""Strict readers of user files: whatever is wrong is one MalformedFile naming file and line.

Example:
    >>> import pathlib, tempfile
    >>> from rl_shared.io import read_csv
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "pairs.csv"
    >>> _ = path.write_text("s1,s2\\n\\na,b\\n")
    >>> list(read_csv(path))
    [(1, ['s1', 's2']), (3, ['a', 'b'])]
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from rl_shared.errors import BadInput, MalformedFile

__all__ = ["finite_float", "iter_lines", "read_csv", "read_json", "read_text"]


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
    where = Path(path)
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise MalformedFile(where, line, f"{field} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise MalformedFile(where, line, f"{field} {text.strip()!r} is not a finite number")
    return value


def read_csv(
    path: str | os.PathLike[str],
    *,
    delimiter: str = ",",
    quoted: bool = True,
    allow_empty: bool = False,
) -> Iterator[tuple[int, list[str]]]:
    """The rows of a user's CSV (or TSV) file with their physical line numbers, streamed.

    Blank rows are skipped; a quoted field may span lines, and its row is numbered by its
    first line.

    Args:
        path: the file.
        delimiter: the column separator (``"\\t"`` for TSV).
        quoted: fields may be quoted (``csv.QUOTE_MINIMAL``); ``False`` reads every quote
            character as text (``csv.QUOTE_NONE``), as TSV files such as STS-B's need.
        allow_empty: accept a file without any row.

    Raises:
        MalformedFile: as :func:`iter_lines`, a NUL byte, or a row the csv module cannot
            parse; the line is named.
        BadInput: nothing exists at ``path``.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "scores.csv"
        >>> _ = path.write_text('id,text\\n\\nq1,"two\\nlines"\\nq\\x002,x\\n')
        >>> rows = read_csv(path)
        >>> next(rows), next(rows)
        ((1, ['id', 'text']), (3, ['q1', 'two\\nlines']))
        >>> try:
        ...     next(rows)
        ... except MalformedFile as err:
        ...     print(err.line, err.problem)
        5 holds a NUL byte; is it a text file?
    """
    path = Path(path)
    quoting: Literal[0, 3] = csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE
    lines = iter_lines(path, allow_empty=allow_empty)
    reader = csv.reader(lines, delimiter=delimiter, quoting=quoting)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise MalformedFile(path, reader.line_num or start, f"not CSV ({err})") from None
        if any("\x00" in field for field in row):
            raise MalformedFile(path, start, "holds a NUL byte; is it a text file?")
        if row and any(field.strip() for field in row):
            yield start, row
        start = reader.line_num + 1

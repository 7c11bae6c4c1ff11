"""Reading user files strictly and writing atomically: nothing is misread, nothing half written.

Readers (:mod:`rl_shared.io.read`: :func:`read_text`, :func:`iter_lines`, :func:`read_csv`,
:func:`read_json`, :func:`finite_float`) turn whatever is wrong with a user's file (bytes that
are not UTF-8, a folder where a file should be, an empty file, a number that is NaN) into one
:class:`~rl_shared.errors.MalformedFile` naming the file and the line. Writers
(:mod:`rl_shared.io.write`) put files in a temporary sibling and rename them into place, and
exchange folders whole.

Example:
    >>> import pathlib, tempfile
    >>> from rl_shared.io import atomic_write_text, read_text
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> atomic_write_text(path, "whole\\n")
    >>> read_text(path)
    'whole\\n'
"""

from rl_shared.io.read import finite_float, iter_lines, read_csv, read_json, read_text
from rl_shared.io.write import (
    atomic_dir,
    atomic_open,
    atomic_write_json,
    atomic_write_text,
    replace_dir,
    temp_dir_beside,
)

__all__ = [
    "atomic_dir",
    "atomic_open",
    "atomic_write_json",
    "atomic_write_text",
    "finite_float",
    "iter_lines",
    "read_csv",
    "read_json",
    "read_text",
    "replace_dir",
    "temp_dir_beside",
]

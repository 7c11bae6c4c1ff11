"""The formats of user files a command reads, declared once, so hostile input can be generated.

A command option that reads a user's file or folder names its formats (``data_option(
formats=("sts-pairs",))``); each format is registered here by the member that reads it, with
a writer of a small valid sample and the structure of its text parts (a delimited table, JSON
lines, plain lines). The workspace's property suite walks the ``rl`` command tree, writes each
sample, corrupts one part at a time (bytes that are not UTF-8, a dropped column, NaN in a
numeric field, a truncated line, an empty file, a folder in its place) and checks that the
command refuses it with one ``error:`` line naming the file, exit code 2 and nothing written.

Example:
    >>> from pathlib import Path
    >>> import tempfile
    >>> def sample(folder: Path) -> Path:
    ...     path = folder / "pairs.tsv"
    ...     _ = path.write_text("s1\\ts2\\tscore\\na\\tb\\t1.0\\n")
    ...     return path
    >>> fmt = register_format(
    ...     FileFormat("doc-pairs", "pairs with a score", sample, (Table("", "\\t", numeric=(2,)),))
    ... )
    >>> get_format("doc-pairs").write_sample(Path(tempfile.mkdtemp())).name
    'pairs.tsv'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rl_shared.errors import UnknownName

__all__ = [
    "FileFormat",
    "JsonLines",
    "Lines",
    "Table",
    "formats",
    "get_format",
    "register_format",
]


@dataclass(frozen=True)
class Table:
    """A delimited text part of a format (CSV, TSV): every data row needs all its columns.

    Attributes:
        file: the part's path relative to the sample (``""``: the sample is this file).
        delimiter: the column separator.
        header: the first line names the columns.
        numeric: indexes of columns that must hold finite numbers.
        quoted: fields may be quoted (CSV); a dropped column is then made by cutting the row
            at its last delimiter outside quotes.

    Example:
        >>> Table("qrels/test.tsv", "\\t", numeric=(2,)).numeric
        (2,)
    """

    file: str
    delimiter: str = ","
    header: bool = True
    numeric: tuple[int, ...] = ()
    quoted: bool = False


@dataclass(frozen=True)
class JsonLines:
    """A JSON-lines part: one object a line, each with the required keys.

    Attributes:
        file: the part's path relative to the sample (``""``: the sample is this file).
        required: keys every object must have.
        numeric: keys whose values must be finite numbers.

    Example:
        >>> JsonLines("corpus.jsonl", required=("_id", "text")).required
        ('_id', 'text')
    """

    file: str
    required: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lines:
    """A plain-text part: one item (a sentence, a document) a line.

    Attributes:
        file: the part's path relative to the sample (``""``: the sample is this file).

    Example:
        >>> Lines("").file
        ''
    """

    file: str


Part = Table | JsonLines | Lines


@dataclass(frozen=True)
class FileFormat:
    """A format of user input: how to write a valid sample and what its text parts are.

    Attributes:
        name: the registered name options refer to (``"sts-pairs"``).
        description: one line for docs and messages.
        write_sample: writes a small valid sample into an empty folder and returns the path a
            user would pass (a file or a folder).
        parts: the text parts of the sample the property suite may corrupt; binary parts
            (weights, images) are not listed.

    Example:
        >>> FileFormat("lines", "one sentence a line", lambda folder: folder, (Lines(""),)).name
        'lines'
    """

    name: str
    description: str
    write_sample: Callable[[Path], Path] = field(repr=False)
    parts: tuple[Part, ...] = ()


_FORMATS: dict[str, FileFormat] = {}


def register_format(fmt: FileFormat) -> FileFormat:
    """Register ``fmt`` under its name (again with the same name replaces it) and return it.

    Args:
        fmt: the format.

    Example:
        >>> fmt = register_format(FileFormat("words", "one word a line", lambda f: f))
        >>> get_format("words") is fmt
        True
    """
    _FORMATS[fmt.name] = fmt
    return fmt


def get_format(name: str) -> FileFormat:
    """The format registered as ``name``.

    Args:
        name: a registered format name.

    Raises:
        UnknownName: nothing is registered under ``name``.

    Example:
        >>> try:
        ...     get_format("no-such-format")
        ... except KeyError as err:
        ...     print(type(err).__name__)
        UnknownName
    """
    try:
        return _FORMATS[name]
    except KeyError:
        raise UnknownName("file format", name, list(_FORMATS)) from None


def formats() -> dict[str, FileFormat]:
    """Every registered format by name (those of the members imported so far).

    Example:
        >>> isinstance(formats(), dict)
        True
    """
    return dict(_FORMATS)

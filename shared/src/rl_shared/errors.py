"""Errors for user mistakes.

Every mistake a user can make (a missing file, a malformed row, an unknown model, a
tensor of the wrong shape, a NaN loss) raises a subclass of :class:`RLError` whose
message is one sentence saying what is wrong and how to fix it. The ``rl`` command
prints it as ``error: <message>`` on stderr and exits with code 2, without a traceback.

Example:
    >>> from rl_shared.errors import DatasetNotFound, RLError
    >>> try:
    ...     raise DatasetNotFound("stsb", "/data/sts/stsb", "put stsb-en-train.csv there")
    ... except RLError as err:
    ...     print(err)
    dataset 'stsb' not found in /data/sts/stsb: put stsb-en-train.csv there.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BadInput",
    "DatasetNotFound",
    "DownloadError",
    "MalformedFile",
    "ModelNotFound",
    "NonFiniteLoss",
    "RLError",
    "ShapeMismatch",
    "UnknownName",
]


class RLError(Exception):
    """Base class of every error caused by user input; the CLI exits 2 on it."""

    exit_code = 2


class BadInput(RLError, ValueError):
    """An argument has a value the component cannot use.

    Example:
        >>> err = BadInput("temperature must be positive, got -1")
        >>> isinstance(err, ValueError), err.exit_code, str(err)
        (True, 2, 'temperature must be positive, got -1')
    """


class ShapeMismatch(RLError, ValueError):
    """Tensors that must agree in shape do not.

    Example:
        >>> try:
        ...     raise ShapeMismatch("anchors (4, 8) and positives (3, 8) differ in rows")
        ... except ValueError as err:
        ...     print(type(err).__name__, err)
        ShapeMismatch anchors (4, 8) and positives (3, 8) differ in rows
    """


class NonFiniteLoss(RLError, FloatingPointError):
    """A loss or its input contains NaN or infinity.

    Example:
        >>> err = NonFiniteLoss("the loss is nan at step 3; lower the learning rate")
        >>> isinstance(err, FloatingPointError), isinstance(err, RLError)
        (True, True)
    """


class UnknownName(RLError, KeyError):
    """A name (command, reproduction, model, dataset) is not registered.

    Args:
        kind: what was looked up (``"dataset"``, ``"model"``, ...), used in the message.
        name: the name the user gave.
        valid: the registered names, listed sorted in the message.
        plural: the plural of ``kind`` when it is not ``kind + "s"`` (``"modalities"``).

    Example:
        >>> err = UnknownName("dataset", "stsx", ["sick", "stsb"])
        >>> print(err)
        unknown dataset 'stsx'; valid datasets: sick, stsb
        >>> err.valid, isinstance(err, KeyError)
        (['sick', 'stsb'], True)
        >>> print(UnknownName("modality", "x", ["rgb"], plural="modalities"))
        unknown modality 'x'; valid modalities: rgb
    """

    def __init__(
        self,
        kind: str,
        name: str,
        valid: list[str] | tuple[str, ...],
        *,
        plural: str | None = None,
    ) -> None:
        self.kind, self.name, self.valid = kind, name, sorted(valid)
        choices = ", ".join(self.valid) if self.valid else "none are installed"
        super().__init__(f"unknown {kind} '{name}'; valid {plural or kind + 's'}: {choices}")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class DatasetNotFound(RLError, FileNotFoundError):
    """A dataset's files are not where the loader looks.

    Args:
        name: the dataset's short name.
        folder: the folder that was searched.
        hint: what the user should do (one sentence; a final full stop is added).
    """

    def __init__(self, name: str, folder: str | Path, hint: str) -> None:
        self.name, self.folder, self.hint = name, Path(folder), hint
        super().__init__(f"dataset '{name}' not found in {folder}: {hint.rstrip('.')}.")

    def __str__(self) -> str:
        return str(self.args[0])


class DownloadError(RLError, OSError):
    """A dataset could not be fetched, verified or placed; nothing of it was placed.

    Example:
        >>> err = DownloadError("https://example.org/a.csv answered HTTP 404 Not Found")
        >>> isinstance(err, OSError), err.exit_code
        (True, 2)
    """

    def __str__(self) -> str:  # OSError would format (errno, strerror)
        return str(self.args[0])


class ModelNotFound(RLError, FileNotFoundError):
    """A model name or path does not resolve to local weights.

    Example:
        >>> err = ModelNotFound("no model at ./runs/model; pass the OUT/model folder")
        >>> isinstance(err, FileNotFoundError), str(err)
        (True, 'no model at ./runs/model; pass the OUT/model folder')
    """

    def __str__(self) -> str:
        return str(self.args[0])


class MalformedFile(RLError, ValueError):
    """A data file has a line the loader cannot parse; names the file and the line.

    Args:
        path: the file.
        line: the 1-based line number, or ``None`` when the whole file is at fault.
        problem: what is wrong with it (a final full stop is added).

    Example:
        >>> print(MalformedFile("pairs.tsv", 3, "expected 3 columns, got 2"))
        pairs.tsv:3: expected 3 columns, got 2.
        >>> print(MalformedFile("pairs.tsv", None, "the file is empty"))
        pairs.tsv: the file is empty.
    """

    def __init__(self, path: str | Path, line: int | None, problem: str) -> None:
        self.path, self.line, self.problem = Path(path), line, problem
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem.rstrip('.')}.")

"""Test helpers for members: run ``rl`` in-process and check that it refused the input cleanly.

Example:
    >>> import contextlib, io
    >>> class Capture:  # stands in for pytest's ``capsys``
    ...     def __init__(self):
    ...         self.err = io.StringIO()
    ...     def readouterr(self):
    ...         class Out: err = self.err.getvalue()
    ...         return Out
    >>> capsys = Capture()
    >>> with contextlib.redirect_stderr(capsys.err):
    ...     line = refused(capsys, ["no-such-command"])
    >>> line.startswith("error: unknown command 'no-such-command'")
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["refused"]


def refused(
    capsys: Any, argv: Sequence[str], *, prefix: Sequence[str] = (), only_line: bool = False
) -> str:
    """Run ``rl PREFIX ARGV``; assert it exits 2 with one ``error:`` line, and return that line.

    Args:
        capsys: pytest's ``capsys`` fixture (anything whose ``readouterr().err`` is stderr).
        argv: the arguments after the prefix.
        prefix: the command path (``("chem", "skala")``).
        only_line: the error line must be the only non-blank line on stderr, and no traceback
            may appear there (otherwise other lines, e.g. warnings, are allowed).

    Raises:
        AssertionError: the command did not exit 2, printed no or several ``error:`` lines, or
            (with ``only_line``) printed anything else.
    """
    from rl_shared.cli.main import main

    code: object = 0
    try:
        main([*prefix, *argv])
    except SystemExit as stop:
        code = stop.code
    assert code == 2, f"exit code {code!r}, not 2"
    err = capsys.readouterr().err
    if only_line:
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    else:
        lines = [line for line in err.splitlines() if "error:" in line]
        assert len(lines) == 1 and lines[0].startswith("error: "), lines
    return lines[0]

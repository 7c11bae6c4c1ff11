"""Run ``rl ARGV`` in a child process and kill it at its N-th file-system write.

A Python audit hook sees every write the command makes (``open`` for writing, ``mkdir``,
``rename``/``replace``, ``remove``, ``rmdir``, ``rmtree``). With ``kill_at=N`` the child ends
itself with ``os._exit(137)`` at the N-th of them, exactly as SIGKILL would: no ``finally``, no
atexit, no buffered data flushed. With ``kill_at=None`` it runs to the end and reports every
write, so the test can check that each one went to a temporary path (or to a checkpoint area
that resume knows to skip when incomplete).

Children are forked from a forkserver that imported torch and the ``rl`` tree before any thread
pool started, so a case costs the command's own work, not the imports.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from dataclasses import dataclass
from pathlib import Path

PRELOAD = ["torch", "numpy", "rl_shared.cli.main"]
_CONTEXT: multiprocessing.context.BaseContext | None = None


def _context() -> multiprocessing.context.BaseContext:
    global _CONTEXT
    if _CONTEXT is None:
        _CONTEXT = multiprocessing.get_context("forkserver")
        _CONTEXT.set_forkserver_preload(PRELOAD)  # type: ignore[attr-defined]
    return _CONTEXT


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _is_write(event: str, args: tuple) -> str | None:
    """The path a write event touches, or None for an event that writes nothing."""
    if event == "open":
        path, mode, flags = [*args, None, None, None][:3]
        if not isinstance(path, str | bytes | os.PathLike):
            return None
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        )
        return os.fsdecode(path) if writing else None
    if event in ("os.mkdir", "os.remove", "os.rmdir", "shutil.rmtree", "os.rename"):
        path = args[0]
        if isinstance(path, str | bytes | os.PathLike):
            target = args[1] if event == "os.rename" else path
            return os.fsdecode(target) if isinstance(target, str | bytes | os.PathLike) else None
    return None


def _child(argv: list[str], kill_at: int | None, watch: str, report: str, env: dict) -> None:
    os.environ.update(env)
    watched = os.path.realpath(watch)
    writes: list[tuple[str, str]] = []

    def hook(event: str, args: tuple) -> None:
        path = _is_write(event, args)
        if path is None:
            return
        full = os.path.realpath(path) if os.path.isabs(path) else os.path.abspath(path)
        if not full.startswith(watched):
            return
        writes.append((event, full))
        if kill_at is not None and len(writes) == kill_at:
            os._exit(137)

    sys.addaudithook(hook)  # cannot be removed: the child ends with the command
    from rl_shared.cli.main import main

    code = 0
    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    with open(report, "w", encoding="utf-8") as handle:  # outside `watch`: not counted
        json.dump({"code": code, "writes": writes}, handle)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


@dataclass
class Run:
    exitcode: int | None
    code: int | None  # the command's exit code (None when killed)
    writes: list[tuple[str, str]]


def run(
    argv: list[str],
    *,
    watch: Path,
    scratch: Path,
    kill_at: int | None = None,
    timeout: float = 240,
    env: dict | None = None,
) -> Run:
    """Run ``rl ARGV`` in a forked child; kill it at write number ``kill_at`` (1-based)."""
    report = scratch / f"report-{os.getpid()}-{kill_at}-{len(list(scratch.iterdir()))}.json"
    process = _context().Process(
        target=_child, args=(argv, kill_at, str(watch), str(report), env or {})
    )
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        process.join()
        raise TimeoutError(f"rl {' '.join(argv)} ran past {timeout} s")
    if report.is_file():
        data = json.loads(report.read_text(encoding="utf-8"))
        return Run(process.exitcode, data["code"], [tuple(w) for w in data["writes"]])
    return Run(process.exitcode, None, [])

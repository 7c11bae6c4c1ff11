"""Distributed tests on the CPU: launch a script under ``torchrun`` with gloo, audit who writes.

A loop family's distributed test runs a small script twice: once under
:func:`torchrun` with two processes, each on half of a batch, and once in one process on the
whole batch; the first step's loss and gradients must agree (DDP averages gradients over
ranks, so for a mean loss over equal halves they equal the one-process gradients up to
floating-point summation order). :func:`record_writes`, called at the top of such a script,
logs every file the process opens for writing or renames under a folder, so the test can
check that only rank 0 wrote outputs.

Example:
    >>> import json, pathlib, sys, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> script = folder / "rank.py"
    >>> _ = script.write_text(
    ...     "import json, pathlib, sys, torch.distributed as dist\\n"
    ...     "dist.init_process_group('gloo')\\n"
    ...     "rank = dist.get_rank()\\n"
    ...     "out = pathlib.Path(sys.argv[1]) / f'rank{rank}.json'\\n"
    ...     "out.write_text(json.dumps([rank, dist.get_world_size()]))\\n"
    ... )
    >>> _ = torchrun(script, str(folder), nproc=2)
    >>> sorted(json.loads(p.read_text()) for p in folder.glob("rank*.json"))
    [[0, 2], [1, 2]]
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

__all__ = ["free_port", "read_writes", "record_writes", "torchrun"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now.

    Example:
        >>> 1024 <= free_port() < 65536
        True
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def torchrun(
    script: str | os.PathLike[str],
    *args: str,
    nproc: int = 2,
    timeout: float = 600,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m torch.distributed.run --nproc-per-node NPROC SCRIPT ARGS`` on loopback.

    Each process gets ``RANK``, ``LOCAL_RANK`` and ``WORLD_SIZE`` from the launcher and one
    thread (``OMP_NUM_THREADS=1``); :func:`rl_shared.runtime.make_accelerator` then joins the
    gloo group on the CPU.

    Args:
        script: the Python file each process runs.
        *args: its arguments.
        nproc: processes on this node.
        timeout: seconds before the launch is killed.
        env: extra environment variables.
        check: raise when the launch fails, with the end of its stderr.

    Raises:
        AssertionError: ``check`` and the launch exited non-zero.
    """
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        f"--nproc-per-node={nproc}",
        "--master-addr=127.0.0.1",
        f"--master-port={free_port()}",
        str(script),
        *args,
    ]
    full_env = {**os.environ, "OMP_NUM_THREADS": "1", "RL_TRACEBACK": "1", **(env or {})}
    proc = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env=full_env, check=False
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"torchrun exited {proc.returncode}:\n{proc.stderr[-4000:]}")
    return proc


def record_writes(log: str | os.PathLike[str], under: str | os.PathLike[str]) -> None:
    """Log, as JSON lines in ``log``, every write this process makes under ``under``.

    Writes are ``open`` for writing, appending or creating, ``os.rename`` / ``os.replace``
    targets and ``os.mkdir``; the log is opened before the audit hook is installed, so it
    does not log itself. Audit hooks cannot be removed: call this in a child process.

    Args:
        log: the file to append to (one per rank, e.g. ``writes-rank1.jsonl``).
        under: the folder whose writes are logged.

    Example:
        >>> import pathlib, subprocess, sys, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> code = (
        ...     "import sys; from rl_shared.testing.distributed import record_writes; "
        ...     "record_writes(sys.argv[1], sys.argv[2]); "
        ...     "open(sys.argv[2] + '/out.txt', 'w').close()"
        ... )
        >>> log = folder / "writes.jsonl"
        >>> _ = subprocess.run([sys.executable, "-c", code, str(log), str(folder)], check=True)
        >>> [(event, pathlib.Path(path).name) for event, path in read_writes(log)]
        [('open', 'out.txt')]
    """
    root = str(Path(under).resolve())
    handle = open(log, "a", encoding="utf-8", buffering=1)  # held for the process

    def inside(path: object) -> bool:
        try:
            return os.path.abspath(os.fsdecode(path)).startswith(root)  # type: ignore[arg-type]
        except TypeError:
            return False

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event == "open" and len(args) >= 3:
            path, mode, flags = args[0], args[1], args[2]
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            )
            if writing and inside(path):
                handle.write(json.dumps(["open", os.fsdecode(path)]) + "\n")  # type: ignore[arg-type]
        elif event in ("os.rename", "os.replace") and len(args) >= 2 and inside(args[1]):
            handle.write(json.dumps([event, os.fsdecode(args[1])]) + "\n")  # type: ignore[arg-type]
        elif event == "os.mkdir" and args and inside(args[0]):
            handle.write(json.dumps([event, os.fsdecode(args[0])]) + "\n")  # type: ignore[arg-type]

    sys.addaudithook(hook)


def read_writes(log: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """The ``(event, path)`` pairs :func:`record_writes` logged (``[]`` when there is no log).

    Args:
        log: the log file.

    Example:
        >>> import pathlib, tempfile
        >>> read_writes(pathlib.Path(tempfile.mkdtemp()) / "none.jsonl")
        []
    """
    path = Path(log)
    if not path.is_file():
        return []
    return [tuple(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]  # type: ignore[misc]

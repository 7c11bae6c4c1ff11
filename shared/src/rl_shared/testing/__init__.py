"""Test helpers for members (distributed launches in :mod:`~rl_shared.testing.distributed`): run ``rl`` in-process and check that it refused the input cleanly,
and build a Hugging Face cache holding a local model folder, so hub ids resolve offline.

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

import contextlib
import hashlib
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_REVISION", "hf_cache_with", "hf_env", "refused", "using_hf_cache"]

#: the revision :func:`hf_cache_with` files a snapshot under unless told otherwise
DEFAULT_REVISION = "0123456789abcdef0123456789abcdef01234567"


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


def hf_cache_with(
    model_folder: str | os.PathLike[str],
    repo_id: str,
    root: str | os.PathLike[str],
    *,
    revision: str = DEFAULT_REVISION,
) -> Path:
    """Put a copy of ``model_folder`` into the Hugging Face cache under ``HF_HOME=root``.

    The layout is the hub's own: ``root/hub/models--ORG--NAME/refs/main`` holds ``revision``,
    ``blobs/<sha256>`` the copied files, and ``snapshots/<revision>/...`` relative links to
    them (copies where the file system has no links), so that
    ``huggingface_hub.snapshot_download(repo_id)`` finds it with ``HF_HUB_OFFLINE=1``.

    Args:
        model_folder: the model to file (copied, never linked to).
        repo_id: the hub id to file it under (``org/name`` or ``name``).
        root: the ``HF_HOME`` folder (created when missing).
        revision: the 40-hex commit the snapshot is filed under.

    Returns:
        The snapshot folder.

    References:
        https://huggingface.co/docs/huggingface_hub/guides/manage-cache

    Example:
        >>> import pathlib, tempfile
        >>> model = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (model / "config.json").write_text("{}")
        >>> snapshot = hf_cache_with(model, "org/tiny", tempfile.mkdtemp())
        >>> snapshot.parts[-3:], (snapshot / "config.json").read_text()
        (('models--org--tiny', 'snapshots', '0123456789abcdef0123456789abcdef01234567'), '{}')
        >>> (snapshot.parents[1] / "refs" / "main").read_text() == snapshot.name
        True
    """
    source = Path(model_folder)
    storage = Path(root) / "hub" / ("models--" + repo_id.replace("/", "--"))
    snapshot = storage / "snapshots" / revision
    blobs = storage / "blobs"
    blobs.mkdir(parents=True, exist_ok=True)
    for file in sorted(p for p in source.rglob("*") if p.is_file()):
        data = file.read_bytes()
        blob = blobs / hashlib.sha256(data).hexdigest()
        if not blob.exists():
            blob.write_bytes(data)
        target = snapshot / file.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            target.symlink_to(os.path.relpath(blob, target.parent))
        except OSError:  # no symbolic links here: a copy reads the same
            shutil.copyfile(blob, target)
    (storage / "refs").mkdir(exist_ok=True)
    (storage / "refs" / "main").write_text(revision)  # no newline: the hub reads it whole
    return snapshot


def hf_env(root: str | os.PathLike[str], *, offline: bool = True) -> dict[str, str]:
    """The environment variables that point a child process at the cache under ``root``.

    Args:
        root: the ``HF_HOME`` folder (as :func:`hf_cache_with` filled it).
        offline: also set ``HF_HUB_OFFLINE=1``.

    Returns:
        ``HF_HOME``, ``HF_HUB_CACHE`` (which would otherwise override ``HF_HOME``) and,
        offline, ``HF_HUB_OFFLINE``; merge them into ``os.environ`` for ``subprocess``.

    Example:
        >>> sorted(hf_env("/tmp/hf"))
        ['HF_HOME', 'HF_HUB_CACHE', 'HF_HUB_OFFLINE']
    """
    env = {"HF_HOME": str(root), "HF_HUB_CACHE": str(Path(root) / "hub")}
    if offline:
        env["HF_HUB_OFFLINE"] = "1"
    return env


@contextlib.contextmanager
def using_hf_cache(root: str | os.PathLike[str], *, offline: bool = True) -> Iterator[Path]:
    """Point this process's ``huggingface_hub`` at the cache under ``root``, then restore it.

    ``huggingface_hub`` reads ``HF_HOME``, ``HF_HUB_CACHE`` and ``HF_HUB_OFFLINE`` once, at
    import, into ``huggingface_hub.constants``; both the variables (:func:`hf_env`) and those
    constants are set inside the block and put back after it.

    Args:
        root: the ``HF_HOME`` folder.
        offline: forbid the network (``HF_HUB_OFFLINE=1``) inside the block.

    Returns:
        A context manager yielding the hub cache folder ``root/hub``.

    Example:
        >>> import tempfile
        >>> from huggingface_hub import constants
        >>> before = constants.HF_HUB_CACHE
        >>> with using_hf_cache(tempfile.mkdtemp()) as cache:
        ...     constants.HF_HUB_CACHE == str(cache), constants.HF_HUB_OFFLINE
        (True, True)
        >>> constants.HF_HUB_CACHE == before
        True
    """
    from huggingface_hub import constants

    env = hf_env(root, offline=offline)
    values = {
        "HF_HOME": env["HF_HOME"],
        "HF_HUB_CACHE": env["HF_HUB_CACHE"],
        "HF_HUB_OFFLINE": offline,
    }
    saved_env = {name: os.environ.get(name) for name in values}
    saved = {name: getattr(constants, name) for name in values}
    os.environ.update(env)
    if not offline:
        os.environ.pop("HF_HUB_OFFLINE", None)
    for name, value in values.items():
        setattr(constants, name, value)
    try:
        yield Path(env["HF_HUB_CACHE"])
    finally:
        for name, old in saved_env.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old
        for name, value in saved.items():
            setattr(constants, name, value)

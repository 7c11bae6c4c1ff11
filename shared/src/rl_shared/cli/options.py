"""The option vocabulary every ``rl`` command uses (DESIGN section 4), one factory each.

| option | factory | value |
|---|---|---|
| ``--data`` | :func:`data_option` | a file, a folder or a registered ``name[:split]`` |
| ``--model`` | :func:`model_option` | a short name, a local folder or a hub id ``org/name[@rev]`` |
| ``--out`` | :func:`out_option` | always a folder (checked writable before work starts) |
| ``--steps`` | :func:`steps_option` | training steps, at least 1 |
| ``--lr`` | :func:`lr_option` | learning rate, finite and positive |
| ``--batch-size`` | :func:`batch_size_option` | at least 1 |
| ``--seed`` | :func:`seed_option` | seeds Python, NumPy and torch |
| ``--device`` | :func:`device_option` | ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps`` |
| ``--resume/--no-resume`` | :func:`resume_option` | default: resume when OUT holds a checkpoint |
| ``--json`` | :func:`json_option` | one JSON object on stdout and nothing else there |

Every option made here is a :class:`VocabOption`, which is how the workspace's click-tree
test tells a vocabulary option from a look-alike defined by hand.

Example:
    >>> import click
    >>> from click.testing import CliRunner
    >>> @click.command()
    ... @steps_option(default=10)
    ... @json_option
    ... def train(steps, as_json):
    ...     click.echo(steps)
    >>> CliRunner().invoke(train, ["--steps", "3"]).output
    '3\\n'
    >>> CliRunner().invoke(train, ["--steps", "0"]).exit_code
    2
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from rl_shared.runtime import DEVICE_PATTERN, seed_everything

__all__ = [
    "VOCABULARY",
    "FiniteFloat",
    "InputOption",
    "VocabOption",
    "batch_size_option",
    "data_option",
    "device_option",
    "json_option",
    "lr_option",
    "model_option",
    "out_option",
    "precision_option",
    "resume_option",
    "seed_option",
    "steps_option",
    "writing_to",
]

F = TypeVar("F", bound=Callable[..., Any])

#: option name -> what it means, the same on every command
VOCABULARY: dict[str, str] = {
    "--data": "a file, a folder or a registered name[:split]",
    "--model": "a short name, a local folder or a hub id org/name[@rev]",
    "--out": "the output folder",
    "--steps": "training steps",
    "--lr": "learning rate",
    "--batch-size": "batch size",
    "--seed": "random seed",
    "--device": "auto|cpu|cuda|cuda:N|mps",
    "--precision": "fp32|bf16|fp16",
    "--resume": "resume from the newest checkpoint in OUT",
    "--json": "one JSON object on stdout",
}


class InputOption(click.Option):
    """An option that reads a user's file or folder, naming the formats it accepts.

    The formats are those of :mod:`rl_shared.formats`; the workspace's property suite
    corrupts a sample of each and checks that the command refuses it cleanly.

    Args:
        *args, **kwargs: those of :class:`click.Option`.
        formats: the registered format names this option reads (``()``: registered dataset
            names or generated folders only).

    Example:
        >>> import click
        >>> @click.command()
        ... @click.option("--run", cls=InputOption, formats=("trec-run",))
        ... def cmd(run):
        ...     pass
        >>> cmd.params[0].formats
        ('trec-run',)
    """

    def __init__(self, *args: Any, formats: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.formats = tuple(formats)


class VocabOption(click.Option):
    """A click option of the shared vocabulary (made only by this module's factories).

    ``--data`` and ``--model`` are also :class:`InputOption`: they read the user's files.

    Args:
        *args, **kwargs: those of :class:`click.Option`.

    Example:
        >>> import click
        >>> from click.testing import CliRunner
        >>> @click.command()
        ... @seed_option
        ... @click.option("--name")
        ... def cmd(seed, name):
        ...     pass
        >>> [(p.name, isinstance(p, VocabOption)) for p in cmd.params]
        [('seed', True), ('name', False)]
    """


class _VocabInput(VocabOption, InputOption):
    """``--data`` and ``--model``: vocabulary options that read the user's files."""


def _option(*decls: str, **kwargs: Any) -> Callable[[F], F]:
    cls = _VocabInput if "formats" in kwargs else VocabOption
    return click.option(*decls, cls=cls, **kwargs)


class FiniteFloat(click.FloatRange):
    """A finite float in an optional range: :class:`click.FloatRange` that also refuses NaN/inf.

    Every float option of an ``rl`` command has this type (the click-tree test checks it):
    click's own ``FLOAT`` and ``FloatRange`` let ``nan`` through.

    Args:
        min, max: the bounds (``None``: unbounded).
        min_open, max_open: exclude the bound itself.

    Example:
        >>> import click
        >>> from click.testing import CliRunner
        >>> @click.command()
        ... @click.option("--beta", type=FiniteFloat(0, 1), default=0.5)
        ... def cmd(beta):
        ...     click.echo(beta)
        >>> [CliRunner().invoke(cmd, ["--beta", v]).exit_code for v in ("0.2", "nan", "2")]
        [0, 2, 2]
    """

    name = "float"

    def __init__(
        self,
        min: float | None = None,
        max: float | None = None,
        min_open: bool = False,
        max_open: bool = False,
    ) -> None:
        super().__init__(min=min, max=max, min_open=min_open, max_open=max_open)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not math.isfinite(_float_or(value)):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return super().convert(value, param, ctx)


def _float_or(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0  # not a number at all: click's own message says so


def _check_out(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    if value is None:
        return None
    if value.exists() and not value.is_dir():
        raise click.BadParameter(f"{value} exists and is not a folder", ctx, param)
    probe = value
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir() or not _can_create_in(probe):
        raise click.BadParameter(f"{probe} is not a writable folder", ctx, param)
    return value


def _can_create_in(folder: Path) -> bool:
    """Create and remove a folder in ``folder``: ``os.access`` says yes to root on a read-only
    mount or under ``/proc``, so only trying tells."""
    import tempfile

    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".rl-probe-", dir=folder))
    except OSError:
        return False
    return True


@contextlib.contextmanager
def writing_to(out: Path) -> Iterator[None]:
    """Turn a failure to write under OUT (a read-only sub-folder, a full disk) into a usage error
    on ``--out`` (exit code 2), for the writes a command makes after its checks have passed.

    Args:
        out: the command's output folder, named in the message.

    Example:
        >>> import click
        >>> from pathlib import Path
        >>> try:
        ...     with writing_to(Path("runs/a")):
        ...         raise PermissionError(13, "Permission denied")
        ... except click.BadParameter as err:
        ...     print(err.format_message())
        Invalid value for '--out': runs/a is not a writable folder (Permission denied)
    """
    try:
        yield
    except OSError as err:
        raise click.BadParameter(
            f"{out} is not a writable folder ({err.strerror or err})", param_hint="'--out'"
        ) from None


def data_option(
    *,
    required: bool = True,
    default: str | None = None,
    help: str | None = None,
    formats: tuple[str, ...] = (),
) -> Callable[[F], F]:
    """``--data``: a file, a folder or a registered ``name[:split]``.

    Args:
        required: the option must be given (ignored when there is a ``default``).
        default: the value when the option is not given.
        help: the help text, the vocabulary's own by default.
        formats: the :mod:`rl_shared.formats` names of the user files it reads (``()``:
            registered names and generated folders only).

    Example:
        >>> import click
        >>> from click.testing import CliRunner
        >>> @click.command()
        ... @data_option(default="stsb:test")
        ... def cmd(data):
        ...     click.echo(data)
        >>> CliRunner().invoke(cmd, []).output, CliRunner().invoke(cmd, ["--data", "sick"]).output
        ('stsb:test\\n', 'sick\\n')
    """
    return _option(
        "--data",
        required=required and default is None,
        default=default,
        show_default=default is not None,
        help=help or "A file, a folder, or a registered dataset name[:split].",
        formats=formats,
    )


def _model_help() -> str:
    from rl_shared.models import KNOWN_MODELS

    return (
        f"Short name ({', '.join(KNOWN_MODELS)}), local folder or hub id org/name[@rev] "
        "(fetched once into the Hugging Face cache; HF_HUB_OFFLINE=1 keeps to the cache)."
    )


def model_option(
    *,
    default: str | None = "minilm",
    help: str | None = None,
    formats: tuple[str, ...] = (),
) -> Callable[[F], F]:
    """``--model``: a short name, a local folder or a hub id (``org/name[@rev]``).

    The default help lists the short names of :data:`rl_shared.models.KNOWN_MODELS`; the value
    is resolved by :func:`rl_shared.models.resolve` where the command loads it.

    Args:
        default: the value when the option is not given; ``None`` makes it required.
        help: the help text, the vocabulary's own by default.
        formats: the :mod:`rl_shared.formats` names of the model folders it reads (a folder
            saved by this paper's ``train``).

    Example:
        >>> import click
        >>> from click.testing import CliRunner
        >>> @click.command()
        ... @model_option()
        ... def cmd(model):
        ...     click.echo(model)
        >>> CliRunner().invoke(cmd, []).output
        'minilm\\n'
    """
    return _option(
        "--model",
        default=default,
        required=default is None,
        show_default=bool(default),
        help=help or _model_help(),
        formats=formats,
    )


def out_option(
    *, required: bool = True, default: Path | str | None = None, help: str | None = None
) -> Callable[[F], F]:
    """``--out``: the output folder, checked writable before any work starts.

    The value is a :class:`~pathlib.Path`; a path that exists and is not a folder, or whose
    nearest existing parent is not a writable folder, is a usage error (exit code 2).

    Args:
        required: the option must be given (ignored when there is a ``default``).
        default: the folder when the option is not given.
        help: the help text, the vocabulary's own by default.

    Example:
        >>> import click, tempfile
        >>> from pathlib import Path
        >>> from click.testing import CliRunner
        >>> @click.command()
        ... @out_option()
        ... def cmd(out):
        ...     click.echo(out.name)
        >>> root = Path(tempfile.mkdtemp())
        >>> CliRunner().invoke(cmd, ["--out", str(root / "run" / "a")]).output
        'a\\n'
        >>> (root / "file").write_text("x")
        1
        >>> CliRunner().invoke(cmd, ["--out", str(root / "file")]).exit_code
        2
    """
    return _option(
        "--out",
        type=click.Path(file_okay=False, dir_okay=True, path_type=Path),
        required=required and default is None,
        default=Path(default) if default is not None else None,
        show_default=default is not None,
        callback=_check_out,
        help=help or "Output folder (created; a saved model goes to OUT/model/).",
    )


def steps_option(*, default: int, help: str | None = None) -> Callable[[F], F]:
    """``--steps``: training steps, at least 1.

    Args:
        default: the number of steps when the option is not given.
        help: the help text, the vocabulary's own by default.

    Example:
        >>> import click
        >>> from click.testing import CliRunner
        >>> @click.command()
        ... @steps_option(default=100)
        ... def cmd(steps):
        ...     click.echo(steps)
        >>> CliRunner().invoke(cmd, []).output, CliRunner().invoke(cmd, ["--steps", "0"]).exit_code
        ('100\\n', 2)
    """
    return _option(
        "--steps",
        type=click.IntRange(min=1),
        default=default,
        show_default=True,
        help=help or "Training steps.",
    )


def lr_option(*, default: float | None, help: str | None = None) -> Callable[[F], F]:
    """``--lr``: the learning rate, a finite positive number (``None``: the command picks one).

    Args:
        default: the learning rate when the option is not given, or ``None``.
        help: the help text, the vocabulary's own by default.

    Example:
        >>> import click
        >>> from click.testing import CliRunner
        >>> @click.command()
        ... @lr_option(default=None)
        ... def cmd(lr):
        ...     click.echo(repr(lr))
        >>> CliRunner().invoke(cmd, []).output, CliRunner().invoke(cmd, ["--lr", "0.5"]).output
        ('None\\n', '0.5\\n')
        >>> [CliRunner().invoke(cmd, ["--lr", v]).exit_code for v in ("nan", "0", "-1")]
        [2, 2, 2]
    """
    return _option(
        "--lr",
        type=FiniteFloat(min=0.0, min_open=True),
        default=default,
        show_default=default is not None,
        help=help or "Learning rate.",
    )


def batch_size_option(*, default: int, help: str | None = None) -> Callable[[F], F]:
    """``--batch-size``: at least 1.

    Args:
        default: the batch size when the option is not given.
        help: the help text, the vocabulary's own by default.

    Example:
        >>> import click
        >>> from click.testing import CliRunner
        >>> @click.command()
        ... @batch_size_option(default=32)
        ... def cmd(batch_size):
        ...     click.echo(batch_size)
        >>> CliRunner().invoke(cmd, ["--batch-size", "8"]).output
        '8\\n'
    """
    return _option(
        "--batch-size",
        type=click.IntRange(min=1),
        default=default,
        show_default=True,
        help=help or "Batch size.",
    )


def _check_device(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not DEVICE_PATTERN.match(value.strip().lower()):
        raise click.BadParameter(
            f"'{value}' is not one of auto, cpu, cuda, cuda:N, mps", ctx, param
        )
    return value.strip().lower()


def device_option(*, default: str = "auto", help: str | None = None) -> Callable[[F], F]:
    """``--device``: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``.

    The value is stripped and lower-cased; anything else is a usage error (exit code 2).

    Args:
        default: the device when the option is not given.
        help: the help text, the vocabulary's own by default.

    Example:
        >>> import click
        >>> from click.testing import CliRunner
        >>> @click.command()
        ... @device_option()
        ... def cmd(device):
        ...     click.echo(device)
        >>> CliRunner().invoke(cmd, ["--device", " CUDA:1"]).output
        'cuda:1\\n'
        >>> CliRunner().invoke(cmd, ["--device", "tpu"]).exit_code
        2
    """
    return _option(
        "--device",
        default=default,
        show_default=True,
        callback=_check_device,
        help=help or "Device: auto, cpu, cuda, cuda:N or mps.",
    )


def precision_option(func: F) -> F:
    """``--precision fp32|bf16|fp16`` (parameter ``precision``, default ``fp32``).

    Args:
        func: the click command to decorate.

    Example:
        >>> import click
        >>> from click.testing import CliRunner
        >>> @click.command()
        ... @precision_option
        ... def cmd(precision):
        ...     click.echo(precision)
        >>> CliRunner().invoke(cmd, ["--precision", "bf16"]).output
        'bf16\\n'
        >>> CliRunner().invoke(cmd, ["--precision", "fp8"]).exit_code
        2
    """
    return _option(
        "--precision",
        type=click.Choice(["fp32", "bf16", "fp16"], case_sensitive=False),
        default="fp32",
        show_default=True,
        help="Numeric precision: fp32, or bf16/fp16 autocast (fp16 needs CUDA or MPS).",
    )(func)


def resume_option(func: F) -> F:
    """``--resume/--no-resume`` (parameter ``resume``): resume when OUT holds a checkpoint.

    Args:
        func: the command function, which gets a ``resume`` parameter (default ``True``).

    Example:
        >>> import click
        >>> from click.testing import CliRunner
        >>> @click.command()
        ... @resume_option
        ... def cmd(resume):
        ...     click.echo(resume)
        >>> CliRunner().invoke(cmd, []).output, CliRunner().invoke(cmd, ["--no-resume"]).output
        ('True\\n', 'False\\n')
    """
    return _option(
        "--resume/--no-resume",
        default=True,
        show_default=True,
        help="Resume from the newest complete checkpoint in OUT when there is one.",
    )(func)


def seed_option(func: F) -> F:
    """``--seed N`` (default 0); seeds Python, NumPy and torch before the command runs.

    Args:
        func: the command function, which gets a ``seed`` parameter.

    Example:
        >>> import click
        >>> from click.testing import CliRunner
        >>> import random
        >>> @click.command()
        ... @seed_option
        ... def cmd(seed):
        ...     click.echo(random.random())
        >>> first = CliRunner().invoke(cmd, ["--seed", "3"]).output
        >>> first == CliRunner().invoke(cmd, ["--seed", "3"]).output
        True
    """

    def callback(ctx: click.Context, param: click.Parameter, value: int) -> int:
        seed_everything(value)
        return value

    return _option(
        "--seed", type=int, default=0, show_default=True, callback=callback, help="Random seed."
    )(func)


def json_option(func: F) -> F:
    """``--json`` (parameter ``as_json``): print one JSON object on stdout and nothing else there.

    Args:
        func: the command function, which gets an ``as_json`` flag (default ``False``).
    """
    return _option(
        "--json",
        "as_json",
        is_flag=True,
        help="Print one JSON object on stdout (progress goes to stderr).",
    )(func)
